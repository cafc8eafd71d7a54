// console-consumer as a consumer-group member against the in-process broker: a second run in the
// same group resumes after the first one's commits (to the record), a fresh group without
// --from-beginning starts at the end, two members share the partitions (range assignor) and
// commit before the rebalance, --include subscribes by regex with a throwaway group, SIGINT
// commits and leaves, group.id can come from --consumer-property, and a kcat (librdkafka) member
// shares a group with it. Every wait is bounded; children are killed in afterEach.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
let admin: Admin;
const children: ChildProcess[] = [];

beforeAll(async () => {
  b = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '1000', 'offsets.topic.num.partitions': '3' });
  admin = new Kafka({ clientId: 'kjs-admin', brokers: [b.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(async () => {
  await admin?.disconnect().catch(() => {});
  await b?.cleanup();
});

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `n` records `<prefix><i>` keyed `k<i>`, spread over the partitions by key. */
async function produce(topic: string, from: number, n: number, prefix = 'v'): Promise<void> {
  const lines = Array.from({ length: n }, (_, i) => `k${from + i}\t${prefix}${from + i}\n`).join('');
  const r = await runCli(['console-producer', '--bootstrap-server', b.bootstrap, '--topic', topic, '--property', 'parse.key=true'], { stdin: lines });
  expect(r.code, r.stderr).toBe(0);
}

const consume = (args: string[], opts: { signals?: EventEmitter } = {}) =>
  runCli(['console-consumer', '--bootstrap-server', b.bootstrap, '--consumer-property', 'heartbeat.interval.ms=200', ...args], opts);

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

async function committed(groupId: string, topic: string): Promise<Record<number, string>> {
  const [res] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries(res!.partitions.map((p) => [p.partition, p.offset]));
}

async function logEnd(topic: string): Promise<Record<number, string>> {
  return Object.fromEntries((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
}

describe('console-consumer --group', () => {
  it('a second run in the same group continues after the first one\'s commits', async () => {
    b.broker.state.partitions.createTopic('ccg-resume', 3, new Map());
    await produce('ccg-resume', 0, 30);
    const args = ['--topic', 'ccg-resume', '--group', 'ccg-resume-g', '--from-beginning', '--property', 'print.key=true'];

    const first = await consume([...args, '--max-messages', '12']);
    expect(first).toMatchObject({ code: 0, stderr: 'Processed a total of 12 messages\n' });
    const second = await consume([...args, '--max-messages', '10']);
    expect(second).toMatchObject({ code: 0, stderr: 'Processed a total of 10 messages\n' });
    const rest = await consume([...args, '--timeout-ms', '1500']);
    expect(rest.code).toBe(0);
    expect(rest.stderr).toMatch(/ERROR Error processing message, terminating consumer process: {2}\(org\.apache\.kafka\.tools\.consumer\.ConsoleConsumer\)\norg\.apache\.kafka\.common\.errors\.TimeoutException\nProcessed a total of 8 messages\n$/);

    // Every record exactly once across the three runs.
    const all = [...lines(first.stdout), ...lines(second.stdout), ...lines(rest.stdout)].map((l) => l.split('\t')[1]);
    expect(all.length).toBe(30);
    expect(new Set(all).size).toBe(30);
    expect(await committed('ccg-resume-g', 'ccg-resume')).toEqual(await logEnd('ccg-resume'));

    // The group is Empty again and describes with lag 0.
    const d = await runCli(['consumer-groups', '--bootstrap-server', b.bootstrap, '--describe', '--group', 'ccg-resume-g']);
    expect(d.stderr).toBe("\nConsumer group 'ccg-resume-g' has no active members.\n");
    expect(lines(d.stdout).slice(1).map((l) => l.split(/ +/)[5])).toEqual(['0', '0', '0']);

    // consumer-groups --reset-offsets moves the group back; the next run starts there.
    const reset = await runCli(['consumer-groups', '--bootstrap-server', b.bootstrap, '--reset-offsets', '--group', 'ccg-resume-g', '--topic', 'ccg-resume', '--to-earliest', '--execute']);
    expect(reset.code).toBe(0);
    const again = await consume([...args, '--max-messages', '30']);
    expect(new Set(lines(again.stdout)).size).toBe(30);
  });

  it('enable.auto.commit=false commits nothing', async () => {
    b.broker.state.partitions.createTopic('ccg-nocommit', 1, new Map());
    await produce('ccg-nocommit', 0, 3);
    const r = await consume(['--topic', 'ccg-nocommit', '--group', 'ccg-nocommit-g', '--from-beginning', '--max-messages', '3', '--consumer-property', 'enable.auto.commit=false']);
    expect(lines(r.stdout)).toEqual(['v0', 'v1', 'v2']);
    expect(await committed('ccg-nocommit-g', 'ccg-nocommit')).toEqual({ 0: '-1' });
  });

  it('a new group without --from-beginning starts at the end (and commits it)', async () => {
    b.broker.state.partitions.createTopic('ccg-latest', 2, new Map());
    await produce('ccg-latest', 0, 6);
    const r = await consume(['--topic', 'ccg-latest', '--group', 'ccg-latest-g', '--timeout-ms', '1000']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Processed a total of 0 messages\n$/);
    expect(await committed('ccg-latest-g', 'ccg-latest')).toEqual(await logEnd('ccg-latest'));
    await produce('ccg-latest', 6, 4);
    const next = await consume(['--topic', 'ccg-latest', '--group', 'ccg-latest-g', '--max-messages', '4']);
    expect(lines(next.stdout).sort()).toEqual(['v6', 'v7', 'v8', 'v9']);
  });

  it('two members share the partitions; the first commits what it printed before the rebalance', async () => {
    b.broker.state.partitions.createTopic('ccg-shared', 4, new Map());
    await produce('ccg-shared', 0, 40);
    // No auto-commit during the test: only the commit before rebalancing can store offsets.
    const args = ['--topic', 'ccg-shared', '--group', 'ccg-shared-g', '--from-beginning', '--consumer-property', 'auto.commit.interval.ms=600000'];
    const first = consume([...args, '--timeout-ms', '4000']);
    await waitFor('the first member', async () => {
      const { groups: [g] } = await admin.describeGroups(['ccg-shared-g']);
      return g!.state === 'Stable';
    });
    await new Promise((r) => setTimeout(r, 1500)); // it prints the 40 records meanwhile
    expect(Object.values(await committed('ccg-shared-g', 'ccg-shared'))).toEqual(['-1', '-1', '-1', '-1']);
    const second = consume([...args, '--timeout-ms', '2000']);
    await waitFor('two members', async () => {
      const { groups: [g] } = await admin.describeGroups(['ccg-shared-g']);
      return g!.state === 'Stable' && g!.members.length === 2;
    });
    // Only the first member's commit before rejoining can have stored offsets by now.
    const sum = (c: Record<number, string>) => Object.values(c).reduce((n, o) => n + Math.max(0, Number(o)), 0);
    expect(sum(await committed('ccg-shared-g', 'ccg-shared'))).toBeGreaterThan(0);
    const members = await runCli(['consumer-groups', '--bootstrap-server', b.bootstrap, '--describe', '--group', 'ccg-shared-g', '--members', '--verbose']);
    const rows = lines(members.stdout).slice(1).map((l) => l.split(/ +/));
    expect(rows.map((r) => [r[3], r[4], r[5]]).sort()).toEqual([['console-consumer', '2', 'ccg-shared(0,1)'], ['console-consumer', '2', 'ccg-shared(2,3)']]);
    const state = await runCli(['consumer-groups', '--bootstrap-server', b.bootstrap, '--describe', '--group', 'ccg-shared-g', '--state']);
    expect(lines(state.stdout)[1]!.split(/ +/).slice(3)).toEqual(['range', 'Stable', '2']);
    const [a, c] = await Promise.all([first, second]);
    // Every record once: what the first printed was committed before the partitions moved.
    const all = [...lines(a.stdout), ...lines(c.stdout)];
    expect(all.length).toBe(40);
    expect(new Set(all).size).toBe(40);
    expect(await committed('ccg-shared-g', 'ccg-shared')).toEqual(await logEnd('ccg-shared'));
  });

  it('--include subscribes by regex with a throwaway group that commits nothing', async () => {
    b.broker.state.partitions.createTopic('ccg-inc-a', 1, new Map());
    b.broker.state.partitions.createTopic('ccg-inc-b', 1, new Map());
    b.broker.state.partitions.createTopic('ccg-other', 1, new Map());
    await produce('ccg-inc-a', 0, 3, 'a');
    await produce('ccg-inc-b', 0, 3, 'b');
    await produce('ccg-other', 0, 3, 'o');
    const r = await consume(['--include', 'ccg-inc-.*', '--from-beginning', '--max-messages', '6']);
    expect(r).toMatchObject({ code: 0, stderr: 'Processed a total of 6 messages\n' });
    expect(lines(r.stdout).sort()).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2']);
    const groups = lines((await runCli(['consumer-groups', '--bootstrap-server', b.bootstrap, '--list'])).stdout).filter((g) => /^console-consumer-\d+$/.test(g));
    expect(groups.length).toBe(1);
    expect((await admin.fetchOffsets({ groupId: groups[0]!, topics: ['ccg-inc-a'] }))[0]!.partitions[0]!.offset).toBe('-1');
  });

  it('SIGINT commits what was printed, leaves the group and exits 130', async () => {
    b.broker.state.partitions.createTopic('ccg-sigint', 2, new Map());
    await produce('ccg-sigint', 0, 20);
    const signals = new EventEmitter();
    const run = consume(['--topic', 'ccg-sigint', '--consumer-property', 'group.id=ccg-sigint-g', '--from-beginning'], { signals });
    await waitFor('the member to join', async () => {
      const { groups: [g] } = await admin.describeGroups(['ccg-sigint-g']);
      return g!.state === 'Stable';
    });
    // Give it a moment to print the 20 records, then interrupt.
    await new Promise((r) => setTimeout(r, 1500));
    signals.emit('SIGINT');
    const r = await run;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('Processed a total of 20 messages\n');
    expect(await committed('ccg-sigint-g', 'ccg-sigint')).toEqual(await logEnd('ccg-sigint'));
    const { groups: [g] } = await admin.describeGroups(['ccg-sigint-g']);
    expect(g).toMatchObject({ state: 'Empty', members: [] });
  });

  it('shares a group with a kcat (librdkafka) member', async () => {
    if (!existsSync('/usr/bin/kcat')) return;
    b.broker.state.partitions.createTopic('ccg-kcat', 2, new Map());
    await produce('ccg-kcat', 0, 10);
    const kcat = spawn('/usr/bin/kcat', ['-b', b.bootstrap, '-G', 'ccg-kcat-g', '-X', 'auto.offset.reset=earliest', '-X', 'session.timeout.ms=6000', '-X', 'heartbeat.interval.ms=300', '-u', '-q', 'ccg-kcat'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(kcat);
    let kcatOut = '';
    kcat.stdout!.on('data', (d: Buffer) => (kcatOut += d.toString()));
    await waitFor('kcat to read everything', () => lines(kcatOut).length === 10);
    const ours = consume(['--topic', 'ccg-kcat', '--group', 'ccg-kcat-g', '--timeout-ms', '3000']);
    await waitFor('both members', async () => {
      const { groups: [g] } = await admin.describeGroups(['ccg-kcat-g']);
      return g!.state === 'Stable' && g!.members.length === 2;
    });
    const members = await runCli(['consumer-groups', '--bootstrap-server', b.bootstrap, '--describe', '--group', 'ccg-kcat-g', '--members', '--verbose']);
    const rows = lines(members.stdout).slice(1).map((l) => l.split(/ +/));
    expect(rows.map((r) => r[5]).sort()).toEqual(['ccg-kcat(0)', 'ccg-kcat(1)']);
    await produce('ccg-kcat', 10, 10);
    const r = await ours;
    await waitFor('kcat to read its share', () => lines(kcatOut).length + lines(r.stdout).length >= 20);
    expect(new Set([...lines(kcatOut), ...lines(r.stdout)]).size).toBe(20);
    expect(lines(r.stdout).length).toBeGreaterThan(0);
  });
});
