// Sends console-producer records through kafkajs in large batches. kafkajs turns each `send`
// into one request per broker, so per-line sends would cap throughput at a few thousand lines a
// second; instead records accumulate until the linger time passes or the batch nears the
// request size limit, with a few batches in flight and back-pressure beyond that. Failed
// batches are only logged, as Kafka's ErrorLoggingCallback does (the console producer still
// exits 0 at EOF); `sendNow` is the `--sync` path that awaits each record and throws.
import type { Producer, Message } from 'kafkajs';
import type { Writable } from 'node:stream';
import { logTimestamp } from '../log.js';
import { javaClassForErrorName } from './kafka-errors.js';

export interface BatchingOptions {
  topic: string;
  acks: number;
  compression: number;
  /** linger.ms: the longest a record waits before its batch is sent. */
  lingerMs: number;
  /** Broker-side wait for acks (request.timeout.ms). */
  ackTimeoutMs: number;
  /** Flush once the pending records reach about this many bytes (max.request.size). */
  maxBatchBytes: number;
  /**
   * Flush at this many records too: kafkajs groups a send's records per partition with a
   * quadratic copy, so very large sends get slower per record, not faster.
   */
  maxBatchRecords: number;
  maxInFlight: number;
  stderr: Writable;
}

/** Rough encoded size of a record: key, value, header bytes plus the per-record framing. */
function recordSize(m: Message): number {
  let n = 24;
  if (m.key != null) n += m.key.length;
  if (m.value != null) n += m.value.length;
  if (m.headers) for (const [k, v] of Object.entries(m.headers)) n += k.length + 8 + (Array.isArray(v) ? v.join('').length : v ? v.length : 0);
  return n;
}

const describeBytes = (b: Message['value'] | undefined): string => (b == null ? 'null' : `${Buffer.byteLength(b)} bytes`);

/** kafkajs wraps the broker's error in retry errors; the innermost one names the real problem. */
export function rootCause(err: unknown): Error {
  let e = err as Error & { originalError?: unknown; cause?: unknown };
  while (e && (e.originalError instanceof Error || e.cause instanceof Error)) {
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return e;
}

export function javaClassOfKafkajsError(err: unknown): string {
  const type = (rootCause(err) as { type?: unknown }).type;
  return (typeof type === 'string' && javaClassForErrorName(type)) || 'org.apache.kafka.common.KafkaException';
}

export class BatchingProducer {
  private pending: Message[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly producer: Producer,
    private readonly opts: BatchingOptions,
  ) {}

  /** Queues a record; resolves once there is room for more (back-pressure for the reader). */
  async add(message: Message): Promise<void> {
    this.pending.push(message);
    this.pendingBytes += recordSize(message);
    if (this.pendingBytes >= this.opts.maxBatchBytes || this.pending.length >= this.opts.maxBatchRecords) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.opts.lingerMs);
    while (this.inFlight.size >= this.opts.maxInFlight) await Promise.race(this.inFlight);
  }

  /** `--sync`: sends one record and waits for its acknowledgement; failures throw. */
  async sendNow(message: Message): Promise<void> {
    await this.producer.send({ topic: this.opts.topic, messages: [message], acks: this.opts.acks, compression: this.opts.compression, timeout: this.opts.ackTimeoutMs });
  }

  /** Sends whatever is pending now, without waiting for it. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const messages = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const sending: Promise<void> = this.producer
      .send({ topic: this.opts.topic, messages, acks: this.opts.acks, compression: this.opts.compression, timeout: this.opts.ackTimeoutMs })
      .then(() => undefined, (err: unknown) => this.logFailure(messages, err))
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  /** Flushes and waits for every batch to be acknowledged or to have failed. */
  async drain(): Promise<void> {
    this.flush();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private logFailure(messages: Message[], err: unknown): void {
    const cause = rootCause(err);
    const detail = `${javaClassOfKafkajsError(err)}: ${cause.message}\n`;
    let text = '';
    for (const m of messages) {
      text += `[${logTimestamp()}] ERROR Error when sending message to topic ${this.opts.topic} with key: ${describeBytes(m.key)}, value: ${describeBytes(m.value)} with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)\n${detail}`;
    }
    this.opts.stderr.write(text);
  }
}
