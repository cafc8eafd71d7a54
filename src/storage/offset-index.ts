// The sparse offset index of one segment (`.index`), kept in memory as a growable typed array and
// written to the file behind the appends (index-file.ts). Lookups never touch the file.
//
// File format: a plain array of 8-byte entries, no header, no checksum:
//
//   relativeOffset  int32 BE   offset - segment base offset
//   position        int32 BE   byte position of a batch in the segment's .log file
//
// Invariants: both columns strictly increase; every position is the start of a batch whose last
// offset is base + relativeOffset. The file holds exactly `entries * 8` bytes (Kafka preallocates
// and trims on close; we never preallocate, so a crash leaves no zero-filled tail to mistake for
// entries, and the trim in close() only guards the invariant).
import { existsSync, readFileSync } from 'node:fs';
import { IndexFile } from './index-file.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export class OffsetIndex extends IndexFile {
  /** Interleaved [relativeOffset, position] pairs. */
  private data = new Int32Array(64);

  constructor(path: string) {
    super(path, OFFSET_INDEX_ENTRY_SIZE);
  }

  relativeOffsetAt(i: number): number {
    return this.data[2 * i]!;
  }

  positionAt(i: number): number {
    return this.data[2 * i + 1]!;
  }

  /**
   * Loads the file into memory if it is well formed for a .log of `logSize` bytes whose offsets
   * end before `relativeLimit`. Returns a reason when it is missing or damaged (the index is then
   * left empty, to be rebuilt), or null when loaded.
   */
  load(logSize: number, relativeLimit: number): string | null {
    this.clear();
    if (!existsSync(this.path)) return 'missing';
    const bytes = readFileSync(this.path);
    if (bytes.length % OFFSET_INDEX_ENTRY_SIZE !== 0) return `size ${bytes.length} is not a multiple of ${OFFSET_INDEX_ENTRY_SIZE}`;
    let lastRel = -1;
    let lastPos = -1;
    for (let at = 0; at < bytes.length; at += OFFSET_INDEX_ENTRY_SIZE) {
      const rel = bytes.readInt32BE(at);
      const pos = bytes.readInt32BE(at + 4);
      if (rel <= lastRel || pos <= lastPos || pos >= logSize || rel >= relativeLimit) {
        this.clear();
        return `entry ${at / OFFSET_INDEX_ENTRY_SIZE} (${rel}, ${pos}) is out of order or out of range`;
      }
      this.push(rel, pos);
      lastRel = rel;
      lastPos = pos;
    }
    this.loaded();
    return null;
  }

  private push(rel: number, pos: number): void {
    if (2 * this.count === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[2 * this.count] = rel;
    this.data[2 * this.count + 1] = pos;
    this.count++;
  }

  /** Adds an entry in memory and, when the file is open, writes it through. */
  append(relativeOffset: number, position: number): void {
    const n = this.count;
    if (n > 0 && (relativeOffset <= this.data[2 * n - 2]! || position <= this.data[2 * n - 1]!)) return;
    this.push(relativeOffset, position);
    this.added();
  }

  protected encodeEntry(i: number, buf: Buffer, at: number): void {
    buf.writeInt32BE(this.data[2 * i]!, at);
    buf.writeInt32BE(this.data[2 * i + 1]!, at + 4);
  }

  /**
   * Position to start scanning from for `relativeOffset`: that of the last entry whose offset is
   * <= it, or 0 when there is none.
   */
  lookup(relativeOffset: number): number {
    const d = this.data;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (d[2 * mid]! <= relativeOffset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? 0 : d[2 * found + 1]!;
  }

}
