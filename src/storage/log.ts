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
//
// Start-up cost follows Kafka's rules. After a clean shutdown every segment is trusted and only
// the tail of the last one is checked, so a large log opens in milliseconds. After an unclean one,
// the segments from the one holding the recovery point onwards are checked batch by batch (CRC
// included); the ones below it were fsynced before the crash and are trusted. The recovery point
// advances when data is fsynced: flush(), and a background fsync of each segment as it rolls.
//
// I/O failures: a failed write is cut back to the end of the last whole batch and answered with
// KAFKA_STORAGE_ERROR; the log carries on (a full disk may free up). If the cut-back fails too,
// or an fsync fails (after which the kernel may have dropped the unwritten pages, so what is on
// disk is unknown), the log goes offline: every call answers KAFKA_STORAGE_ERROR until a restart
// recovers it from the files, and close() reports it so that no clean-shutdown marker is
// written. Failed reads answer KAFKA_STORAGE_ERROR and change nothing. Other logs are unaffected.
//
// The log start offset is the first offset a client may read. It is the first segment's base
// offset until DeleteRecords moves it into a segment; retention and DeleteRecords remove whole
// segments below it. Removed segments are renamed `.deleted` at once and their files unlinked
// after file.delete.delay.ms, as Kafka does (leftovers are swept at the next open).
//
// Compacted topics: append() refuses records without a key (checkKeys() first for zstd batches),
// and the log cleaner (cleaner.ts) rewrites sealed segments, swapping its output in through
// replaceSegments(); open() completes or discards a swap a crash interrupted.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
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
import { fsyncDirectory } from './checkpoint.js';
import { StorageError, StorageErrorCode, recordValidationError } from './errors.js';
import { readFully } from './file-io.js';
import { INDEX_SUFFIX, LOG_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX, offsetFileStem, parseSegmentFileName } from './file-names.js';
import { OFFSET_INDEX_ENTRY_SIZE } from './offset-index.js';
import { isZstdBatch, keylessRecords, keylessRecordsSync } from './record-walk.js';
import { CLEANED_SUFFIX, DELETED_SUFFIX, LogSegment, SWAP_SUFFIX, type BatchLocation, type LogFn } from './segment.js';
import { TIME_INDEX_ENTRY_SIZE } from './time-index.js';

export { StorageError, StorageErrorCode, type RecordError } from './errors.js';
export type { LogFn } from './segment.js';

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
  /** cleanup.policy includes `compact`: every record must have a key. */
  compact?: boolean;
}

export const DEFAULT_LOG_CONFIG: LogConfig = Object.freeze({
  segmentBytes: 1073741824,
  segmentMs: 604800000,
  indexIntervalBytes: 4096,
  segmentIndexBytes: 10485760,
  maxMessageBytes: 1048588,
  messageTimestampType: 'CreateTime',
});

/** What the broker knows about a log dir's last run, from its marker and checkpoint files. */
export interface LogOpenOptions {
  /** The log dir holds `.kafka_cleanshutdown`: trust every segment, check only the last batch. */
  cleanShutdown?: boolean;
  /** recovery-point-offset-checkpoint: data below it was fsynced. Absent means 0: check all. */
  recoveryPoint?: bigint;
  /** log-start-offset-checkpoint: where DeleteRecords or retention left the log start. */
  logStartOffset?: bigint;
}

/** Retention settings, resolved by the caller from the topic's and broker's configs at each check. */
export interface RetentionPolicy {
  /** retention.ms; negative = keep forever. */
  retentionMs: number;
  /** retention.bytes; negative = no size limit. */
  retentionBytes: number;
  /** cleanup.policy includes `delete` (a compact-only topic keeps its data). */
  deleteEnabled: boolean;
  /** file.delete.delay.ms: how long `.deleted` files stay before they are unlinked. */
  fileDeleteDelayMs: number;
}

const DEFAULT_FILE_DELETE_DELAY_MS = 60_000;

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
  /** checkKeys() already passed for this batch (compacted topics). */
  keysChecked?: boolean;
}

const EMPTY = Buffer.alloc(0);

/** Gives read() a buffer of at least `size` bytes to read into. */
export type ReadAlloc = (size: number) => Buffer<ArrayBuffer>;
const allocate: ReadAlloc = (size) => Buffer.allocUnsafe(size);
const lastOffsetIn = (buf: Buffer, at: number): number => readInt64Number(buf, at + BatchField.baseOffset) + buf.readInt32BE(at + BatchField.lastOffsetDelta);
const MAX_POSITION = 0x7fffffff;

interface ReadHint {
  offset: number;
  segment: LogSegment;
  position: number;
}

export class PartitionLog {
  private readonly segments: LogSegment[];
  private config: LogConfig;
  private maxIndexEntries: number;
  private maxTimeIndexEntries: number;
  private totalSize = 0;
  private unflushedMessages = 0;
  private lastFlush: number;
  /** Sealed segments whose data has not been fsynced yet (flush() covers them too). */
  private unflushedSealed: LogSegment[] = [];
  /** Where the previous read ended: a consumer's next fetch usually starts exactly there. */
  private readHint: ReadHint | null = null;
  private closed = false;
  /** Why the log went offline (see the top of this file); null while it serves. */
  private failure: Error | null = null;
  /** The first offset clients may read; >= the first segment's base offset. */
  private startOffset: number;
  /** Every offset below this is known to be on disk (fsynced): recovery after a crash starts here. */
  private recoveryPointOffset = 0;
  /** Renamed segment files waiting for file.delete.delay.ms, by timer. */
  private readonly pendingRemovals = new Map<NodeJS.Timeout, () => void>();
  /** Cleaner output segments being written (`.cleaned`); close() discards them. */
  private readonly cleaning = new Set<LogSegment>();

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
    this.startOffset = segments[0]!.baseOffset;
  }

  /**
   * Applies changed topic settings (kafka-configs): later appends, rolls and flushes use them.
   * Segments already written keep their layout, as in Kafka.
   */
  reconfigure(config: LogConfig): void {
    this.config = { ...config, segmentBytes: Math.min(config.segmentBytes, MAX_POSITION) };
    this.maxIndexEntries = Math.max(1, Math.floor(config.segmentIndexBytes / OFFSET_INDEX_ENTRY_SIZE));
    this.maxTimeIndexEntries = Math.max(1, Math.floor(config.segmentIndexBytes / TIME_INDEX_ENTRY_SIZE));
  }

  /**
   * Opens or creates the partition directory. Existing segments are opened in offset order, and
   * how much of them is checked depends on `options` (see the top of this file): after an
   * unclean shutdown, or without options, every segment from the recovery point on is checked
   * batch by batch and cut at the first torn or corrupt batch, and any segment after a cut is
   * removed. Missing or damaged indexes are rebuilt. What was cut or rebuilt is reported through
   * `log`; a clean open reports nothing.
   */
  static open(dir: string, config: LogConfig, log: LogFn = () => {}, options: LogOpenOptions = {}): PartitionLog {
    mkdirSync(dir, { recursive: true });
    const now = Date.now();
    const bases = PartitionLog.sweep(dir, log);
    const clean = options.cleanShutdown === true;
    const checkpointStart = options.logStartOffset !== undefined && options.logStartOffset > 0n ? Number(options.logStartOffset) : 0;
    const recoveryPoint = options.recoveryPoint !== undefined && options.recoveryPoint > 0n ? Number(options.recoveryPoint) : 0;
    const interval = config.indexIntervalBytes;
    let segments: LogSegment[] = [];
    try {
      if (bases.length === 0) {
        segments.push(LogSegment.create(dir, checkpointStart, interval, now));
      } else {
        segments = PartitionLog.openSegments(dir, bases, interval, now, log, clean, recoveryPoint);
      }
      const end = segments[segments.length - 1]!.nextOffset;
      if (checkpointStart > end) {
        // Data below the checkpointed start offset is gone from disk (files removed by hand, or
        // lost in a crash): nothing left is readable, so start over at the checkpoint.
        log(`Deleting all segments because logEndOffset (${end}) is smaller than logStartOffset ${checkpointStart}. This could happen if segment files were deleted from the file system.`);
        for (const seg of segments) for (const f of seg.markDeleted()) rmSync(f, { force: true });
        segments = [LogSegment.create(dir, checkpointStart, interval, now)];
      }
    } catch (err) {
      for (const s of segments) s.closeQuietly(); // the original failure is the one to report
      throw err;
    }
    const opened = new PartitionLog(dir, config, segments, log, now);
    const end = opened.active.nextOffset;
    opened.startOffset = Math.max(checkpointStart, segments[0]!.baseOffset);
    opened.recoveryPointOffset = clean ? end : Math.max(opened.startOffset, Math.min(recoveryPoint, end));
    return opened;
  }

  /**
   * Base offsets of the segments in `dir`, sorted. On the way it unlinks what an interrupted run
   * left behind: `.deleted` files, and index files whose .log is gone.
   */
  private static sweep(dir: string, log: LogFn): number[] {
    PartitionLog.completeSwaps(dir, log);
    const bases: number[] = [];
    const indexes: Array<{ name: string; base: number }> = [];
    for (const name of readdirSync(dir)) {
      if (name.endsWith(DELETED_SUFFIX)) {
        rmSync(join(dir, name), { force: true });
        continue;
      }
      const parsed = parseSegmentFileName(name);
      if (parsed === null) continue;
      if (parsed.suffix === LOG_SUFFIX) bases.push(Number(parsed.baseOffset));
      else if (parsed.suffix === INDEX_SUFFIX || parsed.suffix === TIME_INDEX_SUFFIX) indexes.push({ name, base: Number(parsed.baseOffset) });
    }
    const known = new Set(bases);
    for (const { name, base } of indexes) {
      if (known.has(base)) continue;
      log(`Found an orphaned index file ${join(dir, name)}, with no corresponding log file. Deleting it.`);
      rmSync(join(dir, name), { force: true });
    }
    return bases.sort((a, b) => a - b);
  }

  /**
   * Finishes what the log cleaner left (see replaceSegments): `.cleaned` files are an aborted
   * cleaning and go; a `<base>.log.swap` is a finished one whose swap was interrupted, so the old
   * segments in its offset range [base, its next offset) are deleted and the `.swap` files renamed
   * into place. Index `.swap` files without their `.log.swap` never got that far and go too.
   */
  private static completeSwaps(dir: string, log: LogFn): void {
    const names = readdirSync(dir);
    const swapLogs: Array<{ name: string; base: number; next: number }> = [];
    for (const name of names) {
      if (name.endsWith(CLEANED_SUFFIX)) {
        log(`Deleting ${join(dir, name)}, left by an interrupted log cleaning.`);
        rmSync(join(dir, name), { force: true });
      } else if (name.endsWith(LOG_SUFFIX + SWAP_SUFFIX)) {
        const parsed = parseSegmentFileName(name.slice(0, -SWAP_SUFFIX.length));
        if (parsed === null) continue;
        const base = Number(parsed.baseOffset);
        swapLogs.push({ name, base, next: nextOffsetOfFile(join(dir, name), base) });
        log(`Found log file ${join(dir, name)} from interrupted swap operation, which is recoverable from ${SWAP_SUFFIX} files by renaming.`);
      }
    }
    const swapped = new Set(swapLogs.map((s) => s.base));
    for (const name of names) {
      if (!name.endsWith(SWAP_SUFFIX) || name.endsWith(LOG_SUFFIX + SWAP_SUFFIX)) continue;
      const parsed = parseSegmentFileName(name.slice(0, -SWAP_SUFFIX.length));
      if (parsed !== null && !swapped.has(Number(parsed.baseOffset))) rmSync(join(dir, name), { force: true });
    }
    if (swapLogs.length === 0) return;
    const min = Math.min(...swapLogs.map((s) => s.base));
    const max = Math.max(...swapLogs.map((s) => s.next));
    for (const name of names) {
      const parsed = parseSegmentFileName(name);
      if (parsed === null) continue;
      const base = Number(parsed.baseOffset);
      if (base >= min && base < max) {
        log(`Deleting segment files ${name} that is compacted but has not been deleted yet.`);
        rmSync(join(dir, name), { force: true });
      }
    }
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(SWAP_SUFFIX)) continue;
      log(`Recovering file ${name} by renaming from ${SWAP_SUFFIX} files.`, 'info');
      renameSync(join(dir, name), join(dir, name.slice(0, -SWAP_SUFFIX.length)));
    }
    fsyncDirectory(dir);
  }

  /** Opens existing segments: trusted below the recovery point (or all after a clean shutdown), recovered from it on. */
  private static openSegments(dir: string, bases: number[], interval: number, now: number, log: LogFn, clean: boolean, recoveryPoint: number): LogSegment[] {
    const segments: LogSegment[] = [];
    try {
      for (let i = 0; i < bases.length; i++) {
        const base = bases[i]!;
        if (i === bases.length - 1) {
          segments.push(LogSegment.openActive(dir, base, interval, now, log, clean));
          break;
        }
        const next = bases[i + 1]!;
        if (clean || next <= recoveryPoint) {
          segments.push(LogSegment.openSealed(dir, base, next, interval, now, log));
          continue;
        }
        const { segment, truncated } = LogSegment.openRecovered(dir, base, next, interval, now, log);
        if (!truncated) {
          segments.push(segment);
          continue;
        }
        // What follows a cut no longer continues the log: drop it, and append after the cut.
        segment.close(false);
        const dropped = bases.slice(i + 1);
        log(`Deleting segments as part of log recovery: ${dropped.map((b) => offsetFileStem(b) + LOG_SUFFIX).join(',')}`);
        for (const b of dropped) {
          for (const suffix of [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX]) rmSync(join(dir, offsetFileStem(b) + suffix), { force: true });
        }
        segments.push(LogSegment.openActive(dir, base, interval, now, log, false));
        break;
      }
    } catch (err) {
      for (const s of segments) s.closeQuietly(); // the original failure is the one to report
      throw err;
    }
    return segments;
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  /** The first offset clients may read (ListOffsets earliest, the DeleteRecords low watermark). */
  get logStartOffset(): bigint {
    return BigInt(this.startOffset);
  }

  /** Offsets below this are fsynced; what recovery-point-offset-checkpoint records. */
  get recoveryPoint(): bigint {
    return BigInt(this.recoveryPointOffset);
  }

  /** Base offset of the oldest segment (Kafka checkpoints a log start offset only above it). */
  get firstSegmentBaseOffset(): bigint {
    return BigInt(this.segments[0]!.baseOffset);
  }

  /** The next offset to be assigned. */
  /** Base offset of the segment taking appends (it changes when the log rolls). */
  get activeSegmentBaseOffset(): number {
    return this.active.baseOffset;
  }

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

  /** `<topic>-<partition>`, as Kafka names a TopicPartition in messages. */
  get topicPartition(): string {
    return basename(this.dir);
  }

  /** Open and not offline. */
  get isOpen(): boolean {
    return !this.closed && this.failure === null;
  }

  /** Offline after an I/O failure it could not recover from (see the top of this file). */
  get isOffline(): boolean {
    return this.failure !== null;
  }

  /** The segments, oldest first, for the log cleaner: it reads sealed ones between its steps and never keeps this array. */
  get segmentList(): readonly LogSegment[] {
    return this.segments;
  }

  /** Whether a sealed segment's rolled data still waits for its background fsync (the cleaner leaves those alone). */
  isFlushPending(seg: LogSegment): boolean {
    return this.unflushedSealed.includes(seg);
  }

  private ensureOpen(): void {
    if (this.closed) throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `log ${this.dir} is closed`);
    if (this.failure !== null) throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `Log ${this.dir} is offline after an I/O error: ${this.failure.message}`);
  }

  /** Takes the log offline after `err` (the first failure is kept) and returns the error to answer with. */
  private goOffline(what: string, err: unknown): StorageError {
    const cause = err instanceof Error ? err : new Error(String(err));
    if (this.failure === null) {
      this.failure = cause;
      this.log(`Error while ${what}; the log is offline until the broker restarts and recovers it: ${cause.message}`);
    }
    return new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `Error while ${what} in dir ${this.dir}: ${cause.message}`);
  }

  /** KAFKA_STORAGE_ERROR for an I/O error that leaves the log usable (a failed read, a write cut back). */
  private storageError(what: string, err: unknown): StorageError {
    if (err instanceof StorageError) return err;
    return new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `Error while ${what} in dir ${this.dir}: ${(err as Error).message ?? String(err)}`);
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
        `The record batch size in the append to ${this.topicPartition} is ${len} bytes which exceeds the maximum configured value of ${this.config.maxMessageBytes}.`,
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
    if (this.config.compact && !(attributes & Attribute.control) && !options?.keysChecked) {
      if (isZstdBatch(records)) throw new Error('a zstd batch for a compacted topic must pass checkKeys() before append()');
      this.refuseKeyless(keylessRecordsSync(records, 0, len));
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
      if (segment.torn) throw this.goOffline(`appending to ${segment.logPath} (the failed write could not be cut back)`, err);
      throw this.storageError(`appending to ${segment.logPath}`, err);
    }
    this.totalSize += len;
    this.unflushedMessages += count;
    this.maybeFlush(now);
    return {
      baseOffset: BigInt(baseOffset),
      lastOffset: BigInt(lastOffset),
      logAppendTime: logAppendTime ? BigInt(now) : -1n,
      logStartOffset: BigInt(this.startOffset),
      recordCount: count,
    };
  }

  /**
   * Whether append() needs checkKeys() first: a zstd batch on a compacted topic, since zstd
   * decompresses only asynchronously. Every other batch is checked inside append().
   */
  needsKeyCheck(records: Buffer): boolean {
    return this.config.compact === true && records.length >= BATCH_HEADER_SIZE && isZstdBatch(records) && !(records.readInt16BE(BatchField.attributes) & Attribute.control);
  }

  /** Refuses a batch holding records without a key, as a compacted topic must (see needsKeyCheck). */
  async checkKeys(records: Buffer): Promise<void> {
    const invalid = validateBatch(records, 0, records.length);
    if (invalid) throw new StorageError(invalid.errorCode, invalid.message);
    this.refuseKeyless(await keylessRecords(records, 0, batchSizeAt(records, 0)));
  }

  private refuseKeyless(indexes: number[]): void {
    if (indexes.length === 0) return;
    const message = `Compacted topic cannot accept message without key in topic partition ${this.topicPartition}`;
    throw recordValidationError(indexes.map((batchIndex) => ({ batchIndex, message })));
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
    return this.roll(now);
  }

  /**
   * Seals the active segment and starts a new one at the log end offset. The sealed segment is
   * fsynced at once when a flush policy is set, otherwise in the background; either way the
   * recovery point moves past it once its data is durable.
   */
  private roll(now: number): LogSegment {
    const started = Date.now();
    const seg = this.active;
    if (this.config.flushMessages !== undefined || this.config.flushMs !== undefined) {
      try {
        seg.flush();
      } catch (err) {
        throw this.goOffline(`flushing ${seg.logPath}`, err);
      }
    }
    // The new segment's files first: if they cannot be created, the current one stays active.
    let next: LogSegment;
    try {
      next = LogSegment.create(this.dir, seg.nextOffset, this.config.indexIntervalBytes, now);
    } catch (err) {
      throw this.storageError(`rolling a new segment at offset ${seg.nextOffset}`, err);
    }
    try {
      seg.seal();
    } catch (err) {
      next.deleteFiles();
      throw this.storageError(`sealing ${seg.logPath}`, err);
    }
    if (seg.dirty) {
      this.unflushedSealed.push(seg);
      seg.flushInBackground((durable, err) => {
        if (err && !this.closed && this.segments.includes(seg)) this.goOffline(`flushing ${seg.logPath}`, err);
        if (!durable || this.closed) return;
        this.unflushedSealed = this.unflushedSealed.filter((s) => s !== seg);
        this.advanceRecoveryPoint();
      });
    } else {
      this.advanceRecoveryPoint();
    }
    this.segments.push(next);
    this.log(`Rolled new log segment at offset ${next.baseOffset} in ${Date.now() - started} ms.`, 'info');
    return next;
  }

  /** Moves the recovery point up to the first offset whose data may not be fsynced yet. */
  private advanceRecoveryPoint(): void {
    let durableTo = this.active.dirty ? this.active.baseOffset : this.active.nextOffset;
    for (const s of this.unflushedSealed) if (s.dirty) durableTo = Math.min(durableTo, s.baseOffset);
    if (durableTo > this.recoveryPointOffset) this.recoveryPointOffset = durableTo;
  }

  private maybeFlush(now: number): void {
    const { flushMessages, flushMs } = this.config;
    if ((flushMessages !== undefined && this.unflushedMessages >= flushMessages) || (flushMs !== undefined && now - this.lastFlush >= flushMs)) {
      this.flush(now);
    }
  }

  /** fsyncs the active segment (and any segment rolled since the last flush); the recovery point becomes the log end. */
  flush(now: number = Date.now()): void {
    this.ensureOpen();
    try {
      for (const s of this.unflushedSealed) s.flush();
      this.unflushedSealed = [];
      this.active.flush();
    } catch (err) {
      throw this.goOffline(`flushing ${this.dir}`, err);
    }
    this.unflushedMessages = 0;
    this.lastFlush = now;
    this.recoveryPointOffset = this.active.nextOffset;
  }

  /** Whether anything appended is not fsynced yet. */
  get hasUnflushedData(): boolean {
    return this.active.dirty || this.unflushedSealed.length > 0;
  }

  /**
   * When flush.ms calls for the next fsync (epoch ms), or Infinity when nothing waits for one:
   * no flush.ms, or nothing unflushed. A broker timer uses it so that an idle log is flushed too.
   */
  get flushDeadline(): number {
    if (this.closed || this.failure !== null || this.config.flushMs === undefined || !this.hasUnflushedData) return Infinity;
    return this.lastFlush + this.config.flushMs;
  }

  /** flush.ms, when set. */
  get flushIntervalMs(): number | undefined {
    return this.config.flushMs;
  }

  /** Flushes if flush.ms has passed since the last flush with data still unflushed; returns whether it did. */
  flushIfDue(now: number = Date.now()): boolean {
    if (now < this.flushDeadline) return false;
    this.flush(now);
    return true;
  }

  /** Writes the active segment's pending index entries to their files (the broker calls it about once a second). */
  writeIndexEntries(): void {
    if (this.closed || this.failure !== null) return;
    this.active.writeIndexEntries();
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
      `Offset ${offset} is out of range for ${this.dir}: the log holds [${this.logStartOffset}, ${this.logEndOffset}]`,
    );
  }

  /**
   * Whole batches starting with the one that holds `fetchOffset`, as stored, up to `maxBytes`
   * in total. When the first batch alone is larger: with `minOneMessage` it is returned whole,
   * otherwise nothing is. `fetchOffset == logEndOffset` gives an empty buffer; outside
   * [logStartOffset, logEndOffset] throws OFFSET_OUT_OF_RANGE. The bytes are read into one buffer
   * from `alloc` (at least the size asked for), so a caller can hand in reusable ones.
   */
  read(fetchOffset: bigint, maxBytes: number, minOneMessage = false, alloc: ReadAlloc = allocate): Buffer<ArrayBuffer> {
    this.ensureOpen();
    try {
      return this.readBatches(fetchOffset, maxBytes, minOneMessage, alloc);
    } catch (err) {
      throw this.storageError(`reading at offset ${fetchOffset}`, err);
    }
  }

  private readBatches(fetchOffset: bigint, maxBytes: number, minOneMessage: boolean, alloc: ReadAlloc): Buffer<ArrayBuffer> {
    const end = this.active.nextOffset;
    if (fetchOffset < BigInt(this.startOffset) || fetchOffset > BigInt(end)) throw this.outOfRange(fetchOffset);
    const offset = Number(fetchOffset);
    if (offset === end) return EMPTY;

    // A consumer's next fetch usually starts where the previous read ended: read from there
    // straight away and check the first batch in memory, instead of scanning for it first.
    const hint = this.readHint;
    if (hint !== null && hint.offset === offset && hint.position < hint.segment.size) {
      const index = this.segments.indexOf(hint.segment);
      if (index >= 0) {
        const bytes = this.copyBatches(index, hint.position, maxBytes, alloc);
        if (bytes.length > 0 && lastOffsetIn(bytes, 0) >= offset) return bytes;
      }
    }

    let index: number;
    let first: BatchLocation | null = null;
    // A segment can end before the next one starts (offsets compacted away): move on.
    for (index = this.segmentIndexFor(offset); index < this.segments.length; index++) {
      first = this.segments[index]!.findBatch(offset);
      if (first !== null) break;
    }
    if (first === null) return EMPTY;
    if (first.size > maxBytes && !minOneMessage) return EMPTY;
    return this.copyBatches(index, first.position, Math.max(maxBytes, first.size), alloc);
  }

  /**
   * The whole batches from segment `index` at `position` onwards, up to `budget` bytes, read into
   * one buffer (one read per segment). Moves on to the next segment only when this one was read
   * to its end. Records where it stopped as the read hint.
   */
  private copyBatches(index: number, position: number, budget: number, alloc: ReadAlloc): Buffer<ArrayBuffer> {
    let available = this.segments[index]!.size - position;
    for (let i = index + 1; i < this.segments.length && available < budget; i++) available += this.segments[i]!.size;
    const size = Math.min(budget, available);
    if (size < BATCH_HEADER_SIZE) return EMPTY;
    const buf = alloc(size);
    let total = 0;
    let seg = this.segments[index]!;
    for (;;) {
      const want = Math.min(seg.size - position, size - total);
      if (want > 0) {
        const n = seg.readInto(position, want, buf, total);
        // Keep whole batches only; the walk is over bytes already in memory.
        let at = total;
        let nextOffset = -1;
        while (total + n - at >= BATCH_HEADER_SIZE) {
          const batch = batchSizeAt(buf, at);
          if (batch <= 0 || at + batch > total + n) break;
          nextOffset = lastOffsetIn(buf, at) + 1;
          at += batch;
        }
        const used = at - total;
        total = at;
        if (used > 0) this.readHint = { offset: nextOffset, segment: seg, position: position + used };
        if (used < want || position + used < seg.size) break;
      }
      if (total >= size || index + 1 >= this.segments.length) break;
      seg = this.segments[++index]!;
      position = 0;
    }
    return total === 0 ? EMPTY : buf.subarray(0, total);
  }

  /**
   * Visits the header of every batch whose last offset is >= `from`, in offset order (the
   * broker rebuilds its producer state from them). `buf` holds at least the 61-byte header at `at`.
   */
  scanBatchHeaders(from: bigint, visit: (buf: Buffer, at: number) => void): void {
    this.ensureOpen();
    const offset = Math.max(Number(from), this.startOffset);
    try {
      for (let index = this.segmentIndexFor(offset); index < this.segments.length; index++) {
        const segment = this.segments[index]!;
        const first = segment.findBatch(offset);
        if (first === null) continue;
        segment.scan(first.position, false, (buf, at) => {
          visit(buf, at);
          return true;
        });
      }
    } catch (err) {
      throw this.storageError(`reading batch headers from offset ${from}`, err);
    }
  }

  /**
   * ListOffsets by timestamp: the first record (in offset order) whose timestamp is >= `ts`, or
   * null. The time index narrows the scan to part of one segment; the matching batch's records are
   * decoded to find the exact record. zstd batches cannot be decoded synchronously, so for them the
   * batch's first offset and max timestamp are returned.
   */
  offsetForTimestamp(ts: bigint): { offset: bigint; timestamp: bigint } | null {
    this.ensureOpen();
    try {
      return this.searchTimestamp(Number(ts));
    } catch (err) {
      throw this.storageError(`searching for timestamp ${ts}`, err);
    }
  }

  private searchTimestamp(target: number): { offset: bigint; timestamp: bigint } | null {
    const start = this.startOffset;
    for (const seg of this.segments) {
      if (seg.size === 0 || seg.maxTimestamp < target || seg.nextOffset <= start) continue;
      const rel = seg.timeIndex.lookup(target);
      const from = rel < 0 ? 0 : seg.offsetIndex.lookup(rel);
      let match: BatchLocation | null = null;
      seg.scan(from, false, (buf, at, position, size) => {
        const maxTs = readInt64Number(buf, at + BatchField.maxTimestamp);
        const base = readInt64Number(buf, at + BatchField.baseOffset);
        const last = base + buf.readInt32BE(at + BatchField.lastOffsetDelta);
        if (maxTs < target || last < start) return true;
        match = { position, size, baseOffset: base, lastOffset: last, maxTimestamp: maxTs, attributes: buf.readInt16BE(at + BatchField.attributes) };
        return false;
      });
      if (match !== null) return this.firstRecordAtOrAfter(seg, match, target);
    }
    return null;
  }

  /** The first record of a batch with timestamp >= target (the batch's maxTimestamp is). */
  private firstRecordAtOrAfter(seg: LogSegment, loc: BatchLocation, target: number): { offset: bigint; timestamp: bigint } {
    const start = BigInt(this.startOffset);
    const first = BigInt(loc.baseOffset);
    const fallback = { offset: first < start ? start : first, timestamp: BigInt(loc.maxTimestamp) };
    // With LogAppendTime every record carries maxTimestamp; control batches hold one record.
    if (loc.attributes & (Attribute.logAppendTime | Attribute.control) || (loc.attributes & Attribute.codecMask) === 4) return fallback;
    try {
      const bytes = seg.read(loc.position, loc.size);
      for (const r of decodeBatchSync(bytes, 0, bytes.length, false).records) {
        if (r.timestamp >= target && r.offset >= start) return { offset: r.offset, timestamp: r.timestamp };
      }
    } catch {
      // A batch that passed recovery but does not decode: answer at batch granularity.
    }
    return fallback;
  }

  /** The largest timestamp in the log and the offset of the first record carrying it, or null when empty. */
  maxTimestamp(): { offset: bigint; timestamp: bigint } | null {
    this.ensureOpen();
    try {
      return this.findMaxTimestamp();
    } catch (err) {
      throw this.storageError('searching for the largest timestamp', err);
    }
  }

  private findMaxTimestamp(): { offset: bigint; timestamp: bigint } | null {
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

  /**
   * Flushes, records final time-index entries and closes every file; segment files waiting for
   * removal are removed now. The object is unusable after, except for its offsets (which the
   * broker checkpoints at shutdown): the recovery point is then the log end offset.
   */
  close(): void {
    if (this.closed) return;
    // An offline log is not flushed: what is on disk is for recovery to judge at the next start.
    const offline = this.failure;
    let failure: unknown = offline === null ? undefined : new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `Log ${this.dir} was offline after an I/O error: ${offline.message}`);
    try {
      if (offline === null) for (const s of this.unflushedSealed) s.flush();
    } catch (err) {
      failure = err;
    }
    this.unflushedSealed = [];
    this.closed = true;
    for (const s of this.segments) {
      try {
        s.close(offline === null);
      } catch (err) {
        failure ??= err;
      }
    }
    for (const [timer, remove] of this.pendingRemovals) {
      clearTimeout(timer);
      remove();
    }
    this.pendingRemovals.clear();
    for (const seg of this.cleaning) seg.deleteFiles();
    this.cleaning.clear();
    if (failure !== undefined) throw failure;
    this.recoveryPointOffset = this.active.nextOffset;
  }

  /**
   * Runs Kafka's retention checks, in Kafka's order: segments wholly below the log start offset,
   * then retention.bytes, then retention.ms (the last two only with cleanup.policy=delete). Only
   * whole segments go, oldest first, and deletion stops at the first segment that must stay. The
   * active segment goes only when it is non-empty and itself past retention: the log rolls first,
   * so a log always keeps a segment. Returns the number of segments deleted.
   */
  deleteOldSegments(policy: RetentionPolicy, now: number = Date.now()): number {
    this.ensureOpen();
    let deleted = this.deleteStartOffsetBreached(policy.fileDeleteDelayMs, now);
    if (!policy.deleteEnabled) return deleted;
    if (policy.retentionBytes >= 0 && this.totalSize >= policy.retentionBytes) {
      let excess = this.totalSize - policy.retentionBytes;
      const doomed = this.deletable((seg) => {
        if (excess - seg.size < 0) return false;
        excess -= seg.size;
        return true;
      });
      if (doomed.length > 0) {
        let size = this.totalSize;
        for (const seg of doomed) {
          size -= seg.size;
          this.log(`Deleting segment ${seg.describe()} due to log retention size ${policy.retentionBytes} breach. Log size after deletion will be ${size}.`, 'info');
        }
        deleted += this.deleteSegments(doomed, policy.fileDeleteDelayMs, now);
      }
    }
    if (policy.retentionMs >= 0) {
      const doomed = this.deletable((seg) => now - seg.largestTimestamp > policy.retentionMs);
      for (const seg of doomed) {
        const basis = seg.maxTimestamp >= 0 ? 'the largest record timestamp in the segment' : 'the last modified time of the segment';
        this.log(`Deleting segment ${seg.describe()} due to log retention time ${policy.retentionMs}ms breach based on ${basis}`, 'info');
      }
      deleted += this.deleteSegments(doomed, policy.fileDeleteDelayMs, now);
    }
    return deleted;
  }

  /**
   * DeleteRecords: makes `offset` the log start offset (a no-op when it is not above it) and deletes
   * the segments wholly below it. Returns the new log start offset (the low watermark). An offset
   * past the log end offset, or negative, throws OFFSET_OUT_OF_RANGE.
   */
  deleteRecordsBefore(offset: bigint, fileDeleteDelayMs = DEFAULT_FILE_DELETE_DELAY_MS, now: number = Date.now()): bigint {
    this.ensureOpen();
    const end = this.active.nextOffset;
    if (offset < 0n) throw new StorageError(StorageErrorCode.OFFSET_OUT_OF_RANGE, `The offset ${offset} for partition ${this.dir} is not valid`);
    if (offset > BigInt(end)) {
      throw new StorageError(
        StorageErrorCode.OFFSET_OUT_OF_RANGE,
        `Cannot increment the log start offset to ${offset} of partition ${this.dir} since it is larger than the high watermark ${end}`,
      );
    }
    const target = Number(offset);
    if (target > this.startOffset) {
      this.startOffset = target;
      // Nothing below the log start is ever read again, so recovery need not look at it.
      if (this.recoveryPointOffset < target) this.recoveryPointOffset = target;
      this.log(`Incremented log start offset to ${target} due to client delete records request`, 'info');
      this.deleteStartOffsetBreached(fileDeleteDelayMs, now);
    }
    return BigInt(this.startOffset);
  }

  /** Deletes the segments whose successor starts at or below the log start offset. */
  private deleteStartOffsetBreached(fileDeleteDelayMs: number, now: number): number {
    const doomed = this.deletable((seg, next) => next !== undefined && next.baseOffset <= this.startOffset);
    if (doomed.length === 0) return 0;
    this.log(`Deleting segments due to log start offset ${this.startOffset} breach: ${doomed.map((s) => s.describe()).join(',')}`, 'info');
    return this.deleteSegments(doomed, fileDeleteDelayMs, now);
  }

  /** The oldest segments for which `predicate` holds, stopping at the first that fails; never an empty active segment. */
  private deletable(predicate: (seg: LogSegment, next: LogSegment | undefined) => boolean): LogSegment[] {
    const out: LogSegment[] = [];
    for (let i = 0; i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      const next = this.segments[i + 1];
      if (next === undefined && seg.size === 0) break;
      if (!predicate(seg, next)) break;
      out.push(seg);
    }
    return out;
  }

  /**
   * Removes `doomed` (the oldest segments, in order) from the log: rolls first when that would
   * leave none, moves the log start offset to the first remaining segment, renames the files
   * `.deleted` and schedules their removal.
   */
  private deleteSegments(doomed: LogSegment[], fileDeleteDelayMs: number, now: number): number {
    if (doomed.length === 0) return 0;
    if (doomed.length === this.segments.length) this.roll(now);
    this.segments.splice(0, doomed.length);
    const newStart = this.segments[0]!.baseOffset;
    if (newStart > this.startOffset) {
      this.startOffset = newStart;
      this.log(`Incremented log start offset to ${newStart} due to segment deletion`, 'info');
    }
    if (this.recoveryPointOffset < this.startOffset) this.recoveryPointOffset = this.startOffset;
    if (this.readHint !== null && doomed.includes(this.readHint.segment)) this.readHint = null;
    this.unflushedSealed = this.unflushedSealed.filter((s) => !doomed.includes(s));
    for (const seg of doomed) {
      this.totalSize -= seg.size;
      const description = seg.describe();
      let files: string[];
      try {
        files = seg.markDeleted();
      } catch (err) {
        this.log(`Could not rename the files of ${description} for deletion: ${(err as Error).message}`);
        continue;
      }
      this.scheduleRemoval(description, files, fileDeleteDelayMs);
    }
    return doomed.length;
  }

  private scheduleRemoval(description: string, files: string[], delayMs: number): void {
    const remove = (): void => {
      this.pendingRemovals.delete(timer);
      this.log(`Deleting segment files ${description}`, 'info');
      for (const f of files) {
        try {
          unlinkSync(f);
          const what = f.endsWith(LOG_SUFFIX + DELETED_SUFFIX) ? 'log' : f.endsWith(INDEX_SUFFIX + DELETED_SUFFIX) ? 'offset index' : 'time index';
          this.log(`Deleted ${what} ${f}.`, 'info');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`Could not delete ${f}: ${(err as Error).message}`);
        }
      }
    };
    const timer = setTimeout(remove, Math.max(0, delayMs));
    timer.unref();
    this.pendingRemovals.set(timer, remove);
  }

  /** A new cleaner output segment (`<baseOffset>.log.cleaned`), owned by the log until swapped in or discarded. */
  createCleanedSegment(baseOffset: number, now: number = Date.now()): LogSegment {
    this.ensureOpen();
    const seg = LogSegment.createCleaned(this.dir, baseOffset, this.config.indexIntervalBytes, now);
    this.cleaning.add(seg);
    return seg;
  }

  /** Drops a cleaner output segment that will not be swapped in. */
  discardCleaned(seg: LogSegment): void {
    if (this.cleaning.delete(seg)) seg.deleteFiles();
  }

  /**
   * Swaps a finished cleaner output segment (see LogSegment.finishCleaned) in for `old`, which
   * must still be consecutive sealed segments of this log; otherwise (retention or DeleteRecords
   * removed some while the cleaner worked) the output is discarded and false returned. As Kafka
   * does, crash-safe by renames alone:
   *
   *   1. `.cleaned` → `.swap` (indexes, then the .log): from here on a restart completes the swap
   *   2. the old segments → `.deleted`, removed after file.delete.delay.ms
   *   3. `.swap` → the plain names
   *
   * A crash before 1 leaves `.cleaned` files, which the next open deletes (old segments win);
   * after it, the next open deletes what is left of the old segments in the swap's offset range
   * and renames the `.swap` files (new segment wins). Readers see the change at once: the swap
   * happens between two calls on the event loop.
   */
  replaceSegments(cleaned: LogSegment, old: readonly LogSegment[], fileDeleteDelayMs = DEFAULT_FILE_DELETE_DELAY_MS): boolean {
    this.ensureOpen();
    const first = old.length > 0 ? this.segments.indexOf(old[0]!) : -1;
    const intact = first >= 0 && first + old.length < this.segments.length && old.every((s, i) => this.segments[first + i] === s);
    if (!intact || !this.cleaning.has(cleaned)) {
      this.discardCleaned(cleaned);
      return false;
    }
    this.cleaning.delete(cleaned);
    const doomed: Array<{ description: string; files: string[] }> = [];
    try {
      cleaned.changeSuffix(SWAP_SUFFIX);
      fsyncDirectory(this.dir);
      for (const seg of old) {
        const description = seg.describe();
        doomed.push({ description, files: seg.markDeleted() });
      }
      cleaned.changeSuffix('');
      fsyncDirectory(this.dir);
    } catch (err) {
      // The files are somewhere between old and new: only the next open can settle them.
      throw this.goOffline(`swapping in the cleaned segment ${cleaned.logPath}`, err);
    }
    this.segments.splice(first, old.length, cleaned);
    for (const seg of old) this.totalSize -= seg.size;
    this.totalSize += cleaned.size;
    if (this.readHint !== null && old.includes(this.readHint.segment)) this.readHint = null;
    this.unflushedSealed = this.unflushedSealed.filter((s) => !old.includes(s));
    for (const { description, files } of doomed) this.scheduleRemoval(description, files, fileDeleteDelayMs);
    return true;
  }

  /** Closes the log and removes its directory with everything in it. */
  delete(): void {
    this.close();
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One past the last offset of the batches in a segment file (`base` when it holds none): a header walk. */
function nextOffsetOfFile(path: string, base: number): number {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const header = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
    let position = 0;
    let next = base;
    while (readFully(fd, header, 0, BATCH_HEADER_SIZE, position) === BATCH_HEADER_SIZE) {
      const size = batchSizeAt(header, 0);
      if (size < BATCH_HEADER_SIZE || position + size > fileSize) break;
      next = readInt64Number(header, BatchField.baseOffset) + header.readInt32BE(BatchField.lastOffsetDelta) + 1;
      position += size;
    }
    return next;
  } finally {
    closeSync(fd);
  }
}
