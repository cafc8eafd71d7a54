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
//
// Opening an existing segment takes one of three paths, decided by the partition log:
// - openSealed: a segment below the recovery point, or any older segment after a clean shutdown.
//   Its bytes are trusted; its indexes are sanity-checked and rebuilt if damaged.
// - openActive with `trusted`: the last segment after a clean shutdown. Indexes are loaded as for a
//   sealed segment, then only the batches after the last index entry are walked (headers only)
//   to find the end, and the last batch's CRC is checked. Anything odd falls back to recovery.
// - openActive / openRecovered without trust: every batch is checked (size, magic, CRC-32C,
//   increasing offsets) and the file is cut at the first one that fails; indexes are rebuilt.
import { closeSync, existsSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_HEADER_SIZE, BatchField, CURRENT_MAGIC, batchSizeAt, checkBatchIntegrity, readInt64Number } from '../protocol/records/batch.js';
import { readFully, writeFully } from './file-io.js';
import { indexFileName, logFileName, timeIndexFileName } from './file-names.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

/** Where the log reports what it did: repairs and anything lost are 'warn' (the default), routine work 'info'. */
export type LogFn = (msg: string, level?: 'info' | 'warn') => void;

/** Suffix Kafka gives segment files scheduled for removal (`00000000000000000000.log.deleted`). */
export const DELETED_SUFFIX = '.deleted';

/** Relative offsets are int32 in the indexes. */
const MAX_RELATIVE = 0x7fffffff;

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
  private closed = false;
  /** Index entries a trusted open had to add (the files lacked them). */
  private repairedIndexEntries = 0;

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
   * Opens a segment that is not the last one and whose bytes are trusted: it lies below the
   * recovery point (fsynced before any crash) or the log dir was shut down cleanly. Its indexes
   * are loaded and checked, and rebuilt from the .log when missing or damaged.
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
   * Opens the last segment. Untrusted (after an unclean shutdown, or when its recovery is asked
   * for) it is recovered: see recover(). Trusted (after a clean shutdown) only its tail is checked,
   * and a tail that does not hold up sends it through recovery after all.
   */
  static openActive(dir: string, baseOffset: number, indexIntervalBytes: number, now: number, log: LogFn, trusted = false): LogSegment {
    const seg = new LogSegment(dir, baseOffset, indexIntervalBytes, now, 'r+');
    try {
      seg.size = fstatSync(seg.fd).size;
      let recover = !trusted;
      if (trusted) {
        const problem = seg.loadTrustedTail();
        if (seg.repairedIndexEntries > 0) log(`Added ${seg.repairedIndexEntries} missing index entries to the indexes of ${seg.logPath}`);
        if (problem !== null) {
          log(`Recovering ${seg.logPath} although the log dir was shut down cleanly: ${problem}`);
          seg.resetForRecovery();
          recover = true;
        }
      }
      if (recover) seg.recover(MAX_RELATIVE + 1, log);
      seg.offsetIndex.open(false);
      seg.timeIndex.open(false);
    } catch (err) {
      seg.closeQuietly();
      throw err;
    }
    return seg;
  }

  /**
   * Opens a segment that is not the last one but lies past the recovery point after an unclean
   * shutdown: it is recovered like the active one (its batches must also end before
   * `nextBaseOffset`), then sealed. `truncated` says whether anything was cut, in which case
   * the segments after it hold data that no longer follows on and must go.
   */
  static openRecovered(dir: string, baseOffset: number, nextBaseOffset: number, indexIntervalBytes: number, now: number, log: LogFn): { segment: LogSegment; truncated: boolean } {
    const seg = new LogSegment(dir, baseOffset, indexIntervalBytes, now, 'r+');
    try {
      seg.size = fstatSync(seg.fd).size;
      // Sealed before the crash, so its indexes were complete: say so if they no longer are.
      const limit = nextBaseOffset - baseOffset;
      const damaged = seg.offsetIndex.load(seg.size, limit) ?? seg.timeIndex.load(limit) ?? seg.checkLastIndexEntry();
      const truncated = seg.recover(limit, log);
      if (damaged !== null) log(`Rebuilding the indexes of segment ${seg.logPath}: ${damaged}`);
      if (!truncated) seg.nextOffset = nextBaseOffset;
      seg.timeIndex.maybeAppend(seg.maxTimestamp, seg.offsetOfMaxTimestamp - baseOffset);
      seg.timeIndex.writeAll();
      seg.sealed = true;
      return { segment: seg, truncated };
    } catch (err) {
      seg.closeQuietly();
      throw err;
    }
  }

  /**
   * Checks every batch from the start (size, magic, CRC-32C, offsets increasing and below
   * base + `relativeLimit`), cuts the file at the first one that fails (where a crash tore the
   * last write), and rebuilds both indexes from what remains. Returns whether bytes were cut.
   */
  private recover(relativeLimit: number, log: LogFn): boolean {
    this.resetForRecovery();
    const fileSize = this.size;
    const baseOffset = this.baseOffset;
    let expected = baseOffset;
    let invalid: string | null = null;
    const res = this.scan(0, true, (buf, at, position, size) => {
      const err = checkBatchIntegrity(buf, at, at + size);
      if (err) {
        invalid = err.message;
        return false;
      }
      const first = readInt64Number(buf, at + BatchField.baseOffset);
      const last = lastOffsetAt(buf, at);
      if (first < expected || last < first || last - baseOffset >= relativeLimit) {
        invalid = `batch offsets ${first}..${last} do not follow ${expected - 1}`;
        return false;
      }
      this.track(position, size, last, readInt64Number(buf, at + BatchField.maxTimestamp));
      expected = last + 1;
      return true;
    });
    const why = res.problem ?? invalid;
    if (why !== null) {
      log(`Truncating ${this.logPath} from ${fileSize} to ${res.position} bytes (cut ${fileSize - res.position}): ${why}`);
      ftruncateSync(this.fd, res.position);
    }
    this.size = res.position;
    this.offsetIndex.writeAll();
    this.timeIndex.writeAll();
    return why !== null;
  }

  /**
   * The clean-shutdown path for the last segment: loads and checks both indexes, then walks the
   * batch headers after the last offset-index entry (about one index interval) to find the end of
   * the data, replaying the index rule on the way (which adds any entry a changed
   * index.interval.bytes calls for), and checks the CRC of the last batch. Returns why the segment
   * cannot be trusted, or null when it is ready for appends.
   */
  private loadTrustedTail(): string | null {
    const limit = MAX_RELATIVE + 1;
    const fileSize = this.size;
    const problem = this.offsetIndex.load(fileSize, limit) ?? this.timeIndex.load(limit) ?? this.checkLastIndexEntry();
    if (problem !== null) return `its index is unusable (${problem})`;
    const indexEntries = this.offsetIndex.entries;
    const timeEntries = this.timeIndex.entries;
    const from = indexEntries > 0 ? this.offsetIndex.positionAt(indexEntries - 1) : 0;
    const base = this.baseOffset;
    this.maxTimestamp = this.timeIndex.lastTimestamp;
    this.offsetOfMaxTimestamp = timeEntries > 0 ? base + this.timeIndex.lastRelativeOffset : -1;
    this.size = 0;
    let expected = base;
    let lastPosition = -1;
    let invalid: string | null = null;
    const res = this.scan(from, false, (buf, at, position, size) => {
      const first = readInt64Number(buf, at + BatchField.baseOffset);
      const last = lastOffsetAt(buf, at);
      if (first < expected || last < first || last - base > MAX_RELATIVE) {
        invalid = `batch offsets ${first}..${last} at position ${position} do not follow ${expected - 1}`;
        return false;
      }
      this.track(position, size, last, readInt64Number(buf, at + BatchField.maxTimestamp));
      expected = last + 1;
      lastPosition = position;
      return true;
    }, fileSize);
    if (res.problem !== null) return `${res.problem} at position ${res.position}`;
    if (invalid !== null) return invalid;
    if (lastPosition >= 0) {
      const bytes = this.read(lastPosition, this.size - lastPosition);
      const err = checkBatchIntegrity(bytes, 0, bytes.length);
      if (err) return `its last batch is damaged (${err.message})`;
    }
    if (this.size !== fileSize) return `the data ends at ${this.size} of ${fileSize} bytes`;
    if (fileSize > 0 && from > 0) {
      this.firstBatchTimestamp = readInt64Number(this.read(0, BATCH_HEADER_SIZE), BatchField.maxTimestamp);
    }
    if (this.offsetIndex.entries !== indexEntries || this.timeIndex.entries !== timeEntries) {
      this.offsetIndex.writeAll();
      this.timeIndex.writeAll();
      this.repairedIndexEntries = this.offsetIndex.entries - indexEntries + this.timeIndex.entries - timeEntries;
    }
    return null;
  }

  /** Forgets what a failed trusted load gathered, so recovery starts from nothing. */
  private resetForRecovery(): void {
    this.size = fstatSync(this.fd).size;
    this.offsetIndex.clear();
    this.timeIndex.clear();
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1;
    this.offsetOfMaxTimestamp = -1;
    this.firstBatchTimestamp = null;
    this.bytesSinceLastIndexEntry = 0;
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
   * Visits the batches in file positions [from, end) (see BatchVisitor). With `whole` the visitor
   * gets each complete batch in its buffer; otherwise only the 61-byte header is guaranteed to be
   * there.
   */
  scan(from: number, whole: boolean, visit: BatchVisitor, end = this.size): ScanResult {
    let chunk = whole ? Buffer.allocUnsafe(Math.min(RECOVERY_CHUNK, Math.max(end - from, 0))) : scanScratch;
    let chunkPos = 0;
    let chunkLen = 0;
    let pos = from;
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

  /**
   * fsyncs the .log file on the thread pool (a rolled segment, so the event loop does not wait
   * for the disk) and reports whether the data is now durable. Call only on a sealed segment:
   * nothing may append while the fsync runs.
   */
  flushInBackground(done: (durable: boolean) => void): void {
    if (!this.dirty || this.closed) {
      done(!this.dirty);
      return;
    }
    fsync(this.fd, (err) => {
      if (err || this.closed) {
        done(false);
        return;
      }
      this.dirty = false;
      done(true);
    });
  }

  /** Modification time of the .log file, in epoch milliseconds. */
  get lastModified(): number {
    return Math.floor(fstatSync(this.fd).mtimeMs);
  }

  /** What time-based retention goes by: the largest record timestamp, else the file's mtime. */
  get largestTimestamp(): number {
    return this.maxTimestamp >= 0 ? this.maxTimestamp : this.lastModified;
  }

  /** Kafka's rendering of a segment in its log lines. */
  describe(): string {
    return `LogSegment(baseOffset=${this.baseOffset}, size=${this.size}, lastModifiedTime=${this.lastModified}, largestRecordTimestamp=${this.maxTimestamp})`;
  }

  /** Records the final time-index entry of the active segment, fsyncs (when `flush`) and closes every file. */
  close(flush = true): void {
    if (this.closed) return;
    if (!this.sealed && this.size > 0) this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
    if (flush) this.flush();
    this.closed = true;
    this.offsetIndex.close();
    this.timeIndex.close();
    closeSync(this.fd);
  }

  private closeQuietly(): void {
    try {
      this.close(false);
    } catch {
      // Reporting the failure that got us here matters more.
    }
  }

  /**
   * Closes the segment without flushing and renames its files to `<name>.deleted`, which Kafka's
   * tools and a restarted broker both recognise as on their way out. Returns the new paths.
   */
  markDeleted(): string[] {
    this.close(false);
    const renamed: string[] = [];
    for (const path of [this.logPath, this.offsetIndex.path, this.timeIndex.path]) {
      if (!existsSync(path)) continue;
      renameSync(path, path + DELETED_SUFFIX);
      renamed.push(path + DELETED_SUFFIX);
    }
    return renamed;
  }
}
