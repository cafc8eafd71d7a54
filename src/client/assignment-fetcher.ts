// Fetches the partitions a consumer group assigned to this member, across topics, each from its
// own position: the committed offset, or auto.offset.reset where there is none (or the position
// fell out of range). One Fetch is in flight per leader. An assignment change bumps an epoch, and
// responses to fetches sent for an older assignment are dropped, so records of partitions given up
// in a rebalance never surface. Record handling matches PartitionReader: positions move past
// complete batches only; control batches, aborted transactional records (read_committed) and
// records before the fetch offset are dropped.
import { ZERO_UUID } from '../protocol/codec.js';
import { Fetch, type FetchResponse } from '../protocol/messages/fetch.js';
import { ListOffsets, type ListOffsetsResponse } from '../protocol/messages/list-offsets.js';
import { Attribute } from '../protocol/records/batch.js';
import { decodeRecordBatches, type DecodedBatch } from '../protocol/records/records.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { NetworkError } from './broker-connection.js';
import { ErrorCode, KafkaProtocolError, kafkaErrorInfo } from './kafka-errors.js';
import { committedBatches, nextOffsetAfter, type FetchSettings } from './partition-reader.js';
import type { KafkaWireClient } from './wire-client.js';
import { pushTo } from '../multimap.js';

export interface AssignedPartition {
  topic: string;
  partition: number;
  /** Where to start; null: per auto.offset.reset. */
  position: bigint | null;
}

export interface TopicBatch {
  topic: string;
  partition: number;
  batch: DecodedBatch;
}

export type FetcherOptions = FetchSettings;

interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  position: bigint | null;
  seek: 'earliest' | 'latest';
}

interface FetchOutcome {
  leader: number;
  epoch: number;
  sent: Map<string, bigint>;
  response?: FetchResponse;
  error?: unknown;
}

const key = (topic: string, partition: number): string => `${topic}-${partition}`;
const LEADERSHIP_ERRORS = new Set([3, 5, 6, 74, 75, 100]);

/** Java's NoOffsetForPartitionException (auto.offset.reset=none and nothing committed). */
export class NoOffsetForPartitionError extends Error {
  readonly javaClass = 'org.apache.kafka.clients.consumer.NoOffsetForPartitionException';
  constructor(partitions: readonly string[]) {
    super(`Undefined offset with no reset policy for partitions: [${partitions.join(', ')}]`);
    this.name = 'NoOffsetForPartitionError';
  }
}

export class AssignmentFetcher {
  private states = new Map<string, PartitionState>();
  private topicIds = new Map<string, string>();
  private namesById = new Map<string, string>();
  private epoch = 0;
  private metadataStale = true;
  private lastMetadataAt = 0;
  private readonly inFlight = new Map<number, Promise<FetchOutcome>>();
  private rotation = 0;
  private readonly log: Logger;

  constructor(
    private readonly client: KafkaWireClient,
    private readonly opts: FetcherOptions,
  ) {
    this.log = (opts.logger ?? silentLogger).child('org.apache.kafka.clients.NetworkClient');
  }

  /** Replaces the assignment; fetches already sent for the old one are ignored when they return. */
  assign(partitions: readonly AssignedPartition[]): void {
    this.epoch++;
    this.inFlight.clear();
    this.states = new Map(partitions.map((p) => [key(p.topic, p.partition), {
      topic: p.topic, partition: p.partition, leader: -1, position: p.position, seek: this.opts.reset === 'earliest' ? 'earliest' : 'latest',
    }]));
    this.metadataStale = true;
    this.lastMetadataAt = 0;
  }

  get assigned(): number {
    return this.states.size;
  }

  /** Current positions of the partitions that have one. */
  positions(): Map<string, { topic: string; partition: number; offset: bigint }> {
    const out = new Map<string, { topic: string; partition: number; offset: bigint }>();
    for (const [k, s] of this.states) if (s.position !== null) out.set(k, { topic: s.topic, partition: s.partition, offset: s.position });
    return out;
  }

  /**
   * One step: refreshes leaders, resolves positions, keeps a fetch in flight per leader and waits
   * for one to answer. Returns its batches (possibly none); returns [] early when `interrupt`
   * settles or the deadline passes.
   */
  async step(deadline: number, interrupt: Promise<unknown>): Promise<TopicBatch[]> {
    if (this.states.size === 0) {
      await race(interrupt, deadline);
      return [];
    }
    // Lookups are bounded by the caller's deadline; one cut short carries on and lands later.
    if (this.metadataStale && Date.now() - this.lastMetadataAt >= this.client.settings.retryBackoffMs && !(await race(this.refreshMetadata(), deadline, interrupt))) {
      await race(interrupt, Math.min(deadline, Date.now() + this.client.settings.retryBackoffMs));
      return [];
    }
    if ([...this.states.values()].some((s) => s.position === null) && !(await race(this.resolvePositions(), deadline, interrupt))) {
      await race(interrupt, Math.min(deadline, Date.now() + this.client.settings.retryBackoffMs));
      return [];
    }
    this.startFetches();
    if (this.inFlight.size === 0) {
      this.metadataStale = true;
      await race(interrupt, Math.min(deadline, Date.now() + this.client.settings.retryBackoffMs));
      return [];
    }
    const outcome = await race(Promise.race(this.inFlight.values()), deadline, interrupt);
    if (!outcome) return [];
    if (this.inFlight.get(outcome.leader) !== undefined && outcome.epoch === this.epoch) this.inFlight.delete(outcome.leader);
    if (outcome.epoch !== this.epoch) return [];
    return this.handle(outcome);
  }

  private async refreshMetadata(): Promise<boolean> {
    const topics = [...new Set([...this.states.values()].map((s) => s.topic))];
    this.lastMetadataAt = Date.now();
    let res;
    try {
      res = await this.client.metadata('fetchMetadata', topics);
    } catch (err) {
      if (err instanceof NetworkError || (err as Error).name === 'KafkaTimeoutError') return false;
      throw err;
    }
    let complete = true;
    for (const t of res.topics) {
      if (t.name === null) continue;
      if (t.errorCode !== 0) {
        complete = false;
        if (!kafkaErrorInfo(t.errorCode).retriable) throw new KafkaProtocolError(t.errorCode);
        continue;
      }
      this.topicIds.set(t.name, t.topicId);
      this.namesById.set(t.topicId, t.name);
      for (const p of t.partitions) {
        const s = this.states.get(key(t.name, p.partitionIndex));
        if (s) s.leader = p.leaderId;
      }
    }
    if ([...this.states.values()].some((s) => s.leader < 0)) complete = false;
    this.metadataStale = !complete;
    return complete || [...this.states.values()].some((s) => s.leader >= 0);
  }

  private async resolvePositions(): Promise<boolean> {
    const pending = [...this.states.values()].filter((s) => s.position === null);
    if (this.opts.reset === 'none' && pending.length > 0) throw new NoOffsetForPartitionError(pending.map((s) => key(s.topic, s.partition)));
    const byLeader = new Map<number, PartitionState[]>();
    for (const s of pending) if (s.leader >= 0) pushTo(byLeader, s.leader, s);
    let complete = byLeader.size > 0 && [...byLeader.values()].flat().length === pending.length;
    const epoch = this.epoch;
    await Promise.all([...byLeader].map(async ([leader, states]) => {
      const byTopic = new Map<string, PartitionState[]>();
      for (const s of states) pushTo(byTopic, s.topic, s);
      let res: ListOffsetsResponse;
      try {
        const conn = await this.client.connection(leader);
        res = await conn.request<ListOffsetsResponse>(ListOffsets, {
          replicaId: -1,
          isolationLevel: this.opts.readCommitted ? 1 : 0,
          topics: [...byTopic].map(([name, ss]) => ({ name, partitions: ss.map((s) => ({ partitionIndex: s.partition, currentLeaderEpoch: -1, timestamp: s.seek === 'earliest' ? -2n : -1n })) })),
          timeoutMs: this.client.settings.requestTimeoutMs,
        }, { min: 1 });
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        this.metadataStale = true;
        complete = false;
        return;
      }
      if (epoch !== this.epoch) return;
      for (const t of res.topics) {
        for (const p of t.partitions) {
          const s = this.states.get(key(t.name, p.partitionIndex));
          if (!s || s.position !== null) continue;
          if (p.errorCode === 0) s.position = p.offset;
          else if (LEADERSHIP_ERRORS.has(p.errorCode)) {
            this.metadataStale = true;
            complete = false;
          } else throw new KafkaProtocolError(p.errorCode);
        }
      }
    }));
    return complete;
  }

  private startFetches(): void {
    const states = [...this.states.values()];
    this.rotation = (this.rotation + 1) % Math.max(states.length, 1);
    const byLeader = new Map<number, PartitionState[]>();
    for (const s of [...states.slice(this.rotation), ...states.slice(0, this.rotation)]) {
      if (s.position === null || s.leader < 0 || this.inFlight.has(s.leader)) continue;
      pushTo(byLeader, s.leader, s);
    }
    for (const [leader, parts] of byLeader) this.inFlight.set(leader, this.fetchFrom(leader, parts, this.epoch));
  }

  private async fetchFrom(leader: number, parts: PartitionState[], epoch: number): Promise<FetchOutcome> {
    const sent = new Map(parts.map((s) => [key(s.topic, s.partition), s.position!]));
    const byTopic = new Map<string, PartitionState[]>();
    for (const s of parts) pushTo(byTopic, s.topic, s);
    const withoutIds = [...byTopic.keys()].some((t) => (this.topicIds.get(t) ?? ZERO_UUID) === ZERO_UUID);
    try {
      const conn = await this.client.connection(leader);
      const response = await conn.request<FetchResponse>(Fetch, {
        clusterId: null,
        replicaId: -1,
        replicaState: { replicaId: -1, replicaEpoch: -1n },
        maxWaitMs: this.opts.maxWaitMs,
        minBytes: this.opts.minBytes,
        maxBytes: this.opts.maxBytes,
        isolationLevel: this.opts.readCommitted ? 1 : 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [...byTopic].map(([topic, ss]) => ({
          topic,
          topicId: this.topicIds.get(topic) ?? ZERO_UUID,
          partitions: ss.map((s) => ({ partition: s.partition, currentLeaderEpoch: -1, fetchOffset: s.position!, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: this.opts.partitionMaxBytes, replicaDirectoryId: ZERO_UUID })),
        })),
        forgottenTopicsData: [],
        rackId: '',
      }, { max: withoutIds ? 12 : undefined, timeoutMs: this.client.settings.requestTimeoutMs + this.opts.maxWaitMs });
      return { leader, epoch, sent, response };
    } catch (error) {
      return { leader, epoch, sent, error };
    }
  }

  private async handle(outcome: FetchOutcome): Promise<TopicBatch[]> {
    if (outcome.error !== undefined) {
      if (!(outcome.error instanceof NetworkError)) throw outcome.error;
      this.metadataStale = true;
      this.log.warn(`${this.opts.logPrefix ?? ''}Connection to node ${outcome.leader} could not be established. Node may not be available.`);
      return [];
    }
    const res = outcome.response!;
    if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode);
    const work: Array<{ topic: string; partition: number; from: bigint; records: Buffer; aborted: Array<{ producerId: bigint; firstOffset: bigint }> }> = [];
    for (const t of res.responses) {
      const topic = t.topic !== '' ? t.topic : this.namesById.get(t.topicId);
      if (topic === undefined) continue;
      for (const p of t.partitions) {
        const k = key(topic, p.partitionIndex);
        const s = this.states.get(k);
        const from = outcome.sent.get(k);
        if (!s || from === undefined || s.position !== from) continue;
        if (p.errorCode !== 0) {
          this.partitionError(s, p.errorCode);
          continue;
        }
        if (!p.records || p.records.length === 0) continue;
        const next = nextOffsetAfter(p.records);
        if (next !== null && next > s.position) s.position = next;
        work.push({ topic, partition: s.partition, from, records: p.records, aborted: p.abortedTransactions ?? [] });
      }
    }
    this.startFetches();
    const out: TopicBatch[] = [];
    for (const w of work) {
      let batches = await decodeRecordBatches(w.records, { verifyCrc: this.opts.verifyCrc });
      batches = this.opts.readCommitted ? committedBatches(batches, w.aborted) : batches.filter((b) => !(b.header.attributes & Attribute.control));
      for (const batch of batches) {
        if (batch.header.baseOffset < w.from) batch.records = batch.records.filter((r) => r.offset >= w.from);
        if (batch.records.length > 0) out.push({ topic: w.topic, partition: w.partition, batch });
      }
    }
    return out;
  }

  private partitionError(s: PartitionState, code: number): void {
    if (code === ErrorCode.OFFSET_OUT_OF_RANGE) {
      if (this.opts.reset === 'none') throw new KafkaProtocolError(code, `Fetch position FetchPosition{offset=${s.position}} is out of range for partition ${key(s.topic, s.partition)}`);
      s.position = null;
      return;
    }
    if (LEADERSHIP_ERRORS.has(code)) {
      this.metadataStale = true;
      return;
    }
    throw new KafkaProtocolError(code);
  }
}

/** The value, or undefined once `deadline` passes or `interrupt` settles. */
export async function race<T>(promise: Promise<T>, deadline: number, interrupt?: Promise<unknown>): Promise<T | undefined> {
  const waits: Array<Promise<T | undefined>> = [promise];
  if (interrupt) waits.push(interrupt.then(() => undefined, () => undefined));
  let timer: NodeJS.Timeout | undefined;
  if (Number.isFinite(deadline)) waits.push(new Promise((r) => (timer = setTimeout(() => r(undefined), Math.max(0, deadline - Date.now())))));
  try {
    return await Promise.race(waits);
  } finally {
    clearTimeout(timer);
  }
}
