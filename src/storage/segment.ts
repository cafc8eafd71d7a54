// One segment of a partition log: the `.log` file of concatenated v2 batches plus its two indexes.
// Appends go to the page cache with positional synchronous writes through a kept-open descriptor;
// reads are positional too, so a segment never depends on a file cursor.
//
// Invariants:
// - `size` is the number of bytes of whole, valid batches; nothing past it is ever read, and a
//   failed write is cut back to it.
// - Batches hold strictly increasing offsets, all >= baseOffset and < baseOffset + 2^31.
// - Index entries follow Kafka's rule: when more than indexIntervalBytes have been appended since
//   the last entry, the next append adds (its last offset, its start position) to the offset
//   index and (max timestamp so far, offset of the batch that had it) to the time index. A
//   rebuild replays the same rule over the batches in the file, so it reproduces the same entries.
// - Only the active (last) segment keeps its index files open; sealed ones are read-only.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_HEADER_SIZE, BatchField, CURRENT_MAGIC, batchSizeAt, checkBatchIntegrity, readInt64Number } from '../protocol/records/batch.js';
import { readFully, writeFully } from './file-io.js';
import { indexFileName, logFileName, timeIndexFileName } from './file-names.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

export type LogFn = (msg: string) => void;

/** A batch found in a segment, with the header fields the log needs. */
export interface BatchLocation {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  attributes: number;
}

export interface ScanResult {
  /** Where the scan ended: the stopping batch, the first unusable byte, or the end of data. */
  position: number;
  /** Why the bytes at `position` are not a usable batch; null when the scan ended normally. */
  problem: string | null;
  /** The visitor asked to stop at `position`. */
  stopped: boolean;
}

/** (buf, at) holds the batch that starts at file position `position`; return false to stop. */
export type BatchVisitor = (buf: Buffer, at: number, position: number, size: number) => boolean;

/** Header scans read this much at a time: a whole index interval of small batches in one read. */
const SCAN_CHUNK = 64 * 1024;
/** Recovery reads whole batches to check their CRCs, in larger chunks. */
const RECOVERY_CHUNK = 1024 * 1024;
/** Shared by header scans. The broker is single-threaded and scans never nest. */
const scanScratch = Buffer.allocUnsafe(SCAN_CHUNK);

const lastOffsetAt = (buf: Buffer, at: number): number =>
  readInt64Number(buf, at + BatchField.baseOffset) + buf.readInt32BE(at + BatchField.lastOffsetDelta);

export class LogSegment {
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  readonly logPath: string;
  /** Bytes of valid batches in the .log file. */
  size = 0;
  /** One past the last offset held; baseOffset while empty. */
  nextOffset: number;
  /** Largest batch maxTimestamp in the segment (-1 when none) and the last offset of that batch. */
  maxTimestamp = -1;
  offsetOfMaxTimestamp = -1;
  /** maxTimestamp of the first batch, for time-based rolling; null while empty. */
  firstBatchTimestamp: number | null = null;
  /** Unflushed appends since the last fsync. */
  dirty = false;
  private bytesSinceLastIndexEntry = 0;
  private fd: number;
  private sealed = false;

  private constructor(
    dir: string,
    readonly baseOffset: number,
    private readonly indexIntervalBytes: number,
    readonly created: number,
    flags: string,
  ) {
    this.logPath = join(dir, logFileName(baseOffset));
    this.offsetIndex = new OffsetIndex(join(dir, indexFileName(baseOffset)));
    this.timeIndex = new TimeIndex(join(dir, timeIndexFileName(baseOffset)));
    this.nextOffset = baseOffset;
    this.fd = openSync(this.logPath, flags);
  }

  /** A new, empty active segment (any stale files with its name are truncated). */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number, now: number): LogSegment {
    const seg = new LogSegment(dir, baseOffset, indexIntervalBytes, now, 'w+');
    seg.offsetIndex.open(true);
    seg.timeIndex.open(true);
    return seg;
  }

  /**
   * Opens a segment that is not the last one. Its bytes are trusted (they were complete before the
   * log rolled past them); its indexes are loaded and checked, and rebuilt from the .log when
   * missing or damaged.
   */
  static openSealed(dir: string, baseOffset: number, nextBaseOffset: number, indexIntervalBytes: number, now: number, log: LogFn): LogSegment {
    const seg = new LogSegment(dir, baseOffset, indexIntervalBytes, now, 'r');
    seg.sealed = true;
    seg.size = fstatSync(seg.fd).size;
    seg.nextOffset = nextBaseOffset;
    const limit = nextBaseOffset - baseOffset;
    const problem = seg.offsetIndex.load(seg.size, limit) ?? seg.timeIndex.load(limit) ?? seg.checkLastIndexEntry();
    if (problem === null) {
      seg.maxTimestamp = seg.timeIndex.lastTimestamp;
      seg.offsetOfMaxTimestamp = seg.timeIndex.entries > 0 ? baseOffset + seg.timeIndex.lastRelativeOffset : -1;
      return seg;
    }
    log(`Rebuilding the indexes of segment ${seg.logPath}: ${problem}`);
    seg.offsetIndex.clear();
    seg.timeIndex.clear();
    const res = seg.scan(0, false, (buf, at, position, size) => {
      seg.track(position, size, lastOffsetAt(buf, at), readInt64Number(buf, at + BatchField.maxTimestamp));
      return true;
    });
    if (res.problem !== null) log(`Segment ${seg.logPath} holds unreadable data from position ${res.position}: ${res.problem}`);
    seg.nextOffset = nextBaseOffset;
    seg.timeIndex.maybeAppend(seg.maxTimestamp, seg.offsetOfMaxTimestamp - baseOffset);
    seg.offsetIndex.writeAll();
    seg.timeIndex.writeAll();
    return seg;
  }

  /**
   * Opens the last segment and recovers it: every batch is checked (size, magic, CRC-32C,
   * increasing offsets) and the file is cut at the first one that fails, which is where a crash
   * tore the last write. Its indexes are rebuilt from what remains.
   */
  static openActive(dir: string, baseOffset: number, indexIntervalBytes: number, now: number, log: LogFn): LogSegment {
    const seg = new LogSegment(dir, baseOffset, indexIntervalBytes, now, 'r+');
    seg.size = fstatSync(seg.fd).size;
    const fileSize = seg.size;
    let expected = baseOffset;
    let invalid: string | null = null;
    const res = seg.scan(0, true, (buf, at, position, size) => {
      const err = checkBatchIntegrity(buf, at, at + size);
      if (err) {
        invalid = err.message;
        return false;
      }
      const first = readInt64Number(buf, at + BatchField.baseOffset);
      const last = lastOffsetAt(buf, at);
      if (first < expected || last < first || last - baseOffset > 0x7fffffff) {
        invalid = `batch offsets ${first}..${last} do not follow ${expected - 1}`;
        return false;
      }
      seg.track(position, size, last, readInt64Number(buf, at + BatchField.maxTimestamp));
      expected = last + 1;
      return true;
    });
    const why = res.problem ?? invalid;
    if (why !== null) {
      log(`Truncating ${seg.logPath} from ${fileSize} to ${res.position} bytes (cut ${fileSize - res.position}): ${why}`);
      ftruncateSync(seg.fd, res.position);
    }
    seg.size = res.position;
    seg.offsetIndex.writeAll();
    seg.timeIndex.writeAll();
    seg.offsetIndex.open(false);
    seg.timeIndex.open(false);
    return seg;
  }

  /** Checks that the last offset-index entry points at the batch it names. */
  private checkLastIndexEntry(): string | null {
    const n = this.offsetIndex.entries;
    if (n === 0) return null;
    const position = this.offsetIndex.positionAt(n - 1);
    const header = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
    if (readFully(this.fd, header, 0, BATCH_HEADER_SIZE, position) < BATCH_HEADER_SIZE) return 'last entry points past the data';
    const expected = this.baseOffset + this.offsetIndex.relativeOffsetAt(n - 1);
    if (header[BatchField.magic] !== CURRENT_MAGIC || lastOffsetAt(header, 0) !== expected) {
      return `last entry does not point at the batch ending at offset ${expected}`;
    }
    return null;
  }

  /** Index bookkeeping for a batch now at `position` (shared by append and rebuilds). */
  private track(position: number, size: number, lastOffset: number, maxTimestamp: number): void {
    if (maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = maxTimestamp;
      this.offsetOfMaxTimestamp = lastOffset;
    }
    if (this.firstBatchTimestamp === null) this.firstBatchTimestamp = maxTimestamp;
    if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
      this.offsetIndex.append(lastOffset - this.baseOffset, position);
      this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += size;
    this.size = position + size;
    this.nextOffset = lastOffset + 1;
  }

  /**
   * Writes one validated, offset-stamped batch at the end of the file. If the write fails the file
   * is cut back so no partial batch remains, and the error is rethrown.
   */
  append(batch: Buffer, lastOffset: number, maxTimestamp: number): void {
    const position = this.size;
    try {
      writeFully(this.fd, batch, 0, batch.length, position);
    } catch (err) {
      try {
        ftruncateSync(this.fd, position);
      } catch {
        // The original error is the one worth reporting.
      }
      throw err;
    }
    this.track(position, batch.length, lastOffset, maxTimestamp);
    this.dirty = true;
  }

  /**
   * Visits the batches from file position `from` (see BatchVisitor). With `whole` the visitor gets
   * each complete batch in its buffer; otherwise only the 61-byte header is guaranteed to be there.
   */
  scan(from: number, whole: boolean, visit: BatchVisitor): ScanResult {
    let chunk = whole ? Buffer.allocUnsafe(Math.min(RECOVERY_CHUNK, Math.max(this.size - from, 0))) : scanScratch;
    let chunkPos = 0;
    let chunkLen = 0;
    let pos = from;
    const end = this.size;
    while (pos < end) {
      const left = end - pos;
      if (left < BATCH_HEADER_SIZE) return { position: pos, problem: `${left} trailing bytes cannot hold a batch header`, stopped: false };
      if (pos < chunkPos || pos + BATCH_HEADER_SIZE > chunkPos + chunkLen) {
        if (chunk.length < BATCH_HEADER_SIZE) chunk = Buffer.allocUnsafe(SCAN_CHUNK);
        chunkLen = readFully(this.fd, chunk, 0, Math.min(chunk.length, left), pos);
        chunkPos = pos;
        if (chunkLen < BATCH_HEADER_SIZE) return { position: pos, problem: 'file is shorter than expected', stopped: false };
      }
      let buf = chunk;
      let at = pos - chunkPos;
      const magic = buf[at + BatchField.magic]!;
      const size = batchSizeAt(buf, at);
      if (magic !== CURRENT_MAGIC) return { position: pos, problem: `batch with magic ${magic}`, stopped: false };
      if (size < BATCH_HEADER_SIZE) return { position: pos, problem: `batch size ${size} is below the header size`, stopped: false };
      if (size > left) return { position: pos, problem: `batch of ${size} bytes with only ${left} left in the file`, stopped: false };
      if (whole && pos + size > chunkPos + chunkLen) {
        if (size > chunk.length) {
          buf = Buffer.allocUnsafe(size);
          at = 0;
          if (readFully(this.fd, buf, 0, size, pos) < size) return { position: pos, problem: 'file is shorter than expected', stopped: false };
        } else {
          chunkLen = readFully(this.fd, chunk, 0, Math.min(chunk.length, left), pos);
          chunkPos = pos;
          at = 0;
          if (chunkLen < size) return { position: pos, problem: 'file is shorter than expected', stopped: false };
        }
      }
      if (!visit(buf, at, pos, size)) return { position: pos, problem: null, stopped: true };
      pos += size;
    }
    return { position: pos, problem: null, stopped: false };
  }

  /**
   * The first batch whose last offset is >= `offset`, found from the offset index and a forward
   * header scan of at most about one index interval; null when the segment has none.
   */
  findBatch(offset: number): BatchLocation | null {
    if (offset >= this.nextOffset) return null;
    const from = this.offsetIndex.lookup(offset - this.baseOffset);
    return this.findBatchFrom(from, offset);
  }

  findBatchFrom(from: number, offset: number): BatchLocation | null {
    let found: BatchLocation | null = null;
    this.scan(from, false, (buf, at, position, size) => {
      const last = lastOffsetAt(buf, at);
      if (last < offset) return true;
      found = {
        position,
        size,
        baseOffset: readInt64Number(buf, at + BatchField.baseOffset),
        lastOffset: last,
        maxTimestamp: readInt64Number(buf, at + BatchField.maxTimestamp),
        attributes: buf.readInt16BE(at + BatchField.attributes),
      };
      return false;
    });
    return found;
  }

  /** Reads file bytes [position, position + length) into a new buffer (shorter only at EOF). */
  read(position: number, length: number): Buffer<ArrayBuffer> {
    const buf = Buffer.allocUnsafe(length);
    const n = readFully(this.fd, buf, 0, length, position);
    return n === length ? buf : buf.subarray(0, n);
  }

  /** The segment stops being the active one: record its final time-index entry, close indexes. */
  seal(): void {
    if (this.sealed) return;
    this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
    this.offsetIndex.close();
    this.timeIndex.close();
    this.sealed = true;
  }

  get isSealed(): boolean {
    return this.sealed;
  }

  flush(): void {
    if (!this.dirty) return;
    fsyncSync(this.fd);
    this.offsetIndex.flush();
    this.timeIndex.flush();
    this.dirty = false;
  }

  close(): void {
    if (!this.sealed && this.size > 0) this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
    this.flush();
    this.offsetIndex.close();
    this.timeIndex.close();
    closeSync(this.fd);
  }
}
