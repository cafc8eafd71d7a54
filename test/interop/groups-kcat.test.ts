// kcat (librdkafka 2.0.2) balanced consumers (`kcat -G`) against the bundled broker: two members
// share a topic; one is killed with SIGKILL (no LeaveGroup) and is evicted after its session
// timeout, its partitions moving to the survivor; committed offsets survive a broker restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

const OVERRIDES = { 'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '1000' };
let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker(OVERRIDES);
});
afterAll(async () => {
  await b?.cleanup();
});

interface Member {
  child: ChildProcess;
  readonly out: string;
  readonly err: string;
  exited: Promise<void>;
}
const children: Member[] = [];
afterEach(() => {
  for (const m of children.splice(0)) m.child.kill('SIGKILL');
});

/** A `kcat -G` member printing `partition offset value` lines. */
function member(group: string, topic: string, extra: string[] = []): Member {
  const child = spawn('kcat', [
    '-b', b.bootstrap, '-G', group, '-u', '-f', '%p %o %s\\n',
    '-X', 'auto.offset.reset=earliest', '-X', 'session.timeout.ms=2000', '-X', 'heartbeat.interval.ms=300', '-X', 'auto.commit.interval.ms=200',
    ...extra, topic,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const m: Member = {
    child,
    get out() { return out; },
    get err() { return err; },
    exited: new Promise((r) => child.once('exit', () => r())),
  };
  children.push(m);
  return m;
}

const values = (m: Member) => m.out.split('\n').filter((l) => l !== '').map((l) => l.split(' ')[2]!);

async function waitFor(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const produce = async (topic: string, from: number, n: number) => {
  const lines = Array.from({ length: n }, (_, i) => `${from + i}:v${from + i}`).join('\n') + '\n';
  const r = await runProcess('kcat', ['-b', b.bootstrap, '-P', '-t', topic, '-K:'], { input: lines, timeoutMs: 20_000 });
  expect(r.code, r.stderr).toBe(0);
};

describe('kcat -G', () => {
  it('two members share a topic; a SIGKILLed member is evicted after its session timeout and the survivor takes its partitions', async () => {
    const topic = 'kcat-group';
    b.broker.state.partitions.createTopic(topic, 4, new Map());
    await produce(topic, 0, 40);
    const a = member('kcat-g', topic);
    await waitFor('member a to consume', () => values(a).length >= 40);
    const c = member('kcat-g', topic);
    // After the rebalance both hold two partitions each.
    await waitFor('the rebalance to two members', () => /assigned: .*\[\d\], .*\[\d\]\s*$/m.test(c.err) && (a.err.match(/assigned:/g) ?? []).length >= 2);
    await produce(topic, 40, 40);
    await waitFor('the second batch', () => new Set([...values(a), ...values(c)].filter((v) => Number(v.slice(1)) >= 40)).size === 40);
    expect(values(c).length).toBeGreaterThan(0);

    c.child.kill('SIGKILL');
    await c.exited;
    const killedAt = Date.now();
    // a learns of the rebalance once c's 2 s session has expired, and gets all four partitions.
    await waitFor('a to own every partition', () => /assigned: kcat-group \[0\], kcat-group \[1\], kcat-group \[2\], kcat-group \[3\]/.test(a.err.split('revoked').at(-1)!), 15_000);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1500);
    await produce(topic, 80, 20);
    await waitFor('a to consume records of every partition', () => values(a).filter((v) => Number(v.slice(1)) >= 80).length === 20);

    a.child.kill('SIGTERM');
    await a.exited;
    const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId: 'kcat-g', topics: [topic] });
      expect(committed!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(ends.map((e) => [e.partition, e.high]).sort());
      expect((await admin.describeGroups(['kcat-g'])).groups[0]).toMatchObject({ state: 'Empty', members: [] });
    } finally {
      await admin.disconnect();
    }
  });

  it('committed offsets survive a broker restart: the group resumes where it left off', async () => {
    const topic = 'kcat-restart';
    await produce(topic, 0, 5);
    const first = await runProcess('kcat', ['-b', b.bootstrap, '-G', 'kcat-r', '-e', '-f', '%s\\n', '-X', 'auto.offset.reset=earliest', topic], { timeoutMs: 20_000 });
    expect(first.stdout).toBe('v0\nv1\nv2\nv3\nv4\n');

    await b.stop();
    b = await startTestBroker(OVERRIDES, b.logDir);
    await produce(topic, 5, 3);
    const second = await runProcess('kcat', ['-b', b.bootstrap, '-G', 'kcat-r', '-e', '-f', '%s\\n', '-X', 'auto.offset.reset=earliest', topic], { timeoutMs: 20_000 });
    expect(second.stdout).toBe('v5\nv6\nv7\n');
    const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect((await admin.fetchOffsets({ groupId: 'kcat-r', topics: [topic] }))[0]!.partitions).toEqual([{ partition: 0, offset: '8', metadata: null }]);
    } finally {
      await admin.disconnect();
    }
  });
});
