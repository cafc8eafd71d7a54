// The classic group state machine (Kafka's ClassicGroupState / 2.x GroupState), as one table:
// for each state, the states it may be entered from and how it answers every group request. The
// coordinator reads its decisions from here and asserts every transition, so a state either has
// a rule for a request or the code does not compile.
//
//   Empty ──member joins──▶ PreparingRebalance ──all rejoined / rebalance timeout──▶ CompletingRebalance
//     ▲                       │  ▲  ▲                                                       │       │
//     └─── no member left ────┘  │  └──── a member joins, changes, leaves or expires ───────┘       │
//                                │                                              leader's SyncGroup │
//                                │                                                                 ▼
//                                └──── a new member, the leader rejoining, a leave or expiry ─── Stable
//
//   Empty ──▶ Dead: DeleteGroups, or its last offset gone; a Dead group is forgotten.

export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface StateRules {
  /** The states this one may be entered from. */
  readonly from: readonly GroupStateName[];
  /** What moves a group on from this state (documentation; the coordinator does the moving). */
  readonly movesOn: string;
  /** JoinGroup from a member the group knows (unknown or pending members follow their own path). */
  readonly join:
    | 'await-rebalance' // park the request until the rebalance completes
    | 'return-generation-unless-changed' // same protocols: answer with the current generation; else rebalance
    | 'rebalance-if-leader-or-changed' // the leader rejoining, or changed protocols, start a rebalance; else answer
    | 'unknown-member'
    | 'coordinator-not-available';
  /** SyncGroup from a member of the current generation. */
  readonly sync: 'unknown-member' | 'rebalance-in-progress' | 'await-leader-assignment' | 'return-assignment' | 'coordinator-not-available';
  /** Heartbeat from a member of the current generation; all but Empty/Dead reset its session timer. */
  readonly heartbeat: 'unknown-member' | 'rebalance-in-progress' | 'ok' | 'coordinator-not-available';
  /** OffsetCommit that passed the member and generation checks. */
  readonly offsetCommit: 'store' | 'rebalance-in-progress' | 'coordinator-not-available';
  /** What losing a member (LeaveGroup, session expiry, max-size eviction) sets off. */
  readonly memberLoss: 'nothing' | 'rebalance' | 'try-complete-join';
  /** DescribeGroups: members with their metadata and assignment, or only their identities. */
  readonly describe: 'with-metadata' | 'without-metadata';
  /** DeleteGroups. */
  readonly deleteGroup: 'delete' | 'non-empty-group' | 'group-id-not-found';
  /** OffsetDelete: every offset, or only those of topics the members are not subscribed to. */
  readonly offsetDelete: 'delete' | 'unless-subscribed' | 'group-id-not-found';
  /** Offset expiry (offsets.retention.minutes): counted from the state change, or per commit for unsubscribed topics. */
  readonly offsetExpiry: 'since-empty' | 'unsubscribed-since-commit' | 'none';
}

export const GROUP_STATES: Readonly<Record<GroupStateName, StateRules>> = {
  Empty: {
    from: ['PreparingRebalance'],
    movesOn: 'a member joins → PreparingRebalance (after group.initial.rebalance.delay.ms); DeleteGroups, or its last offset deleted or expired → Dead',
    join: 'unknown-member',
    sync: 'unknown-member',
    heartbeat: 'unknown-member',
    offsetCommit: 'store',
    memberLoss: 'nothing',
    describe: 'without-metadata',
    deleteGroup: 'delete',
    offsetDelete: 'delete',
    offsetExpiry: 'since-empty',
  },
  PreparingRebalance: {
    from: ['Stable', 'CompletingRebalance', 'Empty'],
    movesOn: 'every member rejoined (none pending), or the rebalance timeout → CompletingRebalance with the next generation, or Empty if no member is left',
    join: 'await-rebalance',
    sync: 'rebalance-in-progress',
    heartbeat: 'rebalance-in-progress',
    // Commits are still accepted: the heartbeat response tells the member to rejoin.
    offsetCommit: 'store',
    memberLoss: 'try-complete-join',
    describe: 'without-metadata',
    deleteGroup: 'non-empty-group',
    offsetDelete: 'unless-subscribed',
    offsetExpiry: 'none',
  },
  CompletingRebalance: {
    from: ['PreparingRebalance'],
    movesOn: 'the leader\'s SyncGroup is written → Stable; a member joins, changes, leaves or expires, or owes a SyncGroup past the rebalance timeout → PreparingRebalance',
    join: 'return-generation-unless-changed',
    sync: 'await-leader-assignment',
    heartbeat: 'ok',
    // The member knows the new generation but has no assignment yet.
    offsetCommit: 'rebalance-in-progress',
    memberLoss: 'rebalance',
    describe: 'without-metadata',
    deleteGroup: 'non-empty-group',
    offsetDelete: 'unless-subscribed',
    offsetExpiry: 'none',
  },
  Stable: {
    from: ['CompletingRebalance'],
    movesOn: 'a new member, the leader rejoining, changed protocols, a member leaving or expiring → PreparingRebalance',
    join: 'rebalance-if-leader-or-changed',
    sync: 'return-assignment',
    heartbeat: 'ok',
    offsetCommit: 'store',
    memberLoss: 'rebalance',
    describe: 'with-metadata',
    deleteGroup: 'non-empty-group',
    offsetDelete: 'unless-subscribed',
    offsetExpiry: 'unsubscribed-since-commit',
  },
  Dead: {
    from: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
    movesOn: 'nothing: the group is forgotten, and a later request starts a new one',
    join: 'coordinator-not-available',
    sync: 'coordinator-not-available',
    heartbeat: 'coordinator-not-available',
    offsetCommit: 'coordinator-not-available',
    memberLoss: 'nothing',
    describe: 'without-metadata',
    deleteGroup: 'group-id-not-found',
    offsetDelete: 'group-id-not-found',
    offsetExpiry: 'none',
  },
};

export const GROUP_STATE_NAMES = Object.keys(GROUP_STATES) as GroupStateName[];

export class IllegalGroupTransition extends Error {
  readonly code = 'ILLEGAL_GROUP_TRANSITION';
  constructor(groupId: string, from: GroupStateName, to: GroupStateName) {
    super(`Group ${groupId} should be in the ${GROUP_STATES[to].from.join(',')} states before moving to ${to} state. Instead it is in ${from} state.`);
  }
}

export function isLegalTransition(from: GroupStateName, to: GroupStateName): boolean {
  return GROUP_STATES[to].from.includes(from);
}

/** Throws (a bug, never a protocol error) unless `to` may follow `from`. */
export function assertTransition(groupId: string, from: GroupStateName, to: GroupStateName): void {
  if (!isLegalTransition(from, to)) throw new IllegalGroupTransition(groupId, from, to);
}

/** Whether a rebalance may start from this state (PreparingRebalance may follow it). */
export function canRebalance(state: GroupStateName): boolean {
  return isLegalTransition(state, 'PreparingRebalance');
}
