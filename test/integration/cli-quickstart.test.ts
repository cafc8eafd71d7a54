// Kafka's quick start through the real `ktool` binary (node bin/ktool.js, built into dist/) against
// the bundled broker in-process: create, list, describe, produce three lines, consume them back.
// A second part runs more of the golden checklist in-process through main().
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { assertBuilt, runKtool } from '../helpers/run-process.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';


let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker();
});
afterAll(async () => {
  await b?.cleanup();
});

const ktool = (args: string[], input?: string) => runKtool(args, { input, timeoutMs: 30_000 });

describe('quick start through bin/ktool.js', () => {
  it('create, list, describe, produce, consume', async () => {
    assertBuilt();
    const bs = ['--bootstrap-server', b.bootstrap];

    const created = await ktool(['kafka-topics.sh', '--create', '--topic', 'quickstart-events', ...bs]);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic quickstart-events.\n' });

    const listed = await ktool(['topics', '--list', ...bs]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')).toContain('quickstart-events');

    const described = await ktool(['topics', '--describe', '--topic', 'quickstart-events', ...bs]);
    expect(described.code).toBe(0);
    const [topicLine, partitionLine] = described.stdout.split('\n');
    expect(topicLine).toMatch(/^Topic: quickstart-events\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: .*$/);
    expect(partitionLine).toMatch(/^\tTopic: quickstart-events\tPartition: 0\tLeader: \d+\tReplicas: \d+\tIsr: \d+\tElr: N\/A\tLastKnownElr: N\/A$/);

    const produced = await ktool(['console-producer', '--topic', 'quickstart-events', ...bs], 'one\ntwo\nthree\n');
    expect(produced).toMatchObject({ code: 0, stdout: '' }); // piped input: no '>' prompts

    const consumed = await ktool(['console-consumer', '--topic', 'quickstart-events', '--from-beginning', '--max-messages', '3', ...bs]);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe('one\ntwo\nthree\n');
    expect(consumed.stderr).toContain('Processed a total of 3 messages');
  });
});

describe('golden checklist in-process', () => {
  const bs = () => ['--bootstrap-server', b.bootstrap];

  it('create twice fails with the broker message; --if-not-exists is silent', async () => {
    expect(await runCli(['topics', '--create', '--topic', 'dup', ...bs()])).toMatchObject({ code: 0, stdout: 'Created topic dup.\n' });
    const again = await runCli(['topics', '--create', '--topic', 'dup', ...bs()]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("Error while executing topic command : Topic 'dup' already exists.\n");
    expect(again.stderr).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ERROR org\.apache\.kafka\.common\.errors\.TopicExistsException: Topic 'dup' already exists\. \(org\.apache\.kafka\.tools\.TopicCommand\)\n$/);
    expect(await runCli(['topics', '--create', '--topic', 'dup', '--if-not-exists', ...bs()])).toMatchObject({ code: 0, stdout: '' });
  });

  it('create warns about . and _; describe shows config overrides; alter adds partitions; delete removes', async () => {
    const c = await runCli(['topics', '--create', '--topic', 'with_under.score', '--partitions', '2', '--config', 'cleanup.policy=compact', ...bs()]);
    expect(c.stdout).toBe("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\nCreated topic with_under.score.\n");
    const d = await runCli(['topics', '--describe', '--topic', 'with_under.score', ...bs()]);
    expect(d.stdout.split('\n')[0]).toMatch(/\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: cleanup\.policy=compact$/);
    expect(d.stdout.split('\n').filter((l) => l.startsWith('\tTopic:')).length).toBe(2);
    expect(await runCli(['topics', '--alter', '--topic', 'with_under.score', '--partitions', '3', ...bs()])).toMatchObject({ code: 0, stdout: '' });
    const d3 = await runCli(['topics', '--describe', '--topic', 'with_under.score', ...bs()]);
    expect(d3.stdout).toContain('\tPartitionCount: 3\t');
    expect(await runCli(['topics', '--delete', '--topic', 'with_under.score', ...bs()])).toMatchObject({ code: 0, stdout: '' });
    const missing = await runCli(['topics', '--describe', '--topic', 'with_under.score', ...bs()]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("Error while executing topic command : Topic 'Optional[with_under.score]' does not exist as expected\n");
    expect(await runCli(['topics', '--delete', '--topic', 'with_under.score', '--if-exists', ...bs()])).toMatchObject({ code: 0 });
  });

  it('keys and headers round-trip (checklist 4)', async () => {
    const p = await runCli(['console-producer', '--topic', 'keyed', '--property', 'parse.key=true', '--property', 'parse.headers=true', ...bs()], { stdin: 'h1:v1\tk\tv\n' });
    expect(p).toMatchObject({ code: 0, stdout: '' });
    const c = await runCli(['console-consumer', '--topic', 'keyed', '--from-beginning', '--max-messages', '1', '--property', 'print.key=true', '--property', 'print.headers=true', '--property', 'print.offset=true', ...bs()]);
    expect(c).toMatchObject({ code: 0, stdout: 'Offset:0\th1:v1\tk\tv\n', stderr: 'Processed a total of 1 messages\n' });
  });

  it('prompts with > only when stdin and stdout are terminals', async () => {
    const r = await runCli(['console-producer', '--topic', 'prompted', ...bs()], { stdin: 'a\nb\n', stdinIsTTY: true, stdoutIsTTY: true });
    expect(r).toMatchObject({ code: 0, stdout: '>>>' });
    expect((await runCli(['console-producer', '--topic', 'prompted', ...bs()], { stdin: 'c\n', stdinIsTTY: true, stdoutIsTTY: false })).stdout).toBe('');
  });

  it('--timeout-ms on an empty topic logs the TimeoutException and exits 0 (checklist 5)', async () => {
    await runCli(['topics', '--create', '--topic', 'empty', ...bs()]);
    const c = await runCli(['console-consumer', '--topic', 'empty', '--from-beginning', '--timeout-ms', '300', ...bs()]);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('');
    expect(c.stderr).toMatch(/ERROR Error processing message, terminating consumer process: {2}\(org\.apache\.kafka\.tools\.consumer\.ConsoleConsumer\)\norg\.apache\.kafka\.common\.errors\.TimeoutException\nProcessed a total of 0 messages\n$/);
  });

  it('--partition/--offset reads from an offset; compressed batches decode', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `m${i}`);
    expect((await runCli(['console-producer', '--topic', 'offsets', '--compression-codec', 'lz4', ...bs()], { stdin: `${lines.join('\n')}\n` })).code).toBe(0);
    const c = await runCli(['console-consumer', '--topic', 'offsets', '--partition', '0', '--offset', '45', '--max-messages', '5', ...bs()]);
    expect(c.stdout).toBe(`${lines.slice(45).join('\n')}\n`);
  });

  it('SIGINT prints the total and exits 130', async () => {
    const { EventEmitter } = await import('node:events');
    const signals = new EventEmitter();
    const run = runCli(['console-consumer', '--topic', 'keyed', '--from-beginning', ...bs()], { signals });
    await new Promise((r) => setTimeout(r, 500));
    signals.emit('SIGINT');
    const r = await run;
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('v\n');
    expect(r.stderr).toBe('Processed a total of 1 messages\n');
  });
});
