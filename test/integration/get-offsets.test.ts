// ktool get-offsets against the in-process broker: latest / earliest / max-timestamp / timestamp
// lookups, partition filters, internal topics, and Kafka's error texts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
const bs = () => ['--bootstrap-server', b.bootstrap];
const produce = async (topic: string, lines: string[], extra: string[] = []) => {
  const r = await runCli(['console-producer', '--topic', topic, ...extra, ...bs()], { stdin: `${lines.join('\n')}\n` });
  expect(r.code).toBe(0);
};

beforeAll(async () => {
  b = await startTestBroker();
  expect((await runCli(['topics', '--create', '--topic', 'offsets3', '--partitions', '3', ...bs()])).code).toBe(0);
  expect((await runCli(['topics', '--create', '--topic', 'other', '--partitions', '1', ...bs()])).code).toBe(0);
  await produce('other', Array.from({ length: 7 }, (_, i) => `v${i}`));
});
afterAll(async () => {
  await b?.cleanup();
});

describe('ktool get-offsets', () => {
  it('prints topic:partition:offset for the latest offsets, every partition, sorted', async () => {
    await produce('offsets3', Array.from({ length: 30 }, (_, i) => `k${i}\tv${i}`), ['--property', 'parse.key=true']);
    const r = await runCli(['get-offsets', '--topic', 'offsets3', ...bs()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(':').slice(0, 2).join(':'))).toEqual(['offsets3:0', 'offsets3:1', 'offsets3:2']);
    expect(lines.map((l) => Number(l.split(':')[2])).reduce((a, c) => a + c, 0)).toBe(30);
    expect(await runCli(['get-offsets', '--topic', 'other', ...bs()])).toMatchObject({ code: 0, stdout: 'other:0:7\n' });
  });

  it('--time -2 / earliest, a timestamp, max-timestamp, and one after the last record', async () => {
    expect((await runCli(['get-offsets', '--topic', 'other', '--time', '-2', ...bs()])).stdout).toBe('other:0:0\n');
    expect((await runCli(['get-offsets', '--topic', 'other', '--time', 'earliest', ...bs()])).stdout).toBe('other:0:0\n');
    expect((await runCli(['get-offsets', '--topic', 'other', '--time', '0', ...bs()])).stdout).toBe('other:0:0\n');
    const max = await runCli(['get-offsets', '--topic', 'other', '--time', '-3', ...bs()]);
    expect(max.stdout).toMatch(/^other:0:[0-6]\n$/);
    // No record at or after a timestamp in the future: the partition is left out.
    expect(await runCli(['get-offsets', '--topic', 'other', '--time', String(Date.now() + 3_600_000), ...bs()])).toMatchObject({ code: 0, stdout: '' });
  });

  it('filters with --partitions and --topic-partitions', async () => {
    expect((await runCli(['get-offsets', '--topic', 'offsets3', '--partitions', '0,2', '--time', '-2', ...bs()])).stdout).toBe('offsets3:0:0\noffsets3:2:0\n');
    expect((await runCli(['get-offsets', '--topic-partitions', 'offsets3:1-,other', '--time', '-2', ...bs()])).stdout).toBe('offsets3:1:0\noffsets3:2:0\nother:0:0\n');
    const all = await runCli(['get-offsets', '--time', '-2', '--exclude-internal-topics', ...bs()]);
    expect(all.stdout).toContain('other:0:0\n');
    expect(all.stdout).not.toContain('__consumer_offsets');
  });

  it('nothing matching is an error, exit 1', async () => {
    expect(await runCli(['get-offsets', '--topic', 'nope.*', ...bs()])).toMatchObject({ code: 1, stdout: '', stderr: 'Error occurred: Could not match any topic-partitions with the specified filters\n' });
  });
});
