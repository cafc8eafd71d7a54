// Consumer-group administration over the wire client: what kafka-consumer-groups asks the Java
// admin client for. Groups are listed from every broker; everything else about a group goes to
// its coordinator (FindCoordinator), retried while the coordinator moves or loads; log offsets come
// from each partition's leader. Errors keep their Kafka error code so the command can print the
// Java exception the tool would show.
import { DeleteGroups, type DeleteGroupsResponse } from '../protocol/messages/delete-groups.js';
import { DescribeGroups, type DescribeGroupsResponse } from '../protocol/messages/describe-groups.js';
import { FindCoordinator, type FindCoordinatorResponse } from '../protocol/messages/find-coordinator.js';
import { ListGroups, type ListGroupsResponse } from '../protocol/messages/list-groups.js';
import { ListOffsets, type ListOffsetsResponse } from '../protocol/messages/list-offsets.js';
import { type MetadataResponse } from '../protocol/messages/metadata.js';
import { OffsetCommit, type OffsetCommitResponse } from '../protocol/messages/offset-commit.js';
import { OffsetDelete, type OffsetDeleteResponse } from '../protocol/messages/offset-delete.js';
import { OffsetFetch, type OffsetFetchResponse } from '../protocol/messages/offset-fetch.js';
import { NetworkError, type BrokerConnection } from './broker-connection.js';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment } from './consumer-protocol.js';
import { ErrorCode, KafkaProtocolError } from './kafka-errors.js';
import { KafkaTimeoutError, type KafkaWireClient } from './wire-client.js';
import { pushTo } from '../multimap.js';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** Kafka's TopicPartition.toString: `topic-partition`; also our map key. */
export const tpString = (tp: TopicPartition): string => `${tp.topic}-${tp.partition}`;

/** Java's String order (UTF-16 code units), then partition. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

export interface CoordinatorNode {
  nodeId: number;
  host: string;
  port: number;
}

export interface GroupListing {
  groupId: string;
  protocolType: string;
  /** As the broker names it (`Stable`, `Empty`…); '' when the broker does not say (ListGroups < v4). */
  state: string;
  /** `classic` / `consumer`; '' before ListGroups v5. */
  type: string;
}

export interface MemberInfo {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  host: string;
  /** Decoded from the member's assignment (empty unless the group is Stable); sorted. */
  assignment: TopicPartition[];
}

export interface GroupInfo {
  groupId: string;
  /** False when the coordinator answered GROUP_ID_NOT_FOUND (DescribeGroups v6+). */
  exists: boolean;
  state: string;
  protocolType: string;
  /** The chosen protocol: the assignor of a consumer group ('' unless Stable). */
  assignor: string;
  members: MemberInfo[];
  coordinator: CoordinatorNode;
}

export interface CommittedOffset extends TopicPartition {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
}

export interface TopicPartitionsInfo {
  partitions: Array<{ partition: number; leader: number }>;
}

/** ListOffsets targets: the log start, the log end, or the first offset at or after a timestamp. */
export type OffsetSpec = 'earliest' | 'latest' | { timestamp: bigint };

const COORDINATOR_TYPE_GROUP = 0;
const RETRY_COORDINATOR = new Set<number>([ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.NOT_COORDINATOR]);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class GroupAdmin {
  /** Coordinators found so far, by group id. */
  private readonly coordinators = new Map<string, CoordinatorNode>();

  constructor(private readonly client: KafkaWireClient) {}

  private deadline(): number {
    return Date.now() + this.client.settings.apiTimeoutMs;
  }

  // ---- listing ------------------------------------------------------------------------------

  /**
   * Consumer groups (protocol type `consumer`, or '' for groups that only hold committed offsets)
   * from every broker, in broker order. State and type filters go to the broker (ListGroups v4 /
   * v5) and are applied here too.
   */
  async listGroups(filter: { states?: readonly string[]; types?: readonly string[] } = {}): Promise<GroupListing[]> {
    // Sent as given (the tool sends Kafka's spellings, `Stable`, `Classic`); compared here in any case.
    const states = [...(filter.states ?? [])];
    const types = [...(filter.types ?? [])];
    const lower = (list: readonly string[]) => list.map((x) => x.toLowerCase());
    const metadata = await this.client.metadata('listGroups', []);
    const brokers = [...metadata.brokers].sort((a, b) => a.nodeId - b.nodeId);
    const out: GroupListing[] = [];
    for (const b of brokers) {
      const conn = await this.client.connectTo({ nodeId: b.nodeId, host: b.host, port: b.port });
      const min = types.length > 0 ? 5 : states.length > 0 ? 4 : 0;
      const res = await conn.request<ListGroupsResponse>(ListGroups, { statesFilter: states, typesFilter: types }, { min });
      if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode);
      for (const g of res.groups) {
        if (g.protocolType !== CONSUMER_PROTOCOL_TYPE && g.protocolType !== '') continue;
        if (states.length > 0 && g.groupState !== '' && !lower(states).includes(g.groupState.toLowerCase())) continue;
        if (types.length > 0 && g.groupType !== '' && !lower(types).includes(g.groupType.toLowerCase())) continue;
        out.push({ groupId: g.groupId, protocolType: g.protocolType, state: g.groupState, type: g.groupType });
      }
    }
    return out;
  }

  // ---- coordinator --------------------------------------------------------------------------

  async findCoordinator(groupId: string, deadline = this.deadline()): Promise<CoordinatorNode> {
    const known = this.coordinators.get(groupId);
    if (known) return known;
    for (let attempt = 0; ; attempt++) {
      let entry: { errorCode: number; errorMessage: string | null; nodeId: number; host: string; port: number } | undefined;
      let retry: unknown;
      try {
        const conn = await this.client.anyConnection('findCoordinator', deadline);
        const res = await conn.request<FindCoordinatorResponse>(FindCoordinator, { key: groupId, keyType: COORDINATOR_TYPE_GROUP, coordinatorKeys: [groupId] });
        entry = conn.version(FindCoordinator) >= 4 ? res.coordinators[0] : res;
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        retry = err;
      }
      if (entry) {
        if (entry.errorCode === 0) {
          const node = { nodeId: entry.nodeId, host: entry.host, port: entry.port };
          this.coordinators.set(groupId, node);
          return node;
        }
        const error = new KafkaProtocolError(entry.errorCode, entry.errorMessage === 'NONE' ? null : entry.errorMessage);
        if (!RETRY_COORDINATOR.has(entry.errorCode)) throw error;
        retry = error;
      } else if (retry === undefined) {
        throw new KafkaProtocolError(ErrorCode.UNKNOWN_SERVER_ERROR, 'FindCoordinator returned no coordinator');
      }
      if (Date.now() + 100 >= deadline) throw retry instanceof Error ? retry : new KafkaTimeoutError('Timed out waiting for a node assignment. Call: findCoordinator');
      await sleep(Math.min(100 * 2 ** attempt, 1000));
    }
  }

  /**
   * Sends to the group's coordinator; a coordinator error (moved, loading, unavailable) or a lost
   * connection finds the coordinator again and retries until the deadline.
   */
  private async onCoordinator<R>(groupId: string, send: (conn: BrokerConnection) => Promise<R>, errorOf: (r: R) => number): Promise<{ res: R; coordinator: CoordinatorNode }> {
    const deadline = this.deadline();
    for (let attempt = 0; ; attempt++) {
      const coordinator = await this.findCoordinator(groupId, deadline);
      let retry: unknown;
      try {
        const res = await send(await this.client.connectTo(coordinator));
        const code = errorOf(res);
        if (!RETRY_COORDINATOR.has(code)) return { res, coordinator };
        retry = new KafkaProtocolError(code);
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        retry = err;
      }
      this.coordinators.delete(groupId);
      if (Date.now() + 100 >= deadline) throw retry;
      await sleep(Math.min(100 * 2 ** attempt, 1000));
    }
  }

  // ---- describing ---------------------------------------------------------------------------

  async describeGroup(groupId: string): Promise<GroupInfo> {
    const { res, coordinator } = await this.onCoordinator(groupId,
      (conn) => conn.request<DescribeGroupsResponse>(DescribeGroups, { groups: [groupId], includeAuthorizedOperations: false }),
      (r) => r.groups[0]?.errorCode ?? 0);
    const g = res.groups[0];
    if (!g) throw new KafkaProtocolError(ErrorCode.UNKNOWN_SERVER_ERROR, `DescribeGroups returned nothing for ${groupId}`);
    if (g.errorCode === ErrorCode.GROUP_ID_NOT_FOUND) {
      return { groupId, exists: false, state: 'Dead', protocolType: '', assignor: '', members: [], coordinator };
    }
    if (g.errorCode !== 0) throw new KafkaProtocolError(g.errorCode, g.errorMessage);
    if (g.protocolType !== CONSUMER_PROTOCOL_TYPE && g.protocolType !== '') {
      throw Object.assign(new Error(`GroupId ${groupId} is not a consumer group (${g.protocolType}).`), { javaClass: 'java.lang.IllegalArgumentException' });
    }
    const members = g.members.map((m) => {
      let assignment: TopicPartition[] = [];
      try {
        assignment = decodeAssignment(m.memberAssignment).flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
      } catch {
        assignment = []; // an assignment that does not decode is shown as none
      }
      return { memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, host: m.clientHost, assignment: assignment.sort(compareTopicPartitions) };
    });
    return { groupId, exists: true, state: g.groupState, protocolType: g.protocolType, assignor: g.protocolData, members, coordinator };
  }

  /** The group's committed offsets (partitions without a commit are left out), sorted. */
  async committedOffsets(groupId: string): Promise<CommittedOffset[]> {
    const { res } = await this.onCoordinator(groupId,
      (conn) => conn.request<OffsetFetchResponse>(OffsetFetch, {
        groupId,
        topics: null,
        groups: [{ groupId, memberId: null, memberEpoch: -1, topics: null }],
        requireStable: false,
      }, { min: 2 }),
      (r) => r.groups.length > 0 ? r.groups[0]!.errorCode : r.errorCode);
    const body = res.groups.length > 0 ? res.groups[0]! : res;
    if (body.errorCode !== 0) throw new KafkaProtocolError(body.errorCode);
    const out: CommittedOffset[] = [];
    for (const t of body.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== 0) throw new KafkaProtocolError(p.errorCode);
        if (p.committedOffset < 0n) continue;
        out.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.metadata ?? '' });
      }
    }
    return out.sort(compareTopicPartitions);
  }

  /** Partitions and leaders of each topic, or the error Metadata gave for it. */
  async describeTopics(topics: readonly string[]): Promise<Map<string, TopicPartitionsInfo | KafkaProtocolError>> {
    const out = new Map<string, TopicPartitionsInfo | KafkaProtocolError>();
    if (topics.length === 0) return out;
    const res: MetadataResponse = await this.client.metadata('describeTopics', [...new Set(topics)]);
    for (const t of res.topics) {
      if (t.name === null) continue;
      out.set(t.name, t.errorCode !== 0
        ? new KafkaProtocolError(t.errorCode)
        : { partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, leader: p.leaderId })).sort((a, b) => a.partition - b.partition) });
    }
    for (const name of topics) if (!out.has(name)) out.set(name, new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
    return out;
  }

  /**
   * Offsets from each partition's leader (read_uncommitted, as the admin client asks): a value, -1
   * when no record matches a timestamp, or the partition's error. Partitions that do not exist or
   * have no leader are left out.
   */
  async listOffsets(tps: readonly TopicPartition[], spec: OffsetSpec): Promise<Map<string, bigint | KafkaProtocolError>> {
    const out = new Map<string, bigint | KafkaProtocolError>();
    if (tps.length === 0) return out;
    const topics = await this.describeTopics([...new Set(tps.map((tp) => tp.topic))]);
    const byLeader = new Map<number, TopicPartition[]>();
    for (const tp of tps) {
      const info = topics.get(tp.topic);
      if (!info || info instanceof KafkaProtocolError) continue;
      const leader = info.partitions.find((p) => p.partition === tp.partition)?.leader ?? -1;
      if (leader < 0) continue;
      pushTo(byLeader, leader, tp);
    }
    const timestamp = spec === 'earliest' ? -2n : spec === 'latest' ? -1n : spec.timestamp;
    await Promise.all([...byLeader].map(async ([leader, parts]) => {
      const conn = await this.client.connection(leader);
      const byTopic = new Map<string, number[]>();
      for (const tp of parts) pushTo(byTopic, tp.topic, tp.partition);
      const res = await conn.request<ListOffsetsResponse>(ListOffsets, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp })) })),
        timeoutMs: this.client.settings.requestTimeoutMs,
      }, { min: 1 });
      for (const t of res.topics) {
        for (const p of t.partitions) {
          out.set(tpString({ topic: t.name, partition: p.partitionIndex }), p.errorCode === 0 ? p.offset : new KafkaProtocolError(p.errorCode));
        }
      }
    }));
    return out;
  }

  // ---- changing -----------------------------------------------------------------------------

  /** DeleteGroups on each group's coordinator: the error code per group, in the given order. */
  async deleteGroups(groupIds: readonly string[]): Promise<Array<{ groupId: string; error: KafkaProtocolError | null }>> {
    const out: Array<{ groupId: string; error: KafkaProtocolError | null }> = [];
    for (const groupId of groupIds) {
      try {
        const { res } = await this.onCoordinator(groupId,
          (conn) => conn.request<DeleteGroupsResponse>(DeleteGroups, { groupsNames: [groupId] }),
          (r) => r.results[0]?.errorCode ?? 0);
        const code = res.results.find((r) => r.groupId === groupId)?.errorCode ?? res.results[0]?.errorCode ?? 0;
        out.push({ groupId, error: code === 0 ? null : new KafkaProtocolError(code) });
      } catch (err) {
        // A group whose coordinator cannot be found fails alone, as the admin client's per-group futures do.
        if (!(err instanceof KafkaProtocolError)) throw err;
        out.push({ groupId, error: err });
      }
    }
    return out;
  }

  /** OffsetDelete: the group-level error code, and one per partition. */
  async deleteOffsets(groupId: string, tps: readonly TopicPartition[]): Promise<{ errorCode: number; partitions: Map<string, number> }> {
    const byTopic = new Map<string, number[]>();
    for (const tp of tps) pushTo(byTopic, tp.topic, tp.partition);
    const { res } = await this.onCoordinator(groupId,
      (conn) => conn.request<OffsetDeleteResponse>(OffsetDelete, {
        groupId,
        topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex })) })),
      }),
      (r) => r.errorCode);
    const partitions = new Map<string, number>();
    for (const t of res.topics) for (const p of t.partitions) partitions.set(tpString({ topic: t.name, partition: p.partitionIndex }), p.errorCode);
    return { errorCode: res.errorCode, partitions };
  }

  /**
   * Commits offsets from outside the group (generation -1, no member id), as the Java admin's
   * alterConsumerGroupOffsets does; the coordinator only accepts that for an empty or unknown
   * group. Returns the error code per partition.
   */
  async alterOffsets(groupId: string, offsets: ReadonlyArray<TopicPartition & { offset: bigint }>): Promise<Map<string, number>> {
    const byTopic = new Map<string, Array<{ partition: number; offset: bigint }>>();
    for (const o of offsets) pushTo(byTopic, o.topic, { partition: o.partition, offset: o.offset });
    const { res } = await this.onCoordinator(groupId,
      (conn) => conn.request<OffsetCommitResponse>(OffsetCommit, {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [...byTopic].map(([name, ps]) => ({
          name,
          partitions: ps.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedLeaderEpoch: -1, committedMetadata: '' })),
        })),
      }, { min: 2 }),
      (r) => r.topics.flatMap((t) => t.partitions).find((p) => RETRY_COORDINATOR.has(p.errorCode))?.errorCode ?? 0);
    const out = new Map<string, number>();
    for (const t of res.topics) for (const p of t.partitions) out.set(tpString({ topic: t.name, partition: p.partitionIndex }), p.errorCode);
    return out;
  }
}
