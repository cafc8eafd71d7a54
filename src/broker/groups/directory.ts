// What the offset and admin parts of the coordinator need from the part that owns the groups:
// lookup and creation, the clock, the coordinator log, and request checks. Also Kafka's mapping
// of a failed append to the error a client is given.
import { ErrorCode } from '../../protocol/error-codes.js';
import type { GroupConfig } from './config.js';
import type { ClassicGroup } from './group.js';
import type { CoordinatorRecord } from './records.js';

export type AppendResult = { ok: true } | { ok: false; errorCode: number };

export interface GroupDirectory {
  readonly config: GroupConfig;
  readonly isActive: boolean;
  now(): number;
  group(groupId: string): ClassicGroup | undefined;
  allGroups(): ClassicGroup[];
  /** A new Empty group (JoinGroup from an unknown member, or a standalone offset commit). */
  createGroup(groupId: string): ClassicGroup;
  /** Moves an (Empty) group to Dead and forgets it. */
  removeGroup(group: ClassicGroup): void;
  /** Appends a group's records before the change they describe is applied. */
  appendRecords(groupId: string, records: readonly CoordinatorRecord[], now: number): AppendResult;
  /** An offset commit counts as a sign of life: resets the member's session timer. */
  touchMember(group: ClassicGroup, memberId: string): void;
  /** COORDINATOR_NOT_AVAILABLE once closed; offset and admin APIs accept the empty group id. */
  validateOffsetsRequest(groupId: string): number;
}

/** Kafka's mapping of a failed group-metadata append to the error a member sees. */
export function storeGroupError(errorCode: number): number {
  switch (errorCode) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.REBALANCE_IN_PROGRESS;
    default:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
  }
}

/** Kafka's mapping of a failed offset append to the error a committer sees. */
export function storeOffsetError(errorCode: number): number {
  switch (errorCode) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
      return ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
    default:
      return errorCode;
  }
}
