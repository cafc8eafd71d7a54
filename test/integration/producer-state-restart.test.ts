// Idempotent producers across broker restarts: a batch retried after a restart is still answered
// with its first offsets (from the producer snapshot written at shutdown, or, without one, from
// the batches replayed from the log), the sequence still continues, and a snapshot that no longer
// matches the log (past its end, or damaged) is deleted rather than trusted.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerConnection } from '../../src/client/broker-connection.js';
import { CreateTopics, Produce, type ProduceResponse } from '../../src/protocol/messages/index.js';
import { encodeRecordBatchSync } from '../../src/protocol/records/records.js';
import { encodeProducerSnapshot } from '../../src/storage/producer-snapshot.js';
import { snapshotFileName } from '../../src/storage/file-names.js';
import { CLEAN_SHUTDOWN_FILE } from '../../src/storage/checkpoint.js';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';

const PID = 777n;
const dirs: string[] = [];
const open: Array<{ b: TestBroker; conn: BrokerConnection }> = [];

afterEach(async () => {
  for (const { b, conn } of open.splice(0)) {
    conn.close();
    await b.stop();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(logDir: string, overrides: Record<string, string> = {}): Promise<{ b: TestBroker; conn: BrokerConnection }> {
  const b = await startTestBroker(overrides, logDir);
  const conn = await BrokerConnection.open({ host: '127.0.0.1', port: b.broker.port, nodeId: -1 }, { clientId: 'restart-test', connectTimeoutMs: 5000, requestTimeoutMs: 15000 });
  const running = { b, conn };
  open.push(running);
  return running;
}

async function stop(running: { b: TestBroker; conn: BrokerConnection }): Promise<void> {
  open.splice(open.indexOf(running), 1);
  running.conn.close();
  await running.b.stop();
}

const batch = (values: string[], baseSequence: number, epoch = 0) =>
  encodeRecordBatchSync({ records: values.map((v) => ({ value: v })), producerId: PID, producerEpoch: epoch, baseSequence });

async function produce(conn: BrokerConnection, records: Buffer): Promise<{ errorCode: number; baseOffset: bigint }> {
  const res = await conn.request<ProduceResponse>(Produce, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: 'idem', partitionData: [{ index: 0, records }] }] });
  return res.responses[0]!.partitionResponses[0]!;
}

/** A log dir holding topic `idem` with a, b (sequences 0-1) and c (sequence 2) of producer PID; the broker is stopped cleanly. */
async function logWithThreeRecords(overrides: Record<string, string> = {}): Promise<string> {
  const dir = tempDir('ktool-pidstate-');
  dirs.push(dir);
  const running = await start(dir, overrides);
  await running.conn.request(CreateTopics, { topics: [{ name: 'idem', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
  expect(await produce(running.conn, batch(['a', 'b'], 0))).toMatchObject({ errorCode: 0, baseOffset: 0n });
  expect(await produce(running.conn, batch(['c'], 2))).toMatchObject({ errorCode: 0, baseOffset: 2n });
  await stop(running);
  return dir;
}

const partitionDir = (logDir: string): string => join(logDir, 'idem-0');
const snapshots = (logDir: string): string[] => readdirSync(partitionDir(logDir)).filter((n) => n.endsWith('.snapshot'));

async function expectStateKept(dir: string): Promise<void> {
  const { conn } = await start(dir);
  // The retried last batch is recognised: its first offset, nothing written.
  expect(await produce(conn, batch(['c'], 2))).toMatchObject({ errorCode: 0, baseOffset: 2n });
  // The sequence goes on from where it was; a gap is still refused, an old epoch still fenced.
  expect(await produce(conn, batch(['d'], 3))).toMatchObject({ errorCode: 0, baseOffset: 3n });
  expect((await produce(conn, batch(['gap'], 9))).errorCode).toBe(45);
  expect(await produce(conn, batch(['e'], 0, 1))).toMatchObject({ errorCode: 0, baseOffset: 4n });
  expect((await produce(conn, batch(['fenced'], 5, 0))).errorCode).toBe(47);
}

describe('idempotent producer state across restarts', () => {
  it('is snapshotted at a clean shutdown in Kafka’s file layout and restored from it', async () => {
    const dir = await logWithThreeRecords();
    expect(snapshots(dir)).toEqual([snapshotFileName(3)]);
    await expectStateKept(dir);
  });

  it('is rebuilt from the log when there is no snapshot (a crash, or data from before snapshots)', async () => {
    const dir = await logWithThreeRecords();
    rmSync(join(partitionDir(dir), snapshotFileName(3)));
    rmSync(join(dir, CLEAN_SHUTDOWN_FILE), { force: true });
    await expectStateKept(dir);
  });

  it('deletes a snapshot past the log end, and a damaged one, and replays the log instead', async () => {
    const dir = await logWithThreeRecords();
    const far = join(partitionDir(dir), snapshotFileName(100));
    // A snapshot claiming sequences the log does not have (as after recovery cut the log short).
    writeFileSync(far, encodeProducerSnapshot([{ producerId: PID, epoch: 0, lastSequence: 50, lastOffset: 99n, offsetDelta: 0, timestamp: BigInt(Date.now()), coordinatorEpoch: -1, currentTxnFirstOffset: -1n }]));
    const damaged = join(partitionDir(dir), snapshotFileName(3));
    writeFileSync(damaged, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 1]));
    await expectStateKept(dir);
    expect(existsSync(far)).toBe(false);
  });

  it('takes a snapshot when the log rolls, which a crash then restarts from, replaying only what follows', async () => {
    const dir = tempDir('ktool-pidstate-');
    dirs.push(dir);
    const running = await start(dir, { 'log.segment.bytes': '300' });
    await running.conn.request(CreateTopics, { topics: [{ name: 'idem', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
    for (let seq = 0; seq < 6; seq++) expect((await produce(running.conn, batch([`value-${seq}-${'x'.repeat(60)}`], seq))).errorCode).toBe(0);
    const taken = snapshots(dir);
    expect(taken.length).toBe(1);
    const rollOffset = BigInt(taken[0]!.slice(0, 20));
    expect(rollOffset > 0n && rollOffset < 6n).toBe(true);
    await stop(running);
    // As if the broker had crashed after the roll: no shutdown snapshot, only the roll's. Its
    // content is replaced by one that also knows a producer the log has never seen (id 999), so
    // the test can tell it was read.
    rmSync(join(partitionDir(dir), snapshotFileName(6)));
    rmSync(join(dir, CLEAN_SHUTDOWN_FILE), { force: true });
    const last = Number(rollOffset) - 1;
    writeFileSync(join(partitionDir(dir), taken[0]!), encodeProducerSnapshot([
      { producerId: PID, epoch: 0, lastSequence: last, lastOffset: BigInt(last), offsetDelta: 0, timestamp: BigInt(Date.now()), coordinatorEpoch: -1, currentTxnFirstOffset: -1n },
      { producerId: 999n, epoch: 0, lastSequence: 10, lastOffset: 1n, offsetDelta: 0, timestamp: BigInt(Date.now()), coordinatorEpoch: -1, currentTxnFirstOffset: -1n },
    ]));
    const again = await start(dir, { 'log.segment.bytes': '300' });
    const ghost = encodeRecordBatchSync({ records: [{ value: 'ghost' }], producerId: 999n, producerEpoch: 0, baseSequence: 10 });
    expect(await produce(again.conn, ghost)).toMatchObject({ errorCode: 0, baseOffset: 1n });
    // Batches after the roll came back from the log: the last one is still a duplicate.
    expect(await produce(again.conn, batch([`value-5-${'x'.repeat(60)}`], 5))).toMatchObject({ errorCode: 0, baseOffset: 5n });
    expect(await produce(again.conn, batch(['next'], 6))).toMatchObject({ errorCode: 0, baseOffset: 6n });
  });

  it('forgets producers idle for producer.id.expiration.ms, at start and while running', async () => {
    const dir = await logWithThreeRecords();
    // At start: the snapshot's producer last wrote a day and a second ago.
    const old = BigInt(Date.now() - 86_401_000);
    writeFileSync(join(partitionDir(dir), snapshotFileName(3)), encodeProducerSnapshot([{ producerId: PID, epoch: 0, lastSequence: 2, lastOffset: 2n, offsetDelta: 0, timestamp: old, coordinatorEpoch: -1, currentTxnFirstOffset: -1n }]));
    const first = await start(dir);
    expect(await produce(first.conn, batch(['c'], 2))).toMatchObject({ errorCode: 0, baseOffset: 3n }); // not known any more: written again
    await stop(first);
    // While running, with a short expiry checked often.
    const { conn } = await start(dir, { 'producer.id.expiration.ms': '200', 'producer.id.expiration.check.interval.ms': '50' });
    expect(await produce(conn, batch(['d'], 3))).toMatchObject({ errorCode: 0, baseOffset: 4n });
    expect(await produce(conn, batch(['d'], 3))).toMatchObject({ errorCode: 0, baseOffset: 4n });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await produce(conn, batch(['d'], 3))).toMatchObject({ errorCode: 0, baseOffset: 5n });
  });
});
