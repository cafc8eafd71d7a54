// The producer's view of its topics: partition counts and leaders from Metadata, asked for every
// topic in use at once with auto-creation allowed. One request at a time; an answer that is not
// complete yet (a topic being created answers LEADER_NOT_AVAILABLE or UNKNOWN_TOPIC_OR_PARTITION,
// a partition without a leader) is asked again with backoff (retry.backoff.ms doubling up to 1 s),
// and each topic error is logged as Java's NetworkClient logs it. What to do with the answer
// (and when to give up: max.block.ms) is the producer's business.
import type { Logger } from '../log.js';
import { NetworkError } from './broker-connection.js';
import { kafkaErrorInfo } from './kafka-errors.js';
import { KafkaTimeoutError, type KafkaWireClient } from './wire-client.js';

/** One topic in a Metadata answer: its leaders by partition (-1: none), or its error. */
export type TopicMetadata = { name: string; leaders: ReadonlyMap<number, number> } | { name: string; errorCode: number };

const MAX_BACKOFF_MS = 1000;

export class ProducerMetadata {
  /** A refresh is needed (a topic is unknown or a leader may have moved). */
  wanted = false;
  /** When the last complete answer arrived (for metadata.max.age.ms). */
  fetchedAt = 0;
  private busy = false;
  private retryAt = 0;
  private failures = 0;
  /** Counts answers, for the "correlation id" of the log line. */
  private answers = 0;
  private closed = false;

  /**
   * `apply` receives each answer's topics; `settled` is called after every request, answered or
   * not, so the producer can look again.
   */
  constructor(
    private readonly client: KafkaWireClient,
    private readonly opts: { retryBackoffMs: number; log: Logger; logPrefix: string },
    private readonly apply: (topics: TopicMetadata[]) => void,
    private readonly settled: () => void,
  ) {}

  /** Starts a refresh for `topics` unless one is running or backing off; returns when to look again. */
  refresh(now: number, topics: string[]): number {
    if (this.busy || this.closed) return Infinity;
    if (now < this.retryAt) return this.retryAt;
    this.busy = true;
    this.wanted = false;
    this.client.metadata('fetchMetadata', topics, true).then(
      (res) => {
        if (!this.closed) this.answered(res);
      },
      (err: unknown) => {
        if (this.closed) return;
        this.incomplete();
        // An unreachable cluster is already logged by the wire client, connection by connection.
        if (!(err instanceof NetworkError) && !(err instanceof KafkaTimeoutError)) {
          this.opts.log.warn(`${this.opts.logPrefix}Metadata request failed: ${(err as Error).message}`);
        }
      },
    ).finally(() => {
      this.busy = false;
      if (!this.closed) this.settled();
    });
    return Infinity;
  }

  /** No more requests or callbacks (an answer on its way is dropped). */
  close(): void {
    this.closed = true;
  }

  private answered(res: Awaited<ReturnType<KafkaWireClient['metadata']>>): void {
    this.answers++;
    let complete = true;
    const errors: string[] = [];
    const topics: TopicMetadata[] = [];
    for (const t of res.topics) {
      if (t.name === null) continue;
      if (t.errorCode !== 0) {
        const info = kafkaErrorInfo(t.errorCode);
        errors.push(`${t.name}=${info.name}`);
        if (info.retriable) complete = false;
        topics.push({ name: t.name, errorCode: t.errorCode });
        continue;
      }
      const leaders = new Map(t.partitions.map((p) => [p.partitionIndex, p.leaderId >= 0 ? p.leaderId : -1]));
      if (leaders.size === 0 || [...leaders.values()].some((l) => l < 0)) complete = false;
      topics.push({ name: t.name, leaders });
    }
    if (errors.length > 0) this.opts.log.warn(`${this.opts.logPrefix}Error while fetching metadata with correlation id ${this.answers} : {${errors.join(', ')}}`);
    this.apply(topics);
    if (complete) {
      this.failures = 0;
      this.fetchedAt = Date.now();
    } else {
      this.incomplete();
    }
  }

  private incomplete(): void {
    this.wanted = true;
    this.failures++;
    this.retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, this.opts.retryBackoffMs * 2 ** Math.min(this.failures - 1, 10));
  }
}
