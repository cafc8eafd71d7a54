// A Kafka producer over the project's wire client, built for throughput the way the Java
// producer is: `send` only writes the record into its partition's open batch (record-
// accumulator.ts, batch-builder.ts) and returns; a sender turn, scheduled on the next tick, takes
// the ready batches, one per partition, into one Produce request per leader and keeps up to
// max.in.flight.requests.per.connection requests pipelined on each connection (the broker
// answers a connection's requests in order). A batch is ready when full, when linger.ms has
// passed, on flush, or when buffer.memory runs out. Callers get back-pressure from `send`'s
// result and `waitForRoom` (buffer.memory, and a backlog deeper than the in-flight window).
//
// Every record's callback is called exactly once: with its offset, or with the error that ended
// it (after `retries` retries of retriable errors, within delivery.timeout.ms). With
// enable.idempotence, batches carry the producer id and per-partition sequence numbers; a
// sequence gap that cannot be repaired makes the producer take a new producer id.
//
// Single-threaded: everything here runs on the event loop; the sender never runs inside `send`.
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { Produce, type ProduceRequest, type ProduceResponse } from '../protocol/messages/produce.js';
import { BATCH_HEADER_SIZE } from '../protocol/records/batch.js';
import type { RecordHeader } from '../protocol/records/records.js';
import { BufferPool, recordSizeUpperBound, VALUE_ONLY_BOUND } from './batch-builder.js';
import { NetworkError, type BrokerConnection } from './broker-connection.js';
import { ErrorCode, KafkaProtocolError, kafkaErrorInfo } from './kafka-errors.js';
import type { ProducerBatch, ProducerRecord, SendCallback } from './producer-batch.js';
import type { ProducerConfig } from './producer-config.js';
import { ProducerIdentity } from './producer-identity.js';
import { ProducerMetadata, type TopicMetadata } from './producer-metadata.js';
import { RecordAccumulator, type PartitionQueue, type TopicQueues, type WaitingRecord } from './record-accumulator.js';
import { KafkaTimeoutError, type KafkaWireClient } from './wire-client.js';

export { onFailure, type ProducerRecord, type SendCallback } from './producer-batch.js';
export { RecordMetadata } from './producer-batch.js';

export interface WireProducerOptions {
  /** Receives the client's WARN lines (metadata errors, retries), as Java's NetworkClient and Sender log them. */
  logger?: Logger;
  /** `[Producer clientId=…] ` before each log line. */
  logPrefix?: string;
}

/** A failure that is not a broker error code, named after the Java exception a client would raise. */
export class ProducerError extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProducerError';
  }
}

interface NodeState {
  id: number;
  connection: BrokerConnection | undefined;
  connecting: boolean;
  backoffUntil: number;
  inFlight: number;
}

/** Errors after which the partition's leader may have moved: refresh metadata. */
const STALE_METADATA_ERRORS: ReadonlySet<number> = new Set([3, 5, 6, 74, 75, 100, 103]);
const NO_HEADERS: RecordHeader[] = [];
const MAX_SEQUENCE = 0x7fffffff;

export class WireProducer {
  private readonly acc: RecordAccumulator;
  private readonly nodes = new Map<number, NodeState>();
  private readonly log: Logger;
  private readonly networkLog: Logger;
  private readonly prefix: string;
  private readonly prepare = (batch: ProducerBatch, queue: PartitionQueue): boolean => this.prepareBatch(batch, queue);
  private readonly reportCallbackError = (err: unknown): void => {
    this.log.error(`${this.prefix}Error executing user-provided callback on message: ${(err as Error)?.message ?? String(err)}`);
  };

  /** The largest record `send` accepts, header included: max.request.size and buffer.memory. */
  private readonly recordLimit: number;
  /** The topic of the last send (a console producer sends to one topic). */
  private lastTopic: TopicQueues | undefined;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private inFlightRequests = 0;
  private flushes = 0;
  private closed = false;
  private fatal: Error | undefined;
  private roomWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private metadataWaiters: Array<() => void> = [];

  private readonly metadata: ProducerMetadata;
  private readonly identity: ProducerIdentity;

  constructor(
    private readonly client: KafkaWireClient,
    private readonly config: ProducerConfig,
    opts: WireProducerOptions = {},
  ) {
    // Pooled batch buffers: batch.size each (up to 1 MiB; bigger batches grow into their own).
    const poolSize = Math.max(BATCH_HEADER_SIZE + 64, Math.min(config.batchSize, 1 << 20));
    const pool = new BufferPool(poolSize, Math.min(4096, Math.max(1, Math.floor(config.bufferMemory / poolSize))));
    this.acc = new RecordAccumulator(config.batchSize, config.ignoreKeys, pool, (batch, queue) => this.closeBatch(batch, queue));
    this.log = (opts.logger ?? silentLogger).child('org.apache.kafka.clients.producer.internals.Sender');
    this.networkLog = (opts.logger ?? silentLogger).child('org.apache.kafka.clients.NetworkClient');
    this.prefix = opts.logPrefix ?? '';
    this.recordLimit = Math.min(config.maxRequestSize, config.bufferMemory);
    const settled = (): void => this.schedule();
    const metadataSettled = (): void => {
      for (const resolve of this.metadataWaiters.splice(0)) resolve();
      this.schedule();
    };
    this.metadata = new ProducerMetadata(client, { retryBackoffMs: config.retryBackoffMs, log: this.networkLog, logPrefix: this.prefix }, (topics) => this.applyMetadata(topics), metadataSettled);
    this.identity = new ProducerIdentity(client, config.retryBackoffMs, settled, (error) => this.fail(error));
  }

  /** Whether buffer.memory has room; `send` says the same. */
  get hasRoom(): boolean {
    return this.acc.reservedBytes < this.config.bufferMemory;
  }

  /** Produce requests sent and not yet answered (or, with acks=0, not yet written). */
  get inFlight(): number {
    return this.inFlightRequests;
  }

  /**
   * Queues a record; `callback` is called once it is acknowledged or has failed. Returns false
   * when buffer.memory is used up: the caller should then wait for `waitForRoom` (the record
   * itself is queued either way).
   */
  send(record: ProducerRecord, callback?: SendCallback): boolean {
    const timestamp = record.timestamp ?? Date.now();
    const key = record.key ?? null;
    const headers = record.headers ?? NO_HEADERS;
    const reserved = recordSizeUpperBound(key, record.value, headers);
    if (this.fatal !== undefined || this.closed || BATCH_HEADER_SIZE + reserved > this.recordLimit) {
      this.reject(record, timestamp, callback, reserved);
      return this.hasRoom;
    }
    this.acc.reservedBytes += reserved;
    const topic = record.topic === this.lastTopic?.name ? this.lastTopic : (this.lastTopic = this.acc.topic(record.topic));
    const requested = record.partition ?? -1;
    if (topic.known) {
      this.appendKnown(topic, record, requested, timestamp, callback, reserved);
    } else {
      this.acc.wait(topic, { record, partition: requested, timestamp, callback, reserved }, Date.now());
      this.metadata.wanted = true;
      this.schedule();
    }
    return this.acc.reservedBytes < this.config.bufferMemory;
  }

  /**
   * send() for a record that is only a value, given as source[start, end) and copied into its
   * batch now (null when `source` is): no key, no headers, the partitioner's partition. The
   * console producer's per-line path: no record object and no Buffer per line.
   */
  sendValue(topicName: string, source: Uint8Array | null, start: number, end: number, timestamp: number, callback?: SendCallback): boolean {
    const topic = this.lastTopic;
    const valueLength = source === null ? 0 : end - start;
    const reserved = VALUE_ONLY_BOUND + valueLength;
    if (topic === undefined || topic.name !== topicName || !topic.known || this.fatal !== undefined || this.closed || BATCH_HEADER_SIZE + reserved > this.recordLimit) {
      // Not the steady state (metadata to wait for, a failure, a record too large): the general path.
      const value = source === null ? null : Buffer.from(source.buffer, source.byteOffset + start, valueLength);
      return this.send({ topic: topicName, value, timestamp }, callback);
    }
    this.acc.reservedBytes += reserved;
    const partition = this.acc.choosePartition(topic, null, -1);
    if (this.acc.appendSlice(topic, partition, null, source, start, end, NO_HEADERS, timestamp, callback, reserved, true)) this.schedule();
    return this.acc.reservedBytes < this.config.bufferMemory;
  }

  /**
   * Resolves once records for `topicName` go straight into batches (its metadata is known), or
   * once a Metadata request has been answered without it (records then wait in the producer as
   * usual), or at once if the producer cannot send. Java's send() blocks on a topic's first
   * metadata; a caller with many records in hand waits here after sending the first one, so the
   * rest need not queue one by one for those few milliseconds.
   */
  async topicReady(topicName: string): Promise<void> {
    const known = (): boolean => this.acc.topics.get(topicName)?.known === true;
    if (known() || this.fatal !== undefined || this.closed || this.acc.pending === 0) return;
    await new Promise<void>((resolve) => this.metadataWaiters.push(resolve));
  }

  /**
   * sendValue() for values `from` to `to` - 1, value i being source[bounds[2i], bounds[2i + 1]):
   * appended in one loop per batch. Returns what the last sendValue would.
   */
  sendValues(topicName: string, source: Uint8Array, bounds: Int32Array, from: number, count: number, timestamp: number, callback?: SendCallback): boolean {
    let i = from;
    while (i < count) {
      const topic = this.lastTopic;
      if (topic !== undefined && topic.name === topicName && topic.known && this.fatal === undefined && !this.closed) {
        const next = this.acc.appendValues(topic, source, bounds, i, count, timestamp, callback, this.recordLimit - BATCH_HEADER_SIZE - VALUE_ONLY_BOUND);
        if (next > i) this.schedule();
        i = next;
        if (i === count) break;
      }
      this.sendValue(topicName, source, bounds[2 * i]!, bounds[2 * i + 1]!, timestamp, callback);
      i++;
    }
    return this.hasRoom;
  }

  /**
   * Whether the network lags behind: a partition has more full batches waiting than the next
   * max.in.flight requests can take (one batch of a partition per request). Records appended
   * now would only wait longer, and the work of appending them would delay the answers that
   * let the next requests go.
   */
  get backlogged(): boolean {
    return this.acc.deepestQueue() > this.config.maxInFlight;
  }

  /** Resolves once buffer.memory has room and the producer is not backlogged (at once if so). */
  async waitForRoom(): Promise<void> {
    while (!this.hasRoom || this.backlogged) {
      this.schedule(); // an exhausted buffer makes every batch ready
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** Sends everything queued now, without waiting for linger.ms, and waits until all of it is done. */
  async flush(): Promise<void> {
    this.flushes++;
    try {
      while (this.acc.pending > 0) {
        this.schedule();
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      }
    } finally {
      this.flushes--;
    }
  }

  /** Flushes, then refuses further sends. The wire client stays open (its owner closes it). */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.metadata.close();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  // ---- send path ----------------------------------------------------------------------------

  /** Fails a record `send` cannot take: the producer is closed or failed, or the record is too large. */
  private reject(record: ProducerRecord, timestamp: number, callback: SendCallback | undefined, recordBound: number): void {
    const size = BATCH_HEADER_SIZE + recordBound;
    let error: Error;
    if (this.fatal !== undefined) error = this.fatal;
    else if (this.closed) error = new ProducerError('java.lang.IllegalStateException', 'Cannot perform operation after producer has been closed');
    else if (size > this.config.maxRequestSize) {
      error = new KafkaProtocolError(ErrorCode.MESSAGE_TOO_LARGE, `The message is ${size} bytes when serialized which is larger than ${this.config.maxRequestSize}, which is the value of the max.request.size configuration.`);
    } else {
      error = new KafkaProtocolError(ErrorCode.MESSAGE_TOO_LARGE, `The message is ${size} bytes when serialized which is larger than the total memory buffer you have configured with the buffer.memory configuration.`);
    }
    this.failAlone(record, record.partition ?? -1, timestamp, callback, error);
  }

  /** Fails a record that never joined a queued batch. */
  private failAlone(record: ProducerRecord, partition: number, timestamp: number, callback: SendCallback | undefined, error: Error): void {
    if (callback === undefined) return;
    const batch = this.acc.looseBatch(record.topic, partition, Date.now());
    batch.tryAppend(record.key ?? null, record.value, record.headers ?? NO_HEADERS, timestamp, callback, 0);
    batch.fail(error, this.reportCallbackError);
  }

  private failWaiting(waiting: WaitingRecord[], error: Error): void {
    for (const w of waiting) this.failAlone(w.record, w.partition, w.timestamp, w.callback, error);
  }

  private appendKnown(topic: TopicQueues, record: ProducerRecord, requested: number, timestamp: number, callback: SendCallback | undefined, reserved: number): void {
    const key = record.key ?? null;
    const partition = this.acc.choosePartition(topic, key, requested);
    if (partition < 0) {
      this.acc.reservedBytes -= reserved;
      this.failAlone(record, requested, timestamp, callback, new ProducerError('org.apache.kafka.common.KafkaException', `Invalid partition given with record: ${requested} is not in the range [0...${topic.partitions.length}).`));
      return;
    }
    const keyless = requested < 0 && (key === null || this.config.ignoreKeys);
    if (this.acc.append(topic, partition, record, timestamp, callback, reserved, keyless)) this.schedule();
  }

  // ---- the sender ---------------------------------------------------------------------------

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    process.nextTick(() => this.run());
  }

  private armTimer(at: number): void {
    if (at === Infinity || (this.timer !== undefined && this.timerAt <= at)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.run();
    }, Math.max(0, at - Date.now()));
  }

  /** One sender turn: expire, refresh metadata if needed, drain ready batches into requests. */
  private run(): void {
    this.scheduled = false;
    if (this.closed && this.acc.pending === 0) return; // nothing left to do: no more timers
    const now = Date.now();
    let wake = this.expire(now);
    wake = Math.min(wake, this.expireWaiting(now));
    // metadata.max.age.ms: checked whenever there is something to send, never on an idle timer.
    if (now - this.metadata.fetchedAt >= this.config.metadataMaxAgeMs && this.acc.pending > 0) this.metadata.wanted = true;
    if (!this.config.idempotence || this.identity.ready(now, this.inFlightRequests === 0, () => this.restartSequences())) {
      this.acc.nextReadyAt = Infinity;
      const flushAll = this.flushes > 0 || this.closed || !this.hasRoom;
      const drain = { now, lingerMs: this.config.lingerMs, flushAll, maxBytes: this.config.maxRequestSize, prepare: this.prepare };
      for (const id of this.acc.nodesWithData()) {
        if (id < 0) {
          this.metadata.wanted = true;
          continue;
        }
        const node = this.node(id);
        const conn = node.connection;
        if (conn === undefined || !conn.isOpen) {
          wake = Math.min(wake, this.connect(node, now));
          continue;
        }
        while (node.inFlight < this.config.maxInFlight) {
          const batches = this.acc.drain(id, drain);
          if (batches.length === 0) break;
          this.sendRequest(node, conn, batches);
        }
      }
      wake = Math.min(wake, this.acc.nextReadyAt);
    } else if (this.identity.retryAt > now) {
      wake = Math.min(wake, this.identity.retryAt);
    }
    // Metadata is refreshed for records that need it; an idle producer asks nothing.
    if (this.metadata.wanted && this.acc.pending > 0) wake = Math.min(wake, this.metadata.refresh(now, [...this.acc.topics.keys()]));
    this.armTimer(wake);
    this.wakeWaiters();
  }

  private node(id: number): NodeState {
    let node = this.nodes.get(id);
    if (!node) {
      node = { id, connection: undefined, connecting: false, backoffUntil: 0, inFlight: 0 };
      this.nodes.set(id, node);
    }
    return node;
  }

  /** Starts connecting to a leader; returns when to look again. */
  private connect(node: NodeState, now: number): number {
    if (node.connecting) return Infinity;
    if (now < node.backoffUntil) return node.backoffUntil;
    node.connecting = true;
    this.client.connection(node.id).then(
      (conn) => {
        node.connection = conn;
      },
      (err: unknown) => {
        node.connection = undefined;
        node.backoffUntil = Date.now() + this.config.retryBackoffMs;
        this.metadata.wanted = true;
        this.networkLog.warn(`${this.prefix}Connection to node ${node.id} could not be established. Node may not be available. (${(err as Error).message})`);
      },
    ).finally(() => {
      node.connecting = false;
      this.schedule();
    });
    return Infinity;
  }

  /** Encodes a batch that will take no more records (in the background for zstd). */
  private closeBatch(batch: ProducerBatch, queue: PartitionQueue): void {
    try {
      batch.close(this.config.compression, this.config.compressionLevel)?.then(() => this.schedule(), (err: unknown) => this.dropUnencodable(batch, queue, err));
    } catch (err) {
      this.dropUnencodable(batch, queue, err);
    }
  }

  /** Makes a ready batch sendable: closed, encoded and, under idempotence, stamped with its sequence. */
  private prepareBatch(batch: ProducerBatch, queue: PartitionQueue): boolean {
    if (!batch.closed) this.closeBatch(batch, queue);
    if (batch.encoded === undefined) return false; // zstd still encoding, or dropped
    if (this.config.idempotence) {
      if (batch.baseSequence < 0) {
        batch.baseSequence = queue.nextSequence;
        queue.nextSequence = (queue.nextSequence + batch.recordCount) % (MAX_SEQUENCE + 1);
      }
      batch.stampProducer(this.identity.producerId, this.identity.producerEpoch);
    }
    return true;
  }

  private dropUnencodable(batch: ProducerBatch, queue: PartitionQueue, err: unknown): void {
    const at = queue.batches.indexOf(batch);
    if (at >= 0) queue.batches.splice(at, 1);
    this.finish(batch, new ProducerError('org.apache.kafka.common.KafkaException', `Failed to encode a record batch for ${batch.topic}-${batch.partition}: ${(err as Error).message}`));
  }

  private sendRequest(node: NodeState, conn: BrokerConnection, batches: ProducerBatch[]): void {
    const topicData: ProduceRequest['topicData'] = [];
    for (const b of batches) {
      b.attempts++;
      let t = topicData.length > 0 && topicData[topicData.length - 1]!.name === b.topic ? topicData[topicData.length - 1] : topicData.find((x) => x.name === b.topic);
      if (!t) topicData.push((t = { name: b.topic, partitionData: [] }));
      t.partitionData.push({ index: b.partition, records: b.encoded! });
    }
    const body: ProduceRequest = { transactionalId: null, acks: this.config.acks, timeoutMs: this.config.requestTimeoutMs, topicData };
    node.inFlight++;
    this.inFlightRequests++;
    let sent: Promise<ProduceResponse | undefined>;
    try {
      const version = conn.version(Produce, { min: 3 });
      sent = this.config.acks === 0
        ? conn.sendOneWay(Produce, version, body).then(() => undefined)
        : conn.send<ProduceResponse>(Produce, version, body, this.config.requestTimeoutMs);
    } catch (err) {
      sent = Promise.reject(err);
    }
    const correlationId = conn.lastCorrelationId;
    sent.then(
      (res) => this.onResponse(node, batches, res, correlationId),
      (err: unknown) => this.onRequestFailed(node, conn, batches, err),
    );
  }

  // ---- outcomes -----------------------------------------------------------------------------

  private requestDone(node: NodeState, batches: ProducerBatch[]): void {
    node.inFlight--;
    this.inFlightRequests--;
    for (const b of batches) this.queueOf(b).inFlight--;
  }

  private onResponse(node: NodeState, batches: ProducerBatch[], res: ProduceResponse | undefined, correlationId: number): void {
    this.requestDone(node, batches);
    if (res === undefined) {
      // acks=0: done once written; the broker says nothing.
      for (const b of batches) this.finish(b, null, -1n, -1n);
      this.schedule();
      return;
    }
    const byTopic = new Map<string, ProduceResponse['responses'][number]['partitionResponses']>();
    for (const t of res.responses) byTopic.set(t.name, t.partitionResponses);
    for (const b of batches) {
      const p = byTopic.get(b.topic)?.find((x) => x.index === b.partition);
      if (!p) {
        this.finish(b, new ProducerError('org.apache.kafka.common.KafkaException', `The Produce response did not include ${b.topic}-${b.partition}`));
        continue;
      }
      if (p.errorCode === 0 || (p.errorCode === ErrorCode.DUPLICATE_SEQUENCE_NUMBER && this.config.idempotence)) {
        this.finish(b, null, p.baseOffset, p.logAppendTimeMs);
        continue;
      }
      const info = kafkaErrorInfo(p.errorCode);
      if (STALE_METADATA_ERRORS.has(p.errorCode)) this.metadata.wanted = true;
      const queue = this.queueOf(b);
      const behindRetry = p.errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER && this.config.idempotence && this.hasEarlierRetry(queue, b);
      if (behindRetry) {
        // Rejected only because an earlier batch failed first: resend it after that one, at no cost.
        b.retryAt = Date.now();
        queue.requeue(b);
        continue;
      }
      const error = new KafkaProtocolError(p.errorCode, p.errorMessage);
      if (this.retry(b, queue, info.retriable)) {
        this.log.warn(`${this.prefix}Got error produce response with correlation id ${correlationId} on topic-partition ${b.topic}-${b.partition}, retrying (${this.config.retries - b.retriesUsed} attempts left). Error: ${info.name}`);
      } else {
        this.finish(b, error);
      }
    }
    this.schedule();
  }

  private onRequestFailed(node: NodeState, conn: BrokerConnection, batches: ProducerBatch[], err: unknown): void {
    this.requestDone(node, batches);
    const network = err instanceof NetworkError;
    if (network) {
      if (!conn.isOpen && node.connection === conn) node.connection = undefined;
      this.metadata.wanted = true;
    }
    const error = err instanceof Error ? err : new Error(String(err));
    for (const b of batches) {
      if (this.retry(b, this.queueOf(b), network)) {
        this.log.warn(`${this.prefix}Retrying a produce request to ${b.topic}-${b.partition} (${this.config.retries - b.retriesUsed} attempts left) after: ${error.message}`);
      } else {
        this.finish(b, error);
      }
    }
    this.schedule();
  }

  /** Puts a batch back for another attempt if the error allows it and attempts and time remain. */
  private retry(batch: ProducerBatch, queue: PartitionQueue, retriable: boolean): boolean {
    const now = Date.now();
    const retryAt = now + this.config.retryBackoffMs;
    if (!retriable || this.closed || batch.retriesUsed >= this.config.retries || retryAt >= batch.createdMs + this.config.deliveryTimeoutMs) return false;
    batch.retriesUsed++;
    batch.retryAt = retryAt;
    queue.requeue(batch);
    return true;
  }

  /** Whether a batch older than `batch` is queued for a retry on this partition. */
  private hasEarlierRetry(queue: PartitionQueue, batch: ProducerBatch): boolean {
    const first = queue.batches[0];
    return first !== undefined && first.ordinal < batch.ordinal && first.attempts > 0;
  }

  /** Completes (error null) or fails a batch and gives its memory back. */
  private finish(batch: ProducerBatch, error: Error | null, baseOffset = -1n, logAppendTime = -1n): void {
    this.acc.finished(batch);
    if (error === null) {
      batch.complete(baseOffset, logAppendTime, this.reportCallbackError);
    } else {
      // Under idempotence a lost batch leaves a gap in its partition's sequence: start over with a new producer id.
      if (this.config.idempotence && batch.baseSequence >= 0) this.identity.requestReset();
      batch.fail(error, this.reportCallbackError);
    }
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    if (this.roomWaiters.length > 0 && this.hasRoom && !this.backlogged) for (const resolve of this.roomWaiters.splice(0)) resolve();
    if (this.idleWaiters.length > 0 && this.acc.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private queueOf(batch: ProducerBatch): PartitionQueue {
    return this.acc.topics.get(batch.topic)!.partitions[batch.partition]!;
  }

  // ---- time limits --------------------------------------------------------------------------

  /** Fails queued batches older than delivery.timeout.ms; returns when the next one would expire. */
  private expire(now: number): number {
    const limit = this.config.deliveryTimeoutMs;
    for (const batch of this.acc.expire(now - limit)) {
      this.finish(batch, new KafkaTimeoutError(`Expiring ${batch.recordCount} record(s) for ${batch.topic}-${batch.partition}:${now - batch.createdMs} ms has passed since batch creation`));
    }
    return this.acc.oldestQueued() + limit;
  }

  /** Fails records that waited max.block.ms for their topic's metadata. */
  private expireWaiting(now: number): number {
    let next = Infinity;
    for (const topic of this.acc.topics.values()) {
      if (topic.waiting.length === 0) continue;
      const deadline = topic.waitingSince + this.config.maxBlockMs;
      if (deadline > now) {
        next = Math.min(next, deadline);
        continue;
      }
      const error = new KafkaTimeoutError(`Topic ${topic.name} not present in metadata after ${this.config.maxBlockMs} ms.`);
      this.failWaiting(this.acc.takeWaiting(topic), error);
      this.wakeWaiters();
    }
    return next;
  }

  // ---- metadata -----------------------------------------------------------------------------

  /** Takes in a Metadata answer: partitions and leaders, records that waited for them, refusals. */
  private applyMetadata(topics: TopicMetadata[]): void {
    for (const t of topics) {
      const topic = this.acc.topics.get(t.name);
      if (!topic) continue;
      if ('errorCode' in t) {
        if (!kafkaErrorInfo(t.errorCode).retriable) this.failTopic(topic, new KafkaProtocolError(t.errorCode));
        continue;
      }
      for (const w of this.acc.updateTopic(topic, t.leaders)) this.appendKnown(topic, w.record, w.partition, w.timestamp, w.callback, w.reserved);
    }
    this.wakeWaiters(); // records that were waiting may have failed (a partition out of range)
  }

  /** A topic the broker refuses (invalid name, not authorized): its records fail now. */
  private failTopic(topic: TopicQueues, error: Error): void {
    this.failWaiting(this.acc.takeWaiting(topic), error);
    for (const queue of topic.partitions) for (const batch of queue.batches.splice(0)) this.finish(batch, error);
    this.wakeWaiters();
  }

  // ---- idempotence --------------------------------------------------------------------------

  /** A new producer id: every partition's sequence starts again, queued batches included. */
  private restartSequences(): void {
    for (const queue of this.acc.allQueues()) {
      queue.nextSequence = 0;
      for (const batch of queue.batches) batch.baseSequence = -1;
    }
  }

  /** A fatal producer error: every queued record fails, and so does every later send. */
  private fail(error: Error): void {
    this.fatal = error;
    for (const batch of this.acc.takeAll()) this.finish(batch, error);
    for (const topic of this.acc.topics.values()) this.failWaiting(this.acc.takeWaiting(topic), error);
    this.wakeWaiters();
  }
}
