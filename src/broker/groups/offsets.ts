// Committed offsets: OffsetCommit (members of the current generation, or standalone committers
// of an empty or unknown group), OffsetFetch, OffsetDelete and the periodic expiry of
// offsets.retention.minutes. Every change is appended to the coordinator log before it is
// applied and acknowledged; removals are tombstones. When an Empty group loses its last offset it
// is removed (Dead), with a tombstone for its metadata if it ever had a generation.
import type { Logger } from '../../log.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { storeOffsetError, type GroupDirectory } from './directory.js';
import { CONSUMER_PROTOCOL_TYPE, type ClassicGroup } from './group.js';
import { GROUP_STATES } from './group-state.js';
import type { CoordinatorRecord, StoredOffset } from './records.js';

export interface OffsetCommitEntry {
  topic: string;
  partition: number;
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
}

export interface OffsetCommitInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** OffsetCommit v2–v4 retention_time_ms; -1 for none. */
  retentionTimeMs: number;
  entries: readonly OffsetCommitEntry[];
}

export interface FetchedOffset {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface OffsetFetchResult {
  errorCode: number;
  topics: Array<{ name: string; partitions: FetchedOffset[] }>;
}

const NO_OFFSET = -1n;

export class OffsetManager {
  constructor(
    private readonly groups: GroupDirectory,
    private readonly log: Logger,
  ) {}

  /** One error code per entry, in order. */
  commit(input: OffsetCommitInput): number[] {
    const all = (code: number) => input.entries.map(() => code);
    const invalid = this.groups.validateOffsetsRequest(input.groupId);
    if (invalid !== ErrorCode.NONE) return all(invalid);
    let group = this.groups.group(input.groupId);
    let created = false;
    if (!group) {
      // Only a committer outside group management may create the group.
      if (input.generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION);
      group = this.groups.createGroup(input.groupId);
      created = true;
    }
    const error = this.validateCommit(group, input.generationId, input.memberId, input.groupInstanceId);
    if (error !== ErrorCode.NONE) return all(error);
    switch (GROUP_STATES[group.state].offsetCommit) {
      case 'rebalance-in-progress':
        return all(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'coordinator-not-available':
        return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      case 'store': {
        if (input.memberId !== '') this.groups.touchMember(group, input.memberId);
        const results = this.store(group, input);
        if (created && !group.hasOffsets) this.groups.removeGroup(group);
        return results;
      }
    }
  }

  private validateCommit(group: ClassicGroup, generationId: number, memberId: string, instanceId: string | null): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (generationId >= 0 || memberId !== '' || instanceId !== null) {
      if (group.isStaticMemberFenced(memberId, instanceId)) return ErrorCode.FENCED_INSTANCE_ID;
      if ((generationId >= 0 || memberId !== '') && !group.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (generationId >= 0 && generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
      return ErrorCode.NONE;
    }
    // Without member id and generation, only an empty group takes commits.
    return group.is('Empty') ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  private store(group: ClassicGroup, input: OffsetCommitInput): number[] {
    const now = this.groups.now();
    const results = input.entries.map(() => ErrorCode.NONE as number);
    const records: CoordinatorRecord[] = [];
    const accepted: Array<[number, OffsetCommitEntry, StoredOffset]> = [];
    input.entries.forEach((e, i) => {
      // Kafka measures the metadata in UTF-16 code units (String.length).
      if (e.metadata !== null && e.metadata.length > this.groups.config.offsetMetadataMaxBytes) {
        results[i] = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        return;
      }
      const value: StoredOffset = {
        offset: e.offset,
        leaderEpoch: e.leaderEpoch,
        metadata: e.metadata ?? '',
        commitTimestamp: now,
        expireTimestamp: input.retentionTimeMs >= 0 ? now + input.retentionTimeMs : null,
      };
      records.push({ type: 'offset', group: group.groupId, topic: e.topic, partition: e.partition, value });
      accepted.push([i, e, value]);
    });
    if (records.length === 0) return results;
    const written = this.groups.appendRecords(group.groupId, records, now);
    if (!written.ok) {
      const code = storeOffsetError(written.errorCode);
      for (const [i] of accepted) results[i] = code;
      return results;
    }
    for (const [, e, value] of accepted) group.setOffset(e.topic, e.partition, value);
    return results;
  }

  /** `wanted` null means every committed offset of the group. */
  fetch(groupId: string, wanted: ReadonlyArray<{ topic: string; partitions: readonly number[] }> | null): OffsetFetchResult {
    const invalid = this.groups.validateOffsetsRequest(groupId);
    if (invalid !== ErrorCode.NONE) return { errorCode: invalid, topics: [] };
    const group = this.groups.group(groupId);
    const live = group && !group.is('Dead') ? group : undefined;
    const fetched = (partitionIndex: number, o: StoredOffset | undefined): FetchedOffset => ({
      partitionIndex,
      committedOffset: o?.offset ?? NO_OFFSET,
      committedLeaderEpoch: o?.leaderEpoch ?? -1,
      metadata: o?.metadata ?? '',
      errorCode: ErrorCode.NONE,
    });
    if (wanted === null) {
      const topics = new Map<string, FetchedOffset[]>();
      for (const [topic, p, o] of live?.allOffsets() ?? []) {
        let list = topics.get(topic);
        if (!list) topics.set(topic, (list = []));
        list.push(fetched(p, o));
      }
      return { errorCode: ErrorCode.NONE, topics: [...topics].map(([name, partitions]) => ({ name, partitions })) };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: wanted.map((t) => ({ name: t.topic, partitions: t.partitions.map((p) => fetched(p, live?.offset(t.topic, p))) })),
    };
  }

  /** OffsetDelete: a group-level error, or one error per partition (in order). */
  deleteOffsets(groupId: string, partitions: ReadonlyArray<{ topic: string; partition: number }>): { errorCode: number; results: number[] } {
    const invalid = this.groups.validateOffsetsRequest(groupId);
    if (invalid !== ErrorCode.NONE) return { errorCode: invalid, results: [] };
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, results: [] };
    const group = this.groups.group(groupId);
    if (!group) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, results: [] };
    const results = partitions.map(() => ErrorCode.NONE as number);
    const eligible: number[] = [];
    switch (GROUP_STATES[group.state].offsetDelete) {
      case 'group-id-not-found':
        return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, results: [] };
      case 'delete':
        partitions.forEach((_, i) => eligible.push(i));
        break;
      case 'unless-subscribed':
        if (group.protocolType !== CONSUMER_PROTOCOL_TYPE) return { errorCode: ErrorCode.NON_EMPTY_GROUP, results: [] };
        partitions.forEach((p, i) => {
          if (group.isSubscribedToTopic(p.topic)) results[i] = ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC;
          else eligible.push(i);
        });
        break;
    }
    const doomed = eligible.map((i) => partitions[i]!).filter((p) => group.offset(p.topic, p.partition) !== undefined);
    const code = this.removeOffsets(group, doomed, this.groups.now());
    if (code !== ErrorCode.NONE) for (const i of eligible) results[i] = code;
    return { errorCode: ErrorCode.NONE, results };
  }

  /** Expires offsets per offsets.retention.minutes; called every offsets.retention.check.interval.ms. */
  expireOffsets(now: number): number {
    const retention = this.groups.config.offsetsRetentionMs;
    let expired = 0;
    for (const group of this.groups.allGroups()) {
      const rule = GROUP_STATES[group.state].offsetExpiry;
      const doomed: Array<{ topic: string; partition: number }> = [];
      for (const [topic, partition, o] of group.allOffsets()) {
        let base: number | null = null;
        if (rule === 'since-empty') {
          // The clock starts when the group became empty; a group only used for commits counts from each commit.
          base = group.protocolType !== null ? group.stateTimestamp : o.commitTimestamp;
        } else if (rule === 'unsubscribed-since-commit' && group.protocolType === CONSUMER_PROTOCOL_TYPE && group.subscribedTopics !== null && !group.subscribedTopics.has(topic)) {
          base = o.commitTimestamp;
        }
        if (base === null) continue;
        const isExpired = o.expireTimestamp !== null ? now >= o.expireTimestamp : now - base >= retention;
        if (isExpired) doomed.push({ topic, partition });
      }
      if (doomed.length === 0 && !(group.is('Empty') && !group.hasOffsets)) continue;
      if (this.removeOffsets(group, doomed, now) === ErrorCode.NONE) expired += doomed.length;
    }
    if (expired > 0) this.log.info(`Removed ${expired} expired offsets.`);
    return expired;
  }

  /** A deleted topic takes its committed offsets with it, in every group (as Kafka does). */
  removeTopicOffsets(topics: ReadonlySet<string>): void {
    const now = this.groups.now();
    for (const group of this.groups.allGroups()) {
      const doomed = group.allOffsets().filter(([topic]) => topics.has(topic)).map(([topic, partition]) => ({ topic, partition }));
      if (doomed.length > 0) this.removeOffsets(group, doomed, now);
    }
  }

  /**
   * Writes tombstones for `doomed` (and for the group itself when it is Empty and has nothing
   * left), then applies them. Returns the error to report when the write failed.
   */
  private removeOffsets(group: ClassicGroup, doomed: ReadonlyArray<{ topic: string; partition: number }>, now: number): number {
    const remaining = group.allOffsets().length - doomed.length;
    const dies = group.is('Empty') && remaining === 0;
    const records: CoordinatorRecord[] = doomed.map((d) => ({ type: 'offset', group: group.groupId, topic: d.topic, partition: d.partition, value: null }));
    // A group that never had a generation was only used for offsets and has no metadata record.
    if (dies && group.generationId > 0) records.push({ type: 'group', group: group.groupId, value: null });
    if (records.length > 0) {
      const written = this.groups.appendRecords(group.groupId, records, now);
      if (!written.ok) return storeOffsetError(written.errorCode);
    }
    for (const d of doomed) group.removeOffset(d.topic, d.partition);
    if (dies) {
      this.log.info(`Group ${group.groupId} transitioned to Dead in generation ${group.generationId}`);
      this.groups.removeGroup(group);
    }
    return ErrorCode.NONE;
  }
}
