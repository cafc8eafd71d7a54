// The consumer protocol blobs inside group messages, and the range assignor.
import { describe, expect, it } from 'vitest';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, rangeAssign } from '../../../src/client/consumer-protocol.js';

describe('consumer protocol blobs', () => {
  it('round-trips a subscription at every version', () => {
    for (const version of [0, 1, 2, 3]) {
      const bytes = encodeSubscription({ topics: ['a', 'b'], ownedPartitions: [{ topic: 'a', partitions: [0] }], generationId: 4, rackId: 'r1' }, version);
      expect(bytes.readInt16BE(0)).toBe(version);
      const sub = decodeSubscription(bytes);
      expect(sub.topics).toEqual(['a', 'b']);
      expect(sub.version).toBe(version);
      expect(sub.ownedPartitions).toEqual(version >= 1 ? [{ topic: 'a', partitions: [0] }] : []);
      expect(sub.generationId).toBe(version >= 2 ? 4 : -1);
      expect(sub.rackId).toBe(version >= 3 ? 'r1' : null);
    }
  });

  it('reads the v0 layout kafka clients write by hand (version, topics, user data)', () => {
    // int16 version 0, array of 1 string "t", null user data
    const bytes = Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 0x74, 0xff, 0xff, 0xff, 0xff]);
    expect(decodeSubscription(bytes)).toMatchObject({ version: 0, topics: ['t'], userData: null });
  });

  it('reads a newer version than it knows as the newest it knows', () => {
    const bytes = encodeSubscription({ topics: ['x'] }, 3);
    bytes.writeInt16BE(7, 0);
    const extended = Buffer.concat([bytes, Buffer.from([1, 2, 3])]);
    expect(decodeSubscription(extended)).toMatchObject({ version: 7, topics: ['x'] });
  });

  it('round-trips an assignment; an empty blob is no assignment', () => {
    const parts = [{ topic: 't', partitions: [0, 2] }, { topic: 'u', partitions: [1] }];
    expect(decodeAssignment(encodeAssignment(parts, 1))).toEqual(parts);
    expect(decodeAssignment(Buffer.alloc(0))).toEqual([]);
    expect(() => decodeAssignment(Buffer.from([0xff, 0xff]))).toThrow(/negative version/);
  });
});

describe('rangeAssign', () => {
  const m = (memberId: string, topics: string[], groupInstanceId: string | null = null) => ({ memberId, groupInstanceId, topics });

  it.each([
    // members, partitions per topic, expected assignment by member
    [[m('a', ['t']), m('b', ['t'])], { t: 4 }, { a: [['t', [0, 1]]], b: [['t', [2, 3]]] }],
    [[m('a', ['t']), m('b', ['t']), m('c', ['t'])], { t: 4 }, { a: [['t', [0, 1]]], b: [['t', [2]]], c: [['t', [3]]] }],
    [[m('b', ['t']), m('a', ['t'])], { t: 3 }, { a: [['t', [0, 1]]], b: [['t', [2]]] }],
    [[m('a', ['t']), m('b', ['t']), m('c', ['t'])], { t: 1 }, { a: [['t', [0]]], b: [], c: [] }],
    [[m('a', ['t', 'u']), m('b', ['u'])], { t: 2, u: 2 }, { a: [['t', [0, 1]], ['u', [0]]], b: [['u', [1]]] }],
    [[m('a', ['missing'])], {}, { a: [] }],
    // static members (by instance id) come before dynamic ones
    [[m('a', ['t']), m('z', ['t'], 'inst-1')], { t: 2 }, { a: [['t', [1]]], z: [['t', [0]]] }],
  ])('%#', (members, counts, expected) => {
    const plan = rangeAssign(members, new Map(Object.entries(counts)));
    const got = Object.fromEntries([...plan].map(([id, tps]) => [id, tps.map((tp) => [tp.topic, tp.partitions])]));
    expect(got).toEqual(expected);
  });
});
