// The group APIs on the wire, against the in-process broker: what ApiVersions advertises, the
// captured kafkajs group session replayed (KIP-394 round trip included) and compared with Kafka
// 2.4.1's answers, FindCoordinator batching, JoinGroup v0 and v9, the admin APIs' version
// differences, offsets and the records they leave in __consumer_offsets, shutdown with parked
// requests, and mutated group requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCoordinatorRecord } from '../../src/broker/groups/records.js';
import { partitionForGroup } from '../../src/broker/groups/partitioner.js';
import { decodeMessage, encodeMessage, isFlexible } from '../../src/protocol/codec.js';
import { readRequestHeaderPrefix, readResponseHeader, responseHeaderIsFlexible, skipHeaderTags } from '../../src/protocol/headers.js';
import {
  ApiVersions, DeleteGroups, DescribeGroups, FindCoordinator, Heartbeat, JoinGroup, LeaveGroup, ListGroups, OffsetCommit, OffsetDelete, OffsetFetch, SyncGroup,
} from '../../src/protocol/messages/index.js';
import { ConsumerProtocolSubscriptionSchema } from '../../src/protocol/messages/consumer-protocol-subscription.js';
import { decodeRecordBatchesSync } from '../../src/protocol/records/records.js';
import { Reader } from '../../src/protocol/reader.js';
import type { ApiSchema } from '../../src/protocol/schema.js';
import { Writer } from '../../src/protocol/writer.js';
import { RawKafkaClient } from '../helpers/raw-client.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

const CAPTURES = join(import.meta.dirname, '..', 'fixtures', 'captures');
const APIS: ApiSchema[] = [FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups, OffsetDelete];

interface Exchange { api: ApiSchema; version: number; clientId: string; request: Any; response: Any; requestHex: string }

/** The group exchanges of a capture file, decoded. */
function capturedGroupExchanges(file: string): Exchange[] {
  return readFileSync(join(CAPTURES, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).flatMap((d) => {
    const api = APIS.find((a) => a.apiKey === d.api_key);
    if (!api) return [];
    const version = d.api_version as number;
    const schema = api === JoinGroup ? { ...api.request, validVersions: [0, 9] as const } : api.request;
    const r = new Reader(Buffer.from(d.request_hex, 'hex'), 4);
    readRequestHeaderPrefix(r);
    if (isFlexible(api.request, version)) skipHeaderTags(r);
    const request = decodeMessage(schema, version, r);
    const rr = new Reader(Buffer.from(d.response_hex, 'hex'), 4);
    readResponseHeader(rr, responseHeaderIsFlexible(api.apiKey, isFlexible(api.request, version)));
    const response = decodeMessage(api.response, version, rr);
    return [{ api, version, clientId: d.client_id as string, request, response, requestHex: d.request_hex }];
  });
}

function subscription(topics: string[]): Buffer {
  const w = new Writer().int16(0);
  encodeMessage(ConsumerProtocolSubscriptionSchema, 0, { topics, userData: null }, w);
  return w.toBuffer();
}

let b: TestBroker;
const clients: RawKafkaClient[] = [];
async function client(id = 'raw'): Promise<RawKafkaClient> {
  const c = await RawKafkaClient.connect(b.broker.port, id);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  b = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '500', 'offset.metadata.max.bytes': '10' });
  for (const [topic, n] of [['cap-kjs', 1], ['cap-ck', 2], ['cap-kpy', 1], ['cap-java', 1]] as const) b.broker.state.partitions.createTopic(topic, n, new Map());
  b.broker.state.partitions.createTopic('t3', 3, new Map());
});
afterAll(async () => {
  for (const c of clients) c.close();
  await b?.cleanup();
});

describe('group APIs on the wire', () => {
  it('advertises the versions it serves', async () => {
    const c = await client();
    const res = await c.call<Any>(ApiVersions, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' });
    const range = (key: number) => {
      const k = res.apiKeys.find((x: Any) => x.apiKey === key);
      return k && [k.minVersion, k.maxVersion];
    };
    expect({ 8: range(8), 9: range(9), 10: range(10), 11: range(11), 12: range(12), 13: range(13), 14: range(14), 15: range(15), 16: range(16), 42: range(42), 47: range(47) }).toEqual({
      8: [2, 9], 9: [1, 9], 10: [0, 6], 11: [0, 9], 12: [0, 4], 13: [0, 5], 14: [0, 5], 15: [0, 6], 16: [0, 5], 42: [0, 2], 47: [0, 0],
    });
  });

  const SESSIONS: Array<[string, string[]]> = [
    ['kafkajs.jsonl', ['FindCoordinator v2', 'JoinGroup v5', 'JoinGroup v5', 'SyncGroup v3', 'OffsetFetch v4', 'OffsetCommit v5', 'LeaveGroup v3']],
    ['confluent-kafka.jsonl', ['FindCoordinator v2', 'FindCoordinator v2', 'JoinGroup v5', 'JoinGroup v5', 'SyncGroup v3', 'Heartbeat v3', 'OffsetFetch v6', 'OffsetCommit v7', 'LeaveGroup v1']],
    ['kafka-python.jsonl', ['FindCoordinator v0', 'JoinGroup v2', 'SyncGroup v1', 'OffsetFetch v1', 'OffsetCommit v2', 'LeaveGroup v1']],
    ['java-tools.jsonl', ['FindCoordinator v3', 'JoinGroup v6', 'JoinGroup v6', 'SyncGroup v4', 'OffsetFetch v6', 'OffsetCommit v8', 'LeaveGroup v4', 'ListGroups v3', 'FindCoordinator v3', 'DescribeGroups v5', 'FindCoordinator v3', 'OffsetFetch v6']],
  ];
  it.each(SESSIONS)('replays the captured %s group session and answers as Kafka 2.4.1 did', async (file, expected) => {
    const session = capturedGroupExchanges(file);
    expect(session.map((e) => `${e.api.name} v${e.version}`)).toEqual(expected);
    const byClient = new Map<string, RawKafkaClient>();
    // The member id Kafka gave the captured client, and the one we give ours.
    const captured = session.map((e) => (e.api === JoinGroup ? e.response.memberId : '')).filter((m) => m !== '').at(-1)!;
    let memberId = '';
    // Deep copy with the captured member id replaced by ours (or by a placeholder, to compare).
    const swap = (v: Any, to: string): Any => {
      if (typeof v === 'string') return v === captured || (memberId !== '' && v === memberId) ? to : v;
      if (Buffer.isBuffer(v) || typeof v !== 'object' || v === null) return v;
      if (Array.isArray(v)) return v.map((x) => swap(x, to));
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x, to)]));
    };
    for (const e of session) {
      let c = byClient.get(e.clientId);
      if (!c) byClient.set(e.clientId, (c = await client(e.clientId)));
      const res = await c.call<Any>(e.api, e.version, swap(e.request, memberId));
      if (e.api === JoinGroup && res.memberId !== '') memberId = res.memberId;
      if (e.api === FindCoordinator) {
        expect(res).toMatchObject({ errorCode: 0, nodeId: 0, host: '127.0.0.1', port: b.broker.port, errorMessage: e.version >= 1 ? 'NONE' : '' });
      } else if (e.api === ListGroups) {
        // The other groups on the shared broker differ; ours is listed as Kafka listed it.
        expect(res.errorCode).toBe(0);
        expect(res.groups).toContainEqual(e.response.groups.find((g: Any) => g.groupId === 'cap-java-group'));
      } else if (e.api === DescribeGroups) {
        // 2.4.1 answered 0 for operations nobody asked for; 4.0 answers its "omitted" sentinel.
        expect(res.groups).toEqual(e.response.groups.map((g: Any) => ({ ...g, authorizedOperations: -2147483648 })));
      } else {
        expect(swap(res, '<member>'), `${e.api.name} v${e.version}`).toEqual(swap(e.response, '<member>'));
      }
    }
    expect(memberId.startsWith(`${session.find((e) => e.api === JoinGroup)!.clientId}-`)).toBe(true);
  });

  it('FindCoordinator: v0 (kafka-python), v4 batched keys, transactions not yet served', async () => {
    const c = await client();
    expect(await c.call<Any>(FindCoordinator, 0, { key: 'cap-kpy-group' })).toMatchObject({ errorCode: 0, nodeId: 0, host: '127.0.0.1', port: b.broker.port });
    const v4 = await c.call<Any>(FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['a', 'b'] });
    expect(v4.coordinators).toEqual([
      { key: 'a', nodeId: 0, host: '127.0.0.1', port: b.broker.port, errorCode: 0, errorMessage: 'NONE' },
      { key: 'b', nodeId: 0, host: '127.0.0.1', port: b.broker.port, errorCode: 0, errorMessage: 'NONE' },
    ]);
    const txn = await c.call<Any>(FindCoordinator, 6, { keyType: 1, coordinatorKeys: ['tx'] });
    expect(txn.coordinators[0]).toMatchObject({ errorCode: 15, errorMessage: 'The coordinator is not available.', nodeId: -1 });
    // __consumer_offsets: 50 compacted partitions, created on first need.
    const topic = b.broker.state.metadata.get('__consumer_offsets')!;
    expect(topic.partitions).toBe(50);
    expect(topic.internal).toBe(true);
    expect(Object.fromEntries(topic.configs)).toEqual({ 'cleanup.policy': 'compact', 'compression.type': 'producer', 'segment.bytes': '104857600' });
  });

  it('JoinGroup v0 joins in one round trip; v9 tells a rejoining static leader to skip the assignment', async () => {
    const c = await client('v0');
    const v0 = await c.call<Any>(JoinGroup, 0, { groupId: 'v0-group', sessionTimeoutMs: 6000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription(['t3']) }] });
    expect(v0).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
    expect(v0.leader).toBe(v0.memberId);
    const s = await client('static');
    const join9 = () => s.call<Any>(JoinGroup, 9, { groupId: 'v9-group', sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, memberId: '', groupInstanceId: 'i1', protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription(['t3']) }], reason: 'test' });
    const first = await join9();
    expect(first).toMatchObject({ errorCode: 0, generationId: 1, protocolType: 'consumer', skipAssignment: false });
    expect((await s.call<Any>(SyncGroup, 5, { groupId: 'v9-group', generationId: 1, memberId: first.memberId, groupInstanceId: 'i1', protocolType: 'consumer', protocolName: 'range', assignments: [] })).errorCode).toBe(0);
    const again = await join9();
    expect(again).toMatchObject({ errorCode: 0, generationId: 1, skipAssignment: true, leader: again.memberId });
    expect(again.memberId).not.toBe(first.memberId);
    expect((await s.call<Any>(Heartbeat, 4, { groupId: 'v9-group', generationId: 1, memberId: first.memberId, groupInstanceId: 'i1' })).errorCode).toBe(82);
    expect((await s.call<Any>(SyncGroup, 5, { groupId: 'v9-group', generationId: 1, memberId: again.memberId, groupInstanceId: 'i1', protocolType: null, protocolName: null, assignments: [] })).errorCode).toBe(23);
  });

  it('DescribeGroups and ListGroups answer by version; DeleteGroups refuses non-empty groups', async () => {
    const c = await client();
    expect((await c.call<Any>(DescribeGroups, 5, { groups: ['missing'] })).groups[0]).toMatchObject({ errorCode: 0, groupState: 'Dead', protocolType: '', members: [] });
    expect((await c.call<Any>(DescribeGroups, 6, { groups: ['missing'] })).groups[0]).toMatchObject({ errorCode: 69, errorMessage: 'Group missing not found.', groupState: 'Dead' });
    const d = (await c.call<Any>(DescribeGroups, 4, { groups: ['v0-group'], includeAuthorizedOperations: true })).groups[0];
    expect(d).toMatchObject({ groupState: 'CompletingRebalance', protocolType: 'consumer', protocolData: '', authorizedOperations: 328 });
    expect(d.members[0].clientId).toBe('v0');
    const stable = (await c.call<Any>(DescribeGroups, 0, { groups: ['v9-group'] })).groups[0];
    expect(stable).toMatchObject({ groupState: 'Stable', protocolData: 'range' });
    expect(Buffer.from(stable.members[0].memberMetadata)).toEqual(subscription(['t3']));
    const all = await c.call<Any>(ListGroups, 5, { statesFilter: [], typesFilter: [] });
    expect(all.groups).toEqual(expect.arrayContaining([{ groupId: 'v9-group', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }]));
    expect((await c.call<Any>(ListGroups, 4, { statesFilter: ['stable'] })).groups.map((g: Any) => g.groupId)).toEqual(['v9-group']);
    expect((await c.call<Any>(ListGroups, 5, { statesFilter: [], typesFilter: ['consumer'] })).groups).toEqual([]);
    expect((await c.call<Any>(ListGroups, 0, {})).groups.map((g: Any) => g.groupId)).toContain('v0-group');
    expect((await c.call<Any>(DeleteGroups, 2, { groupsNames: ['v9-group', 'nope'] })).results).toEqual([{ groupId: 'v9-group', errorCode: 68 }, { groupId: 'nope', errorCode: 69 }]);
  });

  it('offsets: unknown partitions and oversized metadata per partition, multi-group fetch, and the records written', async () => {
    const c = await client();
    const commit = await c.call<Any>(OffsetCommit, 8, {
      groupId: 'solo', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null,
      topics: [{ name: 't3', partitions: [
        { partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: 0, committedMetadata: '' },
        { partitionIndex: 1, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: 'more than ten characters' },
        { partitionIndex: 9, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
      ] }, { name: 'no-such-topic', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null }] }],
    });
    expect(commit.topics).toEqual([
      { name: 't3', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 1, errorCode: 12 }, { partitionIndex: 9, errorCode: 3 }] },
      { name: 'no-such-topic', partitions: [{ partitionIndex: 0, errorCode: 3 }] },
    ]);
    const v1 = await c.call<Any>(OffsetFetch, 1, { groupId: 'solo', topics: [{ name: 't3', partitionIndexes: [0, 1] }] });
    expect(v1.topics[0].partitions.map((p: Any) => [p.committedOffset, p.metadata])).toEqual([[42n, ''], [-1n, '']]);
    const v8 = await c.call<Any>(OffsetFetch, 8, { groups: [{ groupId: 'solo', topics: null }, { groupId: 'nobody', topics: [{ name: 't3', partitionIndexes: [2] }] }], requireStable: true });
    expect(v8.groups).toEqual([
      { groupId: 'solo', errorCode: 0, topics: [{ name: 't3', partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: 0, metadata: '', errorCode: 0 }] }] },
      { groupId: 'nobody', errorCode: 0, topics: [{ name: 't3', partitions: [{ partitionIndex: 2, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] }] },
    ]);
    // The commit is a record in the group's partition of __consumer_offsets, in Kafka's layout.
    const partition = b.broker.state.partitions.get('__consumer_offsets', partitionForGroup('solo', 50))!;
    const records = decodeRecordBatchesSync(partition.log.read(partition.log.logStartOffset, 1 << 20, true)).flatMap((x) => x.records);
    const decoded = records.map((r) => decodeCoordinatorRecord(r.key!, r.value)).filter((r) => r.type === 'offset' && r.group === 'solo');
    expect(decoded).toEqual([{ type: 'offset', group: 'solo', topic: 't3', partition: 0, value: { offset: 42n, leaderEpoch: 0, metadata: '', commitTimestamp: expect.any(Number), expireTimestamp: null } }]);
    expect(records.at(-1)!.value!.readInt16BE(0)).toBe(3);
    // OffsetDelete on an empty group removes the offset (a tombstone) and the group with it.
    const del = await c.call<Any>(OffsetDelete, 0, { groupId: 'solo', topics: [{ name: 't3', partitions: [{ partitionIndex: 0 }] }] });
    expect(del).toEqual({ errorCode: 0, throttleTimeMs: 0, topics: [{ name: 't3', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] });
    const after = decodeRecordBatchesSync(partition.log.read(partition.log.logStartOffset, 1 << 20, true)).flatMap((x) => x.records).at(-1)!;
    expect(after.value).toBeNull();
    expect((await c.call<Any>(OffsetDelete, 0, { groupId: 'solo', topics: [] })).errorCode).toBe(69);
  });

  it('the newest versions: OffsetCommit v9, OffsetFetch v9, DeleteGroups v2', async () => {
    const c = await client();
    const commit = await c.call<Any>(OffsetCommit, 9, {
      groupId: 'newest', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null,
      topics: [{ name: 't3', partitions: [{ partitionIndex: 2, committedOffset: 5n, committedLeaderEpoch: 1, committedMetadata: 'x' }] }],
    });
    expect(commit.topics[0].partitions).toEqual([{ partitionIndex: 2, errorCode: 0 }]);
    const fetched = await c.call<Any>(OffsetFetch, 9, { groups: [{ groupId: 'newest', memberId: null, memberEpoch: -1, topics: [{ name: 't3', partitionIndexes: [2] }] }], requireStable: false });
    expect(fetched.groups[0].topics[0].partitions[0]).toEqual({ partitionIndex: 2, committedOffset: 5n, committedLeaderEpoch: 1, metadata: 'x', errorCode: 0 });
    expect((await c.call<Any>(DeleteGroups, 2, { groupsNames: ['newest'] })).results).toEqual([{ groupId: 'newest', errorCode: 0 }]);
    expect((await c.call<Any>(OffsetFetch, 9, { groups: [{ groupId: 'newest', memberId: null, memberEpoch: -1, topics: null }] })).groups[0].topics).toEqual([]);
  });

  it('LeaveGroup v1 answers one member with the top-level error; v5 per member', async () => {
    const c = await client();
    expect(await c.call<Any>(LeaveGroup, 1, { groupId: 'v0-group', memberId: 'ghost' })).toMatchObject({ errorCode: 25 });
    const v5 = await c.call<Any>(LeaveGroup, 5, { groupId: 'v0-group', members: [{ memberId: 'ghost', groupInstanceId: null, reason: 'bye' }] });
    expect(v5).toMatchObject({ errorCode: 0, members: [{ memberId: 'ghost', groupInstanceId: null, errorCode: 25 }] });
  });

  it('survives mutated group requests and keeps serving', async () => {
    const frames = ['kafkajs.jsonl', 'kafka-python.jsonl', 'confluent-kafka.jsonl', 'java-tools.jsonl'].flatMap(capturedGroupExchanges).map((e) => Buffer.from(e.requestHex, 'hex'));
    let seed = 7;
    const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let i = 0; i < 150; i++) {
      const frame = Buffer.from(frames[Math.floor(rand() * frames.length)]!);
      for (let f = 0; f < 1 + Math.floor(rand() * 3); f++) frame[4 + Math.floor(rand() * (frame.length - 4))] = Math.floor(rand() * 256);
      const s = await RawSocket.open(b.broker.port);
      s.write(frame);
      // An answer, a closed connection, or a request parked in a rebalance: all fine.
      await s.readFrame(100).catch(() => null);
      s.close();
    }
    const c = await client();
    expect((await c.call<Any>(ListGroups, 3, {})).errorCode).toBe(0);
  });

  it('a broker shutdown releases a parked JoinGroup at once', async () => {
    const other = await startTestBroker({ 'group.initial.rebalance.delay.ms': '60000' });
    try {
      const c = await RawKafkaClient.connect(other.broker.port, 'parked');
      const parked = c.call<Any>(JoinGroup, 2, { groupId: 'p', sessionTimeoutMs: 10000, rebalanceTimeoutMs: 60000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription(['x']) }] }, 5000);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      await other.stop();
      expect(Date.now() - started).toBeLessThan(2000);
      await expect(parked).rejects.toThrow();
      c.close();
    } finally {
      await other.cleanup();
    }
  });
});
