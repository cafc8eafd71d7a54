// The time index of one segment (`.timeindex`), in memory and written to the file behind it.
// ListOffsets-by-timestamp uses it to skip to the right part of a segment.
//
// File format: a plain array of 12-byte entries, no header, no checksum:
//
//   timestamp       int64 BE   largest timestamp seen in the segment up to this point
//   relativeOffset  int32 BE   (last) offset of the batch that carried that timestamp, minus base
//
// Invariants: timestamps strictly increase (an entry is only added when it beats the last one,
// starting from -1, so batches without timestamps never enter) and offsets never decrease. An
// entry (t, o) promises that every record before the batch holding o has a timestamp below t.
// Timestamps are held as JS numbers: milliseconds stay far below 2^53.
import { existsSync, readFileSync } from 'node:fs';
import { readInt64Number, writeInt64Number } from '../protocol/records/batch.js';
import { IndexFile } from './index-file.js';

export const TIME_INDEX_ENTRY_SIZE = 12;

export class TimeIndex extends IndexFile {
  private timestamps = new Float64Array(32);
  private offsets = new Int32Array(32);

  constructor(path: string) {
    super(path, TIME_INDEX_ENTRY_SIZE);
  }

  /** Largest timestamp indexed so far, -1 when empty. */
  get lastTimestamp(): number {
    return this.count === 0 ? -1 : this.timestamps[this.count - 1]!;
  }

  /** Relative offset of the last entry, -1 when empty. */
  get lastRelativeOffset(): number {
    return this.count === 0 ? -1 : this.offsets[this.count - 1]!;
  }

  /** Loads and checks the file (see OffsetIndex.load); returns why it is unusable, or null. */
  load(relativeLimit: number): string | null {
    this.clear();
    if (!existsSync(this.path)) return 'missing';
    const bytes = readFileSync(this.path);
    if (bytes.length % TIME_INDEX_ENTRY_SIZE !== 0) return `size ${bytes.length} is not a multiple of ${TIME_INDEX_ENTRY_SIZE}`;
    let lastTs = -1;
    let lastRel = 0;
    for (let at = 0; at < bytes.length; at += TIME_INDEX_ENTRY_SIZE) {
      const ts = readInt64Number(bytes, at);
      const rel = bytes.readInt32BE(at + 8);
      if (ts <= lastTs || rel < lastRel || rel >= relativeLimit) {
        this.clear();
        return `entry ${at / TIME_INDEX_ENTRY_SIZE} (${ts}, ${rel}) is out of order or out of range`;
      }
      this.push(ts, rel);
      lastTs = ts;
      lastRel = rel;
    }
    this.loaded();
    return null;
  }

  private push(ts: number, rel: number): void {
    if (this.count === this.timestamps.length) {
      const ts2 = new Float64Array(this.count * 2);
      ts2.set(this.timestamps);
      this.timestamps = ts2;
      const off2 = new Int32Array(this.count * 2);
      off2.set(this.offsets);
      this.offsets = off2;
    }
    this.timestamps[this.count] = ts;
    this.offsets[this.count] = rel;
    this.count++;
  }

  /** Adds (timestamp, relativeOffset) if the timestamp is greater than the last entry's. */
  maybeAppend(timestamp: number, relativeOffset: number): void {
    if (timestamp <= this.lastTimestamp || relativeOffset < this.lastRelativeOffset) return;
    this.push(timestamp, relativeOffset);
    this.added();
  }

  protected encodeEntry(i: number, buf: Buffer, at: number): void {
    writeInt64Number(buf, this.timestamps[i]!, at);
    buf.writeInt32BE(this.offsets[i]!, at + 8);
  }

  /**
   * Relative offset of the last entry whose timestamp is <= `timestamp`, or -1 when every entry
   * is later (scan the segment from its start).
   */
  lookup(timestamp: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timestamps[mid]! <= timestamp) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? -1 : this.offsets[found]!;
  }

}
