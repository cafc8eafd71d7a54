// Splits a byte stream into lines the way Java's BufferedReader.readLine does (Kafka's
// LineMessageReader reads stdin with it): a line ends at \n, \r or \r\n, the terminator is not
// part of the line, and a last line without a terminator is still a line. Lines stay bytes, as
// views into the input chunk (no copy, no string round trip), and all complete lines of a chunk
// are returned together so the caller awaits once per chunk, never once per line.
//
// Input that is not valid UTF-8 is repaired the way Java's UTF-8 decoder repairs it: each bad
// sequence becomes U+FFFD. Valid input (the normal case) is checked once per chunk, natively.
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';

const LF = 0x0a;
const CR = 0x0d;

/** Bytes as Java would see them after decoding UTF-8 with replacement and encoding again. */
function repaired(line: Buffer): Buffer {
  return isUtf8(line) ? line : Buffer.from(line.toString('utf8'), 'utf8');
}

export class LineSplitter {
  /** The pieces of a line whose end has not arrived yet. */
  private partial: Buffer[] = [];
  /** The previous chunk ended with \r: a \n at the start of the next one belongs to it. */
  private skipLF = false;

  /** The lines completed by `chunk`, in order. */
  push(chunk: Buffer): Buffer[] {
    let lines: Buffer[] = [];
    for (const group of this.split(chunk, Infinity)) lines = lines.length === 0 ? group : lines.concat(group);
    return lines;
  }

  /**
   * The lines completed by `chunk`, in groups of at most `groupLines`, split as they are asked
   * for: a consumer that finishes with one group before taking the next never holds more.
   */
  *split(chunk: Buffer, groupLines: number): Generator<Buffer[]> {
    const len = chunk.length;
    let pos = 0;
    if (this.skipLF && len > 0) {
      this.skipLF = false;
      if (chunk[0] === LF) pos = 1;
    }
    let lines: Buffer[] = [];
    if (this.partial.length > 0) {
      const end = this.terminatorAt(chunk, pos);
      if (end < 0) {
        if (pos < len) this.partial.push(chunk.subarray(pos));
        return;
      }
      this.partial.push(chunk.subarray(pos, end));
      lines.push(repaired(Buffer.concat(this.partial)));
      this.partial = [];
      pos = this.afterTerminator(chunk, end);
    }
    // Common case: \n only, found by a native memchr (indexOf).
    const lfOnly = chunk.indexOf(CR, pos) < 0;
    while (pos < len) {
      const groupStart = pos;
      const first = lines.length;
      while (lines.length < groupLines) {
        const end = lfOnly ? chunk.indexOf(LF, pos) : this.terminatorAt(chunk, pos);
        if (end < 0) break;
        lines.push(chunk.subarray(pos, end));
        pos = lfOnly ? end + 1 : this.afterTerminator(chunk, end);
      }
      if (lines.length === 0) break;
      // Lines end at ASCII bytes, so a valid region means every line in it is valid.
      if (lines.length > first && !isUtf8(chunk.subarray(groupStart, pos))) {
        for (let i = first; i < lines.length; i++) lines[i] = repaired(lines[i]!);
      }
      yield lines;
      lines = [];
    }
    if (lines.length > 0) yield lines;
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

/** How much to read at a time: fewer, larger reads cost far fewer wake-ups than 64 KiB ones. */
const READ_SIZE = 1 << 20;
/** Lines per group: a consumer that yields between groups stays responsive and holds little. */
const GROUP_LINES = 256;

/** Yields the lines of `input` in groups of at most GROUP_LINES lines. */
export async function* readLines(input: Readable): AsyncGenerator<Buffer[]> {
  const splitter = new LineSplitter();
  const bytes = (chunk: unknown): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
  // Asking a byte stream for more than its highWaterMark raises the mark, so a file behind stdin
  // is then read up to READ_SIZE at a time instead of 64 KiB. (An ended stream hands over what
  // it still holds instead: that is the input's start, not to be dropped.)
  if (!input.readableObjectMode && input.readableHighWaterMark < READ_SIZE) {
    const early: unknown = input.read(READ_SIZE);
    if (early !== null) yield* splitter.split(bytes(early), GROUP_LINES);
  }
  for await (const chunk of input) yield* splitter.split(bytes(chunk), GROUP_LINES);
  const last = splitter.end();
  if (last.length > 0) yield last;
}
