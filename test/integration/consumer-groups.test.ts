// ktool consumer-groups against the in-process broker, with kafkajs consumers as the active
// members: list (plain, --state, --type), the three describe views compared line by line with
// Kafka's formats, reset-offsets (dry run, execute, export, from-file, every scenario, clamping)
// on an empty group and its refusal on an active one, delete and delete-offsets, and unknown
// groups. Every wait is bounded; consumers are stopped in afterAll.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
let kafka: Kafka;
let admin: Admin;
const consumers: Consumer[] = [];
const TOPIC = 'cg-orders';
const ACTIVE = 'cg-active';
const IDLE = 'cg-idle';

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A kafkajs member of `groupId` that reads `topic` from the beginning; resolves once it has read `expect` records. */
async function member(groupId: string, topic: string, expected: number): Promise<Consumer> {
  const c = kafka.consumer({ groupId, sessionTimeout: 6000, rebalanceTimeout: 10_000, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
  consumers.push(c);
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await c.run({ eachMessage: async () => void seen++ });
  await waitFor(`${groupId} to read ${expected} records`, () => seen >= expected);
  return c;
}

/** The group's committed offsets by partition, through kafkajs (an independent client). */
async function committed(groupId: string, topic = TOPIC): Promise<Record<number, string>> {
  const [res] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries(res!.partitions.map((p) => [p.partition, p.offset]));
}

const cg = (...args: string[]) => runCli(['consumer-groups', '--bootstrap-server', b.bootstrap, ...args]);
const pad = (s: string | number, n: number) => String(s).padEnd(n);

beforeAll(async () => {
  b = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '1000', 'offsets.topic.num.partitions': '3' });
  kafka = new Kafka({ clientId: 'kjs-cg', brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] });
  const producer = kafka.producer();
  await producer.connect();
  // 10 records per partition.
  await producer.send({ topic: TOPIC, messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, key: `k${i}`, value: `v${i}` })) });
  await producer.disconnect();
  // An idle group: read everything, committed, then left (Empty).
  const idle = await member(IDLE, TOPIC, 30);
  await waitFor('the idle group to commit', async () => Object.values(await committed(IDLE)).every((o) => o === '10'));
  await idle.disconnect();
  // An active group that stays Stable.
  await member(ACTIVE, TOPIC, 30);
  await waitFor('the active group to commit', async () => Object.values(await committed(ACTIVE)).every((o) => o === '10'));
}, 60_000);

afterAll(async () => {
  for (const c of consumers) await c.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await b?.cleanup();
});

describe('consumer-groups --list', () => {
  it('plain, --state and --type', async () => {
    const plain = await cg('--list');
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    const ids = plain.stdout.split('\n').filter(Boolean);
    expect(ids).toEqual(expect.arrayContaining([ACTIVE, IDLE]));

    const width = Math.max(15, ...ids.map((g) => g.length)) + 10;
    const states = await cg('--list', '--state');
    expect(states.code).toBe(0);
    const lines = states.stdout.split('\n');
    expect(lines[0]).toBe(`${pad('GROUP', width)} ${pad('STATE', 20)}`);
    expect(lines).toContain(`${pad(ACTIVE, width)} ${pad('Stable', 20)}`);
    expect(lines).toContain(`${pad(IDLE, width)} ${pad('Empty', 20)}`);

    const filtered = await cg('--list', '--state', 'empty');
    expect(filtered.stdout.split('\n')).toContain(`${pad(IDLE, width)} ${pad('Empty', 20)}`);
    expect(filtered.stdout).not.toContain(ACTIVE);

    const typed = await cg('--list', '--type', 'classic', '--state', 'Stable');
    expect(typed.stdout.split('\n').slice(0, 1)).toEqual([`${pad('GROUP', Math.max(15, ACTIVE.length) + 10)} ${pad('TYPE', 20)} ${pad('STATE', 20)}`]);
    expect(typed.stdout).toContain(`${pad(ACTIVE, Math.max(15, ACTIVE.length) + 10)} ${pad('Classic', 20)} ${pad('Stable', 20)}\n`);

    const bad = await cg('--list', '--state', 'sleeping');
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')[0]).toBe("Invalid state list 'sleeping'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, Empty, Assigning, Reconciling");
  });
});

describe('consumer-groups --describe', () => {
  it('the offsets view of an active group, line by line', async () => {
    const { groups: [g] } = await admin.describeGroups([ACTIVE]);
    const m = g!.members[0]!;
    const r = await cg('--describe', '--group', ACTIVE);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const c = Math.max(15, m.memberId.length);
    const line = (...cols: string[]) => `${pad(cols[0]!, 15)} ${pad(cols[1]!, 15)} ${pad(cols[2]!, 10)} ${pad(cols[3]!, 15)} ${pad(cols[4]!, 15)} ${pad(cols[5]!, 15)} ${pad(cols[6]!, c)} ${pad(cols[7]!, 15)} ${cols[8]}`;
    expect(r.stdout.split('\n')).toEqual([
      '',
      line('GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'),
      ...[0, 1, 2].map((p) => line(ACTIVE, TOPIC, String(p), '10', '10', '0', m.memberId, '/127.0.0.1', 'kjs-cg')),
      '',
    ]);
  });

  it('--members and --members --verbose', async () => {
    const { groups: [g] } = await admin.describeGroups([ACTIVE]);
    const m = g!.members[0]!;
    const c = Math.max(15, m.memberId.length);
    const head = `${pad('GROUP', 15)} ${pad('CONSUMER-ID', c)} ${pad('HOST', 15)} ${pad('CLIENT-ID', 15)} ${pad('#PARTITIONS', 15)} `;
    const row = `${pad(ACTIVE, 15)} ${pad(m.memberId, c)} ${pad('/127.0.0.1', 15)} ${pad('kjs-cg', 15)} ${pad('3', 15)} `;
    expect(await cg('--describe', '--group', ACTIVE, '--members')).toMatchObject({ code: 0, stdout: `\n${head}\n${row}\n`, stderr: '' });
    expect((await cg('--describe', '--group', ACTIVE, '--members', '--verbose')).stdout).toBe(`\n${head}ASSIGNMENT\n${row}${TOPIC}(0,1,2)\n`);
  });

  it('--state', async () => {
    const coordinator = `127.0.0.1:${b.broker.port} (${b.broker.state.nodeId})`;
    const k = Math.max(25, coordinator.length);
    const r = await cg('--describe', '--group', ACTIVE, '--state');
    expect(r.stdout).toBe(
      `\n${pad('GROUP', k)} ${pad('COORDINATOR (ID)', 25)} ${pad('ASSIGNMENT-STRATEGY', 20)} ${pad('STATE', 15)} #MEMBERS`
      + `\n${pad(ACTIVE, k)} ${pad(coordinator, 25)} ${pad('RoundRobinAssigner', 20)} ${pad('Stable', 15)} 1\n`,
    );
  });

  it('an empty group: the notice on stderr, unowned partitions with - placeholders', async () => {
    const r = await cg('--describe', '--group', IDLE);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`\nConsumer group '${IDLE}' has no active members.\n`);
    const line = (...cols: string[]) => `${pad(cols[0]!, 15)} ${pad(cols[1]!, 15)} ${pad(cols[2]!, 10)} ${pad(cols[3]!, 15)} ${pad(cols[4]!, 15)} ${pad(cols[5]!, 15)} ${pad(cols[6]!, 15)} ${pad(cols[7]!, 15)} ${cols[8]}`;
    expect(r.stdout.split('\n')).toEqual([
      '',
      line('GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'),
      ...[0, 1, 2].map((p) => line(IDLE, TOPIC, String(p), '10', '10', '0', '-', '-', '-')),
      '',
    ]);
    // No members: the notice and no table.
    expect(await cg('--describe', '--group', IDLE, '--members')).toMatchObject({ code: 0, stdout: '', stderr: `\nConsumer group '${IDLE}' has no active members.\n` });
  });

  it('an unknown group: the Error line on stdout, exit 0, in every view', async () => {
    for (const view of [[], ['--members'], ['--state'], ['--offsets']]) {
      expect(await cg('--describe', '--group', 'no-such-group', ...view)).toMatchObject({ code: 0, stdout: "\nError: The consumer group 'no-such-group' does not exist.\n", stderr: '' });
    }
  });

  it('--all-groups describes every group, ordered by id', async () => {
    const r = await cg('--describe', '--all-groups', '--state');
    expect(r.code).toBe(0);
    const groups = r.stdout.split('\n').filter((l) => l.startsWith('cg-')).map((l) => l.split(' ')[0]);
    expect(groups).toEqual([ACTIVE, IDLE]);
  });
});

describe('consumer-groups --reset-offsets', () => {
  const header = `\n${pad('GROUP', 30)} ${pad('TOPIC', 30)} ${pad('PARTITION', 10)} ${pad('NEW-OFFSET', 15)}\n`;
  const rows = (group: string, offsets: number[], partitions = [0, 1, 2]) =>
    partitions.map((p, i) => `${pad(group, 30)} ${pad(TOPIC, 30)} ${pad(p, 10)} ${pad(offsets[i]!, 15)}\n`).join('');

  it('refuses an active group and changes nothing', async () => {
    const r = await cg('--reset-offsets', '--group', ACTIVE, '--all-topics', '--to-earliest', '--execute');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`\nError: Assignments can only be reset if the group '${ACTIVE}' is inactive, but the current state is Stable.\n${header}`);
    expect(await committed(ACTIVE)).toEqual({ 0: '10', 1: '10', 2: '10' });
  });

  it('dry run (explicit or by default with the WARN), execute, export', async () => {
    const dry = await cg('--reset-offsets', '--group', IDLE, '--all-topics', '--to-earliest', '--dry-run');
    expect(dry).toMatchObject({ code: 0, stdout: header + rows(IDLE, [0, 0, 0]), stderr: '' });
    const implicit = await cg('--reset-offsets', '--group', IDLE, '--all-topics', '--to-earliest');
    expect(implicit.stdout).toBe(header + rows(IDLE, [0, 0, 0]));
    expect(implicit.stderr).toMatch(/^WARN: No action will be performed as the --execute option is missing\.In a future major release/);
    expect(await committed(IDLE)).toEqual({ 0: '10', 1: '10', 2: '10' });

    const exec = await cg('--reset-offsets', '--group', IDLE, '--topic', TOPIC, '--to-offset', '4', '--execute');
    expect(exec).toMatchObject({ code: 0, stdout: header + rows(IDLE, [4, 4, 4]), stderr: '' });
    expect(await committed(IDLE)).toEqual({ 0: '4', 1: '4', 2: '4' });

    const exported = await cg('--reset-offsets', '--group', IDLE, '--all-topics', '--shift-by', '-1', '--execute', '--export');
    expect(exported).toMatchObject({ code: 0, stdout: `${TOPIC},0,3\n${TOPIC},1,3\n${TOPIC},2,3\n\n`, stderr: '' });
    expect(await committed(IDLE)).toEqual({ 0: '3', 1: '3', 2: '3' });

    // The exported plan, edited, comes back through --from-file (both CSV shapes).
    const dir = tempDir('ktool-cg-');
    writeFileSync(join(dir, 'plan.csv'), `${TOPIC},0,1\n${TOPIC},2,7\n`);
    const fromFile = await cg('--reset-offsets', '--group', IDLE, '--from-file', join(dir, 'plan.csv'), '--execute');
    expect(fromFile.stdout).toBe(header + rows(IDLE, [1, 7], [0, 2]));
    expect(await committed(IDLE)).toEqual({ 0: '1', 1: '3', 2: '7' });
    writeFileSync(join(dir, 'groups.csv'), `${IDLE},${TOPIC},1,9\nother,${TOPIC},1,2\n`);
    const withGroups = await cg('--reset-offsets', '--group', IDLE, '--from-file', join(dir, 'groups.csv'), '--dry-run');
    expect(withGroups.stdout).toBe(header + rows(IDLE, [9], [1]));
  });

  it('clamps out-of-range targets with WARN lines, and the other scenarios', async () => {
    const high = await cg('--reset-offsets', '--group', IDLE, '--topic', `${TOPIC}:0,2`, '--to-offset', '1000', '--dry-run');
    expect(high.stdout).toBe(header + rows(IDLE, [10, 10], [0, 2]));
    expect(high.stderr.split('\n').filter(Boolean).map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual([
      `WARN New offset (1000) is higher than latest offset for topic partition ${TOPIC}-0. Value will be set to 10 (org.apache.kafka.tools.consumer.group.ConsumerGroupCommand)`,
      `WARN New offset (1000) is higher than latest offset for topic partition ${TOPIC}-2. Value will be set to 10 (org.apache.kafka.tools.consumer.group.ConsumerGroupCommand)`,
    ]);
    const low = await cg('--reset-offsets', '--group', IDLE, '--topic', `${TOPIC}:1`, '--shift-by', '-100', '--dry-run');
    expect(low.stdout).toBe(header + rows(IDLE, [0], [1]));
    expect(low.stderr).toContain(`WARN New offset (-97) is lower than earliest offset for topic partition ${TOPIC}-1. Value will be set to 0 (org.apache.kafka.tools.consumer.group.ConsumerGroupCommand)`);

    expect((await cg('--reset-offsets', '--group', IDLE, '--all-topics', '--to-latest', '--dry-run')).stdout).toBe(header + rows(IDLE, [10, 10, 10]));
    expect((await cg('--reset-offsets', '--group', IDLE, '--all-topics', '--to-current', '--dry-run')).stdout).toBe(header + rows(IDLE, [1, 3, 7]));
    // Records were written moments ago: a day back finds the first ones.
    expect((await cg('--reset-offsets', '--group', IDLE, '--all-topics', '--by-duration', 'P1D', '--dry-run')).stdout).toBe(header + rows(IDLE, [0, 0, 0]));
    const future = await cg('--reset-offsets', '--group', IDLE, '--topic', `${TOPIC}:0`, '--to-datetime', '2999-01-01T00:00:00.000', '--dry-run');
    expect(future.stdout).toBe(`\nWarn: Partition 0 from topic ${TOPIC} is empty. Falling back to latest known offset.\n${header}${rows(IDLE, [10], [0])}`);
    expect((await cg('--reset-offsets', '--group', IDLE, '--topic', TOPIC, '--to-datetime', '2000-01-01T00:00:00.000+01:00', '--dry-run')).stdout).toBe(header + rows(IDLE, [0, 0, 0]));
  });

  it('resets a group that does not exist yet (it only gets offsets), and the usage failures', async () => {
    const fresh = await cg('--reset-offsets', '--group', 'cg-fresh', '--topic', `${TOPIC}:2`, '--to-offset', '5', '--execute');
    expect(fresh.stdout).toBe(header + `${pad('cg-fresh', 30)} ${pad(TOPIC, 30)} ${pad(2, 10)} ${pad(5, 15)}\n`);
    expect(await committed('cg-fresh')).toMatchObject({ 2: '5' });

    const noScope = await cg('--reset-offsets', '--group', IDLE, '--to-earliest', '--dry-run');
    expect(noScope.code).toBe(1);
    expect(noScope.stderr.split('\n')[0]).toBe('One of the reset scopes should be defined: --all-topics, --topic.');
    const noScenario = await cg('--reset-offsets', '--group', IDLE, '--all-topics', '--dry-run');
    expect(noScenario.code).toBe(1);
    expect(noScenario.stderr.split('\n')[0]).toBe("Option '[reset-offsets]' requires one of the following scenarios: [[to-offset], [shift-by], [to-datetime], [by-duration], [to-earliest], [to-latest], [to-current], [from-file]]");
    const noCommit = await cg('--reset-offsets', '--group', 'cg-never', '--topic', TOPIC, '--shift-by', '1', '--dry-run');
    expect(noCommit.code).toBe(1);
    expect(noCommit.stderr.split('\n')[0]).toBe(`Cannot shift offset for partition ${TOPIC}-0 since there is no current committed offset`);
    const badPartition = await cg('--reset-offsets', '--group', IDLE, '--topic', `${TOPIC}:7`, '--to-earliest', '--dry-run');
    expect(badPartition).toMatchObject({ code: 0, stdout: `\nError: Executing consumer group command failed due to The partitions "${TOPIC}-7" do not exist\n` });
    const badDate = await cg('--reset-offsets', '--group', IDLE, '--all-topics', '--to-datetime', '2024-01-01T00:00:00', '--dry-run');
    expect(badDate).toMatchObject({ code: 0, stdout: '\nError: Executing consumer group command failed due to java.text.ParseException: Unparseable date: "2024-01-01T00:00:00Z"\n' });
  });
});

describe('consumer-groups --delete-offsets and --delete', () => {
  it('deletes one partition\'s offset; a topic that does not exist is reported in the table', async () => {
    const r = await cg('--delete-offsets', '--group', IDLE, '--topic', `${TOPIC}:0`, '--topic', 'no-such-topic');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `Request succeed for deleting offsets with topic ${TOPIC}:0, no-such-topic group ${IDLE}\n`
      + `\n${pad('TOPIC', 30)} ${pad('PARTITION', 15)} ${pad('STATUS', 15)}\n`
      + `${pad(TOPIC, 30)} ${pad(0, 15)} ${pad('Successful', 15)}\n`
      + `${pad('no-such-topic', 30)} ${pad('Not Provided', 15)} Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.\n`,
    );
    // kafkajs reports a partition without a committed offset as -1.
    expect(await committed(IDLE)).toEqual({ 0: '-1', 1: '3', 2: '7' });
  });

  it('an active group subscribed to the topic refuses; an unknown group is reported', async () => {
    const busy = await cg('--delete-offsets', '--group', ACTIVE, '--topic', TOPIC);
    expect(busy.stdout.split('\n').slice(0, 4)).toEqual([
      '',
      'Error: Encounter some partition level error, see the follow-up details:',
      '',
      `${pad('TOPIC', 30)} ${pad('PARTITION', 15)} ${pad('STATUS', 15)}`,
    ]);
    expect(busy.stdout).toContain('Error: org.apache.kafka.common.errors.GroupSubscribedToTopicException: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.');
    const unknown = await cg('--delete-offsets', '--group', 'no-such-group', '--topic', `${TOPIC}:1`);
    expect(unknown.stdout.split('\n').slice(0, 2)).toEqual(['', "Error: 'no-such-group' does not exist."]);
  });

  it('deletes empty groups; a non-empty or unknown group is reported', async () => {
    const r = await cg('--delete', '--group', IDLE, '--group', ACTIVE, '--group', 'no-such-group');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '\nError: Deletion of some consumer groups failed:\n'
      + `* Group '${ACTIVE}' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.\n`
      + "* Group 'no-such-group' could not be deleted due to: org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.\n"
      + `\nThese consumer groups were deleted successfully: '${IDLE}'\n`,
    );
    expect((await cg('--list')).stdout.split('\n')).not.toContain(IDLE);
    expect(await cg('--delete', '--group', 'cg-fresh')).toMatchObject({ code: 0, stdout: "Deletion of requested consumer groups ('cg-fresh') was successful.\n" });
  });
});
