// Kafka 2.x's ZooKeeper-mode quick start through real `ktool` processes (node bin/ktool.js, built
// into dist/): zookeeper-start, server-start with zookeeper.connect, topics --zookeeper
// create/list/describe, console-producer --broker-list, console-consumer --from-beginning.
// It runs once both `ktool zookeeper-start` and the broker's ZooKeeper mode exist.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCommand } from '../../src/cli.js';
import { assertBuilt, KTOOL_BIN, runKtool } from '../helpers/run-process.js';
import { freePort } from '../helpers/real-zookeeper.js';

const waitingOn = findCommand('zookeeper-start') === undefined ? 'ktool zookeeper-start' : undefined;

const ktool = (args: string[], input?: string) => runKtool(args, { input, timeoutMs: 60_000 });

/** Resolves once something accepts connections on the port (bounded). */
async function listening(port: number, what: string, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}:\n${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on ${port} within 30 s:\n${output()}`);
}

function start(args: string[]): { proc: ChildProcess; output: () => string } {
  const proc = spawn(process.execPath, [KTOOL_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { proc, output: () => out };
}

async function stop(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

let dir: string;
let zookeeper: ReturnType<typeof start> | undefined;
let broker: ReturnType<typeof start> | undefined;
let zkConnect = '';
let brokerList = '';

beforeAll(async () => {
  if (waitingOn) return;
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ktool-zk-quickstart-'));
  const zkPort = await freePort();
  const brokerPort = await freePort();
  zkConnect = `127.0.0.1:${zkPort}`;
  brokerList = `127.0.0.1:${brokerPort}`;
  const zkProps = join(dir, 'zookeeper.properties');
  writeFileSync(zkProps, `dataDir=${join(dir, 'zookeeper')}\nclientPort=${zkPort}\nclientPortAddress=127.0.0.1\nmaxClientCnxns=0\nadmin.enableServer=false\n`);
  zookeeper = start(['zookeeper-start', zkProps]);
  await listening(zkPort, 'zookeeper-start', zookeeper.proc, zookeeper.output);
  broker = start([
    'server-start',
    '--override', `zookeeper.connect=${zkConnect}`,
    '--override', `listeners=PLAINTEXT://${brokerList}`,
    '--override', `log.dirs=${join(dir, 'kafka-logs')}`,
    '--override', 'offsets.topic.replication.factor=1',
    '--override', 'broker.id=0',
  ]);
  await listening(brokerPort, 'server-start', broker.proc, broker.output);
});

afterAll(async () => {
  await stop(broker?.proc);
  await stop(zookeeper?.proc);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(waitingOn)('ZooKeeper-mode quick start through bin/ktool.js', () => {
  it('create, list, describe with --zookeeper; produce with --broker-list; consume', async () => {
    const zkArgs = ['--zookeeper', zkConnect];
    const created = await ktool(['kafka-topics.sh', '--create', '--topic', 'quickstart-events', '--partitions', '1', '--replication-factor', '1', ...zkArgs]);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic quickstart-events.\n' });

    const listed = await ktool(['kafka-topics.sh', '--list', ...zkArgs]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')).toContain('quickstart-events');

    // The controller elects a leader for the new partition (its state node) shortly after.
    let described = await ktool(['kafka-topics.sh', '--describe', '--topic', 'quickstart-events', ...zkArgs]);
    for (let i = 0; i < 50 && described.stdout.includes('Leader: none'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      described = await ktool(['kafka-topics.sh', '--describe', '--topic', 'quickstart-events', ...zkArgs]);
    }
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/^Topic: quickstart-events\t(TopicId: [A-Za-z0-9_-]{22}\t)?PartitionCount: 1\tReplicationFactor: 1\tConfigs: \n\tTopic: quickstart-events\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n$/);

    const produced = await ktool(['kafka-console-producer.sh', '--topic', 'quickstart-events', '--broker-list', brokerList], 'This is my first event\nThis is my second event\n');
    expect(produced).toMatchObject({ code: 0, stdout: '' });

    const consumed = await ktool(['kafka-console-consumer.sh', '--topic', 'quickstart-events', '--from-beginning', '--max-messages', '2', '--bootstrap-server', brokerList]);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe('This is my first event\nThis is my second event\n');
    expect(consumed.stderr).toContain('Processed a total of 2 messages');

    const shell = await ktool(['zookeeper-shell', zkConnect, 'ls', '/brokers/ids']);
    expect(shell).toMatchObject({ code: 0 });
    expect(shell.stdout.endsWith('[0]\n')).toBe(true);
  });
});
