// Group APIs: FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
// OffsetFetch, ListGroups, DescribeGroups, DeleteGroups and OffsetDelete. Each route turns its
// versions' fields into one coordinator call and the outcome back into the version's response;
// the semantics live in src/broker/groups/. Topic-partition existence is checked here, before the
// coordinator, as Kafka's request handler does.
import { ErrorCode, kafkaErrorInfo } from '../../protocol/error-codes.js';
import { DeleteGroups, type DeleteGroupsRequest, type DeleteGroupsResponse } from '../../protocol/messages/delete-groups.js';
import { DescribeGroups, type DescribeGroupsRequest, type DescribeGroupsResponse } from '../../protocol/messages/describe-groups.js';
import { FindCoordinator, type FindCoordinatorRequest, type FindCoordinatorResponse } from '../../protocol/messages/find-coordinator.js';
import { Heartbeat, type HeartbeatRequest, type HeartbeatResponse } from '../../protocol/messages/heartbeat.js';
import { JoinGroup, type JoinGroupRequest, type JoinGroupResponse } from '../../protocol/messages/join-group.js';
import { LeaveGroup, type LeaveGroupRequest, type LeaveGroupResponse } from '../../protocol/messages/leave-group.js';
import { ListGroups, type ListGroupsRequest, type ListGroupsResponse } from '../../protocol/messages/list-groups.js';
import { OffsetCommit, type OffsetCommitRequest, type OffsetCommitResponse } from '../../protocol/messages/offset-commit.js';
import { OffsetDelete, type OffsetDeleteRequest, type OffsetDeleteResponse } from '../../protocol/messages/offset-delete.js';
import { OffsetFetch, type OffsetFetchRequest, type OffsetFetchResponse } from '../../protocol/messages/offset-fetch.js';
import { SyncGroup, type SyncGroupRequest, type SyncGroupResponse } from '../../protocol/messages/sync-group.js';
import type { ApiSchema } from '../../protocol/schema.js';
import type { BrokerGroups } from '../groups/index.js';
import type { OffsetCommitEntry, OffsetFetchResult } from '../groups/offsets.js';
import type { RequestContext, Route } from '../router.js';
import type { BrokerState } from '../state.js';

const COORDINATOR_TYPE_GROUP = 0;
const COORDINATOR_TYPE_TRANSACTION = 1;
/** Kafka's "operations not requested" sentinel. */
const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;
/** READ, DELETE and DESCRIBE (AclOperation codes 3, 6, 8): all a group supports, with no authorizer. */
const GROUP_AUTHORIZED_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

export function groupRoutes(state: BrokerState, groups: BrokerGroups): Route[] {
  return [
    findCoordinatorRoute(state, groups),
    joinGroupRoute(groups),
    syncGroupRoute(groups),
    heartbeatRoute(groups),
    leaveGroupRoute(groups),
    offsetCommitRoute(state, groups),
    offsetFetchRoute(groups),
    listGroupsRoute(groups),
    describeGroupsRoute(groups),
    deleteGroupsRoute(groups),
    offsetDeleteRoute(state, groups),
  ];
}

/** The message text Kafka puts next to an error code ("NONE" for success, as Errors.message() gives). */
function errorMessage(code: number): string {
  return code === ErrorCode.NONE ? 'NONE' : kafkaErrorInfo(code).message;
}

// ---- FindCoordinator ------------------------------------------------------------------------

export function findCoordinatorRoute(state: BrokerState, { coordinator, offsetsTopic }: BrokerGroups): Route {
  return {
    api: FindCoordinator,
    versions: [0, 6],
    handle(req: FindCoordinatorRequest, ctx: RequestContext): FindCoordinatorResponse {
      const version = ctx.header.apiVersion;
      const self = state.advertised(ctx.listenerName);
      const keyType = version >= 1 ? req.keyType : COORDINATOR_TYPE_GROUP;
      const lookup = (key: string) => {
        const found = (errorCode: number) =>
          errorCode === ErrorCode.NONE
            ? { key, errorCode, errorMessage: errorMessage(errorCode), nodeId: state.nodeId, host: self.host, port: self.port }
            : { key, errorCode, errorMessage: errorMessage(errorCode), nodeId: -1, host: '', port: -1 };
        if (keyType === COORDINATOR_TYPE_TRANSACTION) return found(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        if (keyType !== COORDINATOR_TYPE_GROUP) return found(ErrorCode.INVALID_REQUEST);
        if (!coordinator.isActive) return found(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        try {
          // This single node leads every partition of __consumer_offsets, created on first need.
          offsetsTopic.ensureTopic();
        } catch (err) {
          state.log.error('Could not create __consumer_offsets', err);
          return found(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        }
        return found(ErrorCode.NONE);
      };
      if (version >= 4) return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators: req.coordinatorKeys.map(lookup) };
      const { errorCode, errorMessage: message, nodeId, host, port } = lookup(req.key);
      return { throttleTimeMs: 0, errorCode, errorMessage: message, nodeId, host, port, coordinators: [] };
    },
  };
}

// ---- JoinGroup / SyncGroup / Heartbeat / LeaveGroup -----------------------------------------

/** JoinGroup v0–v1 were restored in Kafka 4.0.1 (KAFKA-19444); the generated 4.0.0 schema starts at v2. */
const JoinGroupAllVersions: ApiSchema = {
  ...JoinGroup,
  request: { ...JoinGroup.request, validVersions: [0, JoinGroup.request.validVersions[1]] },
  response: { ...JoinGroup.response, validVersions: [0, JoinGroup.response.validVersions[1]] },
};

export function joinGroupRoute({ coordinator }: BrokerGroups): Route {
  return {
    api: JoinGroupAllVersions,
    versions: [0, 9],
    async handle(req: JoinGroupRequest, ctx: RequestContext): Promise<JoinGroupResponse> {
      const version = ctx.header.apiVersion;
      const groupInstanceId = version >= 5 ? req.groupInstanceId : null;
      const out = await coordinator.join({
        groupId: req.groupId,
        memberId: req.memberId,
        groupInstanceId,
        clientId: ctx.header.clientId ?? '',
        clientHost: ctx.clientHost,
        sessionTimeoutMs: req.sessionTimeoutMs,
        // v0 has no rebalance timeout: the session timeout serves as both.
        rebalanceTimeoutMs: version === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
        protocolType: req.protocolType,
        protocols: req.protocols,
        requireKnownMemberId: version >= 4 && groupInstanceId === null,
        supportsSkipAssignment: version >= 9,
        reason: version >= 8 ? req.reason : null,
      });
      return {
        throttleTimeMs: 0,
        errorCode: out.errorCode,
        generationId: out.generationId,
        protocolType: out.protocolType,
        // Before v7 the protocol name is not nullable: "" stands for none.
        protocolName: version >= 7 ? out.protocolName : (out.protocolName ?? ''),
        leader: out.leader,
        skipAssignment: out.skipAssignment,
        memberId: out.memberId,
        members: out.members,
      };
    },
  };
}

export function syncGroupRoute({ coordinator }: BrokerGroups): Route {
  return {
    api: SyncGroup,
    versions: [0, 5],
    async handle(req: SyncGroupRequest, ctx: RequestContext): Promise<SyncGroupResponse> {
      const version = ctx.header.apiVersion;
      const reply = (o: { errorCode: number; protocolType: string | null; protocolName: string | null; assignment: Buffer }): SyncGroupResponse => ({ throttleTimeMs: 0, ...o });
      // From v5 the protocol type and name are mandatory.
      if (version >= 5 && (req.protocolType === null || req.protocolName === null)) {
        return reply({ errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
      }
      return reply(await coordinator.sync({
        groupId: req.groupId,
        generationId: req.generationId,
        memberId: req.memberId,
        groupInstanceId: version >= 3 ? req.groupInstanceId : null,
        protocolType: version >= 5 ? req.protocolType : null,
        protocolName: version >= 5 ? req.protocolName : null,
        assignments: req.assignments,
      }));
    },
  };
}

export function heartbeatRoute({ coordinator }: BrokerGroups): Route {
  return {
    api: Heartbeat,
    versions: [0, 4],
    handle(req: HeartbeatRequest, ctx: RequestContext): HeartbeatResponse {
      const errorCode = coordinator.heartbeat({
        groupId: req.groupId,
        generationId: req.generationId,
        memberId: req.memberId,
        groupInstanceId: ctx.header.apiVersion >= 3 ? req.groupInstanceId : null,
      });
      return { throttleTimeMs: 0, errorCode };
    },
  };
}

export function leaveGroupRoute({ coordinator }: BrokerGroups): Route {
  return {
    api: LeaveGroup,
    versions: [0, 5],
    handle(req: LeaveGroupRequest, ctx: RequestContext): LeaveGroupResponse {
      const version = ctx.header.apiVersion;
      const batch = version >= 3;
      const leaving = batch
        ? req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason: version >= 5 ? m.reason : null }))
        : [{ memberId: req.memberId, groupInstanceId: null, reason: null }];
      const out = coordinator.leave(req.groupId, leaving);
      if (batch) return { throttleTimeMs: 0, errorCode: out.errorCode, members: out.members };
      // Before v3 the single member's error is the response's error.
      const errorCode = out.errorCode !== ErrorCode.NONE ? out.errorCode : (out.members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE);
      return { throttleTimeMs: 0, errorCode, members: [] };
    },
  };
}

// ---- OffsetCommit / OffsetFetch / OffsetDelete ----------------------------------------------

export function offsetCommitRoute(state: BrokerState, { coordinator }: BrokerGroups): Route {
  return {
    api: OffsetCommit,
    versions: [2, 9],
    handle(req: OffsetCommitRequest, ctx: RequestContext): OffsetCommitResponse {
      const version = ctx.header.apiVersion;
      const errors: number[][] = req.topics.map((t) => t.partitions.map(() => ErrorCode.NONE as number));
      const entries: OffsetCommitEntry[] = [];
      const slots: Array<[number, number]> = [];
      req.topics.forEach((t, ti) => t.partitions.forEach((p, pi) => {
        if (!state.partitions.get(t.name, p.partitionIndex)) {
          errors[ti]![pi] = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          return;
        }
        entries.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: version >= 6 ? p.committedLeaderEpoch : -1, metadata: p.committedMetadata });
        slots.push([ti, pi]);
      }));
      if (entries.length > 0) {
        const results = coordinator.offsets.commit({
          groupId: req.groupId,
          generationId: req.generationIdOrMemberEpoch,
          memberId: req.memberId,
          groupInstanceId: version >= 7 ? req.groupInstanceId : null,
          retentionTimeMs: version <= 4 ? Number(req.retentionTimeMs) : -1,
          entries,
        });
        results.forEach((code, i) => {
          const [ti, pi] = slots[i]!;
          errors[ti]![pi] = code;
        });
      }
      return {
        throttleTimeMs: 0,
        topics: req.topics.map((t, ti) => ({ name: t.name, partitions: t.partitions.map((p, pi) => ({ partitionIndex: p.partitionIndex, errorCode: errors[ti]![pi]! })) })),
      };
    },
  };
}

type FetchTopics = ReadonlyArray<{ name: string; partitionIndexes: readonly number[] }> | null;

export function offsetFetchRoute({ coordinator }: BrokerGroups): Route {
  const fetch = (groupId: string, topics: FetchTopics): OffsetFetchResult =>
    coordinator.offsets.fetch(groupId, topics === null ? null : topics.map((t) => ({ topic: t.name, partitions: t.partitionIndexes })));
  return {
    api: OffsetFetch,
    versions: [1, 9],
    handle(req: OffsetFetchRequest, ctx: RequestContext): OffsetFetchResponse {
      const version = ctx.header.apiVersion;
      if (version >= 8) {
        const groups = req.groups.map((g) => {
          const out = fetch(g.groupId, g.topics);
          return { groupId: g.groupId, errorCode: out.errorCode, topics: out.topics };
        });
        return { throttleTimeMs: 0, errorCode: 0, topics: [], groups };
      }
      const out = fetch(req.groupId, req.topics);
      if (out.errorCode !== ErrorCode.NONE && version < 2) {
        // v1 has no group-level error: every requested partition carries it.
        const topics = (req.topics ?? []).map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: out.errorCode })),
        }));
        return { throttleTimeMs: 0, errorCode: out.errorCode, topics, groups: [] };
      }
      return { throttleTimeMs: 0, errorCode: out.errorCode, topics: out.topics, groups: [] };
    },
  };
}

export function offsetDeleteRoute(state: BrokerState, { coordinator }: BrokerGroups): Route {
  return {
    api: OffsetDelete,
    versions: [0, 0],
    handle(req: OffsetDeleteRequest): OffsetDeleteResponse {
      const errors: number[][] = req.topics.map((t) => t.partitions.map(() => ErrorCode.NONE as number));
      const known: Array<{ topic: string; partition: number }> = [];
      const slots: Array<[number, number]> = [];
      req.topics.forEach((t, ti) => t.partitions.forEach((p, pi) => {
        if (!state.partitions.get(t.name, p.partitionIndex)) {
          errors[ti]![pi] = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          return;
        }
        known.push({ topic: t.name, partition: p.partitionIndex });
        slots.push([ti, pi]);
      }));
      const out = coordinator.offsets.deleteOffsets(req.groupId, known);
      if (out.errorCode !== ErrorCode.NONE) return { errorCode: out.errorCode, throttleTimeMs: 0, topics: [] };
      out.results.forEach((code, i) => {
        const [ti, pi] = slots[i]!;
        errors[ti]![pi] = code;
      });
      return {
        errorCode: ErrorCode.NONE,
        throttleTimeMs: 0,
        topics: req.topics.map((t, ti) => ({ name: t.name, partitions: t.partitions.map((p, pi) => ({ partitionIndex: p.partitionIndex, errorCode: errors[ti]![pi]! })) })),
      };
    },
  };
}

// ---- ListGroups / DescribeGroups / DeleteGroups ---------------------------------------------

export function listGroupsRoute({ coordinator }: BrokerGroups): Route {
  return {
    api: ListGroups,
    versions: [0, 5],
    handle(req: ListGroupsRequest, ctx: RequestContext): ListGroupsResponse {
      const version = ctx.header.apiVersion;
      const states = new Set((version >= 4 ? req.statesFilter : []).map((s) => s.toLowerCase()));
      const types = new Set((version >= 5 ? req.typesFilter : []).map((s) => s.toLowerCase()));
      const { errorCode, groups } = coordinator.admin.listGroups();
      const wanted = groups.filter((g) => (states.size === 0 || states.has(g.state.toLowerCase())) && (types.size === 0 || types.has('classic')));
      return {
        throttleTimeMs: 0,
        errorCode,
        groups: wanted.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state, groupType: 'classic' })),
      };
    },
  };
}

export function describeGroupsRoute({ coordinator }: BrokerGroups): Route {
  return {
    api: DescribeGroups,
    versions: [0, 6],
    handle(req: DescribeGroupsRequest, ctx: RequestContext): DescribeGroupsResponse {
      const version = ctx.header.apiVersion;
      const authorizedOperations = version >= 3 && req.includeAuthorizedOperations ? GROUP_AUTHORIZED_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED;
      const groups = req.groups.map((groupId) => {
        const d = coordinator.admin.describeGroup(groupId);
        // Before v6 an unknown group is simply described as Dead, with no error.
        const notFoundAsDead = d.errorCode === ErrorCode.GROUP_ID_NOT_FOUND && version < 6;
        return {
          errorCode: notFoundAsDead ? ErrorCode.NONE : d.errorCode,
          errorMessage: notFoundAsDead ? null : d.errorMessage,
          groupId: d.groupId,
          groupState: d.state,
          protocolType: d.protocolType,
          protocolData: d.protocolData,
          members: d.members,
          authorizedOperations: d.errorCode === ErrorCode.NONE ? authorizedOperations : AUTHORIZED_OPERATIONS_OMITTED,
        };
      });
      return { throttleTimeMs: 0, groups };
    },
  };
}

export function deleteGroupsRoute({ coordinator }: BrokerGroups): Route {
  return {
    api: DeleteGroups,
    versions: [0, 2],
    handle(req: DeleteGroupsRequest): DeleteGroupsResponse {
      return { throttleTimeMs: 0, results: coordinator.admin.deleteGroups(req.groupsNames) };
    },
  };
}
