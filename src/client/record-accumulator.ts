// Where records wait between `send` and the network, as in the Java producer's RecordAccumulator:
// per partition, a queue of batches (the last one open for appends, the others full), the
// partition choice for each record, and the buffer.memory account that gives the reader
// back-pressure. Records sent before the topic's metadata is known wait, in order, until it is.
//
// Invariants: a partition's queue is in creation (ordinal) order, retried batches included, so
// batches leave a partition in order; a batch is taken only from the front of its queue; a
// retried batch is not resent while other batches of its partition are still in flight.
import type { RecordHeader } from '../protocol/records/records.js';
import { VALUE_ONLY_BOUND, type BufferPool } from './batch-builder.js';
import { partitionForKey, StickyPartitioner } from './partitioner.js';
import { ProducerBatch, type ProducerRecord, type SendCallback } from './producer-batch.js';

const NO_HEADERS: RecordHeader[] = [];

export class PartitionQueue {
  readonly batches: ProducerBatch[] = [];
  /** Batches of this partition sent and not yet answered. */
  inFlight = 0;
  nextOrdinal = 0;
  /** Idempotence: the sequence of the next record sent for the first time. */
  nextSequence = 0;
  /** Leader broker id, -1 when unknown. */
  leader = -1;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Puts a batch back for another attempt, ahead of every newer batch. */
  requeue(batch: ProducerBatch): void {
    let at = 0;
    while (at < this.batches.length && this.batches[at]!.ordinal < batch.ordinal) at++;
    this.batches.splice(at, 0, batch);
  }
}

/** A record that arrived before its topic's metadata, with the partition it asked for (-1: any). */
export interface WaitingRecord {
  record: ProducerRecord;
  partition: number;
  timestamp: number;
  callback: SendCallback | undefined;
  reserved: number;
}

export class TopicQueues {
  /** Indexed by partition; empty until the first metadata. */
  partitions: PartitionQueue[] = [];
  /** Partitions that have a leader (the key-less records' choice). */
  available: number[] = [];
  readonly waiting: WaitingRecord[] = [];
  /** When the oldest waiting record arrived (for max.block.ms). */
  waitingSince = 0;
  readonly sticky: StickyPartitioner;

  constructor(
    readonly name: string,
    stickyBytes: number,
  ) {
    this.sticky = new StickyPartitioner(stickyBytes);
  }

  get known(): boolean {
    return this.partitions.length > 0;
  }
}

export interface DrainOptions {
  now: number;
  lingerMs: number;
  /** Everything is ready regardless of linger.ms (flush, close, or buffer.memory exhausted). */
  flushAll: boolean;
  /** max.request.size: the first batch is always taken. */
  maxBytes: number;
  /**
   * Called for a ready batch before it is taken: true if it can go now. Encoding (and the
   * sequence number) happen here; an asynchronous encoding answers false until it is done.
   */
  prepare(batch: ProducerBatch, queue: PartitionQueue): boolean;
}

export class RecordAccumulator {
  readonly topics = new Map<string, TopicQueues>();
  /** Every partition queue, for the drain's round robin. */
  private queues: PartitionQueue[] = [];
  private drainStart = 0;
  /** buffer.memory in use. */
  reservedBytes = 0;
  /** Batches created and not yet completed or failed, plus waiting records. */
  pending = 0;
  /** The earliest time a lingering or backing-off batch becomes ready (after a drain). */
  nextReadyAt = Infinity;

  /**
   * `closeBatch` is called as soon as a batch is full (the next record did not fit, or it
   * reached batch.size), so it can be encoded while younger records still arrive.
   */
  constructor(
    private readonly batchSize: number,
    private readonly ignoreKeys: boolean,
    private readonly pool: BufferPool,
    private readonly closeBatch: (batch: ProducerBatch, queue: PartitionQueue) => void,
  ) {}

  topic(name: string): TopicQueues {
    let t = this.topics.get(name);
    if (!t) {
      t = new TopicQueues(name, this.batchSize);
      this.topics.set(name, t);
    }
    return t;
  }

  /** Holds a record until its topic's metadata arrives. */
  wait(topic: TopicQueues, waiting: WaitingRecord, now: number): void {
    if (topic.waiting.length === 0) topic.waitingSince = now;
    topic.waiting.push(waiting);
    this.pending++;
  }

  /** The partition for a record: the one asked for, the key's, or the sticky one. -1 if out of range. */
  choosePartition(topic: TopicQueues, key: Buffer | null, requested: number): number {
    const count = topic.partitions.length;
    if (requested >= 0) return requested < count ? requested : -1;
    if (key !== null && !this.ignoreKeys) return partitionForKey(key, count);
    return topic.sticky.partition(count, topic.available);
  }

  /** A batch for `topic`-`partition` that is not queued (for failing a record on its own). */
  looseBatch(topic: string, partition: number, now: number): ProducerBatch {
    return new ProducerBatch(topic, partition, -1, now, 0, this.pool);
  }

  /**
   * Appends to the partition's open batch, or to a new one when it is full. Needs known
   * metadata. `reserved` is the record's share of buffer.memory, already counted. Returns true
   * when the sender has something new to look at: a batch was opened (it needs a linger timer)
   * or one is full (it can go now).
   */
  append(topic: TopicQueues, partition: number, record: ProducerRecord, timestamp: number, callback: SendCallback | undefined, reserved: number, keyless: boolean): boolean {
    const value = record.value;
    return this.appendSlice(topic, partition, record.key ?? null, value, 0, value === null ? 0 : value.length, record.headers ?? NO_HEADERS, timestamp, callback, reserved, keyless);
  }

  /** append() with the record in parts and its value as source[valueStart, valueEnd) (null when `source` is). */
  appendSlice(
    topic: TopicQueues, partition: number, key: Buffer | null, source: Uint8Array | null, valueStart: number, valueEnd: number, headers: readonly RecordHeader[],
    timestamp: number, callback: SendCallback | undefined, reserved: number, keyless: boolean,
  ): boolean {
    const queue = topic.partitions[partition]!;
    const open = queue.batches.length > 0 ? queue.batches[queue.batches.length - 1]! : undefined;
    let batch = open;
    let size = open !== undefined ? open.tryAppendSlice(key, source, valueStart, valueEnd, headers, timestamp, callback, reserved) : -1;
    const newBatch = size < 0;
    if (newBatch) {
      if (open !== undefined && !open.closed) this.closeBatch(open, queue);
      batch = new ProducerBatch(topic.name, partition, queue.nextOrdinal++, Date.now(), Math.max(this.batchSize, 1), this.pool);
      size = batch.tryAppendSlice(key, source, valueStart, valueEnd, headers, timestamp, callback, reserved);
      queue.batches.push(batch);
      this.pending++;
    }
    const full = batch!.full;
    if (full) this.closeBatch(batch!, queue);
    if (keyless) topic.sticky.appended(partition, size, newBatch, topic.partitions.length, topic.available);
    return newBatch || full;
  }

  /**
   * appendSlice() for records that are only a value (no key, no headers, the sticky partition):
   * source[bounds[2i], bounds[2i + 1]) for i from `from` up to `to`, filling each open batch in
   * one loop and taking the one-by-one path only where a batch begins or ends. Counts their
   * buffer.memory. Stops before a value longer than `maxLength`; returns the index it stopped at.
   */
  appendValues(topic: TopicQueues, source: Uint8Array, bounds: Int32Array, from: number, to: number, timestamp: number, callback: SendCallback | undefined, maxLength: number): number {
    const sticky = topic.sticky;
    let i = from;
    while (i < to) {
      const start = bounds[2 * i]!;
      const end = bounds[2 * i + 1]!;
      if (end - start > maxLength) break;
      const partition = sticky.partition(topic.partitions.length, topic.available);
      const queue = topic.partitions[partition]!;
      const open = queue.batches.length > 0 ? queue.batches[queue.batches.length - 1]! : undefined;
      if (open !== undefined) {
        const before = open.bytes;
        const next = open.appendValues(source, bounds, i, to, timestamp, callback, sticky.budget(partition), maxLength);
        if (next > i) {
          this.reservedBytes += open.lastReserved;
          sticky.appended(partition, open.bytes - before, false, topic.partitions.length, topic.available);
          if (open.full) this.closeBatch(open, queue);
          i = next;
          continue;
        }
      }
      const reserved = VALUE_ONLY_BOUND + end - start;
      this.reservedBytes += reserved;
      this.appendSlice(topic, partition, null, source, start, end, NO_HEADERS, timestamp, callback, reserved, true);
      i++;
    }
    return i;
  }

  /** Applies a topic's partitions and leaders from Metadata; returns the records that were waiting. */
  updateTopic(topic: TopicQueues, leaders: ReadonlyMap<number, number>): WaitingRecord[] {
    const count = leaders.size === 0 ? 0 : Math.max(...leaders.keys()) + 1;
    for (let p = topic.partitions.length; p < count; p++) {
      const queue = new PartitionQueue(topic.name, p);
      topic.partitions.push(queue);
      this.queues.push(queue);
    }
    topic.available = [];
    for (const queue of topic.partitions) {
      queue.leader = leaders.get(queue.partition) ?? -1;
      if (queue.leader >= 0) topic.available.push(queue.partition);
    }
    if (!topic.known) return [];
    const waiting = topic.waiting.splice(0);
    this.pending -= waiting.length;
    return waiting;
  }

  /** Removes the records waiting for the topic's metadata (to fail them), releasing their memory. */
  takeWaiting(topic: TopicQueues): WaitingRecord[] {
    const waiting = topic.waiting.splice(0);
    this.pending -= waiting.length;
    for (const w of waiting) this.reservedBytes -= w.reserved;
    return waiting;
  }

  /** Removes a finished batch from the account. */
  finished(batch: ProducerBatch): void {
    this.reservedBytes -= batch.reserved;
    this.pending--;
  }

  /** The most full batches waiting in one partition's queue (its open batch not counted). */
  deepestQueue(): number {
    let deepest = 0;
    for (const q of this.queues) {
      const len = q.batches.length;
      const full = len > 0 && !q.batches[len - 1]!.full ? len - 1 : len;
      if (full > deepest) deepest = full;
    }
    return deepest;
  }

  /** Nodes that lead at least one partition with queued batches. */
  nodesWithData(): Set<number> {
    const nodes = new Set<number>();
    for (const q of this.queues) if (q.batches.length > 0) nodes.add(q.leader);
    return nodes;
  }

  /**
   * Takes at most one ready batch from the front of each partition led by `node`, within
   * max.request.size, starting where the last drain stopped so no partition is starved.
   * Updates `nextReadyAt` for batches that are not ready yet.
   */
  drain(node: number, opts: DrainOptions): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    const queues = this.queues;
    const n = queues.length;
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const queue = queues[(this.drainStart + i) % n]!;
      if (queue.leader !== node || queue.batches.length === 0) continue;
      const batch = queue.batches[0]!;
      if (!this.isReady(batch, queue, opts)) continue;
      if (out.length > 0 && bytes + batch.bytes > opts.maxBytes) {
        this.drainStart = (this.drainStart + i) % n;
        return out;
      }
      if (!opts.prepare(batch, queue)) continue;
      queue.batches.shift();
      batch.full = true;
      queue.inFlight++;
      bytes += batch.bytes;
      out.push(batch);
    }
    if (n > 0) this.drainStart = (this.drainStart + 1) % n;
    return out;
  }

  private isReady(batch: ProducerBatch, queue: PartitionQueue, opts: DrainOptions): boolean {
    // A retry waits for the partition's other requests, so it cannot be overtaken by them.
    if (batch.attempts > 0 && queue.inFlight > 0) return false;
    if (batch.retryAt > opts.now) {
      this.nextReadyAt = Math.min(this.nextReadyAt, batch.retryAt);
      return false;
    }
    if (batch.full || queue.batches.length > 1 || opts.flushAll || batch.attempts > 0) return true;
    const due = batch.createdMs + opts.lingerMs;
    if (due <= opts.now) return true;
    this.nextReadyAt = Math.min(this.nextReadyAt, due);
    return false;
  }

  /** Removes and returns every queued batch created at or before `createdBefore` (delivery.timeout.ms). */
  expire(createdBefore: number): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const q of this.queues) {
      while (q.batches.length > 0 && q.batches[0]!.createdMs <= createdBefore) out.push(q.batches.shift()!);
    }
    return out;
  }

  /** Creation time of the oldest queued batch (Infinity if none). */
  oldestQueued(): number {
    let oldest = Infinity;
    for (const q of this.queues) if (q.batches.length > 0 && q.batches[0]!.createdMs < oldest) oldest = q.batches[0]!.createdMs;
    return oldest;
  }

  /** Every queued batch, removed (for a fatal producer error). */
  takeAll(): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const q of this.queues) out.push(...q.batches.splice(0));
    return out;
  }

  /** Every partition queue (for resetting sequences). */
  allQueues(): readonly PartitionQueue[] {
    return this.queues;
  }
}
