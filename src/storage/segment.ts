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
// - Descriptors are held only while the segment is in use (descriptor-cache.ts): every file
//   operation goes through handle(), which reopens what the cache closed, and never keeps a raw
//   descriptor across a call that could make the cache close it. A failed write is cut back
//   before the error goes up; if even that fails the segment is `torn` and must not be appended
//   to again (its log goes offline until a restart recovers it).
//
// Opening an existing segment takes one of three paths, decided by the partition log:
// - openSealed: a segment below the recovery point, or any older segment after a clean shutdown.
//   Its bytes are trusted; its indexes are sanity-checked and rebuilt if damaged.
// - openActive with `trusted`: the last segment after a clean shutdown. Indexes are loaded as for a
//   sealed segment, then only the batches after the last index entry are walked (headers only)
//   to find the end, and the last batch's CRC is checked. Anything odd falls back to recovery.
// - openActive / openRecovered without trust: every batch is checked (size, magic, CRC-32C,
//   increasing offsets) and the file is cut at the first one that fails; indexes are rebuilt.
import { existsSync, fstatSync, futimesSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_HEADER_SIZE, BatchField, CURRENT_MAGIC, batchSizeAt, checkBatchIntegrity, readInt64Number } from '../protocol/records/batch.js';
import { segmentDescriptors, type DescriptorHolder } from './descriptor-cache.js';
import { closeFile, fsyncFile, fsyncFileAsync, openFile, readFully, truncateFile, writeFully } from './file-io.js';
import { indexFileName, logFileName, timeIndexFileName } from './file-names.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

/** Where the log reports what it did: repairs and anything lost are 'warn' (the default), routine work 'info'. */
export type LogFn = (msg: string, level?: 'info' | 'warn') => void;

/** Suffix Kafka gives segment files scheduled for removal (`00000000000000000000.log.deleted`). */
export const DELETED_SUFFIX = '.deleted';
/** A segment the log cleaner is still writing; any left at start-up are an aborted cleaning. */
export const CLEANED_SUFFIX = '.cleaned';
/** A finished cleaned segment whose swap in for the old ones has begun; start-up completes it. */
export const SWAP_SUFFIX = '.swap';

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

export class LogSegment implements DescriptorHolder {
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  /** The .log file; it carries `suffix` while the segment is a cleaner's output. */
  logPath: string;
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
  /** The .log descriptor; null while the descriptor cache has it closed. */
  private fd: number | null;
  private sealed = false;
  private closed = false;
  /** Operations relying on the current descriptors (a background fsync, a scan). */
  private pins = 0;
  /** A failed write could not be cut back: bytes past `size` may be a partial batch. */
  torn = false;
  /** Index entries a trusted open had to add (the files lacked them). */
  private repairedIndexEntries = 0;

  private constructor(
    dir: string,
    readonly baseOffset: number,
    private readonly indexIntervalBytes: number,
    readonly created: number,
    flags: string,
    private suffix = '',
  ) {
    this.logPath = join(dir, logFileName(baseOffset) + suffix);
    this.offsetIndex = new OffsetIndex(join(dir, indexFileName(baseOffset) + suffix));
    this.timeIndex = new TimeIndex(join(dir, timeIndexFileName(baseOffset) + suffix));
    this.nextOffset = baseOffset;
    this.fd = openFile(this.logPath, flags);
    segmentDescriptors.use(this, 1);
  }

  get pinned(): boolean {
    return this.pins > 0;
  }

  /** Descriptors held now: the .log, plus both indexes while they are open. */
  private get descriptorCount(): number {
    return (this.fd !== null ? 1 : 0) + (this.offsetIndex.isOpen ? 1 : 0) + (this.timeIndex.isOpen ? 1 : 0);
  }

  /**
   * The .log descriptor, reopening the files the descriptor cache closed (the indexes too while
   * the segment takes appends), and marking the segment used. Take it right before each system
   * call: anything that opens another segment's files may close this one's.
   */
  private handle(): number {
    if (this.closed) throw new Error(`segment ${this.logPath} is closed`);
    if (this.fd === null) {
      this.fd = openFile(this.logPath, this.sealed ? 'r' : 'r+');
      if (!this.sealed) {
        try {
          this.offsetIndex.open(false);
          this.timeIndex.open(false);
        } catch (err) {
          this.releaseDescriptors();
          throw err;
        }
      }
    }
    segmentDescriptors.use(this, this.descriptorCount);
    return this.fd;
  }

  /** Called by the descriptor cache: closes the files; the next use reopens them. */
  releaseDescriptors(): void {
    this.offsetIndex.close();
    this.timeIndex.close();
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      try {
        closeFile(fd);
      } catch {
        // Nothing was pending on it: writes are synchronous and fsyncs pin the segment.
      }
    }
  }

  /** A new, empty active segment (any stale files with its name are truncated). */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number, now: number): LogSegment {
    return LogSegment.createFiles(dir, baseOffset, indexIntervalBytes, now);
  }

  /** The log cleaner's output segment: files named `<base>.log.cleaned` etc., written like an active segment. */
  static createCleaned(dir: string, baseOffset: number, indexIntervalBytes: number, now: number): LogSegment {
    return LogSegment.createFiles(dir, baseOffset, indexIntervalBytes, now, CLEANED_SUFFIX);
  }

  private static createFiles(dir: string, baseOffset: number, indexIntervalBytes: number, now: number, suffix = ''): LogSegment {
    const seg = new LogSegment(dir, baseOffset, indexIntervalBytes, now, 'w+', suffix);
    try {
      seg.offsetIndex.open(true);
      seg.timeIndex.open(true);
    } catch (err) {
      seg.closeQuietly();
      throw err;
    }
    seg.handle();
    return seg;
  }

  /**
   * Ends a cleaner's output segment: records the final time-index entry, makes every file durable,
   * closes the indexes and seals it. `nextOffset` is where the segments it replaces ended, and
   * `lastModified` their modification time (which time-based retention may go by).
   */
  finishCleaned(nextOffset: number, lastModified: number): void {
    this.handle();
    this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
    fsyncFile(this.handle());
    this.offsetIndex.flush();
    this.timeIndex.flush();
    this.offsetIndex.close();
    this.timeIndex.close();
    this.sealed = true;
    segmentDescriptors.use(this, this.descriptorCount);
    this.dirty = false;
    this.nextOffset = Math.max(nextOffset, this.nextOffset);
    const seconds = lastModified / 1000;
    futimesSync(this.handle(), seconds, seconds);
  }

  /**
   * Renames the segment's files from their current suffix to `suffix` ('' = the plain segment
   * names): the indexes first, the .log last, so that the .log's name alone tells which state a
   * crash left the segment in. Open descriptors follow the rename.
   */
  changeSuffix(suffix: string): void {
    const rename = (path: string): string => {
      const target = path.slice(0, path.length - this.suffix.length) + suffix;
      if (existsSync(path)) renameSync(path, target);
      return target;
    };
    this.offsetIndex.path = rename(this.offsetIndex.path);
    this.timeIndex.path = rename(this.timeIndex.path);
    this.logPath = rename(this.logPath);
    this.suffix = suffix;
  }

  /** Closes the segment and unlinks its files (an aborted cleaner output). */
  deleteFiles(): void {
    this.closeQuietly();
    for (const path of [this.offsetIndex.path, this.timeIndex.path, this.logPath]) rmSync(path, { force: true });
  }

  /**
   * Opens a segment that is not the last one and whose bytes are trusted: it lies below the
   * recovery point (fsynced before any crash) or the log dir was shut down cleanly. Its indexes
   * are loaded and checked, and rebuilt from the .log when missing or damaged.
   */
  static openSealed(dir: string, baseOffset: number, nextBaseOffset: number, indexIntervalBytes: number, now: number, log: LogFn): LogSegment {
    const seg = new LogSegment(dir, baseOffset, indexIntervalBytes, now, 'r');
    seg.sealed = true;
    try {
      seg.size = fstatSync(seg.handle()).size;
    } catch (err) {
      seg.closeQuietly();
      throw err;
    }
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
      seg.size = fstatSync(seg.handle()).size;
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
      seg.handle();
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
      seg.size = fstatSync(seg.handle()).size;
      // Sealed before the crash, so its indexes were complete: say so if they no longer are.
      const limit = nextBaseOffset - baseOffset;
      const damaged = seg.offsetIndex.load(seg.size, limit) ?? seg.timeIndex.load(limit) ?? seg.checkLastIndexEntry();
      const truncated = seg.recover(limit, log);
      if (damaged !== null) log(`Rebuilding the indexes of segment ${seg.logPath}: ${damaged}`);
      if (!truncated) seg.nextOffset = nextBaseOffset;
      seg.timeIndex.maybeAppend(seg.maxTimestamp, seg.offsetOfMaxTimestamp - baseOffset);
      seg.timeIndex.writeAll();
      // Sealed from here on: its descriptor is reopened read-only after the cache closes it.
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
      truncateFile(this.handle(), res.position);
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
    this.size = fstatSync(this.handle()).size;
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
    if (readFully(this.handle(), header, 0, BATCH_HEADER_SIZE, position) < BATCH_HEADER_SIZE) return 'last entry points past the data';
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
    if (this.torn) throw new Error(`segment ${this.logPath} may end in a partial batch after a failed write`);
    const position = this.size;
    const fd = this.handle();
    try {
      writeFully(fd, batch, 0, batch.length, position);
    } catch (err) {
      this.cutBack(fd, position);
      throw err;
    }
    this.track(position, batch.length, lastOffset, maxTimestamp);
    this.dirty = true;
  }

  /**
   * Removes what a failed write may have left past `position` (part of a batch), so that no later
   * append follows a torn batch. When even that fails the segment is marked torn.
   */
  private cutBack(fd: number, position: number): void {
    try {
      truncateFile(fd, position);
    } catch {
      this.torn = true;
    }
  }


  /**
   * Visits the batches in file positions [from, end) (see BatchVisitor). With `whole` the visitor
   * gets each complete batch in its buffer; otherwise only the 61-byte header is guaranteed to be
   * there.
   */
  scan(from: number, whole: boolean, visit: BatchVisitor, end = this.size): ScanResult {
    this.handle();
    this.pins++;
    try {
      return this.scanPinned(from, whole, visit, end);
    } finally {
      this.pins--;
      if (this.closed && this.pins === 0) this.releaseDescriptors();
    }
  }

  private scanPinned(from: number, whole: boolean, visit: BatchVisitor, end: number): ScanResult {
    let chunk = whole ? Buffer.allocUnsafe(Math.min(RECOVERY_CHUNK, Math.max(end - from, 0))) : scanScratch;
    let chunkPos = 0;
    let chunkLen = 0;
    let pos = from;
    while (pos < end) {
      const left = end - pos;
      if (left < BATCH_HEADER_SIZE) return { position: pos, problem: `${left} trailing bytes cannot hold a batch header`, stopped: false };
      if (pos < chunkPos || pos + BATCH_HEADER_SIZE > chunkPos + chunkLen) {
        if (chunk.length < BATCH_HEADER_SIZE) chunk = Buffer.allocUnsafe(SCAN_CHUNK);
        chunkLen = readFully(this.handle(), chunk, 0, Math.min(chunk.length, left), pos);
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
          if (readFully(this.handle(), buf, 0, size, pos) < size) return { position: pos, problem: 'file is shorter than expected', stopped: false };
        } else {
          chunkLen = readFully(this.handle(), chunk, 0, Math.min(chunk.length, left), pos);
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
    const n = this.readInto(position, length, buf, 0);
    return n === length ? buf : buf.subarray(0, n);
  }

  /** Reads file bytes [position, position + length) into `target` at `at`; returns the count (less only at EOF). */
  readInto(position: number, length: number, target: Uint8Array, at: number): number {
    return readFully(this.handle(), target, at, length, position);
  }

  /** The segment stops being the active one: record its final time-index entry, close indexes. */
  seal(): void {
    if (this.sealed) return;
    this.handle();
    this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
    this.offsetIndex.close();
    this.timeIndex.close();
    this.sealed = true;
    segmentDescriptors.use(this, this.descriptorCount);
  }

  /** Writes index entries still held only in memory, if the index files are open (else close() wrote them). */
  writeIndexEntries(): void {
    if (this.sealed || this.closed) return;
    this.offsetIndex.writePending();
    this.timeIndex.writePending();
  }

  get isSealed(): boolean {
    return this.sealed;
  }

  /** fsyncs the .log (an error is the caller's to handle) and, best effort, the indexes (rebuilt if lost). */
  flush(): void {
    if (!this.dirty) return;
    fsyncFile(this.handle());
    try {
      this.offsetIndex.flush();
      this.timeIndex.flush();
    } catch {
      // Indexes are checked and rebuilt from the .log on open.
    }
    this.dirty = false;
  }

  /**
   * fsyncs the .log file on the thread pool (a rolled segment, so the event loop does not wait
   * for the disk) and reports whether the data is now durable. Call only on a sealed segment:
   * nothing may append while the fsync runs.
   */
  flushInBackground(done: (durable: boolean, err?: Error) => void): void {
    if (!this.dirty || this.closed) {
      done(!this.dirty);
      return;
    }
    let fd: number;
    try {
      fd = this.handle();
    } catch (err) {
      done(false, err as Error);
      return;
    }
    this.pins++;
    fsyncFileAsync(fd, (err) => {
      this.pins--;
      if (this.closed) {
        // Closed (deleted, replaced) while the fsync ran: its descriptor waited for it.
        if (this.pins === 0) this.releaseDescriptors();
        done(false);
        return;
      }
      if (err) {
        done(false, err);
        return;
      }
      this.dirty = false;
      done(true);
    });
  }

  /** maxTimestamp of the first batch (max.compaction.lag.ms goes by it), read from the file when not known; -1 when empty. */
  get firstTimestamp(): number {
    if (this.firstBatchTimestamp === null) {
      if (this.size < BATCH_HEADER_SIZE) return -1;
      this.firstBatchTimestamp = readInt64Number(this.read(0, BATCH_HEADER_SIZE), BatchField.maxTimestamp);
    }
    return this.firstBatchTimestamp;
  }

  /** Modification time of the .log file, in epoch milliseconds. */
  get lastModified(): number {
    return Math.floor(fstatSync(this.handle()).mtimeMs);
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
    try {
      if (!this.sealed && this.size > 0) {
        this.handle(); // reopens the indexes the cache may have closed, so the final entry reaches the file
        this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
      }
      if (flush) this.flush();
    } finally {
      this.closed = true;
      segmentDescriptors.forget(this);
      // A background fsync still uses the descriptor: it is closed when that finishes.
      if (this.pins === 0) this.releaseDescriptors();
    }
  }

  /** Closes without flushing, swallowing errors: for clean-up after a failure that is reported instead. */
  closeQuietly(): void {
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
