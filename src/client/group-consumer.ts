// A classic consumer-group member on the wire client, as the Java consumer behaves for
// kafka-console-consumer --group: JoinGroup with the consumer protocol and the eager range
// assignor (the leader assigns), SyncGroup, committed offsets fetched for the assignment (or
// auto.offset.reset), heartbeats every heartbeat.interval.ms on a connection of its own,
// auto-commit of what was processed every auto.commit.interval.ms, a commit before each rebalance
// and on shutdown, then LeaveGroup. Subscription is a topic list or a pattern re-evaluated
// against the cluster's topics every metadata.max.age.ms.
//
// The member only moves on inside poll(): heartbeats merely flag a needed rejoin and wake the
// poll. What counts as processed is what the caller reports through processed(), so a run that
// stops mid-fetch commits exactly up to the last record it printed.
import { FindCoordinator, type FindCoordinatorResponse } from '../protocol/messages/find-coordinator.js';
import { Heartbeat, type HeartbeatResponse } from '../protocol/messages/heartbeat.js';
import { JoinGroup, type JoinGroupResponse } from '../protocol/messages/join-group.js';
import { LeaveGroup } from '../protocol/messages/leave-group.js';
import { type MetadataResponse } from '../protocol/messages/metadata.js';
import { OffsetCommit, type OffsetCommitResponse } from '../protocol/messages/offset-commit.js';
import { OffsetFetch, type OffsetFetchResponse } from '../protocol/messages/offset-fetch.js';
import { SyncGroup, type SyncGroupResponse } from '../protocol/messages/sync-group.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { AssignmentFetcher, race, type FetcherOptions, type TopicBatch } from './assignment-fetcher.js';
import { NetworkError, type BrokerConnection } from './broker-connection.js';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, rangeAssign } from './consumer-protocol.js';
import { ErrorCode, KafkaProtocolError, kafkaErrorInfo } from './kafka-errors.js';
import type { KafkaWireClient } from './wire-client.js';
import { pushTo } from '../multimap.js';

export interface GroupConsumerOptions {
  groupId: string;
  /** Subscribe to these topics… */
  topics?: readonly string[];
  /** …or to every topic this matches (whole name). */
  pattern?: (topic: string) => boolean;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  /** max.poll.interval.ms: how long the coordinator waits for members to rejoin. */
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  autoCommit: boolean;
  autoCommitIntervalMs: number;
  metadataMaxAgeMs: number;
  allowAutoCreateTopics: boolean;
  excludeInternalTopics: boolean;
  fetch: FetcherOptions;
  /** Rebalance listener: partitions given up before a rejoin (eager protocol)… */
  onPartitionsRevoked?: (partitions: ReadonlyArray<{ topic: string; partition: number }>) => void;
  /** …and the partitions of each new assignment. */
  onPartitionsAssigned?: (partitions: ReadonlyArray<{ topic: string; partition: number }>) => void;
  logger?: Logger;
  /** `[Consumer clientId=…, groupId=…] ` */
  logPrefix?: string;
}

/** Where processing stopped in the batches of the last poll: batch index, and the offset after the last processed record. */
export interface ProcessedMark {
  batch: number;
  nextOffset: bigint;
}

interface Node {
  nodeId: number;
  host: string;
  port: number;
}

interface Offset {
  topic: string;
  partition: number;
  offset: bigint;
}

const RANGE = 'range';
const key = (topic: string, partition: number): string => `${topic}-${partition}`;
const COORDINATOR_ERRORS = new Set<number>([ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]);

/** A failure worth another try after a backoff (coordinator moved or loading, connection lost). */
class RetryLater extends Error {}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class GroupConsumer {
  private memberId = '';
  private generationId = -1;
  private protocolName: string | null = null;
  private coordinator: Node | null = null;
  private rejoinNeeded = true;
  /** Set when the coordinator no longer knows our generation: its partitions are lost, not committed. */
  private lost = false;
  private joining: Promise<void> | null = null;
  private assignment = new Set<string>();
  private assignedList: Array<{ topic: string; partition: number }> = [];
  private subscribed: string[];
  private snapshot: string | null = null;
  private nextMetadataAt = 0;
  private metadataAttempts = 0;
  private readonly consumed = new Map<string, Offset>();
  private lastCommitted = new Map<string, bigint>();
  private pending: { batches: TopicBatch[]; after: Map<string, Offset> } | null = null;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private nextAutoCommitAt: number;
  private commits: Promise<void> = Promise.resolve();
  private closed = false;
  private failure: unknown;
  private wakeUp: () => void = () => {};
  private woken: Promise<void>;
  private readonly fetcher: AssignmentFetcher;
  private readonly log: Logger;
  private readonly prefix: string;

  constructor(
    private readonly client: KafkaWireClient,
    private readonly opts: GroupConsumerOptions,
  ) {
    this.fetcher = new AssignmentFetcher(client, opts.fetch);
    this.subscribed = opts.topics ? [...new Set(opts.topics)].sort() : [];
    this.nextAutoCommitAt = Date.now() + opts.autoCommitIntervalMs;
    this.log = (opts.logger ?? silentLogger).child('org.apache.kafka.clients.consumer.internals.ConsumerCoordinator');
    this.prefix = opts.logPrefix ?? '';
    this.woken = new Promise((r) => (this.wakeUp = r));
  }

  /** Wakes a waiting poll (a rejoin is needed, a failure happened, or the consumer closed). */
  private wake(): void {
    const fire = this.wakeUp;
    this.woken = new Promise((r) => (this.wakeUp = r));
    fire();
  }

  private requestRejoin(): void {
    this.rejoinNeeded = true;
    this.wake();
  }

  // ---- polling --------------------------------------------------------------------------------

  /**
   * The next batches of the assigned partitions, or [] when the deadline passes or the consumer
   * is closed. The caller processes everything returned and reports it with processed() before
   * polling again.
   */
  async poll(deadline: number): Promise<TopicBatch[]> {
    if (this.pending) this.processed();
    while (!this.closed && Date.now() < deadline) {
      if (this.failure) throw this.failure;
      if (Date.now() >= this.nextMetadataAt) {
        await this.refreshSubscription(deadline);
        continue;
      }
      if ((this.rejoinNeeded && this.subscribed.length > 0) || this.joining) {
        this.joining ??= this.join().then(
          () => {},
          (err) => {
            this.failure = err;
          },
        ).finally(() => {
          this.joining = null;
        });
        await race(this.joining, deadline, this.woken);
        continue;
      }
      this.maybeAutoCommit();
      const until = Math.min(deadline, this.nextMetadataAt, this.opts.autoCommit && this.assignment.size > 0 ? this.nextAutoCommitAt : Infinity);
      const batches = await this.fetcher.step(until, this.woken);
      if (batches.length > 0) {
        this.pending = { batches, after: this.fetcher.positions() };
        return batches;
      }
      // Nothing is waiting to be processed: every position counts as consumed (what Java commits).
      this.markConsumed(this.fetcher.positions());
    }
    if (this.failure) throw this.failure;
    return [];
  }

  /** Reports what the caller processed of the last poll: all of it, or up to `stop`. */
  processed(stop?: ProcessedMark): void {
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    if (!stop) {
      this.markConsumed(p.after);
      return;
    }
    const lastIndex = new Map<string, number>();
    p.batches.forEach((b, i) => lastIndex.set(key(b.topic, b.partition), i));
    // Partitions with nothing in this poll keep their position, as in Java.
    for (const [k, o] of p.after) if (!lastIndex.has(k) && this.assignment.has(k)) this.consumed.set(k, o);
    p.batches.forEach((b, i) => {
      const k = key(b.topic, b.partition);
      if (i < stop.batch) {
        const after = p.after.get(k);
        const records = b.batch.records;
        const offset = lastIndex.get(k)! < stop.batch && after ? after.offset : records[records.length - 1]!.offset + 1n;
        this.consumed.set(k, { topic: b.topic, partition: b.partition, offset });
      } else if (i === stop.batch) {
        this.consumed.set(k, { topic: b.topic, partition: b.partition, offset: stop.nextOffset });
      }
    });
  }

  private markConsumed(positions: ReadonlyMap<string, Offset>): void {
    for (const [k, o] of positions) if (this.assignment.has(k)) this.consumed.set(k, o);
  }

  /** The processed positions of the assigned partitions: what a commit would write now. */
  processedOffsets(): Offset[] {
    return [...this.consumed.entries()].filter(([k]) => this.assignment.has(k)).map(([, o]) => ({ ...o }));
  }

  /** The partitions assigned in the current generation. */
  assignedPartitions(): Array<{ topic: string; partition: number }> {
    return this.assignedList.map((tp) => ({ ...tp }));
  }

  /**
   * Commits the processed positions now, for callers that decide when to commit (autoCommit off),
   * such as a Connect sink committing only what its task has flushed. Throws when the commit fails.
   */
  async commitProcessed(): Promise<void> {
    const run = this.commits.then(() => this.commit());
    this.commits = run.catch(() => {});
    await run;
  }

  /** Interrupts a poll; shutdown() finishes the job. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Commits what was processed (with auto-commit), leaves the group and stops heartbeating. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.stopHeartbeat();
    this.wake();
    const deadline = Date.now() + this.client.settings.requestTimeoutMs;
    if (this.opts.autoCommit && !this.joining && !this.lost && this.generationId >= 0) {
      try {
        await race(this.commits.then(() => this.commit()), deadline);
      } catch (err) {
        this.log.warn(`${this.prefix}Synchronous auto-commit of offsets failed: ${(err as Error).message}`);
      }
    }
    if (this.memberId !== '' && this.opts.groupInstanceId === null && this.coordinator) {
      // On the ordinary connection: the coordinator one may be parked on a JoinGroup.
      try {
        const conn = await race(this.client.connectTo(this.coordinator), deadline);
        if (conn) {
          await race(conn.request(LeaveGroup, {
            groupId: this.opts.groupId,
            memberId: this.memberId,
            members: [{ memberId: this.memberId, groupInstanceId: null, reason: 'the consumer is being closed' }],
          }), deadline);
        }
      } catch {
        // Leaving is best effort: the session timeout removes the member anyway.
      }
    }
    this.memberId = '';
    this.generationId = -1;
  }

  // ---- subscription ---------------------------------------------------------------------------

  /**
   * Metadata for the subscription: the topics a pattern matches, or whether the listed topics
   * exist yet. A different topic set or partition count rejoins the group, so the leader assigns
   * what exists now.
   */
  private async refreshSubscription(deadline: number): Promise<void> {
    const pattern = this.opts.pattern;
    this.nextMetadataAt = Date.now() + this.opts.metadataMaxAgeMs;
    let res: MetadataResponse | undefined;
    try {
      res = await race(this.client.metadata('fetchMetadata', pattern ? null : this.subscribed, this.opts.allowAutoCreateTopics && !pattern), deadline, this.woken);
    } catch (err) {
      if (!(err instanceof NetworkError) && (err as Error).name !== 'KafkaTimeoutError') throw err;
      this.nextMetadataAt = Date.now() + this.client.settings.retryBackoffMs;
      return;
    }
    if (!res) {
      this.nextMetadataAt = 0;
      return;
    }
    const counts = new Map<string, number>();
    let missing = false;
    if (pattern) {
      for (const t of res.topics) {
        if (t.errorCode !== 0 || t.name === null || (this.opts.excludeInternalTopics && t.isInternal) || !pattern(t.name)) continue;
        counts.set(t.name, t.partitions.length);
      }
    } else {
      for (const name of this.subscribed) {
        const t = res.topics.find((x) => x.name === name);
        const code = t ? t.errorCode : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        if (code === 0) {
          counts.set(name, t!.partitions.length);
          continue;
        }
        if (!kafkaErrorInfo(code).retriable) throw new KafkaProtocolError(code);
        missing = true;
        this.log.child('org.apache.kafka.clients.NetworkClient').warn(`${this.prefix}Error while fetching metadata with correlation id ${++this.metadataAttempts} : {${name}=${kafkaErrorInfo(code).name}}`);
      }
    }
    if (missing) this.nextMetadataAt = Date.now() + Math.min(1000, 100 * 2 ** Math.min(this.metadataAttempts, 4));
    const topics = pattern ? [...counts.keys()].sort() : this.subscribed;
    const snapshot = JSON.stringify([...counts].sort());
    const changed = topics.join('\0') !== this.subscribed.join('\0') || (this.snapshot !== null && snapshot !== this.snapshot);
    this.subscribed = topics;
    this.snapshot = snapshot;
    if (changed && this.generationId >= 0) this.requestRejoin();
  }

  // ---- membership -----------------------------------------------------------------------------

  private async findCoordinator(): Promise<Node> {
    if (this.coordinator) return this.coordinator;
    let conn: BrokerConnection;
    let res: FindCoordinatorResponse;
    try {
      conn = await this.client.anyConnection('findCoordinator');
      res = await conn.request<FindCoordinatorResponse>(FindCoordinator, { key: this.opts.groupId, keyType: 0, coordinatorKeys: [this.opts.groupId] });
    } catch (err) {
      if (err instanceof NetworkError) throw new RetryLater(err.message);
      throw err;
    }
    const entry = conn.version(FindCoordinator) >= 4 ? res.coordinators[0] : res;
    if (!entry) throw new RetryLater('FindCoordinator returned no coordinator');
    if (entry.errorCode !== 0) {
      if (kafkaErrorInfo(entry.errorCode).retriable) throw new RetryLater(kafkaErrorInfo(entry.errorCode).message);
      throw new KafkaProtocolError(entry.errorCode, entry.errorMessage === 'NONE' ? null : entry.errorMessage);
    }
    this.coordinator = { nodeId: entry.nodeId, host: entry.host, port: entry.port };
    return this.coordinator;
  }

  private async coordinatorConnection(): Promise<BrokerConnection> {
    const node = await this.findCoordinator();
    return this.retryOnNetworkError(() => this.client.coordinatorConnection(node));
  }

  /** A lost coordinator connection means: find the coordinator again and retry later. */
  private async retryOnNetworkError<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof NetworkError) {
        this.coordinator = null;
        throw new RetryLater(err.message);
      }
      throw err;
    }
  }

  /** A coordinator error code: forget the coordinator (unless it is only loading) and retry later. */
  private coordinatorError(code: number): RetryLater {
    if (code !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) this.coordinator = null;
    return new RetryLater(kafkaErrorInfo(code).message);
  }

  private async join(): Promise<void> {
    this.stopHeartbeat();
    if (this.assignment.size > 0) {
      // Eager protocol: give everything up before rejoining, committing what was processed.
      if (this.opts.autoCommit && !this.lost) {
        await this.commits.then(() => this.commit()).catch((err) => {
          this.log.warn(`${this.prefix}Offset commit failed before rebalance: ${(err as Error).message}`);
        });
      }
      const revoked = this.assignedList;
      this.assignment.clear();
      this.assignedList = [];
      this.consumed.clear();
      this.fetcher.assign([]);
      this.opts.onPartitionsRevoked?.(revoked);
    }
    this.lost = false;
    let backoff = Math.max(this.client.settings.retryBackoffMs, 50);
    while (!this.closed) {
      this.rejoinNeeded = false;
      try {
        if (await this.joinOnce()) return;
        backoff = Math.max(this.client.settings.retryBackoffMs, 50);
      } catch (err) {
        if (!(err instanceof RetryLater)) throw err;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 1000);
      }
    }
  }

  /** One JoinGroup + SyncGroup round; false when it must simply be tried again. */
  private async joinOnce(): Promise<boolean> {
    const { groupId, groupInstanceId } = this.opts;
    const conn = await this.coordinatorConnection();
    const timeoutMs = Math.max(this.client.settings.requestTimeoutMs, this.opts.rebalanceTimeoutMs + 5000);
    const join = await this.retryOnNetworkError(() => conn.send<JoinGroupResponse>(JoinGroup, conn.version(JoinGroup), {
        groupId,
        sessionTimeoutMs: this.opts.sessionTimeoutMs,
        rebalanceTimeoutMs: this.opts.rebalanceTimeoutMs,
        memberId: this.memberId,
        groupInstanceId,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocols: [{ name: RANGE, metadata: encodeSubscription({ topics: this.subscribed }) }],
        reason: null,
      }, timeoutMs));
    switch (join.errorCode) {
      case 0:
        break;
      case ErrorCode.MEMBER_ID_REQUIRED:
        this.memberId = join.memberId;
        return false;
      case ErrorCode.UNKNOWN_MEMBER_ID:
        this.memberId = '';
        return false;
      case ErrorCode.ILLEGAL_GENERATION:
        return false;
      case ErrorCode.REBALANCE_IN_PROGRESS:
        throw new RetryLater('rebalance in progress');
      default:
        if (COORDINATOR_ERRORS.has(join.errorCode)) throw this.coordinatorError(join.errorCode);
        throw new KafkaProtocolError(join.errorCode);
    }
    this.memberId = join.memberId;
    this.generationId = join.generationId;
    this.protocolName = join.protocolName ?? RANGE;
    const assignments = join.leader === join.memberId && !join.skipAssignment ? await this.assign(join.members) : [];
    const sync = await this.retryOnNetworkError(() => conn.send<SyncGroupResponse>(SyncGroup, conn.version(SyncGroup), {
        groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocolName: this.protocolName,
        assignments,
      }, timeoutMs));
    switch (sync.errorCode) {
      case 0:
        break;
      case ErrorCode.UNKNOWN_MEMBER_ID:
        this.memberId = '';
        return false;
      case ErrorCode.ILLEGAL_GENERATION:
      case ErrorCode.REBALANCE_IN_PROGRESS:
        return false;
      default:
        if (COORDINATOR_ERRORS.has(sync.errorCode)) throw this.coordinatorError(sync.errorCode);
        throw new KafkaProtocolError(sync.errorCode);
    }
    const assigned = decodeAssignment(sync.assignment).flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    const committed = await this.fetchCommitted(assigned);
    this.assignment = new Set(assigned.map((tp) => key(tp.topic, tp.partition)));
    this.assignedList = assigned;
    this.consumed.clear();
    this.lastCommitted = new Map();
    for (const o of committed.values()) {
      this.consumed.set(key(o.topic, o.partition), o);
      this.lastCommitted.set(key(o.topic, o.partition), o.offset);
    }
    this.fetcher.assign(assigned.map((tp) => ({ ...tp, position: committed.get(key(tp.topic, tp.partition))?.offset ?? null })));
    this.nextAutoCommitAt = Date.now() + this.opts.autoCommitIntervalMs;
    this.startHeartbeat();
    this.opts.onPartitionsAssigned?.(assigned);
    return true;
  }

  /** The leader's range assignment over every member's subscription. */
  private async assign(members: JoinGroupResponse['members']): Promise<Array<{ memberId: string; assignment: Buffer }>> {
    const subs = members.map((m) => {
      try {
        const s = decodeSubscription(m.metadata);
        return { memberId: m.memberId, groupInstanceId: m.groupInstanceId, topics: s.topics, version: s.version };
      } catch {
        return { memberId: m.memberId, groupInstanceId: m.groupInstanceId, topics: [] as string[], version: 0 };
      }
    });
    const topics = [...new Set(subs.flatMap((s) => s.topics))];
    const counts = new Map<string, number>();
    if (topics.length > 0) {
      const res = await this.client.metadata('fetchMetadata', topics);
      for (const t of res.topics) if (t.errorCode === 0 && t.name !== null) counts.set(t.name, t.partitions.length);
    }
    const plan = rangeAssign(subs, counts);
    const version = Math.min(3, ...subs.map((s) => s.version));
    return subs.map((s) => ({ memberId: s.memberId, assignment: encodeAssignment(plan.get(s.memberId) ?? [], version) }));
  }

  /** Committed offsets of the assigned partitions (partitions without one are left out). */
  private async fetchCommitted(tps: ReadonlyArray<{ topic: string; partition: number }>): Promise<Map<string, Offset>> {
    const out = new Map<string, Offset>();
    if (tps.length === 0) return out;
    const byTopic = new Map<string, number[]>();
    for (const tp of tps) pushTo(byTopic, tp.topic, tp.partition);
    const topics = [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
    for (let attempt = 0; ; attempt++) {
      if (this.closed) return out;
      let res: OffsetFetchResponse | undefined;
      try {
        const conn = await this.coordinatorConnection();
        res = await conn.request<OffsetFetchResponse>(OffsetFetch, {
          groupId: this.opts.groupId,
          topics,
          groups: [{ groupId: this.opts.groupId, memberId: null, memberEpoch: -1, topics }],
          requireStable: this.opts.fetch.readCommitted,
        }, { min: 1 });
      } catch (err) {
        if (err instanceof NetworkError) this.coordinator = null;
        else if (!(err instanceof RetryLater)) throw err;
      }
      if (res) {
        const body = res.groups.length > 0 ? res.groups[0]! : res;
        const code = body.errorCode || body.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== 0)?.errorCode || 0;
        if (code === 0) {
          for (const t of body.topics) {
            for (const p of t.partitions) if (p.committedOffset >= 0n) out.set(key(t.name, p.partitionIndex), { topic: t.name, partition: p.partitionIndex, offset: p.committedOffset });
          }
          return out;
        }
        if (COORDINATOR_ERRORS.has(code)) this.coordinatorError(code);
        else if (code !== ErrorCode.UNSTABLE_OFFSET_COMMIT) throw new KafkaProtocolError(code);
      }
      await sleep(Math.min(100 * 2 ** attempt, 1000));
    }
  }

  // ---- heartbeats and commits -----------------------------------------------------------------

  private startHeartbeat(): void {
    this.stopHeartbeat();
    const generation = this.generationId;
    const beat = async (): Promise<void> => {
      if (this.closed || this.rejoinNeeded || this.generationId !== generation) return;
      try {
        const conn = await this.coordinatorConnection();
        const res = await conn.request<HeartbeatResponse>(Heartbeat, {
          groupId: this.opts.groupId, generationId: generation, memberId: this.memberId, groupInstanceId: this.opts.groupInstanceId,
        });
        if (this.closed || this.generationId !== generation) return;
        switch (res.errorCode) {
          case 0:
            break;
          case ErrorCode.REBALANCE_IN_PROGRESS:
            this.requestRejoin();
            return;
          case ErrorCode.ILLEGAL_GENERATION:
            this.lost = true;
            this.requestRejoin();
            return;
          case ErrorCode.UNKNOWN_MEMBER_ID:
            this.lost = true;
            this.memberId = '';
            this.requestRejoin();
            return;
          default:
            if (COORDINATOR_ERRORS.has(res.errorCode)) {
              this.coordinatorError(res.errorCode);
              break;
            }
            this.failure = new KafkaProtocolError(res.errorCode);
            this.wake();
            return;
        }
      } catch (err) {
        if (!(err instanceof RetryLater) && !(err instanceof NetworkError)) {
          this.failure = err;
          this.wake();
          return;
        }
        this.coordinator = null;
      }
      if (!this.closed) this.heartbeatTimer = setTimeout(() => void beat(), this.opts.heartbeatIntervalMs);
    };
    this.heartbeatTimer = setTimeout(() => void beat(), this.opts.heartbeatIntervalMs);
  }

  private stopHeartbeat(): void {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private maybeAutoCommit(): void {
    if (!this.opts.autoCommit || this.assignment.size === 0 || Date.now() < this.nextAutoCommitAt) return;
    this.nextAutoCommitAt = Date.now() + this.opts.autoCommitIntervalMs;
    this.commits = this.commits.then(() => this.commit()).catch((err) => {
      this.log.warn(`${this.prefix}Asynchronous auto-commit of offsets failed: ${(err as Error).message}. Will continue to join group.`);
    });
  }

  /** Commits the processed positions of the assigned partitions that moved since the last commit. */
  private async commit(): Promise<void> {
    const offsets = [...this.consumed.entries()]
      .filter(([k, o]) => this.assignment.has(k) && this.lastCommitted.get(k) !== o.offset)
      .map(([, o]) => o);
    if (offsets.length === 0 || this.generationId < 0) return;
    const byTopic = new Map<string, Offset[]>();
    for (const o of offsets) pushTo(byTopic, o.topic, o);
    const conn = await this.coordinatorConnection();
    const res = await conn.request<OffsetCommitResponse>(OffsetCommit, {
      groupId: this.opts.groupId,
      generationIdOrMemberEpoch: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.opts.groupInstanceId,
      retentionTimeMs: -1n,
      topics: [...byTopic].map(([name, os]) => ({
        name,
        partitions: os.map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: -1, committedMetadata: '' })),
      })),
    }, { min: 2 });
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== 0) {
          if (COORDINATOR_ERRORS.has(p.errorCode)) this.coordinatorError(p.errorCode);
          throw new KafkaProtocolError(p.errorCode);
        }
        const o = offsets.find((x) => x.topic === t.name && x.partition === p.partitionIndex);
        if (o) this.lastCommitted.set(key(o.topic, o.partition), o.offset);
      }
    }
  }
}
