// Splits a byte stream into lines the way Java's BufferedReader.readLine does (Kafka's
// LineMessageReader reads stdin with it): a line ends at \n, \r or \r\n, the terminator is not
// part of the line, and a last line without a terminator is still a line. Lines stay bytes, as
// ranges of the input chunk (no copy, no string round trip, not even a Buffer view per line:
// a million views cost more than the rest of the splitting), and the complete lines of a chunk
// come in groups so the caller awaits once per group, never once per line.
//
// Input that is not valid UTF-8 is repaired the way Java's UTF-8 decoder repairs it: each bad
// sequence becomes U+FFFD. Valid input (the normal case) is checked once per chunk, natively.
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { streamChunks } from './stream-chunks.js';

const LF = 0x0a;
const CR = 0x0d;
/** Room for this many lines' bounds at first (a group grows when it may hold more). */
const INITIAL_GROUP = 256;

/** Bytes as Java would see them after decoding UTF-8 with replacement and encoding again. */
function repaired(line: Buffer): Buffer {
  return isUtf8(line) ? line : Buffer.from(line.toString('utf8'), 'utf8');
}

/** Lines as ranges of one buffer: line i is bytes[start(i), end(i)). */
export class LineGroup {
  constructor(
    /** A plain Uint8Array (its subarray is far cheaper than a Buffer's). */
    readonly bytes: Uint8Array,
    /** [start, end) pairs. */
    readonly bounds: Int32Array,
    readonly length: number,
  ) {}

  /** One line on its own. */
  static of(line: Buffer): LineGroup {
    return new LineGroup(plain(line), Int32Array.of(0, line.length), 1);
  }

  start(i: number): number {
    return this.bounds[2 * i]!;
  }

  end(i: number): number {
    return this.bounds[2 * i + 1]!;
  }

  /** Line i as a Buffer view of the input. */
  line(i: number): Buffer {
    const start = this.bounds[2 * i]!;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, this.bounds[2 * i + 1]! - start);
  }

  *[Symbol.iterator](): Iterator<Buffer> {
    for (let i = 0; i < this.length; i++) yield this.line(i);
  }
}

const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

/** The lines of `group` repaired as Java's decoder would (see repaired), in a buffer of their own. */
function repairedGroup(group: LineGroup): LineGroup {
  const lines = [...group].map(repaired);
  const bounds = new Int32Array(2 * lines.length);
  let at = 0;
  lines.forEach((line, i) => {
    bounds[2 * i] = at;
    bounds[2 * i + 1] = at += line.length;
  });
  return new LineGroup(plain(Buffer.concat(lines)), bounds, lines.length);
}

export class LineSplitter {
  /** The pieces of a line whose end has not arrived yet. */
  private partial: Buffer[] = [];
  /** The previous chunk ended with \r: a \n at the start of the next one belongs to it. */
  private skipLF = false;

  /** The lines completed by `chunk`, in order. */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    for (const group of this.split(chunk, Infinity)) lines.push(...group);
    return lines;
  }

  /**
   * The lines completed by `chunk`, in groups of at most `groupLines`, split as they are asked
   * for: a consumer that finishes with one group before taking the next never holds more.
   */
  *split(chunk: Buffer, groupLines: number): Generator<LineGroup> {
    const len = chunk.length;
    let pos = 0;
    if (this.skipLF && len > 0) {
      this.skipLF = false;
      if (chunk[0] === LF) pos = 1;
    }
    if (this.partial.length > 0) {
      const end = this.terminatorAt(chunk, pos);
      if (end < 0) {
        if (pos < len) this.partial.push(chunk.subarray(pos));
        return;
      }
      this.partial.push(chunk.subarray(pos, end));
      const joined = repaired(Buffer.concat(this.partial));
      this.partial = [];
      pos = this.afterTerminator(chunk, end);
      yield LineGroup.of(joined);
    }
    const bytes = plain(chunk);
    // Common case: \n only, found by a native memchr (indexOf).
    const lfOnly = chunk.indexOf(CR, pos) < 0;
    while (pos < len) {
      const groupStart = pos;
      let bounds = new Int32Array(2 * Math.min(groupLines, INITIAL_GROUP));
      let count = 0;
      while (count < groupLines) {
        const end = lfOnly ? chunk.indexOf(LF, pos) : this.terminatorAt(chunk, pos);
        if (end < 0) break;
        if (2 * count === bounds.length) {
          const grown = new Int32Array(2 * bounds.length);
          grown.set(bounds);
          bounds = grown;
        }
        bounds[2 * count] = pos;
        bounds[2 * count + 1] = end;
        count++;
        pos = lfOnly ? end + 1 : this.afterTerminator(chunk, end);
      }
      if (count === 0) break;
      const group = new LineGroup(bytes, bounds, count);
      // Lines end at ASCII bytes, so a valid region means every line in it is valid.
      yield isUtf8(bytes.subarray(groupStart, pos)) ? group : repairedGroup(group);
    }
    if (pos < len) this.partial.push(chunk.subarray(pos));
  }

  /** The last line, if the input did not end with a terminator. */
  end(): Buffer[] {
    const pieces = this.partial;
    this.partial = [];
    this.skipLF = false;
    return pieces.length === 0 ? [] : [repaired(Buffer.concat(pieces))];
  }

  /** Index of the next \r or \n at or after `from`, or -1. */
  private terminatorAt(chunk: Buffer, from: number): number {
    const len = chunk.length;
    for (let i = from; i < len; i++) {
      const b = chunk[i]!;
      if (b === LF || b === CR) return i;
    }
    return -1;
  }

  /** Where the next line starts after the terminator at `at` (\r\n counts once, even across chunks). */
  private afterTerminator(chunk: Buffer, at: number): number {
    if (chunk[at] !== CR) return at + 1;
    if (at + 1 < chunk.length) return chunk[at + 1] === LF ? at + 2 : at + 1;
    this.skipLF = true;
    return at + 1;
  }
}

/** How much to read at a time (fewer, larger reads cost far fewer wake-ups than 64 KiB ones), and to hold unread. */
const READ_SIZE = 1 << 20;
/** Lines per group: a consumer that yields between groups stays responsive and holds little. */
const GROUP_LINES = 256;

/** Yields the lines of `input` in groups of at most GROUP_LINES lines. */
export async function* readLines(input: Readable): AsyncGenerator<LineGroup> {
  const splitter = new LineSplitter();
  // Asking a byte stream for more than its highWaterMark raises the mark, so a file behind stdin
  // is then read up to READ_SIZE at a time instead of 64 KiB. (An ended stream hands over what
  // it still holds instead: that is the input's start, not to be dropped.)
  if (!input.readableObjectMode && input.readableHighWaterMark < READ_SIZE) {
    const early: unknown = input.read(READ_SIZE);
    if (early !== null) yield* splitter.split(typeof early === 'string' ? Buffer.from(early, 'utf8') : (early as Buffer), GROUP_LINES);
  }
  for await (const chunk of streamChunks(input, READ_SIZE)) yield* splitter.split(chunk, GROUP_LINES);
  for (const last of splitter.end()) yield LineGroup.of(last);
}
