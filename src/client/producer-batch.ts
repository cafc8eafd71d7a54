// One partition's batch of records on its way to the broker. Records are written into the
// batch's buffer as they are appended (batch-builder.ts), so the batch holds bytes, plus what
// the callbacks may ask later (key size, value size, timestamp per record, in a typed array).
// It is full at batch.size bytes, counted as the Java producer counts them; once closed it is
// finished (header, CRC, compression) and the same bytes go out on every retry. Under
// idempotence the producer id, epoch and sequence are stamped in when it is first sent.
import type { CompressionCodec } from '../protocol/records/compression.js';
import type { RecordHeader } from '../protocol/records/records.js';
import { BatchBuilder, stampProducer, VALUE_ONLY_BOUND, type BufferPool } from './batch-builder.js';

export interface ProducerRecord {
  topic: string;
  key?: Buffer | null;
  value: Buffer | null;
  /** Header values are bytes; keys are text. */
  headers?: RecordHeader[];
  /** Chosen by the partitioner when absent. */
  partition?: number;
  /** Milliseconds since the epoch; the send time when absent. */
  timestamp?: number;
}

/**
 * Called once per record: with an error, or with null and where the record went. One marked
 * `failuresOnly` (see onFailure) is called for failures alone: a tool that only logs errors then
 * costs nothing per acknowledged record, where a million calls were a tenth of a second.
 */
export interface SendCallback {
  (error: Error | null, metadata: RecordMetadata): void;
  readonly failuresOnly?: boolean;
}

/** A SendCallback for failures only (the error is never null when it is called). */
export function onFailure(fn: (error: Error, metadata: RecordMetadata) => void): SendCallback {
  return Object.assign((error: Error | null, metadata: RecordMetadata) => {
    if (error !== null) fn(error, metadata);
  }, { failuresOnly: true });
}

/** Where a record went (offset -1 when unknown: acks=0, or a failure). */
export class RecordMetadata {
  constructor(
    private readonly batch: ProducerBatch,
    private readonly index: number,
  ) {}

  get topic(): string {
    return this.batch.topic;
  }

  get partition(): number {
    return this.batch.partition;
  }

  get offset(): bigint {
    return this.batch.baseOffset < 0n ? -1n : this.batch.baseOffset + BigInt(this.index);
  }

  get timestamp(): number {
    const appendTime = this.batch.logAppendTime;
    return appendTime >= 0n ? Number(appendTime) : this.batch.info(this.index, TIMESTAMP);
  }

  /** -1 for a null key, as Java's RecordMetadata says. */
  get serializedKeySize(): number {
    return this.batch.info(this.index, KEY_SIZE);
  }

  get serializedValueSize(): number {
    return this.batch.info(this.index, VALUE_SIZE);
  }
}

const KEY_SIZE = 0;
const VALUE_SIZE = 1;
const TIMESTAMP = 2;
const INFO_FIELDS = 3;

export class ProducerBatch {
  private builder: BatchBuilder | undefined;
  /** Sized on the first record for a full batch of records like it (grown if need be). */
  private infos = EMPTY_INFOS;
  /** One callback shared by every record so far, or one per record. */
  private callbacks: SendCallback | Array<SendCallback | undefined> | undefined;
  private count = 0;
  /** No more records go in: the next one did not fit, or the batch is closed. */
  full = false;
  /** Finished (or being finished, for zstd): `encoded` is, or will be, its bytes. */
  closed = false;
  /** How many times the batch has been sent. */
  attempts = 0;
  /** How many of the `retries` this batch has used. */
  retriesUsed = 0;
  /** Not to be sent again before this time (retry backoff). */
  retryAt = 0;
  /** Idempotence: the first record's sequence, assigned when the batch is first sent. */
  baseSequence = -1;
  /** The finished batch, once ready to go. */
  encoded: Buffer | undefined;
  baseOffset = -1n;
  logAppendTime = -1n;
  /** Bytes of buffer.memory the records hold. */
  reserved = 0;
  /** What the last appendValues added to `reserved`. */
  lastReserved = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    /** Creation order within the partition: retried batches are put back in this order. */
    readonly ordinal: number,
    readonly createdMs: number,
    /** batch.size: the batch is full once it reaches this many bytes. */
    private readonly capacity: number,
    private readonly pool: BufferPool,
  ) {}

  get recordCount(): number {
    return this.count;
  }

  /** Estimated encoded size (exact when uncompressed), header included. */
  get bytes(): number {
    return this.builder?.sizeInBytes ?? this.encoded?.length ?? 0;
  }

  /**
   * Appends a record if it fits (the first record always does, in a buffer of its own if it is
   * bigger than batch.size). Returns its encoded size, or -1 (the batch is then full).
   */
  tryAppend(key: Buffer | null, value: Buffer | null, headers: readonly RecordHeader[], timestamp: number, callback: SendCallback | undefined, reserved: number): number {
    return this.tryAppendSlice(key, value, 0, value === null ? 0 : value.length, headers, timestamp, callback, reserved);
  }

  /** tryAppend() with the value as source[valueStart, valueEnd), copied now (null when `source` is). */
  tryAppendSlice(key: Buffer | null, source: Uint8Array | null, valueStart: number, valueEnd: number, headers: readonly RecordHeader[], timestamp: number, callback: SendCallback | undefined, reserved: number): number {
    if (this.full) return -1;
    const valueLength = source === null ? -1 : valueEnd - valueStart;
    let builder = this.builder;
    if (builder === undefined) {
      // First record: size it as the first in a batch, then take a buffer it fits in.
      const probe = new BatchBuilder(EMPTY);
      const first = probe.recordSizeOf(key, valueLength, headers, timestamp);
      builder = this.builder = new BatchBuilder(this.pool.take(probe.sizeInBytes + first));
      this.infos = new Float64Array(Math.min(4096, Math.ceil(this.capacity / first) + 1) * INFO_FIELDS);
    }
    const size = builder.recordSizeOf(key, valueLength, headers, timestamp);
    const end = builder.sizeInBytes + size;
    if (this.count > 0 && end > this.capacity) {
      this.full = true;
      return -1;
    }
    if (end > builder.buffer.length) {
      // batch.size is larger than the pool's buffers: grow by doubling, up to batch.size.
      this.pool.give(builder.moveTo(this.pool.take(Math.max(end, Math.min(this.capacity, builder.buffer.length * 2)))));
    }
    builder.appendSlice(key, source, valueStart, valueEnd, headers, timestamp, size);
    this.remember(key === null ? -1 : key.length, valueLength, timestamp, callback);
    this.reserved += reserved;
    if (end >= this.capacity) this.full = true;
    return size;
  }

  /**
   * Appends values source[bounds[2i], bounds[2i + 1]) from i = `from` on, as tryAppendSlice
   * would one by one with no key and no headers, while they fit (a batch's first record is left
   * to tryAppendSlice), until `budget` bytes went in (that record included), stopping before a
   * value longer than `maxLength`. Returns the index it stopped at; `lastReserved` is the
   * buffer.memory share of what went in.
   */
  appendValues(source: Uint8Array, bounds: Int32Array, from: number, to: number, timestamp: number, callback: SendCallback | undefined, budget: number, maxLength: number): number {
    const builder = this.builder;
    this.lastReserved = 0;
    if (this.full || builder === undefined) return from;
    const next = builder.appendValues(source, bounds, from, to, timestamp, Math.min(this.capacity, builder.buffer.length), budget, maxLength);
    let reserved = 0;
    for (let i = from; i < next; i++) {
      const length = bounds[2 * i + 1]! - bounds[2 * i]!;
      this.remember(-1, length, timestamp, callback);
      reserved += VALUE_ONLY_BOUND + length;
    }
    this.reserved += reserved;
    this.lastReserved = reserved;
    if (builder.sizeInBytes >= this.capacity) this.full = true;
    return next;
  }

  /**
   * Finishes the batch. Synchronous for every codec but zstd, whose compression runs in the
   * background: `encoded` is set when the returned promise resolves.
   */
  close(compression: CompressionCodec, level?: number): Promise<void> | undefined {
    if (this.closed) return undefined;
    this.closed = true;
    this.full = true;
    const builder = this.builder!;
    if (compression === 'zstd') {
      return builder.finishAsync(compression, level).then((buf) => {
        this.encoded = buf;
        this.releaseBuilder();
      });
    }
    this.encoded = builder.finish(compression, level);
    if (compression !== 'none') this.releaseBuilder(); // the bytes were copied out
    return undefined;
  }

  /** Writes the idempotent producer's id, epoch and this batch's sequence into the header. */
  stampProducer(producerId: bigint, producerEpoch: number): void {
    stampProducer(this.encoded!, producerId, producerEpoch, this.baseSequence);
  }

  /** Per-record information for callbacks. */
  info(index: number, field: number): number {
    return this.infos[index * INFO_FIELDS + field]!;
  }

  /** Calls every record's callback with success; a callback that throws is reported to `onThrow`. */
  complete(baseOffset: bigint, logAppendTime: bigint, onThrow: (err: unknown) => void): void {
    this.baseOffset = baseOffset;
    this.logAppendTime = logAppendTime;
    this.done(null, onThrow);
  }

  /** Calls every record's callback with `error`. */
  fail(error: Error, onThrow: (err: unknown) => void): void {
    this.baseOffset = -1n;
    this.done(error, onThrow);
  }

  private remember(keySize: number, valueSize: number, timestamp: number, callback: SendCallback | undefined): void {
    const i = this.count++;
    let infos = this.infos;
    if ((i + 1) * INFO_FIELDS > infos.length) {
      infos = new Float64Array(Math.max(infos.length * 2, 4 * INFO_FIELDS));
      infos.set(this.infos);
      this.infos = infos;
    }
    infos[i * INFO_FIELDS + KEY_SIZE] = keySize;
    infos[i * INFO_FIELDS + VALUE_SIZE] = valueSize;
    infos[i * INFO_FIELDS + TIMESTAMP] = timestamp;
    const current = this.callbacks;
    if (typeof current === 'object') current.push(callback);
    else if (callback !== current) {
      if (i === 0) this.callbacks = callback;
      else {
        const perRecord = new Array<SendCallback | undefined>(i).fill(current);
        perRecord.push(callback);
        this.callbacks = perRecord;
      }
    }
  }

  /** The batch is over: its buffer goes back to the pool and the callbacks are told. */
  private done(error: Error | null, onThrow: (err: unknown) => void): void {
    this.encoded = undefined;
    this.releaseBuilder();
    const callbacks = this.callbacks;
    if (callbacks === undefined) return;
    if (error === null && typeof callbacks === 'function' && callbacks.failuresOnly === true) return;
    for (let i = 0; i < this.count; i++) {
      const callback = typeof callbacks === 'function' ? callbacks : callbacks[i];
      if (callback === undefined || (error === null && callback.failuresOnly === true)) continue;
      try {
        callback(error, new RecordMetadata(this, i));
      } catch (err) {
        onThrow(err);
      }
    }
  }

  private releaseBuilder(): void {
    if (this.builder === undefined) return;
    this.pool.give(this.builder.buffer);
    this.builder = undefined;
  }
}

const EMPTY = Buffer.alloc(0);
const EMPTY_INFOS = new Float64Array(0);
