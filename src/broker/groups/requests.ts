// The coordinator's requests and answers as plain data, independent of any protocol version: the
// group routes (handlers/groups.ts) map each API version's fields onto these.
import type { GroupStateName } from './group-state.js';
import type { JoinProtocol } from './member.js';

export interface JoinGroupInput {
  groupId: string;
  /** '' for a member that has none yet. */
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: readonly JoinProtocol[];
  /** KIP-394: JoinGroup v4+ from a dynamic member must first obtain a member id. */
  requireKnownMemberId: boolean;
  /** JoinGroup v9+: a rejoining static leader is told to skip the assignment. */
  supportsSkipAssignment: boolean;
  reason?: string | null;
}

export interface SyncGroupInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** Checked against the group from SyncGroup v5; null when not sent. */
  protocolType: string | null;
  protocolName: string | null;
  assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>;
}

export interface HeartbeatInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
  reason?: string | null;
}

export interface LeaveGroupOutcome {
  errorCode: number;
  members: Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }>;
}

export interface GroupOverview {
  groupId: string;
  protocolType: string;
  state: GroupStateName;
}

export interface GroupDescription {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  state: GroupStateName;
  protocolType: string;
  protocolData: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }>;
}
