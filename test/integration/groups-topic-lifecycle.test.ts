// Committed offsets follow their topic: deleting a topic drops its offsets from every group, and
// asking for __consumer_offsets by name creates it with the offsets-topic settings.
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerConnection } from '../../src/client/broker-connection.js';
import { ZERO_UUID } from '../../src/protocol/codec.js';
import { Metadata, type MetadataResponse } from '../../src/protocol/messages/index.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
let kafka: Kafka;
beforeAll(async () => {
  b = await startTestBroker({ 'offsets.topic.num.partitions': '3' });
  kafka = new Kafka({ clientId: 'lifecycle', brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
});
afterAll(async () => {
  await b?.cleanup();
});

describe('offsets and topic lifecycle', () => {
  it('a recreated topic does not inherit the offsets of the deleted one', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 1 }] });
      await admin.setOffsets({ groupId: 'g1', topic: 'doomed', partitions: [{ partition: 0, offset: '0' }] });
      expect((await admin.fetchOffsets({ groupId: 'g1', topics: ['doomed'] }))[0]!.partitions[0]!.offset).toBe('0');
      await admin.deleteTopics({ topics: ['doomed'] });
      await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 1 }] });
      expect((await admin.fetchOffsets({ groupId: 'g1', topics: ['doomed'] }))[0]!.partitions[0]!.offset).toBe('-1');
    } finally {
      await admin.disconnect();
    }
  });

  it('Metadata for __consumer_offsets creates it compacted with the configured partition count', async () => {
    const fresh = await startTestBroker({ 'offsets.topic.num.partitions': '3' });
    const conn = await BrokerConnection.open({ host: '127.0.0.1', port: fresh.broker.port, nodeId: -1 }, { clientId: 'md', connectTimeoutMs: 5000, requestTimeoutMs: 5000 });
    const md = await conn.request<MetadataResponse>(Metadata, { topics: [{ name: '__consumer_offsets', topicId: ZERO_UUID }], allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    conn.close();
    expect(md.topics[0]).toMatchObject({ errorCode: 0, isInternal: true });
    expect(md.topics[0]!.partitions).toHaveLength(3);
    const topic = fresh.broker.state.metadata.get('__consumer_offsets');
    await fresh.cleanup();
    expect(topic?.partitions).toBe(3);
    expect(topic?.configs.get('cleanup.policy')).toBe('compact');
    expect(topic?.internal).toBe(true);
  });
});
