// The broker's log lifecycle across restarts: clean shutdown (marker and checkpoints in Kafka's
// formats, recovery skipped next time), a real crash (SIGKILL of a broker process: only the
// segments past the recovery point are checked), and the timers that flush idle logs and write
// checkpoints while it runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Broker } from '../../src/broker/index.js';
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { createLogger } from '../../src/log.js';
import { decodeRecordBatchesSync, encodeRecordBatchSync } from '../../src/protocol/records/records.js';
import { tempDir as makeTempDir } from '../helpers/start-broker.js';

const running: Broker[] = [];
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await Promise.all(running.splice(0).map((b) => b.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A log dir removed after the test. */
function tempDir(): string {
  const dir = makeTempDir('ktool-lifecycle-');
  dirs.push(dir);
  return dir;
}

/** An in-process broker on `logDir` whose log lines land in `lines`. */
async function start(logDir: string, overrides: Record<string, string> = {}, lines: string[] = []): Promise<Broker> {
  const props = new Map<string, string>([['listeners', 'PLAINTEXT://127.0.0.1:0'], ['log.dirs', logDir], ...Object.entries(overrides)]);
  const broker = await Broker.start(brokerConfigFrom(props), createLogger('test', { write: (l: string) => lines.push(l) }, 'DEBUG'));
  running.push(broker);
  return broker;
}

async function stop(broker: Broker): Promise<void> {
  await broker.close();
  running.splice(running.indexOf(broker), 1);
}

const client = (port: number): Kafka => new Kafka({ clientId: 'lifecycle', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });

/** Sends `count` one-record batches to a partition, one request each. */
async function produce(port: number, topic: string, partition: number, count: number, from = 0): Promise<void> {
  const producer = client(port).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = from; i < from + count; i++) await producer.send({ topic, acks: -1, messages: [{ partition, key: `k${i}`, value: `value-${i}` }] });
  } finally {
    await producer.disconnect();
  }
}

async function createTopic(port: number, topic: string, numPartitions: number, configEntries: Array<{ name: string; value: string }> = []): Promise<void> {
  const admin = client(port).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions, configEntries }] });
  } finally {
    await admin.disconnect();
  }
}

/** Every record value in a partition, read straight from the broker's log. */
function values(broker: Broker, topic: string, partition: number): string[] {
  const log = broker.state.partitions.get(topic, partition)!.log;
  return decodeRecordBatchesSync(log.read(log.logStartOffset, 1 << 24)).flatMap((b) => b.records.map((r) => r.value!.toString()));
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `value-${from + i}`);

describe('clean shutdown and start', () => {
  it('writes both checkpoints and the marker at shutdown, and skips recovery at the next start', async () => {
    const dir = tempDir();
    const overrides = { 'log.segment.bytes': '1200' };
    let broker = await start(dir, overrides);
    await createTopic(broker.port, 'life', 2);
    await produce(broker.port, 'life', 0, 40);
    await produce(broker.port, 'life', 1, 3);
    expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(false);
    await stop(broker);

    expect(JSON.parse(readFileSync(join(dir, '.kafka_cleanshutdown'), 'utf8'))).toEqual({ broker_epoch: '-1', version: '0' });
    expect(readFileSync(join(dir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n2\nlife 0 40\nlife 1 3\n');
    expect(readFileSync(join(dir, 'log-start-offset-checkpoint'), 'utf8')).toBe('0\n0\n');
    expect(readdirSync(join(dir, 'life-0')).filter((f) => f.endsWith('.log')).length).toBeGreaterThan(2);

    const lines: string[] = [];
    broker = await start(dir, overrides, lines);
    expect(lines.join('')).toMatch(/INFO Skipping recovery of 2 logs from .* since clean shutdown file was found \(kafka\.log\.LogManager\)/);
    expect(lines.join('')).not.toMatch(/WARN \[UnifiedLog/);
    expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(false);
    expect(values(broker, 'life', 0)).toEqual(range(0, 40));
    await produce(broker.port, 'life', 0, 2, 40);
    expect(values(broker, 'life', 0)).toEqual(range(0, 42));
    await stop(broker);
    expect(readFileSync(join(dir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n2\nlife 0 42\nlife 1 3\n');
  });

  it('recovers only past the recovery point when the marker is missing', async () => {
    const dir = tempDir();
    const overrides = { 'log.segment.bytes': '1200' };
    let broker = await start(dir, overrides);
    await createTopic(broker.port, 'unclean', 1);
    await produce(broker.port, 'unclean', 0, 40);
    await stop(broker);
    // Pretend the broker died: no marker, a torn write at the tail, and damage in an old segment
    // that the recovery point says was fsynced (so it is not looked at).
    writeFileSync(join(dir, 'recovery-point-offset-checkpoint'), '0\n1\nunclean 0 30\n');
    rmSync(join(dir, '.kafka_cleanshutdown'));
    const logs = readdirSync(join(dir, 'unclean-0')).filter((f) => f.endsWith('.log')).sort();
    appendFileSync(join(dir, 'unclean-0', logs.at(-1)!), Buffer.from('torn write'));
    const first = join(dir, 'unclean-0', logs[0]!);
    const bytes = readFileSync(first);
    bytes[bytes.length - 3] ^= 1;
    writeFileSync(first, bytes);

    const lines: string[] = [];
    broker = await start(dir, overrides, lines);
    const text = lines.join('');
    expect(text).toMatch(/INFO Recovering 1 logs from .* since no clean shutdown file was found/);
    expect(text).toMatch(/WARN \[UnifiedLog partition=unclean-0, dir=.*\] Truncating .*\.log from \d+ to \d+ bytes \(cut 10\)/);
    expect(text).not.toMatch(new RegExp(logs[0]!));
    expect(broker.state.partitions.get('unclean', 0)!.log.logEndOffset).toBe(40n);
  });
});

describe('a crash (SIGKILL)', () => {
  it('leaves no marker, and the restart checks only the segments past the checkpointed recovery point', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/broker-process.ts', dir, 'log.segment.bytes=1200', 'log.flush.offset.checkpoint.interval.ms=100'], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /READY (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`broker process exited with ${code}`)));
    });
    await createTopic(port, 'crash', 1);
    await produce(port, 'crash', 0, 40);
    // Rolled segments are fsynced in the background and the checkpoint follows within 100 ms.
    const checkpoint = join(dir, 'recovery-point-offset-checkpoint');
    let point = 0;
    await vi.waitFor(() => {
      const m = /crash 0 (\d+)/.exec(existsSync(checkpoint) ? readFileSync(checkpoint, 'utf8') : '');
      point = m ? Number(m[1]) : 0;
      expect(point).toBeGreaterThan(0);
    }, { timeout: 10_000, interval: 50 });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(false);

    const logs = readdirSync(join(dir, 'crash-0')).filter((f) => f.endsWith('.log')).sort();
    const bases = logs.map((f) => Number(f.slice(0, 20)));
    expect(bases[1]).toBeLessThanOrEqual(point);
    const lines: string[] = [];
    let broker = await start(dir, { 'log.segment.bytes': '1200' }, lines);
    expect(lines.join('')).toMatch(/Recovering 1 logs from .* since no clean shutdown file was found/);
    expect(lines.join('')).not.toMatch(/WARN \[UnifiedLog/);
    expect(values(broker, 'crash', 0)).toEqual(range(0, 40));

    // Proof that the segment below the point is trusted, not scanned: damage it and crash again.
    await stop(broker);
    rmSync(join(dir, '.kafka_cleanshutdown'));
    const first = join(dir, 'crash-0', logs[0]!);
    const bytes = readFileSync(first);
    bytes[bytes.length - 3] ^= 1;
    writeFileSync(first, bytes);
    lines.length = 0;
    broker = await start(dir, { 'log.segment.bytes': '1200' }, lines);
    expect(lines.join('')).not.toMatch(/WARN \[UnifiedLog/);
    expect(broker.state.partitions.get('crash', 0)!.log.logEndOffset).toBe(40n);
  }, 60_000);
});

describe('timers while running', () => {
  it('flushes an idle log when flush.ms passes, and checkpoints the recovery point', async () => {
    const dir = tempDir();
    const broker = await start(dir, { 'log.flush.offset.checkpoint.interval.ms': '50' });
    await createTopic(broker.port, 'idle', 1, [{ name: 'flush.ms', value: '700' }]);
    await produce(broker.port, 'idle', 0, 3);
    const partition = broker.state.partitions.get('idle', 0)!;
    const log = partition.log;
    // Start the flush.ms clock now, then append once more: nothing appends after that.
    log.flush();
    partition.append(encodeRecordBatchSync({ records: [{ key: null, value: 'value-3', timestamp: Date.now() }] }));
    expect(log.hasUnflushedData).toBe(true);
    expect(log.recoveryPoint).toBe(3n);
    await vi.waitFor(() => expect(log.hasUnflushedData).toBe(false), { timeout: 5000, interval: 20 });
    expect(log.recoveryPoint).toBe(4n);
    expect(values(broker, 'idle', 0)).toEqual(range(0, 4));
    await vi.waitFor(() => expect(readFileSync(join(dir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n1\nidle 0 4\n'), { timeout: 5000, interval: 20 });
  });
});
