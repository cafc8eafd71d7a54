// Limits and disk faults through the running broker: batches over max.message.bytes /
// message.max.bytes get MESSAGE_TOO_LARGE; a disk fault on one partition answers
// KAFKA_STORAGE_ERROR for that partition only while the broker serves the others, what was
// acknowledged before survives, and a partition taken offline is recovered by a restart (no
// clean-shutdown marker is written for its log dir). With 3000 partitions the broker's open
// segment descriptors stay within the descriptor cache's budget.
import { existsSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Broker } from '../../src/broker/index.js';
import { BrokerConnection } from '../../src/client/broker-connection.js';
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { CreateTopics, Fetch, Produce, type CreateTopicsResponse, type FetchResponse, type ProduceResponse } from '../../src/protocol/messages/index.js';
import { decodeRecordBatchesSync, encodeRecordBatchSync } from '../../src/protocol/records/records.js';
import { segmentDescriptors } from '../../src/storage/descriptor-cache.js';
import { injectFaults, ioError } from '../../src/storage/file-io.js';
import { tempDir as makeTempDir } from '../helpers/start-broker.js';

const running: Broker[] = [];
const connections: BrokerConnection[] = [];
const dirs: string[] = [];
afterEach(async () => {
  injectFaults(null);
  for (const c of connections.splice(0)) c.close();
  await Promise.all(running.splice(0).map((b) => b.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = makeTempDir('ktool-faults-');
  dirs.push(dir);
  return dir;
}

async function start(logDir: string, overrides: Record<string, string> = {}): Promise<{ broker: Broker; conn: BrokerConnection }> {
  const props = new Map<string, string>([['listeners', 'PLAINTEXT://127.0.0.1:0'], ['log.dirs', logDir], ...Object.entries(overrides)]);
  const broker = await Broker.start(brokerConfigFrom(props), process.env.KTOOL_TEST_LOGS ? createLogger('test', process.stderr, 'DEBUG') : silentLogger);
  running.push(broker);
  const conn = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port, nodeId: -1 }, { clientId: 'faults', connectTimeoutMs: 5000, requestTimeoutMs: 30000 });
  connections.push(conn);
  return { broker, conn };
}

async function stop(broker: Broker): Promise<void> {
  for (const c of connections.splice(0)) c.close();
  await broker.close();
  running.splice(running.indexOf(broker), 1);
}

async function createTopic(conn: BrokerConnection, name: string, partitions = 1, configs: Array<{ name: string; value: string }> = []): Promise<void> {
  const res = await conn.request<CreateTopicsResponse>(CreateTopics, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs }],
    timeoutMs: 30000,
    validateOnly: false,
  });
  expect(res.topics[0]!.errorCode).toBe(0);
}

const records = (tag: string, count = 1, valueSize = 10): Buffer =>
  encodeRecordBatchSync({ records: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `${tag}-${i}`.padEnd(valueSize, '.') })) });

/** One Produce request with a batch per listed partition; returns the partition responses in order. */
async function produce(conn: BrokerConnection, topic: string, batches: Array<[partition: number, records: Buffer]>) {
  const res = await conn.send<ProduceResponse>(Produce, 9, {
    transactionalId: null, acks: -1, timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: batches.map(([index, r]) => ({ index, records: r })) }],
  });
  return res.responses[0]!.partitionResponses;
}

async function fetch(conn: BrokerConnection, topic: string, partitions: number[]) {
  const res = await conn.send<FetchResponse>(Fetch, 11, {
    replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 64 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic, topicId: '00000000-0000-0000-0000-000000000000', partitions: partitions.map((partition) => ({ partition, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 })) }],
    forgottenTopicsData: [], rackId: '',
  });
  return res.responses[0]!.partitions;
}

const valuesOf = (p: { records: Buffer | null }): string[] => decodeRecordBatchesSync(p.records!).flatMap((b) => b.records.map((r) => r.value!.toString()));

describe('message size limits', () => {
  it('answer MESSAGE_TOO_LARGE past the topic max.message.bytes and the broker message.max.bytes', async () => {
    const { conn } = await start(tempDir(), { 'message.max.bytes': '600' });
    await createTopic(conn, 'broker-limit');
    await createTopic(conn, 'topic-limit', 1, [{ name: 'max.message.bytes', value: '2000' }]);
    const big = records('big', 10, 80);
    expect(big.length).toBeGreaterThan(600);
    expect(big.length).toBeLessThan(2000);
    const [tooLarge] = await produce(conn, 'broker-limit', [[0, big]]);
    expect(tooLarge).toMatchObject({
      errorCode: 10,
      errorMessage: `The record batch size in the append to broker-limit-0 is ${big.length} bytes which exceeds the maximum configured value of 600.`,
    });
    expect((await produce(conn, 'topic-limit', [[0, big]]))[0]!.errorCode).toBe(0);
    expect((await produce(conn, 'topic-limit', [[0, records('huge', 30, 80)]]))[0]!.errorCode).toBe(10);
    expect((await produce(conn, 'broker-limit', [[0, records('small')]]))[0]!.errorCode).toBe(0);
  });
});

describe('disk faults on one partition', () => {
  it('answer KAFKA_STORAGE_ERROR for that partition only; the others, and what was acknowledged, are unaffected', async () => {
    const dir = tempDir();
    const { conn } = await start(dir);
    await createTopic(conn, 'f', 3);
    expect((await produce(conn, 'f', [[0, records('a0')], [1, records('a1')], [2, records('a2')]])).map((p) => p.errorCode)).toEqual([0, 0, 0]);

    // A full disk under partition 1: its append fails, the other two succeed in the same request.
    injectFaults((op, path) => (op === 'write' && path.includes('/f-1/') ? { error: ioError('ENOSPC'), afterBytes: 20 } : undefined));
    const during = await produce(conn, 'f', [[0, records('b0')], [1, records('b1')], [2, records('b2')]]);
    expect(during.map((p) => p.errorCode)).toEqual([0, 56, 0]);
    // Reads of partition 1 fail while its disk does; the others read.
    injectFaults((op, path) => (op === 'read' && path.includes('/f-1/') ? { error: ioError('EIO', 'read') } : undefined));
    const reads = await fetch(conn, 'f', [0, 1, 2]);
    expect(reads.map((p) => p.errorCode)).toEqual([0, 56, 0]);
    expect(valuesOf(reads[0]!)).toEqual(['a0-0......', 'b0-0......']);

    // Space again: partition 1 takes appends after its acknowledged record, with nothing torn in between.
    injectFaults(null);
    expect((await produce(conn, 'f', [[1, records('c1')]]))[0]).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect(valuesOf((await fetch(conn, 'f', [1]))[0]!)).toEqual(['a1-0......', 'c1-0......']);
  });

  it('a partition whose fsync fails goes offline until a restart recovers it; no clean-shutdown marker is written', async () => {
    const dir = tempDir();
    let { broker, conn } = await start(dir, { 'log.flush.interval.messages': '1' });
    await createTopic(conn, 'sync', 2);
    expect((await produce(conn, 'sync', [[0, records('a0')], [1, records('a1')]])).map((p) => p.errorCode)).toEqual([0, 0]);
    injectFaults((op, path) => (op === 'fsync' && path.includes('/sync-0/') ? { error: ioError('EIO', 'fsync') } : undefined));
    expect((await produce(conn, 'sync', [[0, records('b0')], [1, records('b1')]])).map((p) => p.errorCode)).toEqual([56, 0]);
    injectFaults(null);
    // Offline: even with the disk back, partition 0 refuses until a restart; partition 1 serves.
    expect((await produce(conn, 'sync', [[0, records('c0')], [1, records('c1')]])).map((p) => p.errorCode)).toEqual([56, 0]);
    expect((await fetch(conn, 'sync', [0, 1])).map((p) => p.errorCode)).toEqual([56, 0]);
    await stop(broker);
    expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(false);

    ({ broker, conn } = await start(dir, { 'log.flush.interval.messages': '1' }));
    const after = await fetch(conn, 'sync', [0, 1]);
    expect(after.map((p) => p.errorCode)).toEqual([0, 0]);
    // The acknowledged record is there; the one answered with an error may be too (as in Kafka).
    expect(valuesOf(after[0]!)[0]).toBe('a0-0......');
    expect(valuesOf(after[1]!)).toEqual(['a1-0......', 'b1-0......', 'c1-0......']);
    expect((await produce(conn, 'sync', [[0, records('d0')]]))[0]!.errorCode).toBe(0);
  });
});

describe('open descriptors', () => {
  const segmentFds = (): number =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return /\.(log|index|timeindex)$/.test(readlinkSync(`/proc/self/fd/${fd}`));
      } catch {
        return false;
      }
    }).length;

  it('stay within the budget with 3000 partitions produced to and fetched from', async () => {
    const dir = tempDir();
    const { conn } = await start(dir);
    await createTopic(conn, 'wide', 3000);
    for (let from = 0; from < 3000; from += 500) {
      const batches: Array<[number, Buffer]> = [];
      for (let p = from; p < from + 500; p++) batches.push([p, records(`p${p}`)]);
      expect((await produce(conn, 'wide', batches)).every((r) => r.errorCode === 0)).toBe(true);
    }
    for (let from = 0; from < 3000; from += 500) {
      const parts = await fetch(conn, 'wide', Array.from({ length: 500 }, (_, i) => from + i));
      expect(parts.every((p) => p.errorCode === 0 && valuesOf(p).length === 1)).toBe(true);
    }
    expect(segmentFds()).toBeLessThanOrEqual(segmentDescriptors.limit);
    expect(segmentDescriptors.open).toBeLessThanOrEqual(segmentDescriptors.limit);
  });
});
