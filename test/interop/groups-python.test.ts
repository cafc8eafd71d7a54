// Python consumer groups against the bundled broker: confluent-kafka-python (librdkafka 2.0.2)
// with the cooperative-sticky assignor, two members sharing a topic through incremental
// rebalances; and kafka-python 2.0.2's KafkaConsumer (FindCoordinator v0, JoinGroup v2,
// OffsetCommit v2). Both only import under the system interpreter.
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, SYSTEM_PYTHON } from '../helpers/run-process.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
let kafka: Kafka;
beforeAll(async () => {
  b = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '1000' });
  kafka = new Kafka({ clientId: 'py-groups', brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
});
afterAll(async () => {
  await b?.cleanup();
});

async function produce(topic: string, partitions: number, n: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer();
  await producer.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
    await producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ partition: i % partitions, value: `v${i}` })) });
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}

async function committedAtLogEnd(groupId: string, topic: string): Promise<Array<[number, string, string]>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return committed!.partitions.map((p) => [p.partition, p.offset, ends.find((e) => e.partition === p.partition)!.high]);
  } finally {
    await admin.disconnect();
  }
}

const COOPERATIVE = String.raw`
import json, sys, time
from confluent_kafka import Consumer, Producer
bootstrap, topic = sys.argv[1], sys.argv[2]
conf = {'bootstrap.servers': bootstrap, 'group.id': 'ck-coop', 'partition.assignment.strategy': 'cooperative-sticky',
        'auto.offset.reset': 'earliest', 'enable.auto.commit': False, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 300}
seen = set()
events = []
def consumer(name):
    c = Consumer(dict(conf, **{'client.id': name}))
    c.subscribe([topic], on_assign=lambda c, ps: events.append((name, 'assign', sorted(p.partition for p in ps))),
                         on_revoke=lambda c, ps: events.append((name, 'revoke', sorted(p.partition for p in ps))))
    return c
def poll(consumers, until, timeout=20):
    deadline = time.time() + timeout
    while not until() and time.time() < deadline:
        for c in consumers:
            m = c.poll(0.1)
            if m is None or m.error():
                continue
            seen.add(m.value().decode())
            c.commit(message=m, asynchronous=False)
c1 = consumer('c1')
poll([c1], lambda: len(seen) >= 30)
c2 = consumer('c2')
poll([c1, c2], lambda: len(c1.assignment()) > 0 and len(c2.assignment()) > 0 and len(c1.assignment()) + len(c2.assignment()) == 4)
shares = {'c1': sorted(p.partition for p in c1.assignment()), 'c2': sorted(p.partition for p in c2.assignment())}
p = Producer({'bootstrap.servers': bootstrap})
for i in range(30, 60):
    p.produce(topic, value=('v%d' % i).encode(), partition=i % 4)
p.flush(10)
poll([c1, c2], lambda: len(seen) >= 60)
c1.close(); c2.close()
print(json.dumps({'seen': len(seen), 'shares': shares, 'events': events}))
`;

const KAFKA_PYTHON = String.raw`
import json, sys
from kafka import KafkaConsumer, TopicPartition
bootstrap, topic = sys.argv[1], sys.argv[2]
c = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id='kpy-group', client_id='kpy', auto_offset_reset='earliest',
                  enable_auto_commit=False, consumer_timeout_ms=3000, session_timeout_ms=6000, heartbeat_interval_ms=500)
values = [m.value.decode() for m in c]
c.commit()
committed = {p: c.committed(TopicPartition(topic, p)) for p in (0, 1)}
c.close()
again = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id='kpy-group', auto_offset_reset='earliest', consumer_timeout_ms=2000)
more = [m.value.decode() for m in again]
again.close()
print(json.dumps({'values': sorted(values), 'committed': committed, 'more': more}))
`;

describe('python consumer groups', () => {
  it('confluent-kafka with cooperative-sticky: two members split the topic incrementally and commit everything', async () => {
    await produce('ck-coop-topic', 4, 30);
    const r = await runProcess(SYSTEM_PYTHON, ['-c', COOPERATIVE, b.bootstrap, 'ck-coop-topic'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { seen: number; shares: Record<string, number[]>; events: Array<[string, string, number[]]> };
    expect(out.seen).toBe(60);
    expect([...out.shares.c1!, ...out.shares.c2!].sort()).toEqual([0, 1, 2, 3]);
    expect(out.shares.c1!.length).toBe(2);
    // Incremental: c1 first owned all four and gave up two, without losing the ones it kept.
    expect(out.events[0]).toEqual(['c1', 'assign', [0, 1, 2, 3]]);
    const revokes = out.events.filter(([name, what]) => name === 'c1' && what === 'revoke');
    expect(revokes[0]![2]).toHaveLength(2);
    for (const [partition, offset, end] of await committedAtLogEnd('ck-coop', 'ck-coop-topic')) expect(offset, `partition ${partition}`).toBe(end);
  });

  it('kafka-python KafkaConsumer(group_id=...) consumes, commits, and a later member resumes after the commit', async () => {
    await produce('kpy-group-topic', 2, 20);
    const r = await runProcess(SYSTEM_PYTHON, ['-c', KAFKA_PYTHON, b.bootstrap, 'kpy-group-topic'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { values: string[]; committed: Record<string, number>; more: string[] };
    expect(out.values).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
    expect(out.committed).toEqual({ 0: 10, 1: 10 });
    expect(out.more).toEqual([]);
    expect(await committedAtLogEnd('kpy-group', 'kpy-group-topic')).toEqual([[0, '10', '10'], [1, '10', '10']]);
  });
});
