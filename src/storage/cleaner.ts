// Log compaction of one partition log (cleanup.policy=compact, or compact,delete): Kafka's
// Cleaner, plus the LogCleanerManager arithmetic that decides whether a log is due.
//
// What a cleaning does, as in Kafka:
//   1. The dirty section is [firstDirtyOffset, firstUncleanableOffset): from where the last
//      cleaning stopped (cleaner-offset-checkpoint) up to the active segment, the first segment
//      younger than min.compaction.lag.ms, or (here) the first segment whose rolled data is not
//      fsynced yet, whichever comes first.
//   2. An offset map (key → last offset) is built over the dirty section, until
//      log.cleaner.dedupe.buffer.size would be exceeded; the cleaning then ends where the map
//      ends (endOffset, just before the first record whose key did not fit), and the next one
//      carries on from there.
//   3. Every segment below endOffset, clean section included, is rewritten in groups of
//      consecutive segments that fit in segment.bytes / segment.index.bytes (and 2^31 offsets),
//      one output segment per group. A record survives when it lies past the map, or its key maps
//      to its own offset or an earlier one (it is the latest) and it is not a tombstone whose
//      delete horizon has passed. Keyless records (written before the topic became compacted) go.
//   4. Batches keep their baseOffset, lastOffsetDelta, producer fields and codec; a batch losing
//      records is re-encoded with the survivors (offset deltas unchanged, compressed again with
//      its own codec), a batch losing all goes. The last batch of each group is kept even when
//      empty (a 61-byte header), so that an output segment always ends at the offset where the
//      next segment begins: that is what lets a restart find exactly which old segments a
//      `.swap` file replaces. Kafka keeps the last batch of each cleaning round for the same kind
//      of reason; clients skip empty batches.
//   5. Tombstones, as since Kafka 3.x (KIP-534): the first cleaning that keeps a batch holding a
//      tombstone stamps a delete horizon into it (attribute bit 6, baseTimestamp = now +
//      delete.retention.ms); a later cleaning after that horizon drops the tombstones. So a
//      tombstone is readable for at least delete.retention.ms after it was first cleaned.
//   6. Each output segment is fsynced, then swapped in by renames (PartitionLog.replaceSegments),
//      so a crash at any point recovers to either the old or the new segments.
// Control batches (transaction markers) are kept as they are: the broker writes none yet.
//
// Where it runs: on the event loop, in slices of a few milliseconds separated by setImmediate,
// not in a worker_thread. The log's segment list, its open descriptors and the swap all live on
// the event loop, which serialises every produce, fetch, roll and retention pass; a worker would
// need its own descriptors and a handshake for each swap, and an isolate of its own (about
// 10 MiB), to save the CPU of decompressing, hashing and copying, which slices already keep out
// of the latency of any one request. zstd goes through its binding's thread pool either way (it
// has no synchronous API). Between slices the log may change under the cleaner: before touching
// a segment again it checks that the log is open and the segments it works on are still there,
// and gives up (CleaningAborted, output discarded) if not.
import { performance } from 'node:perf_hooks';
import { Attribute, BATCH_HEADER_SIZE, BatchField, LOG_OVERHEAD, readInt64Number, updateBatchCrc, writeInt64Number } from '../protocol/records/batch.js';
import { compress, compressSync } from '../protocol/records/compression.js';
import type { PartitionLog } from './log.js';
import { forEachRecord, recordsPayload, recordsPayloadSync, varintSize, varlongSize, writeVarint, writeVarlong } from './record-walk.js';
import type { LogFn, LogSegment } from './segment.js';

/** The topic settings a cleaning goes by, resolved by the caller at each run. */
export interface CompactionPolicy {
  /** delete.retention.ms: how long a cleaned tombstone stays readable. */
  deleteRetentionMs: number;
  /** min.compaction.lag.ms: segments with a record younger than this stay dirty. */
  minCompactionLagMs: number;
  /** max.compaction.lag.ms: a dirty segment whose first batch is older than this is cleaned whatever the ratio. */
  maxCompactionLagMs: number;
  /** min.cleanable.dirty.ratio */
  minCleanableRatio: number;
  /** segment.bytes and segment.index.bytes: the most a group of segments cleaned into one may hold. */
  segmentBytes: number;
  maxIndexBytes: number;
  /** file.delete.delay.ms for the replaced segments. */
  fileDeleteDelayMs: number;
}

/** LogToClean: where a log's dirty section lies and how dirty it is. */
export interface CleanableRange {
  firstDirtyOffset: number;
  firstUncleanableOffset: number;
  /** Bytes of the segments below firstDirtyOffset, and of those in the dirty section. */
  cleanBytes: number;
  cleanableBytes: number;
  /** cleanableBytes / (cleanBytes + cleanableBytes), 0 for an empty log. */
  cleanableRatio: number;
  /** max.compaction.lag.ms has passed for the oldest dirty segment. */
  needCompactionNow: boolean;
  /** The checkpointed offset was below the log start or past the log end, and was reset. */
  checkpointReset: boolean;
}

export interface CleanerStats {
  segmentsCleaned: number;
  bytesRead: number;
  bytesWritten: number;
  recordsRead: number;
  recordsRetained: number;
  /** Records found in the dirty section while building the offset map. */
  mapRecords: number;
  elapsedMs: number;
}

export interface CleanResult {
  /** The first offset not cleaned: the next cleaning's firstDirtyOffset (checkpoint it). */
  endOffset: number;
  stats: CleanerStats;
}

export interface CleanOptions {
  now: number;
  /** log.cleaner.dedupe.buffer.size: the offset map's memory budget. */
  dedupeBufferBytes: number;
  /** Longest synchronous stretch before yielding to the event loop. */
  sliceMs?: number;
  report?: LogFn;
}

/** The log closed or its segments changed while the cleaner worked; nothing was swapped for the current group. */
export class CleaningAborted extends Error {
  readonly code = 'CLEANING_ABORTED';
  constructor(message: string) {
    super(message);
    this.name = 'CleaningAborted';
  }
}

const DEFAULT_SLICE_MS = 5;
const MAX_RELATIVE = 0x7fffffff;
/** Rough heap cost of one offset-map entry beside its key bytes (map slot, string header, number). */
const MAP_ENTRY_OVERHEAD = 56;
/** Timestamps stay exact as JS numbers below this. */
const MAX_SAFE_TIME = Number.MAX_SAFE_INTEGER;

/**
 * Kafka's cleanableOffsets and LogToClean for `log`, given the offset its last cleaning reached
 * (undefined: never cleaned) and the time.
 */
export function cleanableRange(log: PartitionLog, checkpointed: number | undefined, policy: CompactionPolicy, now: number): CleanableRange {
  const segments = log.segmentList;
  const start = Number(log.logStartOffset);
  const end = Number(log.logEndOffset);
  let firstDirty = checkpointed ?? start;
  let checkpointReset = false;
  if (firstDirty < start || firstDirty > end) {
    firstDirty = start;
    checkpointReset = checkpointed !== undefined;
  }
  const active = segments[segments.length - 1]!;
  let uncleanable = active.baseOffset;
  const minLag = Math.max(0, policy.minCompactionLagMs);
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i]!;
    if (seg.nextOffset <= firstDirty) continue;
    // Data still waiting for its post-roll fsync is left for the next round.
    if (log.isFlushPending(seg) || (minLag > 0 && seg.largestTimestamp > now - minLag)) {
      uncleanable = Math.min(uncleanable, seg.baseOffset);
      break;
    }
  }
  uncleanable = Math.max(firstDirty, uncleanable);
  let cleanBytes = 0;
  let cleanableBytes = 0;
  let oldestDirtyBatch = Infinity;
  for (const seg of segments) {
    // As Kafka counts them: a segment holding firstDirtyOffset counts on both sides.
    if (seg.baseOffset < firstDirty) cleanBytes += seg.size;
    if (seg.baseOffset < uncleanable && seg.nextOffset > firstDirty) cleanableBytes += seg.size;
    if (seg !== active && seg.nextOffset > firstDirty && seg.size > 0) {
      const ts = seg.firstTimestamp;
      if (ts > 0) oldestDirtyBatch = Math.min(oldestDirtyBatch, ts);
    }
  }
  const total = cleanBytes + cleanableBytes;
  const maxLag = Math.max(0, policy.maxCompactionLagMs);
  return {
    firstDirtyOffset: firstDirty,
    firstUncleanableOffset: uncleanable,
    cleanBytes,
    cleanableBytes,
    cleanableRatio: total === 0 ? 0 : cleanableBytes / total,
    needCompactionNow: oldestDirtyBatch < now - maxLag,
    checkpointReset,
  };
}

/** Kafka's test for a cleanable log: some bytes and either max.compaction.lag.ms passed or the ratio reached. */
export function isCleaningDue(range: CleanableRange, policy: CompactionPolicy): boolean {
  if (range.cleanBytes + range.cleanableBytes === 0) return false;
  return (range.needCompactionNow && range.cleanableBytes > 0) || range.cleanableRatio > policy.minCleanableRatio;
}

/** Key → the last offset seen for it, within a memory budget; keys are compared byte for byte. */
export class OffsetMap {
  private readonly map = new Map<string, number>();
  private bytes = 0;
  /** The last offset the map accounts for; records past it are kept whatever their key. */
  latestOffset = -1;

  constructor(private readonly capacityBytes: number) {}

  get size(): number {
    return this.map.size;
  }

  /** Records `offset` as the latest for the key; false (and nothing stored) when a new key would not fit. */
  put(buf: Buffer, start: number, length: number, offset: number): boolean {
    const key = buf.toString('latin1', start, start + length);
    if (!this.map.has(key)) {
      const cost = MAP_ENTRY_OVERHEAD + length;
      if (this.bytes + cost > this.capacityBytes) return false;
      this.bytes += cost;
    }
    this.map.set(key, offset);
    return true;
  }

  /** The latest offset of the key, or -1. */
  get(buf: Buffer, start: number, length: number): number {
    return this.map.get(buf.toString('latin1', start, start + length)) ?? -1;
  }
}

type Payload = [Buffer, number, number];

/** Time slices and the checks made whenever the cleaner comes back from the event loop. */
class Slicer {
  private deadline: number;

  constructor(
    private readonly log: PartitionLog,
    private readonly sliceMs: number,
    /** The segments the current step reads; they must still be in the log on every resume. */
    public watched: readonly LogSegment[] = [],
  ) {
    this.deadline = performance.now() + sliceMs;
  }

  get due(): boolean {
    return performance.now() >= this.deadline;
  }

  /** Yields to the event loop, then checks the log is still as the cleaner left it. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.check();
  }

  check(): void {
    if (!this.log.isOpen) throw new CleaningAborted(`${this.log.dir} was closed`);
    const list = this.log.segmentList;
    for (const seg of this.watched) {
      if (!list.includes(seg)) throw new CleaningAborted(`segment ${seg.logPath} left ${this.log.dir} during cleaning`);
    }
    this.deadline = performance.now() + this.sliceMs;
  }
}

/**
 * Visits the batches of `seg` from file position `from` to its end, each with its records
 * (decompressed; null for control batches). Yields between slices; zstd batches are decompressed
 * (and the visitor may compress) asynchronously, one at a time.
 */
async function walkBatches(
  seg: LogSegment,
  from: number,
  slicer: Slicer,
  visit: (buf: Buffer, at: number, size: number, position: number, payload: Payload | null) => void | Promise<void>,
): Promise<void> {
  let pos = from;
  while (pos < seg.size) {
    let asyncSize = -1;
    let visited = 0;
    const res = seg.scan(pos, true, (buf, at, position, size) => {
      // At least one batch per slice, so that a slice always makes progress.
      if (visited++ > 0 && slicer.due) return false;
      const attributes = buf.readInt16BE(at + BatchField.attributes);
      const control = (attributes & Attribute.control) !== 0;
      if (!control && (attributes & Attribute.codecMask) === 4) {
        asyncSize = size;
        return false;
      }
      const done = visit(buf, at, size, position, control ? null : recordsPayloadSync(buf, at, size));
      if (done instanceof Promise) throw new Error('only zstd batches are visited asynchronously');
      return true;
    });
    if (res.problem !== null) throw new Error(`${seg.logPath} holds unreadable data at position ${res.position}: ${res.problem}`);
    pos = res.position;
    if (!res.stopped) break;
    if (asyncSize >= 0) {
      const bytes = seg.read(pos, asyncSize);
      const payload = await recordsPayload(bytes, 0, asyncSize);
      slicer.check();
      await visit(bytes, 0, asyncSize, pos, payload);
      slicer.check();
      pos += asyncSize;
    } else {
      await slicer.pause();
    }
  }
}

/** Fills `map` from the dirty section [from, to); the map's latestOffset says how far it got. */
async function buildOffsetMap(log: PartitionLog, from: number, to: number, map: OffsetMap, slicer: Slicer, stats: CleanerStats): Promise<void> {
  const dirty = log.segmentList.filter((s) => s.baseOffset < to && s.nextOffset > from);
  slicer.watched = dirty;
  for (let i = 0; i < dirty.length; i++) {
    const seg = dirty[i]!;
    const nextStart = i + 1 < dirty.length ? dirty[i + 1]!.baseOffset : to;
    const position = from > seg.baseOffset ? seg.offsetIndex.lookup(from - seg.baseOffset) : 0;
    let full = false;
    try {
      await walkBatches(seg, position, slicer, (buf, at, _size, _position, payload) => {
        const base = readInt64Number(buf, at + BatchField.baseOffset);
        const last = base + buf.readInt32BE(at + BatchField.lastOffsetDelta);
        if (payload !== null) {
          forEachRecord(payload[0], payload[1], payload[2], buf.readInt32BE(at + BatchField.recordsCount), (r) => {
            const offset = base + r.offsetDelta;
            stats.mapRecords++;
            if (r.keyLength < 0 || offset < from) return;
            if (!map.put(payload[0], r.keyStart, r.keyLength, offset)) {
              // Every record before this one is mapped: the map ends just before it (Kafka
              // ends it at the previous whole batch, which can leave a cleaning no progress).
              map.latestOffset = Math.max(map.latestOffset, offset - 1);
              throw FULL;
            }
          });
        }
        if (last >= from) map.latestOffset = Math.max(map.latestOffset, last);
      });
    } catch (err) {
      if (err !== FULL) throw err;
      full = true;
    }
    if (full) return;
    // Offsets may be missing at the end of a segment (compacted away): the map covers them too.
    map.latestOffset = Math.max(map.latestOffset, nextStart - 1);
  }
}

const FULL = new Error('offset map full');

/** Kafka's groupSegmentsBySize: consecutive segments whose total size, index sizes and offset span fit in one segment. */
export function groupSegmentsBySize(segments: readonly LogSegment[], maxSize: number, maxIndexSize: number, firstUncleanableOffset: number): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let i = 0;
  while (i < segments.length) {
    const first = segments[i]!;
    const group = [first];
    let logSize = first.size;
    let indexSize = first.offsetIndex.sizeInBytes;
    let timeIndexSize = first.timeIndex.sizeInBytes;
    i++;
    while (i < segments.length) {
      const next = segments[i]!;
      const lastOffset = i + 1 < segments.length ? segments[i + 1]!.baseOffset - 1 : firstUncleanableOffset - 1;
      if (
        logSize + next.size > maxSize ||
        indexSize + next.offsetIndex.sizeInBytes > maxIndexSize ||
        timeIndexSize + next.timeIndex.sizeInBytes > maxIndexSize ||
        (next.size > 0 && lastOffset - first.baseOffset > MAX_RELATIVE)
      ) {
        break;
      }
      group.push(next);
      logSize += next.size;
      indexSize += next.offsetIndex.sizeInBytes;
      timeIndexSize += next.timeIndex.sizeInBytes;
      i++;
    }
    groups.push(group);
  }
  return groups;
}

interface FilterContext {
  map: OffsetMap;
  now: number;
  deleteRetentionMs: number;
  stats: CleanerStats;
}

/** Survivors of one batch, KEPT_FIELDS numbers per record: attributes, timestampDelta, offsetDelta, tailStart, end. */
const kept: number[] = [];
const KEPT_FIELDS = 5;

/**
 * What becomes of one stored batch: null (dropped), the batch itself (kept whole), or a new batch
 * with the survivors (a Promise for zstd, which compresses asynchronously). `lastOfGroup` keeps an
 * emptied batch as a bare header.
 */
function filterBatch(buf: Buffer, at: number, size: number, payload: Payload | null, ctx: FilterContext, lastOfGroup: boolean): Buffer | Promise<Buffer> | null {
  const count = buf.readInt32BE(at + BatchField.recordsCount);
  ctx.stats.recordsRead += Math.max(count, 0);
  if (payload === null) {
    ctx.stats.recordsRetained += Math.max(count, 0);
    return buf.subarray(at, at + size);
  }
  const attributes = buf.readInt16BE(at + BatchField.attributes);
  const base = readInt64Number(buf, at + BatchField.baseOffset);
  const baseTimestamp = readInt64Number(buf, at + BatchField.baseTimestamp);
  const hasHorizon = (attributes & Attribute.deleteHorizon) !== 0;
  const retainDeletes = !hasHorizon || ctx.now < baseTimestamp;
  const { map } = ctx;
  const [records, start, end] = payload;
  kept.length = 0;
  let tombstones = false;
  forEachRecord(records, start, end, count, (r) => {
    const offset = base + r.offsetDelta;
    let keep: boolean;
    if (offset > map.latestOffset) keep = true;
    else if (r.keyLength < 0) keep = false;
    else keep = offset >= map.get(records, r.keyStart, r.keyLength) && (r.valueLength >= 0 || retainDeletes);
    if (!keep) return;
    if (r.valueLength < 0) tombstones = true;
    kept.push(r.attributes, r.timestampDelta, r.offsetDelta, r.tailStart, r.end);
  });
  const survivors = kept.length / KEPT_FIELDS;
  ctx.stats.recordsRetained += survivors;
  const setHorizon = tombstones && !hasHorizon;
  if (survivors === count && !setHorizon) return buf.subarray(at, at + size);
  if (survivors === 0) return lastOfGroup ? emptyBatch(buf, at) : null;

  // Re-encode the survivors: same offset deltas and tails, timestamp deltas from the new base.
  const logAppendTime = (attributes & Attribute.logAppendTime) !== 0;
  const horizon = setHorizon ? Math.min(ctx.now + ctx.deleteRetentionMs, MAX_SAFE_TIME) : hasHorizon ? baseTimestamp : -1;
  const newBase = horizon >= 0 ? horizon : baseTimestamp + kept[1]!;
  let maxTimestamp = -1;
  let bodySize = 0;
  for (let i = 0; i < kept.length; i += KEPT_FIELDS) {
    const ts = baseTimestamp + kept[i + 1]!;
    if (ts > maxTimestamp) maxTimestamp = ts;
    const length = 1 + varlongSize(ts - newBase) + varintSize(kept[i + 2]!) + kept[i + 4]! - kept[i + 3]!;
    bodySize += varintSize(length) + length;
  }
  const body = Buffer.allocUnsafe(bodySize);
  let pos = 0;
  for (let i = 0; i < kept.length; i += KEPT_FIELDS) {
    const ts = baseTimestamp + kept[i + 1]!;
    const offsetDelta = kept[i + 2]!;
    const tailStart = kept[i + 3]!;
    const tail = kept[i + 4]! - tailStart;
    const length = 1 + varlongSize(ts - newBase) + varintSize(offsetDelta) + tail;
    pos = writeVarint(body, length, pos);
    body[pos++] = kept[i]!;
    pos = writeVarlong(body, ts - newBase, pos);
    pos = writeVarint(body, offsetDelta, pos);
    records.copy(body, pos, tailStart, tailStart + tail);
    pos += tail;
  }
  const header = Buffer.from(buf.subarray(at, at + BATCH_HEADER_SIZE));
  header.writeInt16BE(horizon >= 0 ? attributes | Attribute.deleteHorizon : attributes, BatchField.attributes);
  writeInt64Number(header, newBase, BatchField.baseTimestamp);
  if (!logAppendTime) writeInt64Number(header, maxTimestamp, BatchField.maxTimestamp);
  header.writeInt32BE(survivors, BatchField.recordsCount);
  const codec = attributes & Attribute.codecMask;
  if (codec === 4) return compress(codec, body).then((packed) => assemble(header, packed));
  return assemble(header, codec === 0 ? body : compressSync(codec, body));
}

function assemble(header: Buffer, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(BATCH_HEADER_SIZE + body.length);
  header.copy(out, 0);
  body.copy(out, BATCH_HEADER_SIZE);
  out.writeInt32BE(out.length - LOG_OVERHEAD, BatchField.batchLength);
  updateBatchCrc(out, 0);
  return out;
}

/** Kafka's writeEmptyHeader: the batch's offsets and producer fields, no records, no codec, both timestamps = its maxTimestamp. */
function emptyBatch(buf: Buffer, at: number): Buffer {
  const out = Buffer.from(buf.subarray(at, at + BATCH_HEADER_SIZE));
  const attributes = buf.readInt16BE(at + BatchField.attributes);
  out.writeInt16BE(attributes & (Attribute.logAppendTime | Attribute.transactional | Attribute.control), BatchField.attributes);
  out.writeInt32BE(BATCH_HEADER_SIZE - LOG_OVERHEAD, BatchField.batchLength);
  buf.copy(out, BatchField.baseTimestamp, at + BatchField.maxTimestamp, at + BatchField.maxTimestamp + 8);
  out.writeInt32BE(0, BatchField.recordsCount);
  updateBatchCrc(out, 0);
  return out;
}

/** Copies the survivors of `group` into `cleaned`, batch by batch, in offset order. */
async function cleanGroup(group: readonly LogSegment[], cleaned: LogSegment, ctx: FilterContext, slicer: Slicer): Promise<void> {
  const last = group[group.length - 1]!;
  const write = (out: Buffer | null): void => {
    if (out === null) return;
    const lastOffset = readInt64Number(out, BatchField.baseOffset) + out.readInt32BE(BatchField.lastOffsetDelta);
    cleaned.append(out, lastOffset, readInt64Number(out, BatchField.maxTimestamp));
    ctx.stats.bytesWritten += out.length;
  };
  for (const seg of group) {
    await walkBatches(seg, 0, slicer, (buf, at, size, position, payload) => {
      ctx.stats.bytesRead += size;
      const out = filterBatch(buf, at, size, payload, ctx, seg === last && position + size === seg.size);
      if (out instanceof Promise) return out.then(write);
      write(out);
    });
  }
}

/**
 * Cleans `log` over `range` (see the top of this file). Resolves with the first offset not
 * cleaned; rejects with CleaningAborted when the log closed or changed under it (segments already
 * swapped in stay), or with the error that stopped it.
 */
export async function cleanLog(log: PartitionLog, range: CleanableRange, policy: CompactionPolicy, opts: CleanOptions): Promise<CleanResult> {
  const started = performance.now();
  const report = opts.report ?? (() => {});
  const stats: CleanerStats = { segmentsCleaned: 0, bytesRead: 0, bytesWritten: 0, recordsRead: 0, recordsRetained: 0, mapRecords: 0, elapsedMs: 0 };
  const slicer = new Slicer(log, opts.sliceMs ?? DEFAULT_SLICE_MS);
  slicer.check();
  if (range.firstUncleanableOffset <= range.firstDirtyOffset) {
    return { endOffset: range.firstDirtyOffset, stats };
  }
  report(`Beginning cleaning of log ${log.topicPartition}`, 'info');
  const map = new OffsetMap(opts.dedupeBufferBytes);
  await buildOffsetMap(log, range.firstDirtyOffset, range.firstUncleanableOffset, map, slicer, stats);
  const endOffset = map.latestOffset + 1;
  if (endOffset <= range.firstDirtyOffset) {
    throw new Error(`The offset map (log.cleaner.dedupe.buffer.size = ${opts.dedupeBufferBytes}) cannot hold even the first key of ${log.topicPartition}`);
  }
  const ctx: FilterContext = { map, now: opts.now, deleteRetentionMs: Math.max(0, policy.deleteRetentionMs), stats };
  const below = log.segmentList.filter((s) => s.baseOffset < endOffset);
  const groups = groupSegmentsBySize(below, policy.segmentBytes, policy.maxIndexBytes, range.firstUncleanableOffset);
  for (const group of groups) {
    slicer.watched = group;
    slicer.check();
    const cleaned = log.createCleanedSegment(group[0]!.baseOffset, opts.now);
    try {
      await cleanGroup(group, cleaned, ctx, slicer);
      slicer.check();
      const last = group[group.length - 1]!;
      cleaned.finishCleaned(last.nextOffset, last.lastModified);
      if (!log.replaceSegments(cleaned, group, policy.fileDeleteDelayMs)) throw new CleaningAborted(`the segments of ${log.topicPartition} changed during cleaning`);
    } catch (err) {
      log.discardCleaned(cleaned);
      throw err;
    }
    stats.segmentsCleaned += group.length;
  }
  stats.elapsedMs = performance.now() - started;
  const mb = (n: number): string => (n / 1048576).toFixed(1);
  report(
    `Log cleaner cleaned log ${log.topicPartition} (dirty section = [${range.firstDirtyOffset}, ${endOffset}]): ` +
      `${mb(stats.bytesRead)} MB of log processed in ${(stats.elapsedMs / 1000).toFixed(1)} seconds, ` +
      `${stats.recordsRetained} of ${stats.recordsRead} records retained (${mb(stats.bytesWritten)} MB written), ` +
      `${map.size} keys in the offset map`,
    'info',
  );
  return { endOffset, stats };
}
