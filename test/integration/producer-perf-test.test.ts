// ktool producer-perf-test against the in-process broker: the summary line, the records really
// in the topic (counted with get-offsets, read back by kcat), payload files and monotonic
// payloads, and the refusal of transactions on a cluster without a transaction coordinator.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { runProcess } from '../helpers/run-process.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
const bs = () => ['--bootstrap-server', b.bootstrap];
const props = () => ['--producer-props', `bootstrap.servers=${b.bootstrap}`];
const SUMMARY = /^(\d+) records sent, \d+\.\d records\/sec \(\d+\.\d\d MB\/sec\), \d+\.\d\d ms avg latency, \d+\.\d\d ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$/;

async function latestTotal(topic: string): Promise<number> {
  const r = await runCli(['get-offsets', '--topic', topic, ...bs()]);
  expect(r.code).toBe(0);
  return r.stdout.trimEnd().split('\n').reduce((sum, l) => sum + Number(l.split(':')[2]), 0);
}

beforeAll(async () => {
  b = await startTestBroker();
});
afterAll(async () => {
  await b?.cleanup();
});

describe('ktool producer-perf-test', () => {
  it('sends 20000 records unthrottled, prints the summary line, and the records are in the topic', async () => {
    expect((await runCli(['topics', '--create', '--topic', 'perf', '--partitions', '2', ...bs()])).code).toBe(0);
    const r = await runCli(['producer-perf-test', '--topic', 'perf', '--num-records', '20000', '--record-size', '100', '--throughput', '-1', ...props(), 'acks=1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(SUMMARY);
    expect(SUMMARY.exec(lines.at(-1)!)![1]).toBe('20000');
    for (const window of lines.slice(0, -1)) expect(window).toMatch(/^\d+ records sent, \d+\.\d records\/sec \(\d+\.\d\d MB\/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$/);
    expect(await latestTotal('perf')).toBe(20000);

    // Interop: kcat reads every record back, each 100 random uppercase letters.
    const kcat = await runProcess('kcat', ['-b', b.bootstrap, '-C', '-t', 'perf', '-o', 'beginning', '-e', '-q', '-f', '%s\n'], { timeoutMs: 60_000 });
    expect(kcat.code).toBe(0);
    const values = kcat.stdout.trimEnd().split('\n');
    expect(values).toHaveLength(20000);
    expect(values.every((v) => /^[A-Z]{100}$/.test(v))).toBe(true);
  });

  it('--payload-monotonic sends 0..n-1, and a throttled run still completes', async () => {
    expect((await runCli(['topics', '--create', '--topic', 'mono', '--partitions', '1', ...bs()])).code).toBe(0);
    const r = await runCli(['producer-perf-test', '--topic', 'mono', '--num-records', '50', '--payload-monotonic', '--throughput', '500', ...props()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^50 records sent, /m);
    const consumed = await runCli(['console-consumer', '--topic', 'mono', '--from-beginning', '--max-messages', '50', ...bs()]);
    expect(consumed.stdout).toBe(Array.from({ length: 50 }, (_, i) => `${i}\n`).join(''));
  });

  it('--payload-file picks payloads from the file, split on the delimiter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktool-perf-'));
    const file = join(dir, 'payloads.txt');
    writeFileSync(file, 'alpha|beta|gamma');
    const r = await runCli(['producer-perf-test', '--topic', 'payloads', '--num-records', '30', '--payload-file', file, '--payload-delimiter', '\\|', '--throughput', '-1', ...props()]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([`Reading payloads from: ${file}`, 'Number of messages read: 3']);
    const consumed = await runCli(['console-consumer', '--topic', 'payloads', '--from-beginning', '--max-messages', '30', ...bs()]);
    expect(new Set(consumed.stdout.trimEnd().split('\n'))).toEqual(new Set(['alpha', 'beta', 'gamma']));
  });

  it('refuses transactions clearly when the cluster has no transaction coordinator', async () => {
    const r = await runCli(['producer-perf-test', '--topic', 'perf', '--num-records', '5', '--record-size', '10', '--throughput', '-1', '--transactional-id', 'tx-1', ...props()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Exception in thread "main" org.apache.kafka.common.errors.UnsupportedVersionException: The cluster does not support transactions (it has no transaction coordinator); run without --transactional-id, --transaction-duration-ms and transactional.id\n');
  });
});
