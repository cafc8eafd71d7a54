// At-least-once across a crash: a worker killed with SIGKILL in the middle of a stream loses no
// line. Its successor resumes from the last committed source offset and sink group offset, so the
// lines after the last commit may arrive twice, but every line arrives, in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';
import { configFile, waitFor, workerFile } from '../helpers/connect-worker.js';

const root = join(import.meta.dirname, '../..');
let broker: TestBroker;
const children: ChildProcess[] = [];

beforeAll(async () => {
  broker = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0' });
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await broker?.cleanup();
});

function spawnWorker(args: string[], cwd: string): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'test/helpers/connect-process.ts'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  children.push(child);
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  return { child, log: () => log };
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(0, -1) : []);

/** Every expected line, in order, each possibly repeated (at-least-once). */
function dedupeRuns(got: string[]): string[] {
  const seen = new Set<string>();
  return got.filter((l) => !seen.has(l) && seen.add(l));
}

describe('connect-standalone crash', () => {
  it('loses nothing when killed with SIGKILL mid-stream', async () => {
    const dir = tempDir('ktool-connect-crash-');
    const worker = workerFile(dir, {
      'bootstrap.servers': broker.bootstrap,
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      'offset.flush.interval.ms': '500',
      listeners: 'http://127.0.0.1:0',
      // The killed worker's sink stays in its group until its session times out: keep that short.
      'consumer.session.timeout.ms': '6000',
      'consumer.heartbeat.interval.ms': '1000',
    });
    const args = [worker, configFile('connect-file-source.properties'), configFile('connect-file-sink.properties')];
    const input = join(dir, 'test.txt');
    const output = join(dir, 'test.sink.txt');
    const expected: string[] = [];
    const write = (from: number, to: number): void => {
      const batch = Array.from({ length: to - from }, (_, i) => `line-${from + i}`);
      expected.push(...batch);
      appendFileSync(input, batch.map((l) => `${l}\n`).join(''));
    };

    const first = spawnWorker(args, dir);
    await waitFor('worker started', () => first.log().includes('Created connector local-file-sink'), 60_000);
    write(0, 200);
    await waitFor('some lines in the sink', () => lines(output).length >= 50, 30_000);
    write(200, 400);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    write(400, 500);
    const second = spawnWorker(args, dir);
    await waitFor('every line in the sink', () => new Set(lines(output)).size >= 500, 60_000);
    expect(dedupeRuns(lines(output))).toEqual(expected);
    second.child.kill('SIGTERM');
    const code = await new Promise((r) => second.child.once('exit', r));
    expect(code).toBe(0);
  }, 120_000);
});
