// Committed offsets in the coordinator (in-memory log, fake timers): who may commit, what is
// written, what OffsetFetch answers, OffsetDelete's subscription check, expiry with tombstones,
// and replay into a fresh coordinator (what a broker restart does).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCoordinator, type JoinGroupInput } from '../../../../src/broker/groups/coordinator.js';
import type { OffsetCommitEntry, OffsetCommitInput } from '../../../../src/broker/groups/offsets.js';
import { silentLogger } from '../../../../src/log.js';
import { ErrorCode } from '../../../../src/protocol/error-codes.js';
import { StorageError } from '../../../../src/storage/log.js';
import { harness, subscription } from './helpers.js';

const T0 = 1_700_000_000_000;
const entry = (topic: string, partition: number, offset: number, metadata: string | null = null): OffsetCommitEntry => ({ topic, partition, offset: BigInt(offset), leaderEpoch: -1, metadata });
const standalone = (groupId: string, entries: OffsetCommitEntry[], o: Partial<OffsetCommitInput> = {}): OffsetCommitInput => ({ groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, entries, ...o });

function joinInput(o: Partial<JoinGroupInput> = {}): JoinGroupInput {
  return {
    groupId: 'g', memberId: '', groupInstanceId: null, clientId: 'c', clientHost: '/127.0.0.1', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription(['t']) }], requireKnownMemberId: false, supportsSkipAssignment: false, ...o,
  };
}

async function stableMember(coord: GroupCoordinator, groupId = 'g', sessionTimeoutMs = 30_000) {
  const p = coord.join(joinInput({ groupId, sessionTimeoutMs }));
  await vi.advanceTimersByTimeAsync(0);
  const j = await p;
  await coord.sync({ groupId, generationId: j.generationId, memberId: j.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
  return j;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('OffsetCommit', () => {
  it('a standalone commit (generation -1, no member id) creates an empty group and writes offset records', () => {
    const { coord, store } = harness();
    expect(coord.offsets.commit(standalone('solo', [entry('t', 0, 10, 'meta'), entry('t', 1, 20)]))).toEqual([0, 0]);
    const g = coord.group('solo')!;
    expect(g.state).toBe('Empty');
    expect(g.protocolType).toBeNull();
    expect([...store.readAll()]).toEqual([
      { type: 'offset', group: 'solo', topic: 't', partition: 0, value: { offset: 10n, leaderEpoch: -1, metadata: 'meta', commitTimestamp: T0, expireTimestamp: null } },
      { type: 'offset', group: 'solo', topic: 't', partition: 1, value: { offset: 20n, leaderEpoch: -1, metadata: '', commitTimestamp: T0, expireTimestamp: null } },
    ]);
    expect(store.entries[0]!.value!.readInt16BE(0)).toBe(3);
  });

  it('a commit with a retention time is written as value v1 with its expire timestamp', () => {
    const { coord, store } = harness();
    coord.offsets.commit(standalone('solo', [entry('t', 0, 1)], { retentionTimeMs: 60_000 }));
    expect(store.entries[0]!.value!.readInt16BE(0)).toBe(1);
    expect([...store.readAll()][0]).toMatchObject({ value: { expireTimestamp: T0 + 60_000 } });
  });

  it('an unknown group with a generation is ILLEGAL_GENERATION; a non-empty group refuses standalone commits', async () => {
    const { coord } = harness();
    expect(coord.offsets.commit(standalone('nobody', [entry('t', 0, 1)], { generationId: 3, memberId: 'm' }))).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(coord.group('nobody')).toBeUndefined();
    const m = await stableMember(coord);
    expect(coord.offsets.commit(standalone('g', [entry('t', 0, 1)]))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(coord.offsets.commit(standalone('g', [entry('t', 0, 1)], { generationId: 1, memberId: 'stranger' }))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(coord.offsets.commit(standalone('g', [entry('t', 0, 1)], { generationId: 9, memberId: m.memberId }))).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(coord.offsets.commit(standalone('g', [entry('t', 0, 1)], { generationId: 1, memberId: m.memberId }))).toEqual([0]);
  });

  it('CompletingRebalance answers REBALANCE_IN_PROGRESS; PreparingRebalance still stores', async () => {
    const { coord } = harness();
    const p = coord.join(joinInput());
    await vi.advanceTimersByTimeAsync(0);
    const j = await p;
    expect(coord.group('g')!.state).toBe('CompletingRebalance');
    expect(coord.offsets.commit(standalone('g', [entry('t', 0, 1)], { generationId: 1, memberId: j.memberId }))).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);
    await coord.sync({ groupId: 'g', generationId: 1, memberId: j.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    void coord.join(joinInput({ clientId: 'newcomer' }));
    expect(coord.group('g')!.state).toBe('PreparingRebalance');
    expect(coord.offsets.commit(standalone('g', [entry('t', 0, 2)], { generationId: 1, memberId: j.memberId }))).toEqual([0]);
  });

  it('metadata longer than offset.metadata.max.bytes is OFFSET_METADATA_TOO_LARGE, per partition', () => {
    const { coord } = harness({ offsetMetadataMaxBytes: 4 });
    expect(coord.offsets.commit(standalone('solo', [entry('t', 0, 1, 'abcd'), entry('t', 1, 1, 'abcde')]))).toEqual([0, ErrorCode.OFFSET_METADATA_TOO_LARGE]);
    expect(coord.offsets.fetch('solo', [{ topic: 't', partitions: [0, 1] }]).topics[0]!.partitions.map((p) => p.committedOffset)).toEqual([1n, -1n]);
  });

  it('a failed append is reported (storage error → NOT_COORDINATOR) and nothing is applied', () => {
    const { coord, store } = harness();
    store.failWith = new StorageError(56, 'disk error');
    expect(coord.offsets.commit(standalone('solo', [entry('t', 0, 1)]))).toEqual([ErrorCode.NOT_COORDINATOR]);
    expect(coord.group('solo')).toBeUndefined();
    store.failWith = new StorageError(10, 'too large');
    expect(coord.offsets.commit(standalone('solo', [entry('t', 0, 1)]))).toEqual([ErrorCode.INVALID_COMMIT_OFFSET_SIZE]);
  });
});

describe('OffsetFetch', () => {
  it('answers -1 and "" where nothing was committed, and every offset for a null topic list', () => {
    const { coord } = harness();
    coord.offsets.commit(standalone('solo', [entry('b', 1, 7, 'x'), entry('a', 0, 3)]));
    expect(coord.offsets.fetch('solo', [{ topic: 'a', partitions: [0, 1] }])).toEqual({
      errorCode: 0,
      topics: [{ name: 'a', partitions: [
        { partitionIndex: 0, committedOffset: 3n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
        { partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
      ] }],
    });
    expect(coord.offsets.fetch('solo', null).topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)])).toEqual([['a', [3n]], ['b', [7n]]]);
    expect(coord.offsets.fetch('unknown', null)).toEqual({ errorCode: 0, topics: [] });
    expect(coord.offsets.fetch('unknown', [{ topic: 'a', partitions: [0] }]).topics[0]!.partitions[0]!.committedOffset).toBe(-1n);
  });
});

describe('OffsetDelete', () => {
  it('refuses topics an active consumer group subscribes to; deletes the others', async () => {
    const { coord, store } = harness();
    const m = await stableMember(coord);
    coord.offsets.commit(standalone('g', [entry('t', 0, 5), entry('other', 0, 6)], { generationId: 1, memberId: m.memberId }));
    const out = coord.offsets.deleteOffsets('g', [{ topic: 't', partition: 0 }, { topic: 'other', partition: 0 }]);
    expect(out).toEqual({ errorCode: 0, results: [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, 0] });
    expect([...store.readAll()].at(-1)).toEqual({ type: 'offset', group: 'g', topic: 'other', partition: 0, value: null });
    expect(coord.offsets.deleteOffsets('nope', [{ topic: 't', partition: 0 }])).toEqual({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, results: [] });
  });

  it('an empty group loses any offset; with its last one it is gone', () => {
    const { coord } = harness();
    coord.offsets.commit(standalone('solo', [entry('t', 0, 1)]));
    expect(coord.offsets.deleteOffsets('solo', [{ topic: 't', partition: 0 }, { topic: 't', partition: 9 }])).toEqual({ errorCode: 0, results: [0, 0] });
    expect(coord.group('solo')).toBeUndefined();
  });
});

describe('offset expiry (offsets.retention.minutes)', () => {
  it('expires the offsets of a group empty for the retention time, with tombstones, and then the group', async () => {
    const { coord, store } = harness({ offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000 });
    const m = await stableMember(coord, 'g', 600_000);
    coord.offsets.commit(standalone('g', [entry('t', 0, 5)], { generationId: 1, memberId: m.memberId }));
    coord.startExpiry();
    // Stable and subscribed to t: nothing expires, however old.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(coord.group('g')!.offset('t', 0)).toBeDefined();
    coord.leave('g', [{ memberId: m.memberId, groupInstanceId: null }]);
    expect(coord.group('g')!.state).toBe('Empty');
    await vi.advanceTimersByTimeAsync(50_000);
    expect(coord.group('g')).toBeDefined();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(coord.group('g')).toBeUndefined();
    expect([...store.readAll()].slice(-2)).toEqual([
      { type: 'offset', group: 'g', topic: 't', partition: 0, value: null },
      { type: 'group', group: 'g', value: null },
    ]);
  });

  it('a standalone group’s offsets expire per commit; an explicit expire timestamp wins', () => {
    const { coord } = harness({ offsetsRetentionMs: 60_000 });
    coord.offsets.commit(standalone('solo', [entry('t', 0, 1)]));
    coord.offsets.commit(standalone('solo', [entry('t', 1, 1)], { retentionTimeMs: 1000 }));
    vi.setSystemTime(T0 + 30_000);
    coord.offsets.commit(standalone('solo', [entry('t', 2, 1)]));
    expect(coord.offsets.expireOffsets(T0 + 1000)).toBe(1);
    expect(coord.offsets.expireOffsets(T0 + 60_000)).toBe(1);
    expect(coord.group('solo')!.allOffsets().map(([, p]) => p)).toEqual([2]);
    expect(coord.offsets.expireOffsets(T0 + 90_000)).toBe(1);
    expect(coord.group('solo')).toBeUndefined();
  });
});

describe('replay (broker restart)', () => {
  it('a new coordinator on the same log has the offsets, the empty groups and the stable ones', async () => {
    const { coord, store, config } = harness();
    coord.offsets.commit(standalone('solo', [entry('t', 0, 11)]));
    const m = await stableMember(coord, 'live');
    coord.offsets.commit(standalone('live', [entry('t', 0, 22)], { generationId: 1, memberId: m.memberId }));
    const gone = await stableMember(coord, 'left');
    coord.leave('left', [{ memberId: gone.memberId, groupInstanceId: null }]);
    coord.offsets.commit(standalone('deleted', [entry('t', 0, 1)]));
    coord.admin.deleteGroups(['deleted']);
    coord.close();

    const again = new GroupCoordinator({ config, store, log: silentLogger });
    again.load();
    expect(again.offsets.fetch('solo', null).topics[0]!.partitions[0]!.committedOffset).toBe(11n);
    expect(again.offsets.fetch('live', null).topics[0]!.partitions[0]!.committedOffset).toBe(22n);
    expect(again.group('deleted')).toBeUndefined();
    expect(again.admin.describeGroup('left')).toMatchObject({ state: 'Empty', protocolType: 'consumer', members: [] });
    expect(again.group('left')!.generationId).toBe(2);
    const live = again.admin.describeGroup('live');
    expect(live).toMatchObject({ state: 'Stable', protocolData: 'range' });
    expect(live.members.map((x) => x.memberId)).toEqual([m.memberId]);
    // The loaded member may carry on with its generation, or is evicted after its session timeout.
    expect(again.heartbeat({ groupId: 'live', generationId: 1, memberId: m.memberId, groupInstanceId: null })).toBe(0);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(again.admin.describeGroup('live')).toMatchObject({ state: 'Empty', members: [] });
    expect(again.offsets.fetch('live', null).topics[0]!.partitions[0]!.committedOffset).toBe(22n);
    again.close();
  });
});
