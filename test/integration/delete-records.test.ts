// ktool delete-records against the in-process broker: low watermarks move (get-offsets --time -2
// shows them, the consumer starts there), -1 means the high watermark, and partitions that fail
// print their error while the command still exits 0.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
const dir = mkdtempSync(join(tmpdir(), 'ktool-delete-records-'));
const bs = () => ['--bootstrap-server', b.bootstrap];
const jsonFile = (name: string, partitions: Array<{ topic: string; partition: number; offset: number }>): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ partitions, version: 1 }));
  return path;
};

beforeAll(async () => {
  b = await startTestBroker();
  for (const topic of ['dr', 'drall']) {
    expect((await runCli(['topics', '--create', '--topic', topic, '--partitions', '1', ...bs()])).code).toBe(0);
    const lines = Array.from({ length: 10 }, (_, i) => `v${i}`).join('\n');
    expect((await runCli(['console-producer', '--topic', topic, ...bs()], { stdin: `${lines}\n` })).code).toBe(0);
  }
});
afterAll(async () => {
  await b?.cleanup();
});

describe('ktool delete-records', () => {
  it('moves the low watermark, which get-offsets --time -2 and a consumer then see', async () => {
    const r = await runCli(['delete-records', '--offset-json-file', jsonFile('dr.json', [{ topic: 'dr', partition: 0, offset: 4 }]), ...bs()]);
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: 'Executing records delete operation\nRecords delete operation completed:\npartition: dr-0\tlow_watermark: 4\n' });
    expect((await runCli(['get-offsets', '--topic', 'dr', '--time', '-2', ...bs()])).stdout).toBe('dr:0:4\n');
    const consumed = await runCli(['console-consumer', '--topic', 'dr', '--from-beginning', '--max-messages', '1', ...bs()]);
    expect(consumed.stdout).toBe('v4\n');
  });

  it('-1 deletes up to the high watermark; failures print per partition and exit 0', async () => {
    const r = await runCli(['delete-records', '--offset-json-file', jsonFile('mixed.json', [
      { topic: 'drall', partition: 0, offset: -1 },
      { topic: 'dr', partition: 0, offset: 99 },
      { topic: 'missing', partition: 0, offset: 1 },
    ]), ...bs()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'Executing records delete operation',
      'Records delete operation completed:',
      'partition: dr-0\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.',
      'partition: drall-0\tlow_watermark: 10',
      'partition: missing-0\terror: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.',
      '',
    ].join('\n'));
    expect((await runCli(['get-offsets', '--topic', 'drall', '--time', 'earliest', ...bs()])).stdout).toBe('drall:0:10\n');
  });
});
