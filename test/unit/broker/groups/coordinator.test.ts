// The group coordinator against an in-memory log with fake timers: the KIP-394 join round trip,
// the initial rebalance delay, rebalances and their timeouts, SyncGroup, heartbeats and session
// expiry, static membership, LeaveGroup, and the error answers of each.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCoordinator, type JoinGroupInput } from '../../../../src/broker/groups/coordinator.js';
import type { JoinGroupOutcome, SyncGroupOutcome } from '../../../../src/broker/groups/member.js';
import { ErrorCode } from '../../../../src/protocol/error-codes.js';
import { StorageError } from '../../../../src/storage/log.js';
import { harness, subscription } from './helpers.js';

/** A promise with its settled value visible synchronously. */
function track<T>(p: Promise<T>): { readonly done: boolean; readonly value: T } {
  const t = { done: false, value: undefined as T };
  void p.then((v) => {
    t.done = true;
    t.value = v;
  });
  return t;
}

const RANGE = [{ name: 'range', metadata: subscription(['t']) }];

function joinInput(o: Partial<JoinGroupInput> = {}): JoinGroupInput {
  return {
    groupId: 'g', memberId: '', groupInstanceId: null, clientId: 'client', clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, protocolType: 'consumer', protocols: RANGE,
    requireKnownMemberId: false, supportsSkipAssignment: false, ...o,
  };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

/** Joins a fresh member and completes the rebalance it starts (the group must be able to complete at once). */
async function joinStable(coord: GroupCoordinator, o: Partial<JoinGroupInput> = {}): Promise<JoinGroupOutcome> {
  const j = track(coord.join(joinInput(o)));
  await tick(0);
  expect(j.done).toBe(true);
  const out = j.value;
  expect(out.errorCode).toBe(ErrorCode.NONE);
  const s = await coord.sync({ groupId: o.groupId ?? 'g', generationId: out.generationId, memberId: out.memberId, groupInstanceId: o.groupInstanceId ?? null, protocolType: null, protocolName: null, assignments: [{ memberId: out.memberId, assignment: Buffer.from('a1') }] });
  expect(s.errorCode).toBe(ErrorCode.NONE);
  return out;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('JoinGroup', () => {
  it('KIP-394: v4+ gets MEMBER_ID_REQUIRED with <clientId>-<uuid>, then joins with that id', async () => {
    const { coord } = harness();
    const first = await coord.join(joinInput({ requireKnownMemberId: true, clientId: 'cap-kjs-consumer' }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^cap-kjs-consumer-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(first.generationId).toBe(-1);
    expect(coord.group('g')!.state).toBe('Empty');
    const second = track(coord.join(joinInput({ requireKnownMemberId: true, memberId: first.memberId })));
    await tick(0);
    expect(second.value).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range', protocolType: 'consumer', leader: first.memberId, memberId: first.memberId });
    expect(second.value.members).toEqual([{ memberId: first.memberId, groupInstanceId: null, metadata: RANGE[0]!.metadata }]);
    expect(coord.group('g')!.state).toBe('CompletingRebalance');
  });

  it('v0–v3 join in one round trip', async () => {
    const { coord } = harness();
    const out = track(coord.join(joinInput({ clientId: 'kpy' })));
    await tick(0);
    expect(out.value.errorCode).toBe(0);
    expect(out.value.memberId).toMatch(/^kpy-/);
    expect(out.value.generationId).toBe(1);
  });

  it('a pending member id expires after the session timeout; rejoining with it then is UNKNOWN_MEMBER_ID', async () => {
    const { coord } = harness();
    const first = await coord.join(joinInput({ requireKnownMemberId: true, sessionTimeoutMs: 6000 }));
    expect(coord.group('g')!.pendingMembers.size).toBe(1);
    await tick(6000);
    expect(coord.group('g')!.pendingMembers.size).toBe(0);
    const again = await coord.join(joinInput({ requireKnownMemberId: true, memberId: first.memberId }));
    expect(again.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('a rebalance waits for pending members to come back', async () => {
    const { coord } = harness();
    const a = await joinStable(coord);
    const pending = await coord.join(joinInput({ requireKnownMemberId: true }));
    // The leader rejoins: everyone known has joined, but the pending member is still expected.
    const rejoin = track(coord.join(joinInput({ memberId: a.memberId })));
    await tick(100);
    expect(rejoin.done).toBe(false);
    const b = track(coord.join(joinInput({ requireKnownMemberId: true, memberId: pending.memberId })));
    await tick(0);
    expect(rejoin.value.generationId).toBe(2);
    expect(b.value.generationId).toBe(2);
    expect(rejoin.value.members).toHaveLength(2);
    expect(b.value.members).toEqual([]);
  });

  it('refuses a session timeout outside group.min/max.session.timeout.ms', async () => {
    const { coord } = harness({ minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 1_800_000 });
    expect((await coord.join(joinInput({ sessionTimeoutMs: 5999 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await coord.join(joinInput({ sessionTimeoutMs: 1_800_001 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(coord.group('g')).toBeUndefined();
  });

  it('refuses an empty group id, an empty protocol type or list, and a known id for an unknown group', async () => {
    const { coord } = harness();
    expect((await coord.join(joinInput({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await coord.join(joinInput({ protocolType: '' }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await coord.join(joinInput({ protocols: [] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await coord.join(joinInput({ groupId: 'other', memberId: 'nobody' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('refuses a member whose protocol type or protocols do not fit the group', async () => {
    const { coord } = harness();
    await joinStable(coord);
    expect((await coord.join(joinInput({ protocolType: 'connect' }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await coord.join(joinInput({ protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(coord.group('g')!.state).toBe('Stable');
  });

  it('selects the protocol by vote across the members', async () => {
    const { coord } = harness({ initialRebalanceDelayMs: 100 });
    const p = (...names: string[]) => names.map((name) => ({ name, metadata: subscription(['t']) }));
    const a = track(coord.join(joinInput({ protocols: p('range', 'roundrobin') })));
    const b = track(coord.join(joinInput({ protocols: p('roundrobin', 'range') })));
    const c = track(coord.join(joinInput({ protocols: p('sticky', 'roundrobin', 'range') })));
    // Members arrived during the first delay, so it runs twice.
    await tick(100);
    expect(a.done).toBe(false);
    await tick(100);
    expect([a, b, c].map((x) => x.value.protocolName)).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
    // Only the leader gets the members' metadata.
    expect(a.value.members.map((m) => m.memberId)).toEqual([a.value.memberId, b.value.memberId, c.value.memberId]);
    expect(b.value.members).toEqual([]);
    expect(b.value.leader).toBe(a.value.memberId);
  });

  it('group.max.size: members beyond it get GROUP_MAX_SIZE_REACHED', async () => {
    const { coord } = harness({ maxSize: 2, initialRebalanceDelayMs: 100 });
    const a = track(coord.join(joinInput()));
    const b = track(coord.join(joinInput()));
    const c = await coord.join(joinInput());
    expect(c).toMatchObject({ errorCode: ErrorCode.GROUP_MAX_SIZE_REACHED, memberId: '' });
    await tick(200);
    expect(a.value.errorCode).toBe(0);
    expect(b.value.errorCode).toBe(0);
    expect(coord.group('g')!.size).toBe(2);
  });
});

describe('initial rebalance delay (group.initial.rebalance.delay.ms)', () => {
  it('holds the first rebalance for the delay, and again while new members keep arriving', async () => {
    const { coord } = harness({ initialRebalanceDelayMs: 3000 });
    const a = track(coord.join(joinInput()));
    await tick(2000);
    const b = track(coord.join(joinInput()));
    await tick(1000);
    // The first delay ended with a new member added: wait another delay.
    expect(a.done).toBe(false);
    await tick(2999);
    expect(a.done).toBe(false);
    await tick(1);
    expect(a.value.generationId).toBe(1);
    expect(b.value.generationId).toBe(1);
    expect(a.value.members).toHaveLength(2);
  });

  it('never waits longer than the rebalance timeout', async () => {
    const { coord } = harness({ initialRebalanceDelayMs: 3000 });
    const first = track(coord.join(joinInput({ rebalanceTimeoutMs: 5000 })));
    for (let t = 0; t < 10_000 && !first.done; t += 1000) {
      void coord.join(joinInput({ rebalanceTimeoutMs: 5000 }));
      await tick(1000);
    }
    expect(first.done).toBe(true);
    expect(Date.now() - 1_700_000_000_000).toBeLessThanOrEqual(6000);
  });
});

describe('rebalance', () => {
  it('a new member makes the others rejoin (heartbeat REBALANCE_IN_PROGRESS); the leader gets everyone', async () => {
    const { coord } = harness();
    const a = await joinStable(coord);
    const b = track(coord.join(joinInput({ clientId: 'b' })));
    await tick(0);
    expect(coord.group('g')!.state).toBe('PreparingRebalance');
    expect(b.done).toBe(false);
    expect(coord.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const a2 = track(coord.join(joinInput({ memberId: a.memberId })));
    await tick(0);
    expect(a2.value).toMatchObject({ errorCode: 0, generationId: 2, leader: a.memberId });
    expect(a2.value.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.value.memberId].sort());
    expect(b.value).toMatchObject({ errorCode: 0, generationId: 2, leader: a.memberId, members: [] });
  });

  it('members that do not rejoin within the rebalance timeout are removed', async () => {
    const { coord } = harness();
    const a = await joinStable(coord, { rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 60_000 });
    const b = track(coord.join(joinInput({ clientId: 'b', rebalanceTimeoutMs: 20_000 })));
    await tick(19_999);
    expect(b.done).toBe(false);
    await tick(1);
    expect(b.value).toMatchObject({ errorCode: 0, generationId: 2, leader: b.value.memberId });
    expect(coord.group('g')!.has(a.memberId)).toBe(false);
    expect(coord.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('the leader rejoining a Stable group starts a rebalance; an unchanged follower just gets the generation', async () => {
    const { coord } = harness({ initialRebalanceDelayMs: 10 });
    const a = track(coord.join(joinInput()));
    const b = track(coord.join(joinInput()));
    await tick(20);
    const leader = a.value.leader === a.value.memberId ? a.value : b.value;
    const follower = leader === a.value ? b.value : a.value;
    await Promise.all([
      coord.sync({ groupId: 'g', generationId: 1, memberId: leader.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }),
      coord.sync({ groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }),
    ]);
    const again = await coord.join(joinInput({ memberId: follower.memberId }));
    expect(again).toMatchObject({ errorCode: 0, generationId: 1, members: [] });
    expect(coord.group('g')!.state).toBe('Stable');
    void coord.join(joinInput({ memberId: leader.memberId }));
    expect(coord.group('g')!.state).toBe('PreparingRebalance');
  });

  it('a group whose members all leave becomes Empty and its metadata is written', async () => {
    const { coord, store } = harness();
    const a = await joinStable(coord);
    expect(coord.leave('g', [{ memberId: a.memberId, groupInstanceId: null }])).toEqual({ errorCode: 0, members: [{ memberId: a.memberId, groupInstanceId: null, errorCode: 0 }] });
    await tick(0);
    const g = coord.group('g')!;
    expect(g.state).toBe('Empty');
    expect(g.generationId).toBe(2);
    const last = [...store.readAll()].at(-1)!;
    expect(last).toMatchObject({ type: 'group', group: 'g', value: { protocolType: 'consumer', generation: 2, protocol: null, leader: null, members: [] } });
  });
});

describe('SyncGroup', () => {
  it('parks followers until the leader assigns; missing assignments are empty; the group becomes Stable', async () => {
    const { coord, store } = harness({ initialRebalanceDelayMs: 10 });
    const joins = [track(coord.join(joinInput())), track(coord.join(joinInput())), track(coord.join(joinInput()))];
    await tick(20);
    const [leader, ...followers] = joins.map((j) => j.value).sort((x, y) => Number(y.memberId === y.leader) - Number(x.memberId === x.leader));
    const f1 = track(coord.sync({ groupId: 'g', generationId: 1, memberId: followers[0]!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }));
    await tick(0);
    expect(f1.done).toBe(false);
    const l = await coord.sync({ groupId: 'g', generationId: 1, memberId: leader!.memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments: [
      { memberId: leader!.memberId, assignment: Buffer.from('L') },
      { memberId: followers[0]!.memberId, assignment: Buffer.from('F') },
    ] });
    expect(l).toEqual({ errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from('L') });
    await tick(0);
    expect(f1.value.assignment).toEqual(Buffer.from('F'));
    expect(coord.group('g')!.state).toBe('Stable');
    // The member the leader left out gets an empty assignment, from the Stable group.
    const f2 = await coord.sync({ groupId: 'g', generationId: 1, memberId: followers[1]!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    expect(f2.assignment).toEqual(Buffer.alloc(0));
    const md = [...store.readAll()].at(-1)!;
    expect(md.type === 'group' && md.value!.members.map((m) => m.assignment.toString())).toEqual(expect.arrayContaining(['L', 'F', '']));
  });

  it('answers errors: unknown member, old generation, rebalance in progress, inconsistent protocol', async () => {
    const { coord } = harness();
    const a = await joinStable(coord);
    const sync = (o: object) => coord.sync({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [], ...o });
    expect((await sync({ memberId: 'x' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await sync({ groupId: 'none' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await sync({ generationId: 0 })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await sync({ protocolName: 'roundrobin' })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await sync({ protocolType: 'connect' })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    void coord.join(joinInput({ clientId: 'b' }));
    expect((await sync({})).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('a member that never syncs is removed after the rebalance timeout', async () => {
    const { coord } = harness({ initialRebalanceDelayMs: 10 });
    const a = track(coord.join(joinInput({ rebalanceTimeoutMs: 15_000, sessionTimeoutMs: 60_000 })));
    const b = track(coord.join(joinInput({ rebalanceTimeoutMs: 15_000, sessionTimeoutMs: 60_000 })));
    await tick(20);
    const leader = a.value.leader === a.value.memberId ? a.value : b.value;
    const follower = leader === a.value ? b.value : a.value;
    await coord.sync({ groupId: 'g', generationId: 1, memberId: leader.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await tick(15_000);
    const g = coord.group('g')!;
    expect(g.has(follower.memberId)).toBe(false);
    expect(g.state).toBe('PreparingRebalance');
  });
});

describe('Heartbeat and session timeout', () => {
  it('heartbeats keep a member; silence past the session timeout removes it and rebalances', async () => {
    const { coord } = harness();
    const a = await joinStable(coord, { sessionTimeoutMs: 6000 });
    const b = track(coord.join(joinInput({ sessionTimeoutMs: 6000 })));
    const a2 = await coord.join(joinInput({ memberId: a.memberId, sessionTimeoutMs: 6000 }));
    await tick(0);
    const bOut = b.value;
    const leader = a2.leader === a.memberId ? a2 : bOut;
    await Promise.all([a2, bOut].map((m) => coord.sync({ groupId: 'g', generationId: 2, memberId: m.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [{ memberId: m.memberId, assignment: Buffer.from('x') }] })));
    expect(leader).toBeDefined();
    await tick(3000);
    expect(coord.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null })).toBe(0);
    await tick(3000);
    // b has been silent for its whole session timeout: it is removed and a rebalance starts,
    // which a learns from its next heartbeat.
    expect(coord.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const g = coord.group('g')!;
    expect(g.has(bOut.memberId)).toBe(false);
    expect(g.has(a.memberId)).toBe(true);
    expect(g.state).toBe('PreparingRebalance');
  });

  it('answers UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, and UNKNOWN_MEMBER_ID for an Empty group', async () => {
    const { coord } = harness();
    const a = await joinStable(coord);
    expect(coord.heartbeat({ groupId: 'g', generationId: 1, memberId: 'nobody', groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coord.heartbeat({ groupId: 'g', generationId: 7, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coord.heartbeat({ groupId: 'nope', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coord.heartbeat({ groupId: '', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.INVALID_GROUP_ID);
  });
});

describe('static membership (KIP-345)', () => {
  it('a known instance rejoining with no member id takes over without a rebalance; the old id is fenced', async () => {
    const { coord, store } = harness();
    const a = await joinStable(coord, { groupInstanceId: 'inst-1', clientId: 'c1' });
    expect(a.memberId).toMatch(/^inst-1-/);
    const writes = store.entries.length;
    const again = await coord.join(joinInput({ groupInstanceId: 'inst-1', clientId: 'c1' }));
    expect(again.errorCode).toBe(0);
    expect(again.memberId).not.toBe(a.memberId);
    expect(again.generationId).toBe(1);
    // Older clients are told the old leader id, so they do not run an assignment.
    expect(again.leader).toBe(a.memberId);
    const g = coord.group('g')!;
    expect(g.state).toBe('Stable');
    expect(g.leaderId).toBe(again.memberId);
    expect(store.entries.length).toBe(writes + 1);
    expect(coord.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: 'inst-1' })).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(coord.heartbeat({ groupId: 'g', generationId: 1, memberId: again.memberId, groupInstanceId: 'inst-1' })).toBe(0);
    const s = await coord.sync({ groupId: 'g', generationId: 1, memberId: again.memberId, groupInstanceId: 'inst-1', protocolType: null, protocolName: null, assignments: [] });
    expect(s.assignment).toEqual(Buffer.from('a1'));
  });

  it('a takeover that cannot be written is refused and the old member id stays in charge', async () => {
    const { coord, store } = harness();
    const a = await joinStable(coord, { groupInstanceId: 'inst-1' });
    store.failWith = new StorageError(56, 'disk error');
    const again = await coord.join(joinInput({ groupInstanceId: 'inst-1' }));
    expect(again).toMatchObject({ errorCode: ErrorCode.NOT_COORDINATOR, memberId: '' });
    expect(coord.group('g')!.leaderId).toBe(a.memberId);
    expect(coord.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: 'inst-1' })).toBe(0);
  });

  it('JoinGroup v9: the rejoining static leader is told to skip the assignment', async () => {
    const { coord } = harness();
    await joinStable(coord, { groupInstanceId: 'inst-1' });
    const again = await coord.join(joinInput({ groupInstanceId: 'inst-1', supportsSkipAssignment: true }));
    expect(again).toMatchObject({ errorCode: 0, skipAssignment: true, leader: again.memberId });
    expect(again.members).toHaveLength(1);
  });

  it('a static member rejoining with other protocols starts a rebalance', async () => {
    const { coord } = harness();
    await joinStable(coord, { groupInstanceId: 'inst-1', protocols: [{ name: 'range', metadata: subscription(['t']) }, { name: 'roundrobin', metadata: subscription(['t']) }] });
    const again = track(coord.join(joinInput({ groupInstanceId: 'inst-1', protocols: [{ name: 'roundrobin', metadata: subscription(['t']) }] })));
    await tick(0);
    expect(again.value).toMatchObject({ errorCode: 0, generationId: 2, protocolName: 'roundrobin' });
  });

  it('an unknown instance id with a member id is UNKNOWN_MEMBER_ID; a static member survives a rebalance it misses', async () => {
    const { coord } = harness();
    const s = await joinStable(coord, { groupInstanceId: 'inst-1', sessionTimeoutMs: 60_000 });
    expect((await coord.join(joinInput({ memberId: s.memberId, groupInstanceId: 'other' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const b = track(coord.join(joinInput({ rebalanceTimeoutMs: 30_000 })));
    await tick(30_000);
    expect(b.value.generationId).toBe(2);
    expect(coord.group('g')!.has(s.memberId)).toBe(true);
  });
});

describe('LeaveGroup', () => {
  it('removes members in a batch with per-member errors; by instance id too', async () => {
    const { coord } = harness({ initialRebalanceDelayMs: 10 });
    const a = track(coord.join(joinInput()));
    const s = track(coord.join(joinInput({ groupInstanceId: 'inst-1' })));
    await tick(20);
    const out = coord.leave('g', [
      { memberId: a.value.memberId, groupInstanceId: null },
      { memberId: 'ghost', groupInstanceId: null },
      { memberId: 'stale', groupInstanceId: 'inst-1' },
      { memberId: '', groupInstanceId: 'inst-1' },
    ]);
    expect(out.members.map((m) => m.errorCode)).toEqual([0, ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.FENCED_INSTANCE_ID, 0]);
    expect(coord.group('g')!.size).toBe(0);
    expect(s.value.errorCode).toBe(0);
    expect(coord.leave('none', [{ memberId: 'x', groupInstanceId: null }])).toEqual({ errorCode: 0, members: [{ memberId: 'x', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID }] });
  });

  it('a pending (KIP-394) member may leave', async () => {
    const { coord } = harness();
    const p = await coord.join(joinInput({ requireKnownMemberId: true }));
    expect(coord.leave('g', [{ memberId: p.memberId, groupInstanceId: null }]).members[0]!.errorCode).toBe(0);
    expect(coord.group('g')!.pendingMembers.size).toBe(0);
  });
});

describe('groups admin', () => {
  it('lists and describes groups; members carry metadata only when Stable', async () => {
    const { coord } = harness();
    const a = await joinStable(coord, { clientId: 'c1' });
    expect(coord.admin.listGroups().groups).toEqual([{ groupId: 'g', protocolType: 'consumer', state: 'Stable' }]);
    const d = coord.admin.describeGroup('g');
    expect(d).toMatchObject({ errorCode: 0, state: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(d.members).toEqual([{ memberId: a.memberId, groupInstanceId: null, clientId: 'c1', clientHost: '/127.0.0.1', memberMetadata: RANGE[0]!.metadata, memberAssignment: Buffer.from('a1') }]);
    void coord.join(joinInput());
    const during = coord.admin.describeGroup('g');
    expect(during).toMatchObject({ state: 'PreparingRebalance', protocolData: '' });
    expect(during.members[0]!.memberMetadata).toEqual(Buffer.alloc(0));
    expect(coord.admin.describeGroup('missing')).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: 'Group missing not found.', state: 'Dead' });
  });

  it('deletes only empty groups, with tombstones for its offsets and metadata', async () => {
    const { coord, store } = harness();
    const a = await joinStable(coord);
    expect(coord.offsets.commit({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, retentionTimeMs: -1, entries: [{ topic: 't', partition: 0, offset: 5n, leaderEpoch: -1, metadata: null }] })).toEqual([0]);
    expect(coord.admin.deleteGroups(['g', 'none'])).toEqual([{ groupId: 'g', errorCode: ErrorCode.NON_EMPTY_GROUP }, { groupId: 'none', errorCode: ErrorCode.GROUP_ID_NOT_FOUND }]);
    coord.leave('g', [{ memberId: a.memberId, groupInstanceId: null }]);
    expect(coord.admin.deleteGroups(['g'])).toEqual([{ groupId: 'g', errorCode: 0 }]);
    expect(coord.group('g')).toBeUndefined();
    expect([...store.readAll()].slice(-2)).toEqual([
      { type: 'offset', group: 'g', topic: 't', partition: 0, value: null },
      { type: 'group', group: 'g', value: null },
    ]);
    expect(coord.offsets.fetch('g', null)).toEqual({ errorCode: 0, topics: [] });
  });
});

describe('failures and shutdown', () => {
  it('a failed write of the leader’s assignment sends everyone back to rejoin', async () => {
    const { coord, store } = harness();
    const joined = track(coord.join(joinInput()));
    await tick(0);
    const j = joined.value;
    store.failWith = new StorageError(56, 'disk full');
    const s = await coord.sync({ groupId: 'g', generationId: 1, memberId: j.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [{ memberId: j.memberId, assignment: Buffer.from('x') }] });
    expect(s.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(coord.group('g')!.state).toBe('PreparingRebalance');
  });

  it('close() answers parked JoinGroup and SyncGroup requests and stops every timer', async () => {
    const { coord } = harness({ initialRebalanceDelayMs: 10 });
    const a = track(coord.join(joinInput()));
    const b = track(coord.join(joinInput()));
    await tick(20);
    const follower = a.value.leader === a.value.memberId ? b.value : a.value;
    const parkedSync = track(coord.sync({ groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }));
    const parkedJoin = track(coord.join(joinInput({ groupId: 'other' })));
    void coord.join(joinInput({ groupId: 'delayed' }));
    coord.startExpiry();
    coord.close();
    await tick(0);
    expect(parkedSync.value.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    // 'other' completed its zero-delay join before close or was answered by it: either way it is settled.
    expect(parkedJoin.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect((await coord.join(joinInput())).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(coord.heartbeat({ groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: null })).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});
