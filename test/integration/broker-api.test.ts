// The broker's answers, API by API, through the project's wire client on real sockets: produce
// acks and errors, fetch long-polls and ranges, list offsets, metadata and topic admin errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerConnection } from '../../src/client/broker-connection.js';
import { CreateTopics, Fetch, ListOffsets, Metadata, Produce, type CreateTopicsResponse, type FetchResponse, type ListOffsetsResponse, type MetadataResponse, type ProduceResponse } from '../../src/protocol/messages/index.js';
import { decodeRecordBatchesSync, encodeRecordBatchSync } from '../../src/protocol/records/records.js';
import { encodeMessage } from '../../src/protocol/codec.js';
import { writeRequestHeader } from '../../src/protocol/headers.js';
import { Writer } from '../../src/protocol/writer.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
let conn: BrokerConnection;

beforeAll(async () => {
  b = await startTestBroker({ 'auto.create.topics.enable': 'false', 'num.partitions': '2' });
  conn = await BrokerConnection.open({ host: '127.0.0.1', port: b.broker.port, nodeId: -1 }, { clientId: 'api-test', connectTimeoutMs: 5000, requestTimeoutMs: 15000 });
});
afterAll(async () => {
  conn?.close();
  await b?.cleanup();
});

const createTopic = (name: string, extra: Partial<{ numPartitions: number; replicationFactor: number; configs: Array<{ name: string; value: string }> }> = {}) =>
  conn.request<CreateTopicsResponse>(CreateTopics, {
    topics: [{ name, numPartitions: extra.numPartitions ?? 1, replicationFactor: extra.replicationFactor ?? 1, assignments: [], configs: extra.configs ?? [] }],
    timeoutMs: 5000,
    validateOnly: false,
  });

const batch = (values: string[], timestamp = Date.now()) =>
  encodeRecordBatchSync({ records: values.map((v, i) => ({ value: v, key: `k${i}`, timestamp: BigInt(timestamp + i) })) });

const produce = (topic: string, partition: number, records: Buffer | null, acks = -1, version?: number) => {
  const body = { transactionalId: null, acks, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] };
  return version === undefined ? conn.request<ProduceResponse>(Produce, body) : conn.send<ProduceResponse>(Produce, version, body);
};

const fetch = (topic: string, offset: bigint, opts: { maxWaitMs?: number; minBytes?: number; partitionMaxBytes?: number; version?: number } = {}) =>
  conn.send<FetchResponse>(Fetch, opts.version ?? 11, {
    replicaId: -1, maxWaitMs: opts.maxWaitMs ?? 0, minBytes: opts.minBytes ?? 1, maxBytes: 50 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic, topicId: '00000000-0000-0000-0000-000000000000', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1n, partitionMaxBytes: opts.partitionMaxBytes ?? 1 << 20 }] }],
    forgottenTopicsData: [], rackId: '',
  });

describe('CreateTopics and Metadata', () => {
  it('creates, refuses duplicates, bad names, replication factor and configs with Kafka messages', async () => {
    const ok = await createTopic('api-topic', { numPartitions: 3, configs: [{ name: 'retention.ms', value: '1000' }] });
    expect(ok.topics[0]).toMatchObject({ name: 'api-topic', errorCode: 0, numPartitions: 3, replicationFactor: 1 });
    expect(ok.topics[0]!.configs!.find((c) => c.name === 'retention.ms')).toMatchObject({ value: '1000', configSource: 1 });
    expect((await createTopic('api-topic')).topics[0]).toMatchObject({ errorCode: 36, errorMessage: "Topic 'api-topic' already exists.", numPartitions: -1 });
    expect((await createTopic('bad name!')).topics[0]).toMatchObject({ errorCode: 17 });
    expect((await createTopic('rf3', { replicationFactor: 3 })).topics[0]).toMatchObject({
      errorCode: 38,
      errorMessage: 'Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered.',
    });
    expect((await createTopic('badcfg', { configs: [{ name: 'no.such.config', value: '1' }] })).topics[0]).toMatchObject({ errorCode: 40, errorMessage: 'Unknown topic config name: no.such.config' });
    expect((await createTopic('api.topic')).topics[0]).toMatchObject({ errorCode: 0 });
    expect((await createTopic('api_topic')).topics[0]).toMatchObject({ errorCode: 17, errorMessage: "Topic 'api_topic' collides with existing topic: api.topic" });
  });

  it('reports unknown topics without creating them when auto-creation is off', async () => {
    const md = await conn.request<MetadataResponse>(Metadata, { topics: [{ name: 'nope', topicId: '00000000-0000-0000-0000-000000000000' }], allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(md.topics[0]).toMatchObject({ name: 'nope', errorCode: 3 });
    expect(md.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port: b.broker.port, rack: null }]);
  });
});

describe('Produce', () => {
  it('appends and answers with base offsets; acks=0 gets no response', async () => {
    await createTopic('p1');
    expect((await produce('p1', 0, batch(['a', 'b']))).responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n, logStartOffset: 0n });
    // acks=0: no response at all; the next request on the connection is answered.
    const raw = await RawSocket.open(b.broker.port);
    const w = new Writer();
    writeRequestHeader(w, { apiKey: Produce.apiKey, apiVersion: 7, correlationId: 5, clientId: 'raw' }, false);
    encodeMessage(Produce.request, 7, { transactionalId: null, acks: 0, timeoutMs: 5000, topicData: [{ name: 'p1', partitionData: [{ index: 0, records: batch(['c']) }] }] }, w);
    const size = Buffer.alloc(4);
    size.writeInt32BE(w.length);
    raw.write(Buffer.concat([size, w.toBuffer(), Buffer.from('000000170012000000000006000d6361702d6b70792d61646d696e', 'hex')]));
    expect((await raw.readFrame())!.readInt32BE(4)).toBe(6);
    raw.close();
    const next = await produce('p1', 0, batch(['d']));
    expect(next.responses[0]!.partitionResponses[0]!.baseOffset).toBe(3n);
  }, 20_000);

  it('answers an unknown partition as Kafka 2.4.1 did (error 3, offsets -1)', async () => {
    await createTopic('p2');
    const r = await produce('p2', 7, batch(['x']), 1, 8);
    expect(r.responses[0]!.partitionResponses[0]).toMatchObject({ index: 7, errorCode: 3, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], errorMessage: null });
  });

  it('refuses a corrupt batch with CORRUPT_MESSAGE and invalid acks with INVALID_REQUIRED_ACKS', async () => {
    await createTopic('p3');
    const bad = batch(['x']);
    bad[bad.length - 1] ^= 0xff;
    expect((await produce('p3', 0, bad)).responses[0]!.partitionResponses[0]!.errorCode).toBe(2);
    expect((await produce('p3', 0, batch(['x']), 2)).responses[0]!.partitionResponses[0]!.errorCode).toBe(21);
  });
});

describe('Fetch', () => {
  it('returns stored batches, respects partition max bytes but always one batch, and never null records', async () => {
    await createTopic('f1');
    await produce('f1', 0, batch(['one', 'two']));
    await produce('f1', 0, batch(['three']));
    const all = await fetch('f1', 0n);
    const p = all.responses[0]!.partitions[0]!;
    expect(p).toMatchObject({ errorCode: 0, highWatermark: 3n, lastStableOffset: 3n, logStartOffset: 0n });
    expect(decodeRecordBatchesSync(p.records!).flatMap((d) => d.records.map((r) => r.value!.toString()))).toEqual(['one', 'two', 'three']);
    const tiny = (await fetch('f1', 0n, { partitionMaxBytes: 1 })).responses[0]!.partitions[0]!;
    expect(decodeRecordBatchesSync(tiny.records!).flatMap((d) => d.records.map((r) => r.value!.toString()))).toEqual(['one', 'two']);
    const end = (await fetch('f1', 3n)).responses[0]!.partitions[0]!;
    expect(end.records).toEqual(Buffer.alloc(0));
    const out = (await fetch('f1', 99n)).responses[0]!.partitions[0]!;
    expect(out).toMatchObject({ errorCode: 1, highWatermark: -1n, logStartOffset: -1n });
    expect(out.records).toEqual(Buffer.alloc(0));
  });

  it('parks a fetch until data arrives, and answers at max.wait.ms when none does', async () => {
    await createTopic('f2');
    let t = Date.now();
    const empty = await fetch('f2', 0n, { maxWaitMs: 300 });
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    expect(empty.responses[0]!.partitions[0]!.records!.length).toBe(0);

    const other = await BrokerConnection.open({ host: '127.0.0.1', port: b.broker.port, nodeId: -1 }, { clientId: 'api-test-2', connectTimeoutMs: 5000, requestTimeoutMs: 15000 });
    t = Date.now();
    const parked = fetch('f2', 0n, { maxWaitMs: 10_000 });
    setTimeout(() => void other.request(Produce, { transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [{ name: 'f2', partitionData: [{ index: 0, records: batch(['wake']) }] }] }), 100);
    const woke = await parked;
    expect(Date.now() - t).toBeLessThan(5000);
    expect(decodeRecordBatchesSync(woke.responses[0]!.partitions[0]!.records!)[0]!.records[0]!.value!.toString()).toBe('wake');
    other.close();
  });
});

describe('ListOffsets', () => {
  it('answers earliest, latest, max timestamp and by timestamp', async () => {
    await createTopic('lo');
    await produce('lo', 0, batch(['a', 'b', 'c'], 1_000_000));
    await produce('lo', 0, batch(['d'], 2_000_000));
    const ask = async (timestamp: bigint) => {
      const r = await conn.request<ListOffsetsResponse>(ListOffsets, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'lo', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }], timeoutMs: 5000 });
      const p = r.topics[0]!.partitions[0]!;
      return [p.offset, p.timestamp];
    };
    expect(await ask(-2n)).toEqual([0n, -1n]);
    expect(await ask(-1n)).toEqual([4n, -1n]);
    expect(await ask(-3n)).toEqual([3n, 2_000_000n]);
    expect(await ask(1_000_001n)).toEqual([1n, 1_000_001n]);
    expect(await ask(1_500_000n)).toEqual([3n, 2_000_000n]);
    expect(await ask(3_000_000n)).toEqual([-1n, -1n]);
  });
});

describe('idempotent Produce', () => {
  const idempotent = (values: string[], producerId: bigint, epoch: number, baseSequence: number) =>
    encodeRecordBatchSync({ records: values.map((v) => ({ value: v })), producerId, producerEpoch: epoch, baseSequence });

  it('answers a retried batch with its first offsets, refuses gaps and fenced epochs', async () => {
    await createTopic('idem');
    const pid = 4242n;
    const first = await produce('idem', 0, idempotent(['a', 'b'], pid, 0, 0));
    expect(first.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    const retry = await produce('idem', 0, idempotent(['a', 'b'], pid, 0, 0));
    expect(retry.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect((await produce('idem', 0, idempotent(['c'], pid, 0, 2))).responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 2n });
    expect((await produce('idem', 0, idempotent(['gap'], pid, 0, 7))).responses[0]!.partitionResponses[0]!.errorCode).toBe(45);
    expect((await produce('idem', 0, idempotent(['new epoch'], pid, 1, 0))).responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 3n });
    expect((await produce('idem', 0, idempotent(['fenced'], pid, 0, 3))).responses[0]!.partitionResponses[0]!.errorCode).toBe(47);
    const all = (await fetch('idem', 0n)).responses[0]!.partitions[0]!;
    expect(decodeRecordBatchesSync(all.records!).flatMap((d) => d.records.map((r) => r.value!.toString()))).toEqual(['a', 'b', 'c', 'new epoch']);
  });
});
