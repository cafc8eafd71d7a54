// kafkajs 2.2.4 against the bundled broker: admin (create, metadata, offsets, delete) and a
// producer with headers and gzip; what it wrote is read back by kcat.
import { Kafka, CompressionTypes, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { runProcess } from '../helpers/run-process.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
let kafka: Kafka;
beforeAll(async () => {
  b = await startTestBroker();
  kafka = new Kafka({ clientId: 'kjs-test', brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
});
afterAll(async () => {
  await b?.cleanup();
});

describe('kafkajs interop', () => {
  it('admin creates topics, reads metadata and offsets, and deletes', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'kjs-a', numPartitions: 2 }, { topic: 'kjs-b' }] })).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic: 'kjs-a' }] })).toBe(false);
      expect((await admin.listTopics()).sort()).toEqual(['kjs-a', 'kjs-b']);
      const md = await admin.fetchTopicMetadata({ topics: ['kjs-a'] });
      expect(md.topics[0]!.partitions.map((p) => [p.partitionId, p.leader])).toEqual([[0, 0], [1, 0]]);
      expect(await admin.fetchTopicOffsets('kjs-a')).toEqual([
        { partition: 0, offset: '0', high: '0', low: '0' },
        { partition: 1, offset: '0', high: '0', low: '0' },
      ]);
      await admin.deleteTopics({ topics: ['kjs-b'] });
      expect(await admin.listTopics()).toEqual(['kjs-a']);
    } finally {
      await admin.disconnect();
    }
  });

  it('producer sends keyed, gzip-compressed records with headers that kcat reads back', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      const result = await producer.send({
        topic: 'kjs-produce',
        compression: CompressionTypes.GZIP,
        messages: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, headers: { trace: 'kafkajs' } })),
      });
      expect(result[0]).toMatchObject({ topicName: 'kjs-produce', partition: 0, errorCode: 0, baseOffset: '0' });
      const idem = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await idem.connect();
      await idem.send({ topic: 'kjs-produce', acks: -1, messages: [{ key: 'k5', value: 'v5' }] });
      await idem.disconnect();
    } finally {
      await producer.disconnect();
    }
    const c = await runProcess('kcat', ['-b', b.bootstrap, '-C', '-t', 'kjs-produce', '-e', '-o', 'beginning', '-f', '%o %k=%s %h\\n']);
    expect(c.stdout.trim().split('\n')).toEqual([...Array.from({ length: 5 }, (_, i) => `${i} k${i}=v${i} trace=kafkajs`), '5 k5=v5']);
    const r = await runCli(['console-consumer', '--bootstrap-server', b.bootstrap, '--topic', 'kjs-produce', '--from-beginning', '--max-messages', '6', '--property', 'print.key=true', '--property', 'print.headers=true']);
    expect(r.stdout).toBe(Array.from({ length: 5 }, (_, i) => `trace:kafkajs\tk${i}\tv${i}\n`).join('') + 'NO_HEADERS\tk5\tv5\n');
  });
});
