// Reads one topic's partitions directly from their leaders, without a consumer group (what the
// console consumer does with --partition or without --group, like kcat): Metadata finds the
// leaders, ListOffsets resolves the start positions, then a Fetch loop keeps one request in
// flight per leader. The next Fetch is sent as soon as a response's batch boundaries are known,
// before its records are decoded, so the network and the decoding overlap.
//
// Positions only move forward past complete batches; records before the fetch offset (a
// compressed batch is returned whole), control batches and, under read_committed, aborted
// transactional records are dropped here.
import { ZERO_UUID } from '../protocol/codec.js';
import { Fetch, type FetchResponse } from '../protocol/messages/fetch.js';
import { ListOffsets, type ListOffsetsResponse } from '../protocol/messages/list-offsets.js';
import { Attribute, LOG_OVERHEAD, BatchField, batchSizeAt } from '../protocol/records/batch.js';
import { ControlType, decodeRecordBatches, type DecodedBatch } from '../protocol/records/records.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { NetworkError, type BrokerConnection } from './broker-connection.js';
import { ErrorCode, KafkaProtocolError, kafkaErrorInfo } from './kafka-errors.js';
import type { KafkaWireClient } from './wire-client.js';
import { pushTo } from '../multimap.js';

export type StartOffset = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'offset'; offset: bigint };
/** auto.offset.reset */
export type ResetPolicy = 'earliest' | 'latest' | 'none';

/** How a consumer fetches, whoever decides which partitions it reads. */
export interface FetchSettings {
  reset: ResetPolicy;
  readCommitted: boolean;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitionMaxBytes: number;
  verifyCrc: boolean;
  logger?: Logger;
  /** `[Consumer clientId=…] ` for log lines. */
  logPrefix?: string;
}

export interface PartitionReaderOptions extends FetchSettings {
  topic: string;
  /** Only this partition; all of the topic's partitions when undefined. */
  partition?: number;
  start: StartOffset;
}

export interface FetchedBatch {
  partition: number;
  batch: DecodedBatch;
}

interface PartitionState {
  partition: number;
  leader: number;
  /** Next offset to fetch; null until resolved. */
  position: bigint | null;
  /** How to resolve a null position. */
  seek: StartOffset;
}

interface FetchOutcome {
  leader: number;
  sent: Map<number, bigint>;
  response?: FetchResponse;
  error?: unknown;
}

const EARLIEST = -2n;
const LATEST = -1n;
const LEADERSHIP_ERRORS = new Set([3, 5, 6, 74, 75, 100]);

/** Offset after the last complete batch in `records`, or null if none is complete. */
export function nextOffsetAfter(records: Buffer): bigint | null {
  let at = 0;
  let next: bigint | null = null;
  while (records.length - at >= LOG_OVERHEAD) {
    const size = batchSizeAt(records, at);
    if (size < LOG_OVERHEAD || size > records.length - at) break;
    const base = records.readBigInt64BE(at);
    const magic = records.readInt8(at + BatchField.magic);
    // Legacy (magic 0/1) entries carry the last inner offset themselves.
    next = (magic >= 2 ? base + BigInt(records.readInt32BE(at + BatchField.lastOffsetDelta)) : base) + 1n;
    at += size;
  }
  return next;
}

/** Drops control batches and aborted transactional batches (read_committed). */
export function committedBatches(batches: DecodedBatch[], aborted: ReadonlyArray<{ producerId: bigint; firstOffset: bigint }>): DecodedBatch[] {
  const pending = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const abortedProducers = new Set<bigint>();
  const out: DecodedBatch[] = [];
  for (const b of batches) {
    const lastOffset = b.header.baseOffset + BigInt(b.header.lastOffsetDelta);
    while (pending.length > 0 && pending[0]!.firstOffset <= lastOffset) abortedProducers.add(pending.shift()!.producerId);
    if (b.header.attributes & Attribute.control) {
      if (b.control?.type === ControlType.ABORT) abortedProducers.delete(b.header.producerId);
      continue;
    }
    if (b.header.attributes & Attribute.transactional && abortedProducers.has(b.header.producerId)) continue;
    out.push(b);
  }
  return out;
}

export class PartitionReader {
  private topicId = ZERO_UUID;
  private readonly states = new Map<number, PartitionState>();
  private metadataStale = true;
  private readonly inFlight = new Map<number, Promise<FetchOutcome>>();
  private closed = false;
  private wake: () => void = () => {};
  private readonly woken = new Promise<void>((r) => (this.wake = r));
  private readonly log: Logger;
  private metadataAttempts = 0;
  /** Rotates partition order so every partition is sometimes first in a Fetch (KIP-74 progress). */
  private rotation = 0;

  constructor(
    private readonly client: KafkaWireClient,
    private readonly opts: PartitionReaderOptions,
  ) {
    this.log = (opts.logger ?? silentLogger).child('org.apache.kafka.clients.NetworkClient');
  }

  /**
   * The next decoded batches (in offset order per partition), or [] when `deadline` passes
   * (epoch ms; Infinity waits forever) or the reader is closed.
   */
  async poll(deadline: number): Promise<FetchedBatch[]> {
    while (!this.closed && Date.now() < deadline) {
      if (this.metadataStale && !(await this.refreshMetadata(deadline))) continue;
      if ([...this.states.values()].some((s) => s.position === null) && !(await this.resolvePositions())) {
        await this.pause(deadline, this.client.settings.retryBackoffMs);
        continue;
      }
      this.startFetches();
      if (this.inFlight.size === 0) {
        this.metadataStale = true;
        await this.pause(deadline, this.client.settings.retryBackoffMs);
        continue;
      }
      const outcome = await this.waitFor(Promise.race(this.inFlight.values()), deadline);
      if (!outcome) continue;
      this.inFlight.delete(outcome.leader);
      const batches = await this.handle(outcome);
      if (batches.length > 0) return batches;
    }
    return [];
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  // ---- metadata and positions ---------------------------------------------------------------

  private async refreshMetadata(deadline: number): Promise<boolean> {
    const { topic } = this.opts;
    let res;
    try {
      res = await this.waitFor(this.client.metadata('fetchMetadata', [topic], true), deadline);
    } catch (err) {
      if (err instanceof NetworkError || (err as Error).name === 'KafkaTimeoutError') {
        await this.pause(deadline, this.client.settings.retryBackoffMs);
        return false;
      }
      throw err;
    }
    if (!res) return false;
    const t = res.topics.find((x) => x.name === topic);
    const error = t ? t.errorCode : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    if (error !== 0) {
      if (!kafkaErrorInfo(error).retriable) throw new KafkaProtocolError(error);
      this.log.warn(`${this.opts.logPrefix ?? ''}Error while fetching metadata with correlation id ${++this.metadataAttempts} : {${topic}=${kafkaErrorInfo(error).name}}`);
      await this.pause(deadline, Math.min(1000, 100 * 2 ** Math.min(this.metadataAttempts, 4)));
      return false;
    }
    this.topicId = t!.topicId;
    for (const p of t!.partitions) {
      if (this.opts.partition !== undefined && p.partitionIndex !== this.opts.partition) continue;
      const known = this.states.get(p.partitionIndex);
      if (known) known.leader = p.leaderId;
      else this.states.set(p.partitionIndex, { partition: p.partitionIndex, leader: p.leaderId, position: null, seek: this.opts.start });
    }
    if (this.states.size === 0 || [...this.states.values()].some((s) => s.leader < 0)) {
      // An assigned partition that does not exist (yet), or one without a leader: keep asking.
      await this.pause(deadline, this.client.settings.retryBackoffMs);
      return false;
    }
    this.metadataStale = false;
    return true;
  }

  /** ListOffsets for every partition without a position; false if some need another try. */
  private async resolvePositions(): Promise<boolean> {
    const byLeader = new Map<number, PartitionState[]>();
    for (const s of this.states.values()) {
      if (s.position !== null) continue;
      if (s.seek.kind === 'offset') {
        s.position = s.seek.offset;
        continue;
      }
      pushTo(byLeader, s.leader, s);
    }
    let complete = true;
    await Promise.all([...byLeader].map(async ([leader, states]) => {
      let res: ListOffsetsResponse;
      try {
        const conn = await this.client.connection(leader);
        res = await conn.request<ListOffsetsResponse>(ListOffsets, {
          replicaId: -1,
          isolationLevel: this.opts.readCommitted ? 1 : 0,
          topics: [{ name: this.opts.topic, partitions: states.map((s) => ({ partitionIndex: s.partition, currentLeaderEpoch: -1, timestamp: s.seek.kind === 'earliest' ? EARLIEST : LATEST })) }],
          timeoutMs: this.client.settings.requestTimeoutMs,
        }, { min: 1 });
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        this.connectionLost(leader);
        complete = false;
        return;
      }
      for (const p of res.topics.flatMap((t) => t.partitions)) {
        const s = this.states.get(p.partitionIndex);
        if (!s) continue;
        if (p.errorCode === 0) s.position = p.offset;
        else if (LEADERSHIP_ERRORS.has(p.errorCode)) {
          this.metadataStale = true;
          complete = false;
        } else throw new KafkaProtocolError(p.errorCode);
      }
    }));
    return complete && [...this.states.values()].every((s) => s.position !== null);
  }

  // ---- fetching -------------------------------------------------------------------------------

  private startFetches(): void {
    const byLeader = new Map<number, PartitionState[]>();
    const states = [...this.states.values()];
    this.rotation = (this.rotation + 1) % Math.max(states.length, 1);
    for (const s of [...states.slice(this.rotation), ...states.slice(0, this.rotation)]) {
      if (s.position === null || s.leader < 0 || this.inFlight.has(s.leader)) continue;
      pushTo(byLeader, s.leader, s);
    }
    for (const [leader, parts] of byLeader) this.inFlight.set(leader, this.fetchFrom(leader, parts));
  }

  private async fetchFrom(leader: number, parts: PartitionState[]): Promise<FetchOutcome> {
    const sent = new Map(parts.map((s) => [s.partition, s.position!]));
    try {
      const conn: BrokerConnection = await this.client.connection(leader);
      const response = await conn.request<FetchResponse>(Fetch, {
        replicaId: -1,
        maxWaitMs: this.opts.maxWaitMs,
        minBytes: this.opts.minBytes,
        maxBytes: this.opts.maxBytes,
        isolationLevel: this.opts.readCommitted ? 1 : 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{
          topic: this.opts.topic,
          topicId: this.topicId,
          partitions: parts.map((s) => ({ partition: s.partition, currentLeaderEpoch: -1, fetchOffset: s.position!, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: this.opts.partitionMaxBytes })),
        }],
        forgottenTopicsData: [],
        rackId: '',
      }, { max: this.topicId === ZERO_UUID ? 12 : undefined, timeoutMs: this.client.settings.requestTimeoutMs + this.opts.maxWaitMs });
      return { leader, sent, response };
    } catch (error) {
      return { leader, sent, error };
    }
  }

  private async handle(outcome: FetchOutcome): Promise<FetchedBatch[]> {
    if (outcome.error !== undefined) {
      if (!(outcome.error instanceof NetworkError)) throw outcome.error;
      this.connectionLost(outcome.leader);
      return [];
    }
    const res = outcome.response!;
    if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode);
    const work: Array<{ partition: number; from: bigint; records: Buffer; aborted: Array<{ producerId: bigint; firstOffset: bigint }> }> = [];
    for (const topic of res.responses) {
      for (const p of topic.partitions) {
        const s = this.states.get(p.partitionIndex);
        const from = outcome.sent.get(p.partitionIndex);
        if (!s || from === undefined || s.position !== from) continue; // moved on meanwhile
        if (p.errorCode !== 0) {
          this.partitionError(s, p.errorCode);
          continue;
        }
        const records = p.records;
        if (!records || records.length === 0) continue;
        const next = nextOffsetAfter(records);
        if (next !== null && next > s.position) s.position = next;
        work.push({ partition: s.partition, from, records, aborted: p.abortedTransactions ?? [] });
      }
    }
    this.startFetches(); // the next round trip overlaps with decoding this one
    const out: FetchedBatch[] = [];
    for (const w of work) {
      let batches = await decodeRecordBatches(w.records, { verifyCrc: this.opts.verifyCrc });
      batches = this.opts.readCommitted ? committedBatches(batches, w.aborted) : batches.filter((b) => !(b.header.attributes & Attribute.control));
      for (const batch of batches) {
        if (batch.header.baseOffset < w.from) batch.records = batch.records.filter((r) => r.offset >= w.from);
        if (batch.records.length > 0) out.push({ partition: w.partition, batch });
      }
    }
    return out;
  }

  private partitionError(s: PartitionState, code: number): void {
    if (code === ErrorCode.OFFSET_OUT_OF_RANGE) {
      if (this.opts.reset === 'none') throw new KafkaProtocolError(code, `Fetch position FetchPosition{offset=${s.position}} is out of range for partition ${this.opts.topic}-${s.partition}`);
      s.position = null;
      s.seek = { kind: this.opts.reset };
      return;
    }
    if (LEADERSHIP_ERRORS.has(code)) {
      this.metadataStale = true;
      return;
    }
    throw new KafkaProtocolError(code);
  }

  private connectionLost(leader: number): void {
    this.metadataStale = true;
    this.log.warn(`${this.opts.logPrefix ?? ''}Connection to node ${leader} could not be established. Node may not be available.`);
  }

  /** Resolves with the value, or undefined at the deadline or on close. */
  private waitFor<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
    const waits: Array<Promise<T | undefined>> = [promise, this.woken.then(() => undefined)];
    let timer: NodeJS.Timeout | undefined;
    if (Number.isFinite(deadline)) waits.push(new Promise((r) => (timer = setTimeout(() => r(undefined), Math.max(0, deadline - Date.now())))));
    return Promise.race(waits).finally(() => clearTimeout(timer));
  }

  private async pause(deadline: number, ms: number): Promise<void> {
    await this.waitFor(new Promise<never>(() => {}), Math.min(deadline, Date.now() + ms));
  }
}
