// A partition's log in Kafka's on-disk format: a directory of segments
// (`<20-digit base offset>.log` + `.index` + `.timeindex`), the last of which takes appends.
// The broker calls this on its hot path, so:
// - append() checks one producer batch (sizes, CRC-32C, counts) without decoding its records,
//   stamps baseOffset (and LogAppendTime) in place, and writes it with one synchronous positional
//   write to the page cache. Acknowledging after that is what Kafka does; fsync follows the
//   flush.messages / flush.ms policy or an explicit flush().
// - read() finds the batch holding an offset through the in-memory offset index plus a short
//   header scan, then returns the file's bytes for whole batches with one read per segment.
// All I/O is synchronous, which keeps ordering trivial on the broker's single event loop:
// call every method from that loop only, never concurrently.
//
// Offsets and timestamps are kept as JS numbers inside (exact below 2^53, i.e. centuries of
// appends at millions per second) and exposed as bigint, as the protocol types them.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import {
  Attribute,
  BATCH_HEADER_SIZE,
  BatchField,
  batchSizeAt,
  readInt64Number,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  validateBatch,
} from '../protocol/records/batch.js';
import { decodeBatchSync } from '../protocol/records/records.js';
import { StorageError, StorageErrorCode } from './errors.js';
import { LOG_SUFFIX, parseSegmentFileName } from './file-names.js';
import { OFFSET_INDEX_ENTRY_SIZE } from './offset-index.js';
import { LogSegment, type BatchLocation, type LogFn } from './segment.js';
import { TIME_INDEX_ENTRY_SIZE } from './time-index.js';

export { StorageError, StorageErrorCode } from './errors.js';

export interface LogConfig {
  /** segment.bytes: roll before a segment would grow past this. */
  segmentBytes: number;
  /** segment.ms: roll once the active segment's first batch is older than this. */
  segmentMs: number;
  /** index.interval.bytes: bytes appended between offset-index entries. */
  indexIntervalBytes: number;
  /** segment.index.bytes: roll when an index would exceed this. */
  segmentIndexBytes: number;
  /** max.message.bytes: a larger batch is refused with MESSAGE_TOO_LARGE. */
  maxMessageBytes: number;
  messageTimestampType: 'CreateTime' | 'LogAppendTime';
  /** flush.messages: fsync after this many messages (unset = leave it to the OS). */
  flushMessages?: number;
  /** flush.ms: fsync when an append finds the last fsync older than this. */
  flushMs?: number;
}

export const DEFAULT_LOG_CONFIG: LogConfig = Object.freeze({
  segmentBytes: 1073741824,
  segmentMs: 604800000,
  indexIntervalBytes: 4096,
  segmentIndexBytes: 10485760,
  maxMessageBytes: 1048588,
  messageTimestampType: 'CreateTime',
});

export interface AppendInfo {
  baseOffset: bigint;
  lastOffset: bigint;
  /** The stamped append time, or -1n for CreateTime topics. */
  logAppendTime: bigint;
  logStartOffset: bigint;
  recordCount: number;
}

export interface AppendOptions {
  /** Leader epoch to stamp into the batch (left as the producer sent it when absent). */
  partitionLeaderEpoch?: number;
  /** Control batches (transaction markers) are refused unless the broker itself writes them. */
  allowControl?: boolean;
}

const EMPTY = Buffer.alloc(0);
const MAX_POSITION = 0x7fffffff;

interface ReadHint {
  offset: number;
  segment: LogSegment;
  position: number;
}

export class PartitionLog {
  private readonly segments: LogSegment[];
  private readonly config: LogConfig;
  private readonly maxIndexEntries: number;
  private readonly maxTimeIndexEntries: number;
  private totalSize = 0;
  private unflushedMessages = 0;
  private lastFlush: number;
  /** Sealed segments whose data has not been fsynced yet (flush() covers them too). */
  private unflushedSealed: LogSegment[] = [];
  /** Where the previous read ended: a consumer's next fetch usually starts exactly there. */
  private readHint: ReadHint | null = null;
  private closed = false;

  private constructor(
    readonly dir: string,
    config: LogConfig,
    segments: LogSegment[],
    private readonly log: LogFn,
    now: number,
  ) {
    this.config = { ...config, segmentBytes: Math.min(config.segmentBytes, MAX_POSITION) };
    this.segments = segments;
    this.maxIndexEntries = Math.max(1, Math.floor(config.segmentIndexBytes / OFFSET_INDEX_ENTRY_SIZE));
    this.maxTimeIndexEntries = Math.max(1, Math.floor(config.segmentIndexBytes / TIME_INDEX_ENTRY_SIZE));
    for (const s of segments) this.totalSize += s.size;
    this.lastFlush = now;
  }

  /**
   * Opens or creates the partition directory. Existing segments are opened in offset order;
   * missing or damaged indexes are rebuilt, and the last segment is checked batch by batch
   * (size, CRC) and cut at the first torn or corrupt batch. What was cut or rebuilt is reported
   * through `log`.
   */
  static open(dir: string, config: LogConfig, log: LogFn = () => {}): PartitionLog {
    mkdirSync(dir, { recursive: true });
    const now = Date.now();
    const bases: number[] = [];
    for (const name of readdirSync(dir)) {
      const parsed = parseSegmentFileName(name);
      if (parsed && parsed.suffix === LOG_SUFFIX) bases.push(Number(parsed.baseOffset));
    }
    bases.sort((a, b) => a - b);
    const segments: LogSegment[] = [];
    const interval = config.indexIntervalBytes;
    try {
      if (bases.length === 0) {
        segments.push(LogSegment.create(dir, 0, interval, now));
      } else {
        for (let i = 0; i < bases.length - 1; i++) {
          segments.push(LogSegment.openSealed(dir, bases[i]!, bases[i + 1]!, interval, now, log));
        }
        segments.push(LogSegment.openActive(dir, bases[bases.length - 1]!, interval, now, log));
      }
    } catch (err) {
      for (const s of segments) s.close();
      throw err;
    }
    return new PartitionLog(dir, config, segments, log, now);
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  get logStartOffset(): bigint {
    return BigInt(this.segments[0]!.baseOffset);
  }

  /** The next offset to be assigned. */
  get logEndOffset(): bigint {
    return BigInt(this.active.nextOffset);
  }

  get sizeInBytes(): number {
    return this.totalSize;
  }

  /** Base offsets of the segments, oldest first (for tools and tests). */
  get segmentBaseOffsets(): bigint[] {
    return this.segments.map((s) => BigInt(s.baseOffset));
  }

  private ensureOpen(): void {
    if (this.closed) throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `log ${this.dir} is closed`);
  }

  /**
   * Appends one producer record set, which must be exactly one magic-2 batch. Validates it,
   * assigns offsets from logEndOffset in place, stamps LogAppendTime when the topic uses it, rolls
   * the segment if needed and writes the batch to the page cache. Throws StorageError.
   */
  append(records: Buffer, now: number = Date.now(), options?: AppendOptions): AppendInfo {
    this.ensureOpen();
    const len = records.length;
    if (len > this.config.maxMessageBytes) {
      throw new StorageError(
        StorageErrorCode.MESSAGE_TOO_LARGE,
        `The record batch is ${len} bytes, larger than the maximum allowed (max.message.bytes = ${this.config.maxMessageBytes})`,
      );
    }
    const invalid = validateBatch(records, 0, len);
    if (invalid) throw new StorageError(invalid.errorCode, invalid.message);
    if (batchSizeAt(records, 0) !== len) {
      throw new StorageError(StorageErrorCode.INVALID_RECORD, 'A produce request must carry exactly one record batch per partition');
    }
    if (len > this.config.segmentBytes) {
      throw new StorageError(StorageErrorCode.RECORD_LIST_TOO_LARGE, `The record batch is ${len} bytes, larger than the segment size ${this.config.segmentBytes}`);
    }
    const attributes = records.readInt16BE(BatchField.attributes);
    if (attributes & Attribute.control && !options?.allowControl) {
      throw new StorageError(StorageErrorCode.INVALID_RECORD, 'Clients are not allowed to write control records');
    }
    const count = records.readInt32BE(BatchField.recordsCount);
    const baseOffset = this.active.nextOffset;
    const lastOffset = baseOffset + count - 1;

    setBaseOffset(records, 0, baseOffset);
    if (options?.partitionLeaderEpoch !== undefined) setPartitionLeaderEpoch(records, 0, options.partitionLeaderEpoch);
    const logAppendTime = this.config.messageTimestampType === 'LogAppendTime';
    let maxTimestamp: number;
    if (logAppendTime) {
      setLogAppendTime(records, 0, now);
      maxTimestamp = now;
    } else {
      maxTimestamp = readInt64Number(records, BatchField.maxTimestamp);
    }

    const segment = this.maybeRoll(len, maxTimestamp, lastOffset, now);
    try {
      segment.append(records, lastOffset, maxTimestamp);
    } catch (err) {
      throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `Failed to append to ${segment.logPath}: ${(err as Error).message}`);
    }
    this.totalSize += len;
    this.unflushedMessages += count;
    this.maybeFlush(now);
    return {
      baseOffset: BigInt(baseOffset),
      lastOffset: BigInt(lastOffset),
      logAppendTime: logAppendTime ? BigInt(now) : -1n,
      logStartOffset: BigInt(this.segments[0]!.baseOffset),
      recordCount: count,
    };
  }

  /** The active segment, after rolling to a new one if this batch must not go into the current. */
  private maybeRoll(size: number, maxTimestamp: number, lastOffset: number, now: number): LogSegment {
    const seg = this.active;
    if (seg.size === 0) return seg;
    const first = seg.firstBatchTimestamp;
    const age = first !== null && first >= 0 ? maxTimestamp - first : now - seg.created;
    const why =
      seg.size + size > this.config.segmentBytes
        ? 'segment size'
        : age > this.config.segmentMs
          ? 'segment age'
          : seg.offsetIndex.entries >= this.maxIndexEntries || seg.timeIndex.entries >= this.maxTimeIndexEntries
            ? 'index full'
            : lastOffset - seg.baseOffset > MAX_POSITION
              ? 'relative offset overflow'
              : null;
    if (why === null) return seg;
    if (this.config.flushMessages !== undefined || this.config.flushMs !== undefined) seg.flush();
    seg.seal();
    if (seg.dirty) this.unflushedSealed.push(seg);
    const next = LogSegment.create(this.dir, seg.nextOffset, this.config.indexIntervalBytes, now);
    this.segments.push(next);
    return next;
  }

  private maybeFlush(now: number): void {
    const { flushMessages, flushMs } = this.config;
    if ((flushMessages !== undefined && this.unflushedMessages >= flushMessages) || (flushMs !== undefined && now - this.lastFlush >= flushMs)) {
      this.flush(now);
    }
  }

  /** fsyncs the active segment (and any segment rolled since the last flush). */
  flush(now: number = Date.now()): void {
    this.ensureOpen();
    for (const s of this.unflushedSealed) s.flush();
    this.unflushedSealed = [];
    this.active.flush();
    this.unflushedMessages = 0;
    this.lastFlush = now;
  }

  /** Index of the segment holding `offset` (the last one whose base offset is <= it). */
  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private outOfRange(offset: bigint): StorageError {
    return new StorageError(
      StorageErrorCode.OFFSET_OUT_OF_RANGE,
      `Offset ${offset} is out of range for ${this.dir}: the log holds [${this.logStartOffset}, ${this.logEndOffset})`,
    );
  }

  /**
   * Whole batches starting with the one that holds `fetchOffset`, as stored, up to `maxBytes`
   * in total. When the first batch alone is larger: with `minOneMessage` it is returned whole,
   * otherwise nothing is. `fetchOffset == logEndOffset` gives an empty buffer; outside
   * [logStartOffset, logEndOffset] throws OFFSET_OUT_OF_RANGE.
   */
  read(fetchOffset: bigint, maxBytes: number, minOneMessage = false): Buffer<ArrayBuffer> {
    this.ensureOpen();
    const end = this.active.nextOffset;
    if (fetchOffset < BigInt(this.segments[0]!.baseOffset) || fetchOffset > BigInt(end)) throw this.outOfRange(fetchOffset);
    const offset = Number(fetchOffset);
    if (offset === end) return EMPTY;

    let index = -1;
    let first: BatchLocation | null = null;
    const hint = this.readHint;
    if (hint !== null && hint.offset === offset && hint.position < hint.segment.size) {
      index = this.segments.indexOf(hint.segment);
      if (index >= 0) first = hint.segment.findBatchFrom(hint.position, offset);
    }
    if (first === null) {
      // A segment can end before the next one starts (offsets compacted away): move on.
      for (index = this.segmentIndexFor(offset); index < this.segments.length; index++) {
        first = this.segments[index]!.findBatch(offset);
        if (first !== null) break;
      }
      if (first === null) return EMPTY;
    }

    if (first.size > maxBytes && !minOneMessage) return EMPTY;
    const parts: Array<Buffer<ArrayBuffer>> = [];
    let total = 0;
    let budget = Math.max(maxBytes, first.size > maxBytes ? first.size : 0);
    let seg = this.segments[index]!;
    let position = first.position;
    let lastEnd: { segment: LogSegment; position: number; next: number } | null = null;
    for (;;) {
      const want = Math.min(seg.size - position, budget);
      if (want > 0) {
        const chunk = seg.read(position, want);
        // Keep whole batches only; the walk is over bytes already in memory.
        let at = 0;
        let nextOffset = -1;
        while (chunk.length - at >= BATCH_HEADER_SIZE) {
          const size = batchSizeAt(chunk, at);
          if (size <= 0 || at + size > chunk.length) break;
          nextOffset = readInt64Number(chunk, at) + chunk.readInt32BE(at + BatchField.lastOffsetDelta) + 1;
          at += size;
        }
        if (at > 0) {
          parts.push(at === chunk.length ? chunk : chunk.subarray(0, at));
          total += at;
          budget -= at;
          lastEnd = { segment: seg, position: position + at, next: nextOffset };
        }
        if (at < want || position + at < seg.size) break;
      }
      if (budget <= 0 || index + 1 >= this.segments.length) break;
      seg = this.segments[++index]!;
      position = 0;
    }
    if (lastEnd !== null) this.readHint = { offset: lastEnd.next, segment: lastEnd.segment, position: lastEnd.position };
    if (parts.length === 0) return EMPTY;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
  }

  /**
   * ListOffsets by timestamp: the first record (in offset order) whose timestamp is >= `ts`, or
   * null. The time index narrows the scan to part of one segment; the matching batch's records are
   * decoded to find the exact record. zstd batches cannot be decoded synchronously, so for them the
   * batch's first offset and max timestamp are returned.
   */
  offsetForTimestamp(ts: bigint): { offset: bigint; timestamp: bigint } | null {
    this.ensureOpen();
    const target = Number(ts);
    for (const seg of this.segments) {
      if (seg.size === 0 || seg.maxTimestamp < target) continue;
      const rel = seg.timeIndex.lookup(target);
      const from = rel < 0 ? 0 : seg.offsetIndex.lookup(rel);
      let match: BatchLocation | null = null;
      seg.scan(from, false, (buf, at, position, size) => {
        const maxTs = readInt64Number(buf, at + BatchField.maxTimestamp);
        if (maxTs < target) return true;
        const base = readInt64Number(buf, at + BatchField.baseOffset);
        match = {
          position,
          size,
          baseOffset: base,
          lastOffset: base + buf.readInt32BE(at + BatchField.lastOffsetDelta),
          maxTimestamp: maxTs,
          attributes: buf.readInt16BE(at + BatchField.attributes),
        };
        return false;
      });
      if (match !== null) return this.firstRecordAtOrAfter(seg, match, target);
    }
    return null;
  }

  /** The first record of a batch with timestamp >= target (the batch's maxTimestamp is). */
  private firstRecordAtOrAfter(seg: LogSegment, loc: BatchLocation, target: number): { offset: bigint; timestamp: bigint } {
    const fallback = { offset: BigInt(loc.baseOffset), timestamp: BigInt(loc.maxTimestamp) };
    // With LogAppendTime every record carries maxTimestamp; control batches hold one record.
    if (loc.attributes & (Attribute.logAppendTime | Attribute.control) || (loc.attributes & Attribute.codecMask) === 4) return fallback;
    try {
      const bytes = seg.read(loc.position, loc.size);
      for (const r of decodeBatchSync(bytes, 0, bytes.length, false).records) {
        if (r.timestamp >= target) return { offset: r.offset, timestamp: r.timestamp };
      }
    } catch {
      // A batch that passed recovery but does not decode: answer at batch granularity.
    }
    return fallback;
  }

  /** The largest timestamp in the log and the offset of the first record carrying it, or null when empty. */
  maxTimestamp(): { offset: bigint; timestamp: bigint } | null {
    this.ensureOpen();
    let best: LogSegment | null = null;
    for (const seg of this.segments) {
      if (seg.size > 0 && (best === null || seg.maxTimestamp > best.maxTimestamp)) best = seg;
    }
    if (best === null) return null;
    if (best.offsetOfMaxTimestamp < 0) {
      const last = this.active.nextOffset - 1;
      return { offset: BigInt(last), timestamp: BigInt(best.maxTimestamp) };
    }
    const loc = best.findBatch(best.offsetOfMaxTimestamp);
    if (loc === null) return { offset: BigInt(best.offsetOfMaxTimestamp), timestamp: BigInt(best.maxTimestamp) };
    return this.firstRecordAtOrAfter(best, loc, best.maxTimestamp);
  }

  /** Flushes, records final time-index entries and closes every file. The object is unusable after. */
  close(): void {
    if (this.closed) return;
    for (const s of this.unflushedSealed) s.flush();
    this.unflushedSealed = [];
    this.closed = true;
    let failure: unknown;
    for (const s of this.segments) {
      try {
        s.close();
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** Closes the log and removes its directory with everything in it. */
  delete(): void {
    this.close();
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
