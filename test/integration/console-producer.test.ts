// ktool console-producer (the wire producer) against the real broker in-process: keyed records
// on Java's murmur2 partitions, order within a partition, acks 0/1/-1, idempotence, every
// codec read back by kcat, a 100k-line round trip through real `node bin/ktool.js` processes,
// and Kafka's error reporting (async log lines with exit 0, --sync failures with exit 1).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../src/client/partitioner.js';
import { runCli } from '../helpers/run-cli.js';
import { assertBuilt, runKtool, runProcess } from '../helpers/run-process.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';


let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker();
});
afterAll(async () => {
  await b?.cleanup();
});

const bs = () => ['--bootstrap-server', b.bootstrap];
const ktool = (args: string[], input?: string) => runKtool(args, { input, timeoutMs: 60_000 });
const kcat = (args: string[]) => runProcess('kcat', ['-b', b.bootstrap, ...args], { timeoutMs: 30_000 });
const ERROR_LINE = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ERROR Error when sending message to topic (\S+) with key: (null|\d+ bytes), value: (null|\d+ bytes) with error: \(org\.apache\.kafka\.clients\.producer\.internals\.ErrorLoggingCallback\)$/;

function requireBuild(): void {
  assertBuilt();
}

/** Every record of one partition, as `key\tvalue` lines. */
async function readPartition(topic: string, partition: number, count: number): Promise<string[]> {
  if (count === 0) return [];
  const r = await runCli(['console-consumer', '--topic', topic, '--partition', String(partition), '--offset', 'earliest', '--max-messages', String(count), '--property', 'print.key=true', ...bs()]);
  expect(r.code).toBe(0);
  return r.stdout.split('\n').slice(0, -1);
}

describe('console-producer through the wire producer', () => {
  it('puts keyed lines on the partitions murmur2 picks, in order within each partition', async () => {
    expect((await runCli(['topics', '--create', '--topic', 'keyed3', '--partitions', '3', ...bs()])).code).toBe(0);
    const keys = Array.from({ length: 17 }, (_, i) => `key-${i}`);
    const lines = Array.from({ length: 600 }, (_, i) => `${keys[i % keys.length]}\tvalue ${i}`);
    const p = await runCli(['console-producer', '--topic', 'keyed3', '--property', 'parse.key=true', '--batch-size', '400', ...bs()], { stdin: `${lines.join('\n')}\n` });
    expect(p).toMatchObject({ code: 0, stdout: '', stderr: '' });

    const expected = new Map<number, string[]>([[0, []], [1, []], [2, []]]);
    for (const line of lines) expected.get(partitionForKey(Buffer.from(line.split('\t')[0]!), 3))!.push(line);
    expect([...expected.values()].every((l) => l.length > 0)).toBe(true);
    for (const [partition, want] of expected) expect(await readPartition('keyed3', partition, want.length)).toEqual(want);
  });

  it('spreads key-less lines over partitions a batch at a time, each record once, in order', async () => {
    expect((await runCli(['topics', '--create', '--topic', 'sticky3', '--partitions', '3', ...bs()])).code).toBe(0);
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'s'.repeat(40)}`);
    expect((await runCli(['console-producer', '--topic', 'sticky3', ...bs()], { stdin: `${lines.join('\n')}\n` })).code).toBe(0);
    const partitionOf = new Map<string, number>();
    for (const p of [0, 1, 2]) {
      const c = await runCli(['console-consumer', '--topic', 'sticky3', '--partition', String(p), '--offset', 'earliest', '--timeout-ms', '400', ...bs()]);
      const got = c.stdout.split('\n').slice(0, -1);
      expect(got).toEqual(lines.filter((l) => got.includes(l))); // input order within the partition
      for (const l of got) partitionOf.set(l, p);
    }
    expect(partitionOf.size).toBe(3000);
    // Sticky partitioning: lines come in runs of about a batch (16 KiB) on one partition.
    let switches = 0;
    for (let i = 1; i < lines.length; i++) if (partitionOf.get(lines[i]!) !== partitionOf.get(lines[i - 1]!)) switches++;
    expect(switches).toBeGreaterThan(0);
    expect(switches).toBeLessThan(40);
  });

  for (const acks of ['0', '1', '-1']) {
    it(`delivers every line with acks=${acks}`, async () => {
      const topic = `acks${acks.replace('-', 'm')}`;
      const lines = Array.from({ length: 500 }, (_, i) => `acks ${acks} #${i}`);
      const p = await runCli(['console-producer', '--topic', topic, '--request-required-acks', acks, ...bs()], { stdin: `${lines.join('\n')}\n` });
      expect(p).toMatchObject({ code: 0, stderr: '' });
      const c = await runCli(['console-consumer', '--topic', topic, '--from-beginning', '--max-messages', '500', ...bs()]);
      expect(c.stdout).toBe(`${lines.join('\n')}\n`);
    });
  }

  it('produces idempotently when enable.idempotence=true', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `idem ${i}`);
    const p = await runCli(['console-producer', '--topic', 'idem', '--producer-property', 'enable.idempotence=true', '--batch-size', '200', ...bs()], { stdin: `${lines.join('\n')}\n` });
    expect(p).toMatchObject({ code: 0, stderr: '' });
    const k = await kcat(['-C', '-t', 'idem', '-e', '-o', 'beginning', '-f', '%s\\n']);
    expect(k.stdout).toBe(`${lines.join('\n')}\n`);
  });

  it('--sync sends one record at a time and keeps headers, keys and nulls', async () => {
    const p = await runCli(['console-producer', '--topic', 'synced', '--sync', '--property', 'parse.key=true', '--property', 'parse.headers=true', '--property', 'null.marker=NULL', ...bs()], { stdin: 'h:1,g:NULL\tk1\tv1\nNULL\tNULL\tv2\n' });
    expect(p).toMatchObject({ code: 0, stderr: '' });
    const c = await runCli(['console-consumer', '--topic', 'synced', '--from-beginning', '--max-messages', '2', '--property', 'print.key=true', '--property', 'print.headers=true', ...bs()]);
    expect(c.stdout).toBe('h:1,g:null\tk1\tv1\nNO_HEADERS\tnull\tv2\n');
  });
});

describe('console-producer errors', () => {
  it('logs each failed record as ErrorLoggingCallback does and still exits 0', async () => {
    const big = 'x'.repeat(300);
    const p = await runCli(['console-producer', '--topic', 'errs', '--producer-property', 'max.request.size=250', ...bs()], { stdin: `ok\n${big}\nfine\n` });
    expect(p.code).toBe(0);
    const lines = p.stderr.split('\n');
    expect(lines[0]).toMatch(ERROR_LINE);
    expect(ERROR_LINE.exec(lines[0]!)!.slice(1)).toEqual(['errs', 'null', '300 bytes']);
    expect(lines[1]).toBe('org.apache.kafka.common.errors.RecordTooLargeException: The message is 382 bytes when serialized which is larger than 250, which is the value of the max.request.size configuration.');
    const c = await runCli(['console-consumer', '--topic', 'errs', '--from-beginning', '--max-messages', '2', ...bs()]);
    expect(c.stdout).toBe('ok\nfine\n');
  });

  it('--sync stops at the first failure with exit code 1', async () => {
    const p = await runCli(['console-producer', '--topic', 'errs-sync', '--sync', '--producer-property', 'max.request.size=250', ...bs()], { stdin: `a\n${'y'.repeat(300)}\nnever\n` });
    expect(p.code).toBe(1);
    expect(p.stderr).toBe('org.apache.kafka.common.errors.RecordTooLargeException: The message is 382 bytes when serialized which is larger than 250, which is the value of the max.request.size configuration.\n');
    const c = await runCli(['console-consumer', '--topic', 'errs-sync', '--from-beginning', '--timeout-ms', '500', ...bs()]);
    expect(c.stdout).toBe('a\n');
  });

  it('times out on a topic that is never created, after max.block.ms', async () => {
    const closed = await startTestBroker({ 'auto.create.topics.enable': 'false' });
    try {
      const p = await runCli(['console-producer', '--topic', 'nowhere', '--max-block-ms', '300', '--bootstrap-server', closed.bootstrap], { stdin: 'lost\n' });
      expect(p.code).toBe(0);
      const lines = p.stderr.split('\n').filter((l) => l !== '');
      expect(lines.some((l) => /WARN \[Producer clientId=console-producer\] Error while fetching metadata with correlation id \d+ : \{nowhere=UNKNOWN_TOPIC_OR_PARTITION\} \(org\.apache\.kafka\.clients\.NetworkClient\)$/.test(l))).toBe(true);
      const error = lines.findIndex((l) => ERROR_LINE.test(l));
      expect(lines[error + 1]).toBe('org.apache.kafka.common.errors.TimeoutException: Topic nowhere not present in metadata after 300 ms.');
    } finally {
      await closed.cleanup();
    }
  });
});

describe('console-producer as a process', () => {
  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it(`${codec} batches are read back by kcat -C`, async () => {
      requireBuild();
      const lines = Array.from({ length: 2000 }, (_, i) => `${codec} line ${i} ${'c'.repeat(i % 50)}`);
      const p = await ktool(['console-producer', '--topic', `codec-${codec}`, '--compression-codec', codec, ...bs()], `${lines.join('\n')}\n`);
      expect(p, p.stderr).toMatchObject({ code: 0, stderr: '' });
      const k = await kcat(['-C', '-t', `codec-${codec}`, '-e', '-o', 'beginning', '-f', '%s\\n']);
      expect(k.code, k.stderr).toBe(0);
      expect(k.stdout).toBe(`${lines.join('\n')}\n`);
    });
  }

  it('100k lines round-trip exactly through node bin/ktool.js', async () => {
    requireBuild();
    const samples = ['plain', '', 'tab\tinside', 'ünïcödé ✓ 😀', 'a'.repeat(200), ' spaced '];
    const lines = Array.from({ length: 100_000 }, (_, i) => `${i}:${samples[i % samples.length]}`);
    const input = `${lines.join('\n')}\n`;
    const p = await ktool(['console-producer', '--topic', 'roundtrip', ...bs()], input);
    expect(p, p.stderr).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const c = await ktool(['console-consumer', '--topic', 'roundtrip', '--from-beginning', '--max-messages', '100000', ...bs()]);
    expect(c.code).toBe(0);
    expect(c.stderr).toBe('Processed a total of 100000 messages\n');
    expect(c.stdout === input).toBe(true);
  });
});
