// A classic group's data: state (moved only through `transitionTo`, which asserts the table in
// group-state.ts), generation, protocol type and selected protocol, leader, members (dynamic and
// static), KIP-394 pending member ids, members that still owe a SyncGroup, and committed offsets.
// It holds no timers of its own making and does no I/O; the coordinator drives it.
//
// Invariants: a static member's instance id maps to exactly one member id (`staticMembers`);
// the leader, when set, is a member; a pending member id is never also a member id.
import { decodeMessage } from '../../protocol/codec.js';
import { ConsumerProtocolSubscriptionSchema, type ConsumerProtocolSubscription } from '../../protocol/messages/consumer-protocol-subscription.js';
import { Reader } from '../../protocol/reader.js';
import { assertTransition, type GroupStateName } from './group-state.js';
import { GroupMember, syncError, joinError, type JoinCallback } from './member.js';
import { candidateProtocols, selectProtocol } from './protocol-vote.js';
import type { GroupMetadata, StoredOffset } from './records.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** How the rebalance under way completes: Kafka's InitialDelayedJoin or DelayedJoin. */
export type JoinPhase =
  | { kind: 'initial-delay'; delayMs: number; remainingMs: number }
  | { kind: 'awaiting-members' };

export class ClassicGroup {
  private current: GroupStateName;
  /** When the state last changed (GroupMetadataValue.currentStateTimestamp). */
  stateTimestamp: number;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  private readonly memberMap = new Map<string, GroupMember>();
  /** instance id → member id */
  private readonly staticMembers = new Map<string, string>();
  /** KIP-394: member ids handed out with MEMBER_ID_REQUIRED, with their expiry timers. */
  readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSync = new Set<string>();
  /** Set when a member joins during the first rebalance, which then waits one more initial delay. */
  newMemberAdded = false;
  /** Topics the members subscribe to (consumer protocol); null when unknown. */
  subscribedTopics: ReadonlySet<string> | null = null;
  /** topic → partition → committed offset */
  readonly offsets = new Map<string, Map<number, StoredOffset>>();
  joinPhase: JoinPhase | null = null;
  joinTimer: NodeJS.Timeout | null = null;
  syncTimer: NodeJS.Timeout | null = null;

  constructor(readonly groupId: string, initial: GroupStateName, now: number) {
    this.current = initial;
    this.stateTimestamp = now;
  }

  get state(): GroupStateName {
    return this.current;
  }

  is(state: GroupStateName): boolean {
    return this.current === state;
  }

  transitionTo(target: GroupStateName, now: number): void {
    assertTransition(this.groupId, this.current, target);
    this.current = target;
    this.stateTimestamp = now;
  }

  // ---- members ------------------------------------------------------------------------------

  get size(): number {
    return this.memberMap.size;
  }

  members(): GroupMember[] {
    return [...this.memberMap.values()];
  }

  has(memberId: string): boolean {
    return this.memberMap.has(memberId);
  }

  get(memberId: string): GroupMember | undefined {
    return this.memberMap.get(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId) && !this.has(memberId);
  }

  hasStaticMember(instanceId: string | null): boolean {
    return instanceId !== null && this.staticMembers.has(instanceId);
  }

  staticMemberId(instanceId: string): string | undefined {
    return this.staticMembers.get(instanceId);
  }

  /** A known instance id presented with another member id: that caller is an old incarnation. */
  isStaticMemberFenced(memberId: string, instanceId: string | null): boolean {
    return instanceId !== null && this.staticMembers.has(instanceId) && this.staticMembers.get(instanceId) !== memberId;
  }

  /** Adds a member (the first one fixes the protocol type; the first without a leader leads). */
  add(member: GroupMember, callback: JoinCallback | null): void {
    if (this.memberMap.size === 0) this.protocolType = member.protocolType;
    if (this.protocolType !== member.protocolType) throw new Error(`Member ${member.memberId} has protocol type ${member.protocolType}, the group ${this.protocolType}`);
    if (this.has(member.memberId)) throw new Error(`Member ${member.memberId} is already in group ${this.groupId}`);
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.memberMap.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    member.awaitingJoin = callback;
  }

  /**
   * Removes a member; a parked JoinGroup or SyncGroup of it is answered UNKNOWN_MEMBER_ID so no
   * request waits forever. A new leader is picked when the leader leaves.
   */
  remove(memberId: string, unknownMemberId: number): GroupMember | undefined {
    const member = this.memberMap.get(memberId);
    if (!member) return undefined;
    this.memberMap.delete(memberId);
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) this.staticMembers.delete(member.groupInstanceId);
    this.pendingSync.delete(memberId);
    if (this.isLeader(memberId)) this.leaderId = this.memberMap.keys().next().value ?? null;
    member.completeJoin(joinError('', unknownMemberId));
    member.completeSync(syncError(unknownMemberId));
    return member;
  }

  /**
   * A static member rejoined with an unknown member id: the same member object continues under
   * `newMemberId`. A request still parked for the old id is answered `fencedError`.
   */
  replaceStaticMember(instanceId: string, oldMemberId: string, newMemberId: string, fencedError: number): GroupMember {
    const member = this.memberMap.get(oldMemberId);
    if (!member) throw new Error(`Cannot replace non-existing member id ${oldMemberId}`);
    member.completeJoin(joinError(oldMemberId, fencedError));
    member.completeSync(syncError(fencedError));
    this.memberMap.delete(oldMemberId);
    member.memberId = newMemberId;
    this.memberMap.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    if (this.pendingSync.delete(oldMemberId)) this.pendingSync.add(newMemberId);
    this.staticMembers.set(instanceId, newMemberId);
    return member;
  }

  numAwaitingJoin(): number {
    let n = 0;
    for (const m of this.memberMap.values()) if (m.isAwaitingJoin) n++;
    return n;
  }

  /** Every member rejoined and no KIP-394 pending member is still expected. */
  hasAllMembersJoined(): boolean {
    return this.numAwaitingJoin() === this.memberMap.size && this.pendingMembers.size === 0;
  }

  /** The largest rebalance timeout of the members: how long a rebalance may wait for them. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.memberMap.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /**
   * Whether a member with these protocols may join: an empty group takes any non-empty protocol
   * type and list; otherwise the type must match and at least one protocol must be supported by
   * every current member.
   */
  supportsProtocols(protocolType: string, protocols: readonly string[]): boolean {
    if (this.is('Empty')) return protocolType !== '' && protocols.length > 0;
    if (this.protocolType !== protocolType) return false;
    const members = [...this.memberMap.values()];
    return protocols.some((p) => members.every((m) => m.protocols.some((x) => x.name === p)));
  }

  candidateProtocols(): string[] {
    return candidateProtocols(this.voters());
  }

  selectProtocol(): string {
    return selectProtocol(this.voters());
  }

  private voters(): Array<{ protocols: string[] }> {
    const members = [...this.memberMap.values()];
    // The leader votes first so that ties go its way.
    members.sort((a, b) => Number(this.isLeader(b.memberId)) - Number(this.isLeader(a.memberId)));
    return members.map((m) => ({ protocols: m.protocolNames() }));
  }

  /** Keeps the leader if it rejoined, else promotes any member that did; false if none did. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    const leader = this.memberMap.get(this.leaderId);
    if (leader?.isAwaitingJoin) return true;
    for (const m of this.memberMap.values()) {
      if (m.isAwaitingJoin) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  /** Starts the next generation: CompletingRebalance with a selected protocol, or Empty. */
  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.memberMap.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = null;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('Empty', now);
    }
    this.pendingSync.clear();
  }

  /** The leader's view in JoinGroup: every member with its metadata for the selected protocol. */
  currentMemberMetadata(): Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }> {
    const protocol = this.protocolName;
    if (protocol === null) throw new Error(`No protocol selected for group ${this.groupId}`);
    return [...this.memberMap.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadataFor(protocol) }));
  }

  /**
   * The union of the members' subscribed topics when the group uses the consumer protocol;
   * null when it does not or a subscription cannot be parsed (then every topic counts as
   * subscribed, to be safe).
   */
  computeSubscribedTopics(): Set<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.memberMap.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const m of this.memberMap.values()) {
      const parsed = parseSubscriptionTopics(m.metadataFor(this.protocolName));
      if (parsed === null) return null;
      for (const t of parsed) topics.add(t);
    }
    return topics;
  }

  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === null ? true : this.subscribedTopics.has(topic);
  }

  // ---- offsets ------------------------------------------------------------------------------

  get hasOffsets(): boolean {
    return this.offsets.size > 0;
  }

  offset(topic: string, partition: number): StoredOffset | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  setOffset(topic: string, partition: number, value: StoredOffset): void {
    let byPartition = this.offsets.get(topic);
    if (!byPartition) this.offsets.set(topic, (byPartition = new Map()));
    byPartition.set(partition, value);
  }

  removeOffset(topic: string, partition: number): void {
    const byPartition = this.offsets.get(topic);
    if (!byPartition) return;
    byPartition.delete(partition);
    if (byPartition.size === 0) this.offsets.delete(topic);
  }

  /** Every committed offset as [topic, partition, offset], sorted by topic then partition. */
  allOffsets(): Array<[string, number, StoredOffset]> {
    const out: Array<[string, number, StoredOffset]> = [];
    for (const topic of [...this.offsets.keys()].sort()) {
      const byPartition = this.offsets.get(topic)!;
      for (const p of [...byPartition.keys()].sort((a, b) => a - b)) out.push([topic, p, byPartition.get(p)!]);
    }
    return out;
  }

  // ---- persistence --------------------------------------------------------------------------

  /** GroupMetadataValue for the log, with the given assignment per member (missing → empty). */
  metadataRecord(assignments: ReadonlyMap<string, Buffer> | null): GroupMetadata {
    const protocol = this.protocolName;
    return {
      protocolType: this.protocolType ?? '',
      generation: this.generationId,
      protocol,
      leader: this.leaderId,
      currentStateTimestamp: BigInt(this.stateTimestamp),
      members: protocol === null ? [] : [...this.memberMap.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: m.metadataFor(protocol),
        assignment: assignments?.get(m.memberId) ?? m.assignment,
      })),
    };
  }

  /** Rebuilds a group from its last GroupMetadataValue: Stable with its members, or Empty. */
  static fromMetadata(groupId: string, md: GroupMetadata, now: number): ClassicGroup {
    const timestamp = md.currentStateTimestamp >= 0n ? Number(md.currentStateTimestamp) : now;
    const group = new ClassicGroup(groupId, md.members.length > 0 ? 'Stable' : 'Empty', timestamp);
    group.generationId = md.generation;
    group.protocolType = md.protocolType === '' ? null : md.protocolType;
    group.protocolName = md.protocol;
    for (const m of md.members) {
      if (md.protocol === null) break;
      const member = new GroupMember(
        m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
        m.rebalanceTimeout >= 0 ? m.rebalanceTimeout : m.sessionTimeout, m.sessionTimeout,
        md.protocolType, [{ name: md.protocol, metadata: m.subscription }],
      );
      member.assignment = m.assignment;
      group.memberMap.set(member.memberId, member);
      if (member.groupInstanceId !== null) group.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    group.leaderId = md.leader !== null && group.memberMap.has(md.leader) ? md.leader : (group.memberMap.keys().next().value ?? null);
    if (group.memberMap.size === 0 && group.is('Stable')) group.current = 'Empty';
    group.subscribedTopics = group.computeSubscribedTopics();
    return group;
  }
}

/**
 * The topics of an embedded consumer-protocol subscription (int16 version, then the struct).
 * Every version starts with the v0 layout, so newer versions are read as the newest we know.
 */
export function parseSubscriptionTopics(metadata: Buffer): string[] | null {
  try {
    const r = new Reader(metadata);
    const version = r.int16();
    if (version < 0) return null;
    const v = Math.min(version, ConsumerProtocolSubscriptionSchema.validVersions[1]);
    return decodeMessage<ConsumerProtocolSubscription>(ConsumerProtocolSubscriptionSchema, v, r).topics;
  } catch {
    return null;
  }
}
