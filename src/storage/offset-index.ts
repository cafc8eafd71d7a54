// The sparse offset index of one segment (`.index`), kept in memory as a growable typed array and
// mirrored to the file entry by entry as it grows. Lookups never touch the file.
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
import { closeFile, fsyncFile, openFile, truncateFile, writeFully } from './file-io.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

const entryScratch = Buffer.alloc(OFFSET_INDEX_ENTRY_SIZE);

export class OffsetIndex {
  /** Interleaved [relativeOffset, position] pairs. */
  private data = new Int32Array(64);
  private count = 0;
  private fd: number | null = null;
  /** A write of an entry failed: the file holds fewer entries than memory. */
  private lagging = false;

  /** Renamed with its segment while the cleaner swaps segments (`.cleaned` → `.swap` → plain). */
  constructor(public path: string) {}

  get entries(): number {
    return this.count;
  }

  /** Whether the file is open for appending entries (only while its segment is active and in use). */
  get isOpen(): boolean {
    return this.fd !== null;
  }

  get sizeInBytes(): number {
    return this.count * OFFSET_INDEX_ENTRY_SIZE;
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
    this.count = 0;
    if (!existsSync(this.path)) return 'missing';
    const bytes = readFileSync(this.path);
    if (bytes.length % OFFSET_INDEX_ENTRY_SIZE !== 0) return `size ${bytes.length} is not a multiple of ${OFFSET_INDEX_ENTRY_SIZE}`;
    let lastRel = -1;
    let lastPos = -1;
    for (let at = 0; at < bytes.length; at += OFFSET_INDEX_ENTRY_SIZE) {
      const rel = bytes.readInt32BE(at);
      const pos = bytes.readInt32BE(at + 4);
      if (rel <= lastRel || pos <= lastPos || pos >= logSize || rel >= relativeLimit) {
        this.count = 0;
        return `entry ${at / OFFSET_INDEX_ENTRY_SIZE} (${rel}, ${pos}) is out of order or out of range`;
      }
      this.push(rel, pos);
      lastRel = rel;
      lastPos = pos;
    }
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

  /** Opens the file for appending entries; `fresh` truncates it first. */
  open(fresh: boolean): void {
    if (this.fd !== null) return;
    this.fd = openFile(this.path, fresh || !existsSync(this.path) ? 'w+' : 'r+');
    if (fresh) this.count = 0;
  }

  /** Adds an entry in memory and, when the file is open, writes it through. */
  append(relativeOffset: number, position: number): void {
    const n = this.count;
    if (n > 0 && (relativeOffset <= this.data[2 * n - 2]! || position <= this.data[2 * n - 1]!)) return;
    this.push(relativeOffset, position);
    if (this.fd !== null) {
      entryScratch.writeInt32BE(relativeOffset, 0);
      entryScratch.writeInt32BE(position, 4);
      try {
        writeFully(this.fd, entryScratch, 0, OFFSET_INDEX_ENTRY_SIZE, n * OFFSET_INDEX_ENTRY_SIZE);
      } catch {
        // The entry stays in memory. The file now lags it, which the next open detects and
        // repairs (the index is rebuilt from the .log), so a failing index write never fails
        // the append whose batch is already written; close() tries to catch the file up.
        this.lagging = true;
      }
    }
  }

  /** Replaces the file's content with the in-memory entries (after a rebuild). */
  writeAll(): void {
    const bytes = Buffer.allocUnsafe(this.sizeInBytes);
    for (let i = 0; i < this.count; i++) {
      bytes.writeInt32BE(this.data[2 * i]!, i * OFFSET_INDEX_ENTRY_SIZE);
      bytes.writeInt32BE(this.data[2 * i + 1]!, i * OFFSET_INDEX_ENTRY_SIZE + 4);
    }
    const fd = this.fd ?? openFile(this.path, 'w');
    try {
      truncateFile(fd, 0);
      writeFully(fd, bytes, 0, bytes.length, 0);
      this.lagging = false;
    } finally {
      if (this.fd === null) closeFile(fd);
    }
  }

  /** Forgets every entry (the file is rewritten by writeAll or truncated by open(true)). */
  clear(): void {
    this.count = 0;
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

  flush(): void {
    if (this.fd !== null) fsyncFile(this.fd);
  }

  /** Closes the file, trimmed to exactly its entries (rewritten if an entry's write failed); never throws for the file's sake. */
  close(): void {
    if (this.fd === null) return;
    try {
      if (this.lagging) this.writeAll();
      else truncateFile(this.fd, this.sizeInBytes);
    } catch {
      // Left for the next open to detect and rebuild.
    } finally {
      closeFile(this.fd);
      this.fd = null;
    }
  }
}
