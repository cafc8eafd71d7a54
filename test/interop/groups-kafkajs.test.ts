// kafkajs 2.2.4 consumer groups against the bundled broker: three consumers sharing a
// six-partition topic while one leaves and another joins mid-stream; a member that stops
// heartbeating evicted after its session timeout with its partitions moving to the survivor;
// and the admin group calls.
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage } from '../../src/protocol/codec.js';
import { Heartbeat, JoinGroup, OffsetCommit, SyncGroup } from '../../src/protocol/messages/index.js';
import { ConsumerProtocolSubscriptionSchema } from '../../src/protocol/messages/consumer-protocol-subscription.js';
import { Writer } from '../../src/protocol/writer.js';
import { RawKafkaClient } from '../helpers/raw-client.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
let kafka: Kafka;
beforeAll(async () => {
  b = await startTestBroker({ 'group.initial.rebalance.delay.ms': '300', 'group.min.session.timeout.ms': '1000' });
  kafka = new Kafka({ clientId: 'kjs-groups', brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
});
afterAll(async () => {
  await b?.cleanup();
});

/** Polls `check` every 100 ms until it returns true or `ms` pass. */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const consumerOpts = { sessionTimeout: 6000, rebalanceTimeout: 10_000, heartbeatInterval: 300, maxWaitTimeInMs: 200 };

describe('kafkajs consumer groups', () => {
  it('three consumers on six partitions, one leaving and one joining mid-stream: every record processed, offsets committed to the log end', async () => {
    const topic = 'kjs-six';
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    const consumers: Consumer[] = [];
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
      const seen = new Set<string>();
      const byMember = new Map<string, number>();
      const produce = (from: number, n: number) =>
        producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` })) });
      const start = async (name: string) => {
        const c = kafka.consumer({ groupId: 'kjs-group', ...consumerOpts });
        await c.connect();
        await c.subscribe({ topic, fromBeginning: true });
        await c.run({
          eachMessage: async ({ message }) => {
            seen.add(message.value!.toString());
            byMember.set(name, (byMember.get(name) ?? 0) + 1);
          },
        });
        consumers.push(c);
        return c;
      };

      await produce(0, 120);
      await Promise.all([start('a'), start('b'), start('c')]);
      await waitFor('the first 120 records', () => seen.size >= 120);
      const stable = await admin.describeGroups(['kjs-group']);
      expect(stable.groups[0]!.state).toBe('Stable');
      expect(stable.groups[0]!.members).toHaveLength(3);

      // One member leaves (LeaveGroup) while records keep coming.
      const leaving = consumers.shift()!;
      await leaving.disconnect();
      await produce(120, 60);
      await waitFor('records after the leave', () => seen.size >= 180);
      // Another joins.
      await start('d');
      await produce(180, 60);
      await waitFor('every record', () => seen.size >= 240);
      expect(seen).toEqual(new Set(Array.from({ length: 240 }, (_, i) => `v${i}`)));
      await waitFor('member d to take part', async () => {
        const d = await admin.describeGroups(['kjs-group']);
        return d.groups[0]!.state === 'Stable' && d.groups[0]!.members.length === 3;
      });

      const ends = await admin.fetchTopicOffsets(topic);
      await waitFor('offsets committed at the log end', async () => {
        const [committed] = await admin.fetchOffsets({ groupId: 'kjs-group', topics: [topic] });
        return committed!.partitions.every((p) => p.offset === ends.find((e) => e.partition === p.partition)!.high);
      });
      const [committed] = await admin.fetchOffsets({ groupId: 'kjs-group', topics: [topic] });
      expect(committed!.partitions.map((p) => p.offset).reduce((s, o) => s + Number(o), 0)).toBe(240);
    } finally {
      await Promise.all(consumers.map((c) => c.disconnect()));
      await producer.disconnect();
      await admin.disconnect();
    }
    const after = kafka.admin();
    await after.connect();
    try {
      const d = await after.describeGroups(['kjs-group']);
      expect(d.groups[0]).toMatchObject({ state: 'Empty', protocolType: 'consumer', members: [] });
    } finally {
      await after.disconnect();
    }
  });

  it('a member that stops heartbeating is evicted after its session timeout and its partitions move to the other', async () => {
    const topic = 'kjs-evict';
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    const consumer = kafka.consumer({ groupId: 'kjs-evict-group', ...consumerOpts });
    const raw = await RawKafkaClient.connect(b.broker.port, 'silent-member');
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
      const seen = new Map<number, number>();
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ partition }) => void seen.set(partition, (seen.get(partition) ?? 0) + 1) });
      await waitFor('kafkajs to form the group', async () => (await admin.describeGroups(['kjs-evict-group'])).groups[0]!.state === 'Stable');

      // A raw member joins with kafkajs's protocol (KIP-394 round trip), gets partitions from the
      // kafkajs leader, then falls silent.
      const w = new Writer().int16(0);
      encodeMessage(ConsumerProtocolSubscriptionSchema, 0, { topics: [topic], userData: Buffer.alloc(0) }, w);
      const join = (memberId: string) => raw.call<{ errorCode: number; memberId: string; generationId: number }>(JoinGroup, 5, {
        groupId: 'kjs-evict-group', sessionTimeoutMs: 2000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null, protocolType: 'consumer',
        protocols: [{ name: 'RoundRobinAssigner', metadata: w.toBuffer() }],
      }, 15_000);
      const first = await join('');
      expect(first.errorCode).toBe(79);
      const joined = await join(first.memberId);
      expect(joined.errorCode).toBe(0);
      const sync = await raw.call<{ errorCode: number; assignment: Buffer }>(SyncGroup, 3, { groupId: 'kjs-evict-group', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null, assignments: [] }, 15_000);
      expect(sync.errorCode).toBe(0);
      // ConsumerProtocolAssignment v0: the raw member got two of the four partitions.
      expect(sync.assignment.length).toBeGreaterThan(10);
      const described = await admin.describeGroups(['kjs-evict-group']);
      expect(described.groups[0]!.members).toHaveLength(2);

      await producer.send({ topic, messages: Array.from({ length: 40 }, (_, i) => ({ partition: i % 4, value: `e${i}` })) });
      await waitFor('the raw member to be evicted and every partition consumed', async () => {
        const d = await admin.describeGroups(['kjs-evict-group']);
        return d.groups[0]!.state === 'Stable' && d.groups[0]!.members.length === 1 && [0, 1, 2, 3].every((p) => seen.get(p) === 10);
      });
      const hb = await raw.call<{ errorCode: number }>(Heartbeat, 3, { groupId: 'kjs-evict-group', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null });
      expect(hb.errorCode).toBe(25);
    } finally {
      raw.close();
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('admin: list, describe and fetch the offsets of a standalone committer’s group, and delete it', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'kjs-admin', numPartitions: 2 }] });
      // A standalone commit (generation -1, no member id) creates the empty group.
      const raw = await RawKafkaClient.connect(b.broker.port, 'committer');
      const commit = await raw.call<{ topics: Array<{ partitions: Array<{ errorCode: number }> }> }>(OffsetCommit, 2, {
        groupId: 'kjs-admin-group', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1n,
        topics: [{ name: 'kjs-admin', partitions: [{ partitionIndex: 0, committedOffset: 3n, committedMetadata: 'm' }, { partitionIndex: 1, committedOffset: 4n, committedMetadata: null }] }],
      });
      raw.close();
      expect(commit.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([0, 0]);
      const [offsets] = await admin.fetchOffsets({ groupId: 'kjs-admin-group', topics: ['kjs-admin'] });
      expect(offsets!.partitions.map((p) => [p.partition, p.offset, p.metadata])).toEqual([[0, '3', 'm'], [1, '4', null]]);
      const listed = await admin.listGroups();
      expect(listed.groups).toContainEqual({ groupId: 'kjs-admin-group', protocolType: '' });
      expect((await admin.describeGroups(['kjs-admin-group'])).groups[0]).toMatchObject({ state: 'Empty', members: [] });
      const deleted = await admin.deleteGroups(['kjs-admin-group']);
      expect(deleted).toEqual([{ groupId: 'kjs-admin-group', errorCode: 0 }]);
      expect((await admin.describeGroups(['kjs-admin-group'])).groups[0]!.state).toBe('Dead');
      const again = await admin.deleteGroups(['kjs-admin-group']).catch((e: { groups?: Array<{ error?: { type?: string } }> }) => e);
      expect((again as { groups: Array<{ error: { type: string } }> }).groups[0]!.error.type).toBe('GROUP_ID_NOT_FOUND');
    } finally {
      await admin.disconnect();
    }
  });
});
