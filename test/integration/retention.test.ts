// Retention and DeleteRecords through the running broker: the retention timer deletes whole
// segments by retention.bytes / retention.ms (topic overrides and broker defaults), the log start
// offset moves and fetches below it get OFFSET_OUT_OF_RANGE; kafkajs' deleteTopicRecords and raw
// DeleteRecords v0-v2 move it too, and it survives restarts through log-start-offset-checkpoint.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Broker } from '../../src/broker/index.js';
import { BrokerConnection } from '../../src/client/broker-connection.js';
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { createLogger } from '../../src/log.js';
import { DeleteRecords, Fetch, type DeleteRecordsResponse, type FetchResponse } from '../../src/protocol/messages/index.js';
import { tempDir as makeTempDir } from '../helpers/start-broker.js';

const running: Broker[] = [];
const connections: BrokerConnection[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  await Promise.all(running.splice(0).map((b) => b.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A log dir removed after the test. */
function tempDir(): string {
  const dir = makeTempDir('ktool-retention-');
  dirs.push(dir);
  return dir;
}

async function start(logDir: string, overrides: Record<string, string>, lines: string[] = []): Promise<Broker> {
  const props = new Map<string, string>([['listeners', 'PLAINTEXT://127.0.0.1:0'], ['log.dirs', logDir], ...Object.entries(overrides)]);
  const broker = await Broker.start(brokerConfigFrom(props), createLogger('test', { write: (l: string) => lines.push(l) }, 'INFO'));
  running.push(broker);
  return broker;
}

async function stop(broker: Broker): Promise<void> {
  await broker.close();
  running.splice(running.indexOf(broker), 1);
}

const client = (broker: Broker): Kafka => new Kafka({ clientId: 'retention', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });

async function createTopic(broker: Broker, topic: string, configEntries: Array<{ name: string; value: string }> = []): Promise<void> {
  const admin = client(broker).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries }] });
  } finally {
    await admin.disconnect();
  }
}

/** `count` one-record requests, so each record is its own batch. */
async function produce(broker: Broker, topic: string, count: number, timestamp?: number): Promise<void> {
  const producer = client(broker).producer();
  await producer.connect();
  try {
    for (let i = 0; i < count; i++) {
      await producer.send({ topic, acks: -1, messages: [{ key: `k${i}`, value: `value-${i}-${'x'.repeat(40)}`, timestamp: timestamp === undefined ? undefined : String(timestamp) }] });
    }
  } finally {
    await producer.disconnect();
  }
}

async function offsets(broker: Broker, topic: string): Promise<{ low: string; high: string }> {
  const admin = client(broker).admin();
  await admin.connect();
  try {
    const [p] = await admin.fetchTopicOffsets(topic);
    return { low: p!.low, high: p!.high };
  } finally {
    await admin.disconnect();
  }
}

async function connect(broker: Broker): Promise<BrokerConnection> {
  const conn = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port, nodeId: -1 }, { clientId: 'retention', connectTimeoutMs: 5000, requestTimeoutMs: 15000 });
  connections.push(conn);
  return conn;
}

const fetchAt = (conn: BrokerConnection, topic: string, offset: bigint) =>
  conn.send<FetchResponse>(Fetch, 11, {
    replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic, topicId: '00000000-0000-0000-0000-000000000000', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [], rackId: '',
  });

const segmentFiles = (dir: string, suffix: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)).sort() : []);

const FAST = { 'log.retention.check.interval.ms': '100', 'log.segment.bytes': '800', 'log.segment.delete.delay.ms': '200' };

describe('retention', () => {
  it('deletes the oldest segments past retention.bytes, renaming them .deleted first', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const broker = await start(dir, { ...FAST, 'log.retention.check.interval.ms': '400' }, lines);
    await createTopic(broker, 'by-size', [{ name: 'retention.bytes', value: '1600' }]);
    await produce(broker, 'by-size', 40);
    const partitionDir = join(dir, 'by-size-0');
    const before = segmentFiles(partitionDir, '.log');
    expect(before.length).toBeGreaterThan(4);
    await vi.waitFor(() => expect(segmentFiles(partitionDir, '.log.deleted').length).toBeGreaterThan(0), { timeout: 5000, interval: 10 });
    await vi.waitFor(() => expect(segmentFiles(partitionDir, '.deleted')).toEqual([]), { timeout: 5000, interval: 20 });
    const remaining = segmentFiles(partitionDir, '.log');
    expect(remaining).toEqual(before.slice(before.length - remaining.length));
    const log = broker.state.partitions.get('by-size', 0)!.log;
    expect(log.sizeInBytes).toBeGreaterThanOrEqual(1600 - 800);
    const { low, high } = await offsets(broker, 'by-size');
    expect(low).toBe(remaining[0]!.slice(0, 20).replace(/^0+(?=\d)/, ''));
    expect(high).toBe('40');
    const text = lines.join('');
    expect(text).toMatch(/INFO \[UnifiedLog partition=by-size-0, dir=.*\] Deleting segment LogSegment\(baseOffset=0, size=\d+, lastModifiedTime=\d+, largestRecordTimestamp=\d+\) due to log retention size 1600 breach\. Log size after deletion will be \d+\./);
    expect(text).toMatch(/Incremented log start offset to \d+ due to segment deletion/);
    expect(text).toMatch(/Deleted log .*by-size-0.00000000000000000000\.log\.deleted\./);
  });

  it('deletes by the broker\'s log.retention.minutes, rolling the active segment, and fetches below the start get OFFSET_OUT_OF_RANGE', async () => {
    const dir = tempDir();
    const broker = await start(dir, { ...FAST, 'log.retention.minutes': '30' });
    await createTopic(broker, 'by-time');
    await produce(broker, 'by-time', 12, Date.now() - 3_600_000);
    await vi.waitFor(async () => expect(await offsets(broker, 'by-time')).toEqual({ low: '12', high: '12' }), { timeout: 5000, interval: 50 });
    const partitionDir = join(dir, 'by-time-0');
    await vi.waitFor(() => expect(segmentFiles(partitionDir, '.log')).toEqual(['00000000000000000012.log']), { timeout: 5000, interval: 20 });
    const conn = await connect(broker);
    const below = await fetchAt(conn, 'by-time', 3n);
    expect(below.responses[0]!.partitions[0]).toMatchObject({ errorCode: 1 });
    const at = await fetchAt(conn, 'by-time', 12n);
    expect(at.responses[0]!.partitions[0]).toMatchObject({ errorCode: 0, highWatermark: 12n, logStartOffset: 12n });
    // New records are kept: their timestamps are recent.
    await produce(broker, 'by-time', 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(await offsets(broker, 'by-time')).toEqual({ low: '12', high: '14' });
  });

  it('keeps everything with retention.ms=-1 and with cleanup.policy=compact', async () => {
    const broker = await start(tempDir(), { ...FAST, 'log.retention.bytes': '100' });
    await createTopic(broker, 'forever', [{ name: 'retention.ms', value: '-1' }, { name: 'retention.bytes', value: '-1' }]);
    await createTopic(broker, 'compacted', [{ name: 'cleanup.policy', value: 'compact' }]);
    await produce(broker, 'forever', 15, Date.now() - 1e10);
    await produce(broker, 'compacted', 15, Date.now() - 1e10);
    await new Promise((r) => setTimeout(r, 400));
    expect(await offsets(broker, 'forever')).toEqual({ low: '0', high: '15' });
    expect(await offsets(broker, 'compacted')).toEqual({ low: '0', high: '15' });
  });

  it('stops its timer at shutdown', async () => {
    const dir = tempDir();
    const broker = await start(dir, { ...FAST, 'log.retention.ms': '1' });
    await createTopic(broker, 'late');
    await stop(broker);
    expect(readFileSync(join(dir, 'log-start-offset-checkpoint'), 'utf8')).toBe('0\n0\n');
  });
});

describe('DeleteRecords', () => {
  it('kafkajs deleteTopicRecords moves the low watermark, deletes segments below it, and survives restarts', async () => {
    const dir = tempDir();
    const overrides = { ...FAST, 'log.segment.delete.delay.ms': '0' };
    let broker = await start(dir, overrides);
    await createTopic(broker, 'dr');
    await produce(broker, 'dr', 30);
    const partitionDir = join(dir, 'dr-0');
    const before = segmentFiles(partitionDir, '.log');
    const admin = client(broker).admin();
    await admin.connect();
    try {
      // kafkajs looks the leader up in metadata it must already hold.
      await admin.fetchTopicMetadata({ topics: ['dr'] });
      await admin.deleteTopicRecords({ topic: 'dr', partitions: [{ partition: 0, offset: '25' }] });
      expect(await admin.fetchTopicOffsets('dr')).toEqual([{ partition: 0, offset: '30', high: '30', low: '25' }]);
      // kafkajs wraps the partition errors (not retriable) in a KafkaJSNonRetriableError.
      const err = await admin.deleteTopicRecords({ topic: 'dr', partitions: [{ partition: 0, offset: '31' }] }).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({
        cause: { name: 'KafkaJSDeleteTopicRecordsError', partitions: [expect.objectContaining({ partition: 0, error: expect.objectContaining({ type: 'OFFSET_OUT_OF_RANGE' }) })] },
      });
    } finally {
      await admin.disconnect();
    }
    await vi.waitFor(() => expect(segmentFiles(partitionDir, '.deleted')).toEqual([]));
    const after = segmentFiles(partitionDir, '.log');
    expect(after.length).toBeLessThan(before.length);
    expect(Number(after[0]!.slice(0, 20))).toBeLessThanOrEqual(25);
    expect(readFileSync(join(dir, 'log-start-offset-checkpoint'), 'utf8')).toBe(Number(after[0]!.slice(0, 20)) < 25 ? '0\n1\ndr 0 25\n' : '0\n0\n');
    const conn = await connect(broker);
    expect((await fetchAt(conn, 'dr', 24n)).responses[0]!.partitions[0]!.errorCode).toBe(1);
    conn.close();

    // Clean restart, then a crash-like one (no marker): the low watermark stays.
    await stop(broker);
    broker = await start(dir, overrides);
    expect(await offsets(broker, 'dr')).toEqual({ low: '25', high: '30' });
    await stop(broker);
    rmSync(join(dir, '.kafka_cleanshutdown'));
    broker = await start(dir, overrides);
    expect(await offsets(broker, 'dr')).toEqual({ low: '25', high: '30' });
  });

  it('answers v0, v1 and v2: -1 means the high watermark, unknown partitions and compact topics are refused', async () => {
    const broker = await start(tempDir(), FAST);
    await createTopic(broker, 'raw');
    await createTopic(broker, 'cmp', [{ name: 'cleanup.policy', value: 'compact' }]);
    await produce(broker, 'raw', 10);
    const conn = await connect(broker);
    const del = (version: number, topic: string, partitionIndex: number, offset: bigint) =>
      conn.send<DeleteRecordsResponse>(DeleteRecords, version, { topics: [{ name: topic, partitions: [{ partitionIndex, offset }] }], timeoutMs: 5000 });
    expect((await del(0, 'raw', 0, 3n)).topics).toEqual([{ name: 'raw', partitions: [{ partitionIndex: 0, lowWatermark: 3n, errorCode: 0 }] }]);
    expect((await del(1, 'raw', 0, 2n)).topics[0]!.partitions[0]).toEqual({ partitionIndex: 0, lowWatermark: 3n, errorCode: 0 });
    expect((await del(2, 'raw', 0, -1n)).topics[0]!.partitions[0]).toEqual({ partitionIndex: 0, lowWatermark: 10n, errorCode: 0 });
    expect((await del(2, 'raw', 0, 11n)).topics[0]!.partitions[0]).toEqual({ partitionIndex: 0, lowWatermark: -1n, errorCode: 1 });
    expect((await del(2, 'raw', 0, -7n)).topics[0]!.partitions[0]).toEqual({ partitionIndex: 0, lowWatermark: -1n, errorCode: 1 });
    expect((await del(1, 'raw', 5, 1n)).topics[0]!.partitions[0]).toEqual({ partitionIndex: 5, lowWatermark: -1n, errorCode: 3 });
    expect((await del(1, 'nope', 0, 1n)).topics[0]!.partitions[0]).toEqual({ partitionIndex: 0, lowWatermark: -1n, errorCode: 3 });
    expect((await del(2, 'cmp', 0, 0n)).topics[0]!.partitions[0]).toEqual({ partitionIndex: 0, lowWatermark: -1n, errorCode: 44 });
    // The log stays usable after everything was deleted.
    await produce(broker, 'raw', 1);
    expect(await offsets(broker, 'raw')).toEqual({ low: '10', high: '11' });
  });
});
