// Log compaction through the running broker: the cleaner compacts compacted topics in the
// background while producers and consumers carry on, consumers see the latest value of each key at
// its original offset, tombstones go after delete.retention.ms, cleaner-offset-checkpoint carries
// the progress over restarts, log.cleaner.enable=false turns it off, and Produce refuses keyless
// records on compacted topics as Kafka does (INVALID_RECORD with per-record errors).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Broker } from '../../src/broker/index.js';
import { BrokerConnection } from '../../src/client/broker-connection.js';
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { silentLogger } from '../../src/log.js';
import { CreateTopics, Fetch, Produce, type CreateTopicsResponse, type FetchResponse, type ProduceResponse } from '../../src/protocol/messages/index.js';
import { decodeRecordBatches, encodeRecordBatch, type RecordInput } from '../../src/protocol/records/records.js';
import type { CompressionCodec } from '../../src/protocol/records/compression.js';
import { tempDir as makeTempDir } from '../helpers/start-broker.js';

const running: Broker[] = [];
const connections: BrokerConnection[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  await Promise.all(running.splice(0).map((b) => b.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = makeTempDir('ktool-compaction-');
  dirs.push(dir);
  return dir;
}

const FAST = { 'log.cleaner.backoff.ms': '50', 'log.segment.delete.delay.ms': '0' };
const COMPACTED = [
  { name: 'cleanup.policy', value: 'compact' },
  { name: 'segment.bytes', value: '1000' },
  { name: 'min.cleanable.dirty.ratio', value: '0.01' },
];

async function start(logDir: string, overrides: Record<string, string> = FAST): Promise<{ broker: Broker; conn: BrokerConnection }> {
  const props = new Map<string, string>([['listeners', 'PLAINTEXT://127.0.0.1:0'], ['log.dirs', logDir], ...Object.entries(overrides)]);
  const broker = await Broker.start(brokerConfigFrom(props), silentLogger);
  running.push(broker);
  const conn = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port, nodeId: -1 }, { clientId: 'compaction', connectTimeoutMs: 5000, requestTimeoutMs: 15000 });
  connections.push(conn);
  return { broker, conn };
}

async function stop(broker: Broker): Promise<void> {
  for (const c of connections.splice(0)) c.close();
  await broker.close();
  running.splice(running.indexOf(broker), 1);
}

async function createTopic(conn: BrokerConnection, name: string, configs = COMPACTED): Promise<void> {
  const res = await conn.request<CreateTopicsResponse>(CreateTopics, {
    topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs }],
    timeoutMs: 5000,
    validateOnly: false,
  });
  expect(res.topics[0]!.errorCode).toBe(0);
}

type Pair = [key: string | null, value: string | null];

async function produce(conn: BrokerConnection, topic: string, pairs: Pair[], compression: CompressionCodec = 'none', version = 9) {
  const records: RecordInput[] = pairs.map(([key, value]) => ({ key, value }));
  const res = await conn.send<ProduceResponse>(Produce, version, {
    transactionalId: null, acks: -1, timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: await encodeRecordBatch({ records, compression }) }] }],
  });
  return res.responses[0]!.partitionResponses[0]!;
}

interface Rec {
  offset: number;
  key: string | null;
  value: string | null;
}

/** Every record of the partition, fetched from the log start. */
async function readAll(conn: BrokerConnection, topic: string): Promise<Rec[]> {
  const out: Rec[] = [];
  let offset = 0n;
  for (;;) {
    const res = await conn.send<FetchResponse>(Fetch, 11, {
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic, topicId: '00000000-0000-0000-0000-000000000000', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [], rackId: '',
    });
    const p = res.responses[0]!.partitions[0]!;
    expect(p.errorCode).toBe(0);
    const batches = await decodeRecordBatches(p.records!);
    if (batches.length === 0) return out;
    for (const b of batches) {
      for (const r of b.records) out.push({ offset: Number(r.offset), key: r.key?.toString() ?? null, value: r.value?.toString() ?? null });
      offset = b.header.baseOffset + BigInt(b.header.lastOffsetDelta) + 1n;
    }
    if (offset >= p.highWatermark) return out;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the log cleaner in the broker', () => {
  it('compacts in the background while producing: the latest value of each key survives at its original offset', async () => {
    const dir = tempDir();
    const { broker, conn } = await start(dir);
    await createTopic(conn, 'cmp');
    const produced: Rec[] = [];
    for (let i = 0; i < 200; i++) {
      const key = `k${i % 10}`;
      const value = `v${i}-${'x'.repeat(20)}`;
      const res = await produce(conn, 'cmp', [[key, value]], i % 3 === 0 ? 'gzip' : i % 3 === 1 ? 'zstd' : 'none');
      expect(res.errorCode).toBe(0);
      produced.push({ offset: Number(res.baseOffset), key, value });
    }
    const log = broker.state.partitions.get('cmp', 0)!.log;
    const sizeBefore = produced.length * 100;
    await vi.waitFor(() => expect(log.sizeInBytes).toBeLessThan(sizeBefore / 3), { timeout: 10_000, interval: 50 });
    /** Every record read was produced at that offset, in offset order, and the latest value of every key is there. */
    const expectCompacted = (records: Rec[]): void => {
      const byOffset = new Map(produced.map((r) => [r.offset, r]));
      for (const r of records) expect(byOffset.get(r.offset)).toEqual(r);
      expect(records.map((r) => r.offset)).toEqual([...records.map((r) => r.offset)].sort((a, b) => a - b));
      for (const r of new Map(produced.map((x) => [x.key, x])).values()) expect(records).toContainEqual(r);
      expect(records.length).toBeLessThan(produced.length / 2);
    };
    expectCompacted(await readAll(conn, 'cmp'));
    await vi.waitFor(() => expect(readFileSync(join(dir, 'cleaner-offset-checkpoint'), 'utf8')).toMatch(/^0\n1\ncmp 0 [1-9]\d*\n$/));

    // After a restart (clean, then crash-like) the log is still compacted (the cleaner may have gone further).
    await stop(broker);
    const again = await start(dir);
    expectCompacted(await readAll(again.conn, 'cmp'));
    await stop(again.broker);
    rmSync(join(dir, '.kafka_cleanshutdown'));
    const third = await start(dir);
    expectCompacted(await readAll(third.conn, 'cmp'));
  });

  it('keeps a tombstone for delete.retention.ms after it is first cleaned, then drops it', async () => {
    const { conn } = await start(tempDir());
    await createTopic(conn, 'tomb', [...COMPACTED, { name: 'delete.retention.ms', value: '300' }]);
    await produce(conn, 'tomb', [['a', 'a1'], ['b', 'b1']]);
    await produce(conn, 'tomb', [['a', null]]);
    const filler = (n: number): Pair[] => Array.from({ length: 8 }, (_, i) => [`f${i}`, `${n}`.repeat(100)] as Pair);
    await produce(conn, 'tomb', filler(1));
    await produce(conn, 'tomb', filler(2));
    await vi.waitFor(async () => expect((await readAll(conn, 'tomb')).filter((r) => r.key === 'a')).toEqual([{ offset: 2, key: 'a', value: null }]), { timeout: 5000, interval: 50 });
    await sleep(350);
    // More dirty data makes the next cleaning due; it finds the horizon passed.
    await produce(conn, 'tomb', filler(3));
    await produce(conn, 'tomb', filler(4));
    await vi.waitFor(async () => expect((await readAll(conn, 'tomb')).some((r) => r.key === 'a')).toBe(false), { timeout: 5000, interval: 50 });
    expect((await readAll(conn, 'tomb')).find((r) => r.key === 'b')).toEqual({ offset: 1, key: 'b', value: 'b1' });
  });

  it('leaves compacted topics alone with log.cleaner.enable=false', async () => {
    const dir = tempDir();
    const { conn } = await start(dir, { ...FAST, 'log.cleaner.enable': 'false' });
    await createTopic(conn, 'idle');
    for (let i = 0; i < 40; i++) await produce(conn, 'idle', [['same', `v${i}`.repeat(20)]]);
    await sleep(300);
    expect((await readAll(conn, 'idle')).length).toBe(40);
    expect(existsSync(join(dir, 'cleaner-offset-checkpoint'))).toBe(false);
  });
});

describe('Produce on compacted topics', () => {
  it('refuses keyless records with INVALID_RECORD, naming each one, for every codec including zstd', async () => {
    const { conn } = await start(tempDir());
    await createTopic(conn, 'keys');
    await createTopic(conn, 'plain', []);
    const message = 'Compacted topic cannot accept message without key in topic partition keys-0';
    for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
      const res = await produce(conn, 'keys', [['k', 'v'], [null, 'no key']], codec);
      expect(res, codec).toMatchObject({
        errorCode: 87,
        baseOffset: -1n,
        recordErrors: [{ batchIndex: 1, batchIndexErrorMessage: message }],
        errorMessage: `One or more records have been rejected due to 1 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=1, message='${message}')]`,
      });
      expect((await produce(conn, 'keys', [['k', codec]], codec)).errorCode).toBe(0);
      expect((await produce(conn, 'plain', [[null, codec]], codec)).errorCode).toBe(0);
    }
    // Below v8 the response has no recordErrors; the error code is the same.
    expect((await produce(conn, 'keys', [[null, 'v']], 'none', 7)).errorCode).toBe(87);
    expect((await readAll(conn, 'keys')).map((r) => r.value)).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
  });

  it('is what kafkajs reports as INVALID_RECORD', async () => {
    const { broker, conn } = await start(tempDir());
    await createTopic(conn, 'kjs');
    const kafka = new Kafka({ clientId: 'compaction', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await expect(producer.send({ topic: 'kjs', acks: -1, messages: [{ value: 'no key' }] })).rejects.toMatchObject({ type: 'INVALID_RECORD' });
      await producer.send({ topic: 'kjs', acks: -1, messages: [{ key: 'k', value: 'ok' }] });
    } finally {
      await producer.disconnect();
    }
  });
});
