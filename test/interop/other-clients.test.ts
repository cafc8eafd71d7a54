// @platformatic/kafka (1.x; 2.x needs Node 22) and kafka-python 2.0.2 against the bundled broker:
// admin and producer paths, read back by ktool console-consumer.
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { runProcess, SYSTEM_PYTHON } from '../helpers/run-process.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker();
});
afterAll(async () => {
  await b?.cleanup();
});

const consume = (topic: string, n: number) =>
  runCli(['console-consumer', '--bootstrap-server', b.bootstrap, '--topic', topic, '--from-beginning', '--max-messages', String(n), '--property', 'print.key=true', '--property', 'print.headers=true']);

describe('@platformatic/kafka interop', () => {
  it('admin creates a topic and reads metadata; producer sends keyed records with headers', async () => {
    const admin = new Admin({ clientId: 'plt-admin', bootstrapBrokers: [b.bootstrap] });
    try {
      await admin.createTopics({ topics: ['plt-topic'], partitions: 2, replicas: 1 });
      const md = await admin.metadata({ topics: ['plt-topic'] });
      expect(md.topics.get('plt-topic')?.partitionsCount).toBe(2);
    } finally {
      await admin.close();
    }
    const producer = new Producer({ clientId: 'plt-producer', bootstrapBrokers: [b.bootstrap], serializers: stringSerializers });
    try {
      await producer.send({ messages: [0, 1, 2].map((i) => ({ topic: 'plt-topic', partition: 0, key: `k${i}`, value: `v${i}`, headers: { src: 'plt' } })) });
    } finally {
      await producer.close();
    }
    const r = await consume('plt-topic', 3);
    expect(r.stdout).toBe('src:plt\tk0\tv0\nsrc:plt\tk1\tv1\nsrc:plt\tk2\tv2\n');
  });
});

describe('kafka-python interop', () => {
  it('KafkaAdminClient creates a topic and KafkaProducer writes to it (Metadata v0 probe, Produce v7)', async () => {
    const py = await runProcess(SYSTEM_PYTHON, ['-c', `
import sys
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
a = KafkaAdminClient(bootstrap_servers=sys.argv[1], client_id='kpy-admin')
a.create_topics([NewTopic('kpy-topic', 1, 1)])
print(sorted(a.list_topics()))
a.close()
p = KafkaProducer(bootstrap_servers=sys.argv[1], acks=1)
for i in range(4):
    p.send('kpy-topic', key=b'k%d' % i, value=b'v%d' % i, headers=[('h', b'py')]).get(timeout=10)
p.close()
`, b.bootstrap], { timeoutMs: 60_000 });
    expect(py.stderr).toBe('');
    expect(py.stdout).toContain("'kpy-topic'");
    const r = await consume('kpy-topic', 4);
    expect(r.stdout).toBe([0, 1, 2, 3].map((i) => `h:py\tk${i}\tv${i}\n`).join(''));
  });
});
