// The classic group coordinator: it owns the groups and their timers and serves membership
// (JoinGroup, SyncGroup, Heartbeat, LeaveGroup): rebalances, static membership (KIP-345) and the
// KIP-394 member-id round trip. Committed offsets (offsets.ts) and group admin (group-admin.ts)
// work on the same groups through the GroupDirectory interface it implements.
// Semantics follow Kafka's GroupCoordinator (2.x) / GroupMetadataManager (4.0); how each state
// answers each request comes from the table in group-state.ts.
//
// Every wait is a timer: the initial rebalance delay, the rebalance timeout, member session
// timeouts, KIP-394 pending members, members that owe a SyncGroup, and the periodic offset
// expiry. All of them are tracked, and `close()` clears them and answers every parked
// JoinGroup/SyncGroup, so a broker shutdown leaves nothing behind. The node is single-threaded,
// so each request or timer runs to completion against a consistent group.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { StorageError } from '../../storage/log.js';
import type { GroupConfig } from './config.js';
import { ClassicGroup } from './group.js';
import { canRebalance, GROUP_STATES } from './group-state.js';
import { EMPTY_BYTES, GroupMember, joinError, syncError, type JoinGroupOutcome, type SyncGroupOutcome } from './member.js';
import { storeGroupError, type AppendResult, type GroupDirectory } from './directory.js';
import { GroupAdmin } from './group-admin.js';
import type { CoordinatorLog } from './offsets-log.js';
import { OffsetManager } from './offsets.js';
import { replayRecords, type CoordinatorRecord } from './records.js';
import type { HeartbeatInput, JoinGroupInput, LeaveGroupOutcome, LeavingMember, SyncGroupInput } from './requests.js';

export type { GroupDescription, GroupOverview, HeartbeatInput, JoinGroupInput, LeaveGroupOutcome, LeavingMember, SyncGroupInput } from './requests.js';

export interface CoordinatorOptions {
  config: GroupConfig;
  store: CoordinatorLog;
  log: Logger;
  /** `__consumer_offsets-N` for log lines. */
  describePartition?: (groupId: string) => string;
  now?: () => number;
}

/** Longest delay setTimeout accepts. */
const MAX_TIMER_MS = 0x7fffffff;

export class GroupCoordinator implements GroupDirectory {
  private readonly groups = new Map<string, ClassicGroup>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  readonly config: GroupConfig;
  readonly offsets: OffsetManager;
  readonly admin: GroupAdmin;
  private readonly store: CoordinatorLog;
  private readonly log: Logger;
  private readonly where: (groupId: string) => string;
  readonly now: () => number;

  constructor(opts: CoordinatorOptions) {
    this.config = opts.config;
    this.store = opts.store;
    this.log = opts.log;
    this.now = opts.now ?? (() => Date.now());
    this.where = opts.describePartition ?? (() => 'memory');
    this.offsets = new OffsetManager(this, opts.log);
    this.admin = new GroupAdmin(this, opts.log);
  }

  get isActive(): boolean {
    return !this.closed;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** Replays the stored records: committed offsets and groups (Empty, or Stable with their members). */
  load(): void {
    const now = this.now();
    let offsets = 0;
    for (const replayed of replayRecords(this.store.readAll()).values()) {
      const group = replayed.metadata ? ClassicGroup.fromMetadata(replayed.groupId, replayed.metadata, now) : new ClassicGroup(replayed.groupId, 'Empty', now);
      for (const [topic, byPartition] of replayed.offsets) for (const [p, o] of byPartition) group.setOffset(topic, p, o);
      offsets += group.allOffsets().length;
      this.groups.set(group.groupId, group);
      // Members loaded with the group must heartbeat within their session timeout, as after a failover.
      for (const m of group.members()) this.scheduleSession(group, m);
    }
    if (this.groups.size > 0) this.log.info(`Loaded ${this.groups.size} group(s) and ${offsets} committed offset(s)`);
  }

  /** Starts the periodic offset expiry (offsets.retention.check.interval.ms). */
  startExpiry(): void {
    const tick = (): void => {
      this.offsets.expireOffsets(this.now());
      this.schedule(this.config.offsetsRetentionCheckIntervalMs, tick);
    };
    this.schedule(this.config.offsetsRetentionCheckIntervalMs, tick);
  }

  /** Clears every timer and answers every parked JoinGroup/SyncGroup; nothing is written afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const group of this.groups.values()) {
      for (const m of group.members()) {
        m.sessionTimer = null;
        m.completeJoin(joinError(m.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
        m.completeSync(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
      }
      group.joinTimer = null;
      group.syncTimer = null;
      group.pendingMembers.clear();
    }
  }

  // ---- timers -------------------------------------------------------------------------------

  private schedule(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.closed) return;
      try {
        fn();
      } catch (err) {
        this.log.error('Group coordinator timer task failed', err);
      }
    }, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    t.unref();
    this.timers.add(t);
    return t;
  }

  private cancel(t: NodeJS.Timeout | null): null {
    if (t) {
      clearTimeout(t);
      this.timers.delete(t);
    }
    return null;
  }

  /** (Re)starts a member's session timer; expiry removes it unless a rebalance is waiting on it. */
  private scheduleSession(group: ClassicGroup, member: GroupMember, timeoutMs = member.sessionTimeoutMs): void {
    this.cancel(member.sessionTimer);
    member.sessionTimer = this.schedule(timeoutMs, () => {
      member.sessionTimer = null;
      this.onSessionExpired(group, member);
    });
  }

  private onSessionExpired(group: ClassicGroup, member: GroupMember): void {
    if (group.is('Dead') || group.get(member.memberId) !== member) return;
    // A member parked in a rebalance is covered by the rebalance's own timeout, unless it is new.
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return;
    this.log.info(`Member ${member.memberId} in group ${group.groupId} has failed, removing it from the group`);
    this.removeMemberAndUpdateGroup(group, member, `removing member ${member.memberId} on heartbeat expiration`);
  }

  // ---- groups -------------------------------------------------------------------------------

  group(groupId: string): ClassicGroup | undefined {
    return this.groups.get(groupId);
  }

  allGroups(): ClassicGroup[] {
    return [...this.groups.values()];
  }

  /** A new Empty group (JoinGroup from an unknown member, or a standalone offset commit). */
  createGroup(groupId: string): ClassicGroup {
    const group = new ClassicGroup(groupId, 'Empty', this.now());
    this.groups.set(groupId, group);
    return group;
  }

  /** Marks a group Dead and forgets it; its timers stop. */
  removeGroup(group: ClassicGroup): void {
    group.transitionTo('Dead', this.now());
    group.joinTimer = this.cancel(group.joinTimer);
    group.syncTimer = this.cancel(group.syncTimer);
    for (const t of group.pendingMembers.values()) this.cancel(t);
    group.pendingMembers.clear();
    if (this.groups.get(group.groupId) === group) this.groups.delete(group.groupId);
  }

  /** Appends records for a group; returns the Kafka error to answer with when the write failed. */
  appendRecords(groupId: string, records: readonly CoordinatorRecord[], now: number): AppendResult {
    try {
      this.store.append(groupId, records, now);
      return { ok: true };
    } catch (err) {
      const code = err instanceof StorageError ? err.errorCode : ErrorCode.KAFKA_STORAGE_ERROR;
      this.log.error(`Could not write ${records.length} record(s) of group ${groupId} to ${this.where(groupId)}`, err instanceof StorageError ? err.message : err);
      return { ok: false, errorCode: code };
    }
  }

  /** Common request checks: an active coordinator and, where required, a non-empty group id. */
  private validateGroup(groupId: string, allowEmptyId: boolean): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (!allowEmptyId && groupId === '') return ErrorCode.INVALID_GROUP_ID;
    return ErrorCode.NONE;
  }

  validateOffsetsRequest(groupId: string): number {
    return this.validateGroup(groupId, true);
  }

  // ---- JoinGroup ----------------------------------------------------------------------------

  join(input: JoinGroupInput): Promise<JoinGroupOutcome> {
    return new Promise((resolve) => this.doJoin(input, resolve));
  }

  private doJoin(input: JoinGroupInput, respond: (o: JoinGroupOutcome) => void): void {
    const { groupId, memberId } = input;
    const invalid = this.validateGroup(groupId, false);
    if (invalid !== ErrorCode.NONE) return respond(joinError(memberId, invalid));
    if (input.sessionTimeoutMs < this.config.minSessionTimeoutMs || input.sessionTimeoutMs > this.config.maxSessionTimeoutMs) {
      return respond(joinError(memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    const isUnknownMember = memberId === '';
    let group = this.groups.get(groupId);
    if (!group) {
      if (!isUnknownMember) return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = this.createGroup(groupId);
    }
    if (!this.acceptJoiningMember(group, memberId)) {
      const member = group.get(memberId);
      if (member) this.dropMember(group, member);
      respond(joinError('', ErrorCode.GROUP_MAX_SIZE_REACHED));
    } else if (isUnknownMember) {
      this.unknownMemberJoin(group, input, respond);
    } else {
      this.knownMemberJoin(group, input, respond);
    }
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  /** group.max.size: members already waiting in the rebalance, or already in the group, stay. */
  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    const max = this.config.maxSize;
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        return (group.get(memberId)?.isAwaitingJoin ?? false) || group.numAwaitingJoin() < max;
      case 'CompletingRebalance':
      case 'Stable':
        return group.has(memberId) || group.size < max;
    }
  }

  private unknownMemberJoin(group: ClassicGroup, input: JoinGroupInput, respond: (o: JoinGroupOutcome) => void): void {
    if (group.is('Dead')) return respond(joinError('', ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(input.protocolType, input.protocols.map((p) => p.name))) return respond(joinError('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    const newMemberId = `${input.groupInstanceId ?? input.clientId}-${randomUUID()}`;
    if (input.groupInstanceId !== null && group.hasStaticMember(input.groupInstanceId)) {
      this.replaceStaticMember(group, newMemberId, input, respond);
    } else if (input.requireKnownMemberId) {
      // KIP-394: hand out an id and expect the member back with it within its session timeout.
      const timer = this.schedule(input.sessionTimeoutMs, () => this.expirePendingMember(group, newMemberId));
      group.pendingMembers.set(newMemberId, timer);
      this.log.info(`Dynamic member with unknown member id joins group ${group.groupId} in ${group.state} state. Created a new member id ${newMemberId} and request the member to rejoin with this id.`);
      respond(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    } else {
      this.addMemberAndRebalance(group, newMemberId, input, respond);
    }
  }

  private knownMemberJoin(group: ClassicGroup, input: JoinGroupInput, respond: (o: JoinGroupOutcome) => void): void {
    const { memberId, groupInstanceId } = input;
    if (group.is('Dead')) return respond(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(input.protocolType, input.protocols.map((p) => p.name))) return respond(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (group.isPendingMember(memberId)) {
      // A pending member id is only ever handed to dynamic members.
      if (groupInstanceId !== null) return respond(joinError(memberId, ErrorCode.UNKNOWN_SERVER_ERROR));
      return this.addMemberAndRebalance(group, memberId, input, respond);
    }
    if (group.isStaticMemberFenced(memberId, groupInstanceId)) return respond(joinError(memberId, ErrorCode.FENCED_INSTANCE_ID));
    const member = group.get(memberId);
    if (!member || (groupInstanceId !== null && !group.hasStaticMember(groupInstanceId))) return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));

    const rule = GROUP_STATES[group.state].join;
    switch (rule) {
      case 'await-rebalance':
        return this.updateMemberAndRebalance(group, member, input, respond, `Member ${memberId} joining group during ${group.state}`);
      case 'return-generation-unless-changed':
        if (member.matches(input.protocols)) {
          // The member probably missed the JoinGroup response: send it again.
          this.scheduleSession(group, member);
          return respond(this.generationOutcome(group, memberId, group.isLeader(memberId)));
        }
        return this.updateMemberAndRebalance(group, member, input, respond, `Updating metadata for member ${memberId} during ${group.state}`);
      case 'rebalance-if-leader-or-changed':
        if (group.isLeader(memberId)) {
          // The leader rejoins to start a rebalance (e.g. the topics' metadata changed).
          return this.updateMemberAndRebalance(group, member, input, respond, `Leader ${memberId} re-joining group during ${group.state}`);
        }
        if (!member.matches(input.protocols)) return this.updateMemberAndRebalance(group, member, input, respond, `Updating metadata for member ${memberId} during ${group.state}`);
        this.scheduleSession(group, member);
        return respond(this.generationOutcome(group, memberId, false));
      case 'unknown-member':
        return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      case 'coordinator-not-available':
        return respond(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    }
  }

  private generationOutcome(group: ClassicGroup, memberId: string, withMembers: boolean): JoinGroupOutcome {
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId,
      members: withMembers ? group.currentMemberMetadata() : [],
      skipAssignment: false,
    };
  }

  private addMemberAndRebalance(group: ClassicGroup, memberId: string, input: JoinGroupInput, respond: (o: JoinGroupOutcome) => void): void {
    const member = new GroupMember(memberId, input.groupInstanceId, input.clientId, input.clientHost, input.rebalanceTimeoutMs, input.sessionTimeoutMs, input.protocolType, input.protocols);
    member.isNew = true;
    // During the first rebalance of a new group, each new member extends the initial delay.
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    const pending = group.pendingMembers.get(memberId);
    if (pending) {
      this.cancel(pending);
      group.pendingMembers.delete(memberId);
    }
    group.add(member, respond);
    // A new member cannot heartbeat before its JoinGroup returns; if the rebalance outlives this
    // timeout the member is dropped and must join again.
    this.scheduleSession(group, member, this.config.newMemberJoinTimeoutMs);
    this.maybePrepareRebalance(group, `Adding new member ${memberId} with group instance id ${input.groupInstanceId ?? 'None'}${input.reason ? `; client reason: ${input.reason}` : ''}`);
  }

  private updateMember(member: GroupMember, input: JoinGroupInput, respond: ((o: JoinGroupOutcome) => void) | null): void {
    member.protocols = input.protocols;
    member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
    member.sessionTimeoutMs = input.sessionTimeoutMs;
    // A JoinGroup still parked for this member has been superseded by this one.
    member.completeJoin(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    member.awaitingJoin = respond;
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, input: JoinGroupInput, respond: (o: JoinGroupOutcome) => void, reason: string): void {
    this.updateMember(member, input, respond);
    this.maybePrepareRebalance(group, input.reason ? `${reason}; client reason: ${input.reason}` : reason);
  }

  /** KIP-345: a known instance id rejoined with no member id; it takes over under a new id. */
  private replaceStaticMember(group: ClassicGroup, newMemberId: string, input: JoinGroupInput, respond: (o: JoinGroupOutcome) => void): void {
    const instanceId = input.groupInstanceId!;
    const oldMemberId = group.staticMemberId(instanceId)!;
    const currentLeader = group.leaderId;
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId, ErrorCode.FENCED_INSTANCE_ID);
    this.log.info(`Static member with groupInstanceId=${instanceId} and unknown member id joins group ${group.groupId} in ${group.state} state. Replacing previously mapped member ${oldMemberId} with this groupInstanceId.`);
    const old = { protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
    this.scheduleSession(group, member);
    this.updateMember(member, input, respond);

    switch (group.state) {
      case 'Stable': {
        // Same selected protocol: persist the new member id and answer without a rebalance.
        if (group.candidateProtocols().length === 0 || group.selectProtocol() !== group.protocolName) {
          return this.maybePrepareRebalance(group, `Group's selectedProtocol will change because static member ${newMemberId} with instance id ${instanceId} joined with change of protocol`);
        }
        const written = this.appendRecords(group.groupId, [{ type: 'group', group: group.groupId, value: group.metadataRecord(null) }], this.now());
        if (!written.ok) {
          // Undo: the old member id stays in charge, and this request gets the storage error.
          member.awaitingJoin = null;
          group.replaceStaticMember(instanceId, newMemberId, oldMemberId, ErrorCode.FENCED_INSTANCE_ID);
          member.protocols = old.protocols;
          member.rebalanceTimeoutMs = old.rebalanceTimeoutMs;
          member.sessionTimeoutMs = old.sessionTimeoutMs;
          return respond(joinError('', storeGroupError(written.errorCode)));
        }
        const isLeader = group.isLeader(newMemberId);
        if (input.supportsSkipAssignment) {
          member.completeJoin({ ...this.generationOutcome(group, newMemberId, isLeader), skipAssignment: isLeader });
        } else {
          // Older clients are given the old leader id, so a rejoining leader does not run an
          // assignment that a Stable group would never distribute.
          member.completeJoin({ ...this.generationOutcome(group, newMemberId, false), leader: currentLeader ?? '' });
        }
        return;
      }
      case 'CompletingRebalance':
        // The leader may already be assigning with the old member id: start over.
        return this.prepareRebalance(group, `Updating metadata for static member ${newMemberId} with instance id ${instanceId}`);
      case 'PreparingRebalance':
        return; // it waits for the rebalance like any member
      case 'Empty':
      case 'Dead':
        throw new Error(`Group ${group.groupId} is ${group.state} but has static member ${instanceId}`);
    }
  }

  private expirePendingMember(group: ClassicGroup, memberId: string): void {
    if (!group.pendingMembers.delete(memberId)) return;
    this.log.info(`Pending member ${memberId} in group ${group.groupId} has been removed after session timeout expiration.`);
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  // ---- rebalance ----------------------------------------------------------------------------

  private maybePrepareRebalance(group: ClassicGroup, reason: string): void {
    if (canRebalance(group.state)) this.prepareRebalance(group, reason);
  }

  private prepareRebalance(group: ClassicGroup, reason: string): void {
    // Members waiting for their assignment must rejoin instead.
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    group.syncTimer = this.cancel(group.syncTimer);
    group.pendingSync.clear();
    const fromEmpty = group.is('Empty');
    group.transitionTo('PreparingRebalance', this.now());
    this.log.info(`Preparing to rebalance group ${group.groupId} in state PreparingRebalance with old generation ${group.generationId} (${this.where(group.groupId)}) (reason: ${reason})`);
    group.joinTimer = this.cancel(group.joinTimer);
    if (fromEmpty) {
      const delay = this.config.initialRebalanceDelayMs;
      this.startInitialDelay(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
    } else {
      this.awaitMembers(group);
      this.tryCompleteJoin(group);
    }
  }

  /** Kafka's InitialDelayedJoin: wait, and wait again (up to the rebalance timeout) while members keep arriving. */
  private startInitialDelay(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    group.joinPhase = { kind: 'initial-delay', delayMs, remainingMs };
    group.joinTimer = this.schedule(delayMs, () => {
      group.joinTimer = null;
      if (!group.is('PreparingRebalance')) return;
      if (group.newMemberAdded && remainingMs !== 0) {
        group.newMemberAdded = false;
        const next = Math.min(this.config.initialRebalanceDelayMs, remainingMs);
        this.startInitialDelay(group, next, Math.max(remainingMs - delayMs, 0));
      } else {
        this.completeJoin(group);
      }
    });
  }

  /** Kafka's DelayedJoin: complete once every member rejoined, or at the rebalance timeout. */
  private awaitMembers(group: ClassicGroup): void {
    group.joinPhase = { kind: 'awaiting-members' };
    group.joinTimer = this.schedule(group.rebalanceTimeoutMs(), () => {
      group.joinTimer = null;
      if (group.is('PreparingRebalance')) this.completeJoin(group);
    });
  }

  private tryCompleteJoin(group: ClassicGroup): void {
    if (group.is('PreparingRebalance') && group.joinPhase?.kind === 'awaiting-members' && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  private completeJoin(group: ClassicGroup): void {
    group.joinTimer = this.cancel(group.joinTimer);
    group.joinPhase = null;
    // Dynamic members that did not rejoin in time are out; static ones keep their place.
    const gone = group.members().filter((m) => !m.isAwaitingJoin && !m.isStatic);
    if (gone.length > 0) {
      this.log.info(`Group ${group.groupId} removed dynamic members who haven't joined: ${gone.map((m) => m.memberId).join(',')}`);
      for (const m of gone) this.dropMember(group, m);
    }
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members that did not rejoin remain: wait another round for them.
      this.log.error(`Group ${group.groupId} could not complete rebalance because no members rejoined`);
      this.awaitMembers(group);
      return;
    }
    const now = this.now();
    group.initNextGeneration(now);
    if (group.is('Empty')) {
      this.log.info(`Group ${group.groupId} with generation ${group.generationId} is now empty (${this.where(group.groupId)})`);
      const written = this.appendRecords(group.groupId, [{ type: 'group', group: group.groupId, value: group.metadataRecord(null) }], now);
      if (!written.ok) this.log.warn(`Failed to write empty metadata for group ${group.groupId}`);
      return;
    }
    this.log.info(`Stabilized group ${group.groupId} generation ${group.generationId} (${this.where(group.groupId)}) with ${group.size} members`);
    for (const m of group.members()) {
      m.completeJoin(this.generationOutcome(group, m.memberId, group.isLeader(m.memberId)));
      m.isNew = false;
      this.scheduleSession(group, m);
      group.pendingSync.add(m.memberId);
    }
    // Members that never send SyncGroup are removed after the rebalance timeout.
    const generation = group.generationId;
    group.syncTimer = this.schedule(group.rebalanceTimeoutMs(), () => {
      group.syncTimer = null;
      this.expirePendingSync(group, generation);
    });
  }

  private expirePendingSync(group: ClassicGroup, generation: number): void {
    if (generation !== group.generationId || !(group.is('CompletingRebalance') || group.is('Stable')) || group.pendingSync.size === 0) return;
    const missing = [...group.pendingSync];
    this.log.info(`Group ${group.groupId} removed members who haven't sent their sync requests: ${missing.join(',')}`);
    for (const id of missing) {
      const m = group.get(id);
      if (m) this.dropMember(group, m);
    }
    group.pendingSync.clear();
    this.prepareRebalance(group, `Removing ${missing.join(',')} on pending sync request expiration`);
  }

  private resetAndPropagateAssignmentError(group: ClassicGroup, errorCode: number): void {
    if (!group.is('CompletingRebalance')) throw new Error(`Group ${group.groupId} must be CompletingRebalance to reset assignments, not ${group.state}`);
    for (const m of group.members()) m.assignment = EMPTY_BYTES;
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE;
    for (const m of group.members()) {
      const answered = m.completeSync({
        errorCode,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: m.assignment,
      });
      // Members whose session timer lapsed while they waited get a fresh one.
      if (answered) this.scheduleSession(group, m);
    }
  }

  /** Removes a member without starting a rebalance (the caller decides what follows). */
  private dropMember(group: ClassicGroup, member: GroupMember): void {
    member.sessionTimer = this.cancel(member.sessionTimer);
    group.remove(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID);
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember, reason: string): void {
    this.dropMember(group, member);
    switch (GROUP_STATES[group.state].memberLoss) {
      case 'nothing':
        return;
      case 'rebalance':
        return this.maybePrepareRebalance(group, reason);
      case 'try-complete-join':
        return this.tryCompleteJoin(group);
    }
  }

  // ---- SyncGroup ----------------------------------------------------------------------------

  sync(input: SyncGroupInput): Promise<SyncGroupOutcome> {
    return new Promise((resolve) => this.doSync(input, resolve));
  }

  private doSync(input: SyncGroupInput, respond: (o: SyncGroupOutcome) => void): void {
    const invalid = this.validateGroup(input.groupId, false);
    if (invalid !== ErrorCode.NONE) return respond(syncError(invalid));
    const group = this.groups.get(input.groupId);
    if (!group) return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.is('Dead')) return respond(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (group.isStaticMemberFenced(input.memberId, input.groupInstanceId)) return respond(syncError(ErrorCode.FENCED_INSTANCE_ID));
    const member = group.get(input.memberId);
    if (!member) return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (input.generationId !== group.generationId) return respond(syncError(ErrorCode.ILLEGAL_GENERATION));
    if (input.protocolType !== null && input.protocolType !== group.protocolType) return respond(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (input.protocolName !== null && input.protocolName !== group.protocolName) return respond(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));

    switch (GROUP_STATES[group.state].sync) {
      case 'unknown-member':
        return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'rebalance-in-progress':
        return respond(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'coordinator-not-available':
        return respond(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
      case 'return-assignment':
        this.syncReceived(group, member.memberId);
        this.scheduleSession(group, member);
        return respond({ errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment });
      case 'await-leader-assignment': {
        member.completeSync(syncError(ErrorCode.REBALANCE_IN_PROGRESS)); // superseded
        member.awaitingSync = respond;
        this.syncReceived(group, member.memberId);
        if (!group.isLeader(member.memberId)) return;
        this.log.info(`Assignment received from leader ${member.memberId} for group ${group.groupId} for generation ${group.generationId}. The group has ${group.size} members.`);
        const given = new Map(input.assignments.map((a) => [a.memberId, a.assignment]));
        const assignment = new Map(group.members().map((m) => [m.memberId, given.get(m.memberId) ?? EMPTY_BYTES]));
        const now = this.now();
        const written = this.appendRecords(group.groupId, [{ type: 'group', group: group.groupId, value: group.metadataRecord(assignment) }], now);
        if (!written.ok) {
          this.resetAndPropagateAssignmentError(group, storeGroupError(written.errorCode));
          return this.maybePrepareRebalance(group, `Error when storing group assignment during SyncGroup (member: ${member.memberId})`);
        }
        for (const m of group.members()) m.assignment = assignment.get(m.memberId)!;
        group.transitionTo('Stable', now);
        this.propagateAssignment(group, ErrorCode.NONE);
        return;
      }
    }
  }

  private syncReceived(group: ClassicGroup, memberId: string): void {
    group.pendingSync.delete(memberId);
    if (group.pendingSync.size === 0) group.syncTimer = this.cancel(group.syncTimer);
  }

  // ---- Heartbeat ----------------------------------------------------------------------------

  heartbeat(input: HeartbeatInput): number {
    const invalid = this.validateGroup(input.groupId, false);
    if (invalid !== ErrorCode.NONE) return invalid;
    const group = this.groups.get(input.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isStaticMemberFenced(input.memberId, input.groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    const member = group.get(input.memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    switch (GROUP_STATES[group.state].heartbeat) {
      case 'unknown-member':
        return ErrorCode.UNKNOWN_MEMBER_ID;
      case 'coordinator-not-available':
        return ErrorCode.COORDINATOR_NOT_AVAILABLE;
      case 'rebalance-in-progress':
        this.scheduleSession(group, member);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case 'ok':
        this.scheduleSession(group, member);
        return ErrorCode.NONE;
    }
  }

  /** Resets a member's session timer (an offset commit counts as a sign of life). */
  touchMember(group: ClassicGroup, memberId: string): void {
    const member = group.get(memberId);
    if (member) this.scheduleSession(group, member);
  }

  // ---- LeaveGroup ---------------------------------------------------------------------------

  leave(groupId: string, leaving: readonly LeavingMember[]): LeaveGroupOutcome {
    const invalid = this.validateGroup(groupId, false);
    if (invalid !== ErrorCode.NONE) return { errorCode: invalid, members: [] };
    const result = (m: LeavingMember, errorCode: number) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode });
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, members: leaving.map((m) => result(m, ErrorCode.UNKNOWN_MEMBER_ID)) };
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map((m) => {
      const why = `Removing member ${m.memberId || m.groupInstanceId} on LeaveGroup${m.reason ? `; client reason: ${m.reason}` : ''}`;
      if (m.memberId === '') {
        // Administrative removal by instance id (kafka-consumer-groups --delete with static members).
        const current = m.groupInstanceId !== null ? group.staticMemberId(m.groupInstanceId) : undefined;
        const member = current !== undefined ? group.get(current) : undefined;
        if (!member) return result(m, ErrorCode.UNKNOWN_MEMBER_ID);
        this.removeMemberAndUpdateGroup(group, member, why);
        return result(m, ErrorCode.NONE);
      }
      if (group.isPendingMember(m.memberId)) {
        this.cancel(group.pendingMembers.get(m.memberId)!);
        group.pendingMembers.delete(m.memberId);
        if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
        return result(m, ErrorCode.NONE);
      }
      if (group.isStaticMemberFenced(m.memberId, m.groupInstanceId)) return result(m, ErrorCode.FENCED_INSTANCE_ID);
      const member = group.get(m.memberId);
      if (!member) return result(m, ErrorCode.UNKNOWN_MEMBER_ID);
      this.log.info(`Member ${m.memberId} has left group ${groupId} through explicit \`LeaveGroup\` request${m.reason ? `; client reason: ${m.reason}` : ''}`);
      this.removeMemberAndUpdateGroup(group, member, why);
      return result(m, ErrorCode.NONE);
    });
    return { errorCode: ErrorCode.NONE, members };
  }
}
