// __consumer_offsets records as the coordinator writes them (Kafka's worked bytes), read back
// at every value version, and the replay that rebuilds state: last value per key wins,
// tombstones delete.
import { describe, expect, it } from 'vitest';
import { decodeCoordinatorRecord, encodeCoordinatorRecord, replayRecords, type CoordinatorRecord, type StoredOffset } from '../../../../src/broker/groups/records.js';
import { encodeMessage } from '../../../../src/protocol/codec.js';
import { OffsetCommitValueSchema } from '../../../../src/protocol/coordinator-records/index.js';
import { Writer } from '../../../../src/protocol/writer.js';

const hex = (b: Buffer | null) => b?.toString('hex') ?? null;
const offset = (o: number, extra: Partial<StoredOffset> = {}): StoredOffset => ({ offset: BigInt(o), leaderEpoch: -1, metadata: '', commitTimestamp: 1700000000000, expireTimestamp: null, ...extra });
const commit = (group: string, topic: string, partition: number, value: StoredOffset | null): CoordinatorRecord => ({ type: 'offset', group, topic, partition, value });

describe('coordinator records', () => {
  it('writes an offset as key type 1 and value v3 (README §1.3)', () => {
    const r = encodeCoordinatorRecord(commit('my-group', 't', 0, offset(42, { leaderEpoch: 0 })));
    expect(hex(r.key)).toBe('0001' + '0008' + '6d792d67726f7570' + '0001' + '74' + '00000000');
    expect(hex(r.value)).toBe('0003' + '000000000000002a' + '00000000' + '0000' + '0000018bcfe56800');
  });

  it('writes value v1 with the expire timestamp when the commit carried a retention time', () => {
    const r = encodeCoordinatorRecord(commit('g', 't', 3, offset(7, { metadata: 'm', expireTimestamp: 1700000060000 })));
    expect(hex(r.value)).toBe('0001' + '0000000000000007' + '0001' + '6d' + '0000018bcfe56800' + (1700000060000).toString(16).padStart(16, '0'));
    expect(decodeCoordinatorRecord(r.key, r.value)).toEqual(commit('g', 't', 3, offset(7, { metadata: 'm', expireTimestamp: 1700000060000 })));
  });

  it('writes group metadata as key type 2 and value v3, and tombstones as null values', () => {
    const empty = { protocolType: 'consumer', generation: 1, protocol: null, leader: null, currentStateTimestamp: 1700000000000n, members: [] };
    const r = encodeCoordinatorRecord({ type: 'group', group: 'my-group', value: empty });
    expect(hex(r.key)).toBe('0002' + '0008' + '6d792d67726f7570');
    expect(hex(r.value)).toBe('0003' + '0008636f6e73756d6572' + '00000001' + 'ffff' + 'ffff' + '0000018bcfe56800' + '00000000');
    expect(encodeCoordinatorRecord({ type: 'group', group: 'my-group', value: null }).value).toBeNull();
    expect(encodeCoordinatorRecord(commit('g', 't', 0, null)).value).toBeNull();
  });

  it('round-trips group metadata with members, their subscription and assignment', () => {
    const value = {
      protocolType: 'consumer', generation: 5, protocol: 'range', leader: 'm-1', currentStateTimestamp: 1700000000000n,
      members: [{ memberId: 'm-1', groupInstanceId: 'i-1', clientId: 'c', clientHost: '/127.0.0.1', rebalanceTimeout: 60000, sessionTimeout: 10000, subscription: Buffer.from('0001', 'hex'), assignment: Buffer.from('0002', 'hex') }],
    };
    const r = encodeCoordinatorRecord({ type: 'group', group: 'g', value });
    expect(decodeCoordinatorRecord(r.key, r.value)).toEqual({ type: 'group', group: 'g', value });
  });

  it('reads offset values v0–v4 and the 0.8 key type 0', () => {
    const key0 = Buffer.from(encodeCoordinatorRecord(commit('g', 't', 1, null)).key);
    key0.writeInt16BE(0, 0);
    for (const version of [0, 1, 2, 3, 4]) {
      const w = new Writer().int16(version);
      encodeMessage(OffsetCommitValueSchema, version, { offset: 9n, leaderEpoch: 4, metadata: 'x', commitTimestamp: 5n, expireTimestamp: -1n }, w);
      const r = decodeCoordinatorRecord(key0, w.toBuffer());
      expect(r, `v${version}`).toEqual(commit('g', 't', 1, { offset: 9n, leaderEpoch: version >= 3 ? 4 : -1, metadata: 'x', commitTimestamp: 5, expireTimestamp: null }));
    }
  });

  it('reports record types it does not serve (KIP-848 records) as unknown', () => {
    expect(decodeCoordinatorRecord(Buffer.from('000300016700', 'hex'), null)).toEqual({ type: 'unknown', recordType: 3 });
  });

  it('replay keeps the last value per key and lets tombstones delete', () => {
    const md = (generation: number) => ({ type: 'group' as const, group: 'a', value: { protocolType: 'consumer', generation, protocol: null, leader: null, currentStateTimestamp: 1n, members: [] } });
    const groups = replayRecords([
      commit('a', 't', 0, offset(1)),
      commit('a', 't', 0, offset(5)),
      commit('a', 't', 1, offset(3)),
      commit('a', 't', 1, null),
      commit('a', 'u', 0, offset(8)),
      md(1),
      md(2),
      commit('b', 't', 0, offset(1)),
      commit('b', 't', 0, null),
      { type: 'group', group: 'c', value: null },
      md(3),
      commit('d', 'x', 0, offset(2)),
      { type: 'group', group: 'd', value: null },
    ]);
    expect([...groups.keys()].sort()).toEqual(['a', 'd']);
    const a = groups.get('a')!;
    expect(a.metadata?.generation).toBe(3);
    expect([...a.offsets.get('t')!]).toEqual([[0, offset(5)]]);
    expect(a.offsets.get('u')!.get(0)).toEqual(offset(8));
    // A group tombstone leaves the group's offsets: it continues as an offsets-only group.
    expect(groups.get('d')!.metadata).toBeNull();
    expect(groups.get('d')!.offsets.get('x')!.get(0)).toEqual(offset(2));
  });
});
