// Kafka's file quickstart with Kafka's example configs (config/connect-*.properties): lines appended
// to test.txt reach topic connect-test (in JsonConverter's envelope) and test.sink.txt; a clean
// restart neither loses nor repeats a line.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';
import { configFile, startWorker, waitFor, workerFile } from '../helpers/connect-worker.js';

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.cleanup();
});

const sinkLines = (dir: string): string[] => {
  const file = join(dir, 'test.sink.txt');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(0, -1) : [];
};

async function topicValues(count: number): Promise<string[]> {
  const res = await runCli(['console-consumer', '--bootstrap-server', broker.bootstrap, '--topic', 'connect-test', '--from-beginning', '--max-messages', String(count), '--timeout-ms', '3000']);
  return res.stdout.split('\n').filter((l) => l !== '');
}

describe('connect-standalone file quickstart', () => {
  it('moves appended lines to the topic and the sink file, and resumes after a restart without loss or duplicates', async () => {
    const dir = tempDir('ktool-connect-');
    const worker = workerFile(dir, {
      'bootstrap.servers': broker.bootstrap,
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      'offset.flush.interval.ms': '300',
      listeners: 'http://127.0.0.1:0',
    });
    const args = [worker, configFile('connect-file-source.properties'), configFile('connect-file-sink.properties')];
    appendFileSync(join(dir, 'test.txt'), 'foo\nbar\n');

    const first = await startWorker(args, { cwd: dir });
    expect(first.output()).toContain('Kafka Connect started');
    expect(first.output()).toMatch(/INFO Created connector local-file-source \(org\.apache\.kafka\.connect\.cli\.ConnectStandalone\)/);
    expect(first.output()).toContain('Created connector local-file-sink');
    await waitFor('foo and bar in the sink file', () => sinkLines(dir).length >= 2);
    appendFileSync(join(dir, 'test.txt'), 'baz\n');
    await waitFor('baz in the sink file', () => sinkLines(dir).length >= 3);
    expect(sinkLines(dir)).toEqual(['foo', 'bar', 'baz']);
    expect(await topicValues(3)).toEqual([
      '{"schema":{"type":"string","optional":false},"payload":"foo"}',
      '{"schema":{"type":"string","optional":false},"payload":"bar"}',
      '{"schema":{"type":"string","optional":false},"payload":"baz"}',
    ]);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('Kafka Connect stopped');

    // Written while the worker is down, then picked up by the next run; nothing is sent twice.
    appendFileSync(join(dir, 'test.txt'), 'qux\nquux\n');
    const second = await startWorker(args, { cwd: dir });
    await waitFor('qux and quux in the sink file', () => sinkLines(dir).length >= 5);
    appendFileSync(join(dir, 'test.txt'), 'last\n');
    await waitFor('last in the sink file', () => sinkLines(dir).length >= 6);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await second.stop()).toBe(0);
    expect(sinkLines(dir)).toEqual(['foo', 'bar', 'baz', 'qux', 'quux', 'last']);
    const values = await topicValues(7);
    expect(values.map((v) => JSON.parse(v).payload)).toEqual(['foo', 'bar', 'baz', 'qux', 'quux', 'last']);
  });
});
