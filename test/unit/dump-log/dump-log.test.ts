// ktool dump-log against segments ktool's own log wrote. The expected lines for the first tests are
// Kafka's own output for the same batches (copied from kafka-dump-log runs published in Kafka
// tutorials), CRCs included: equal lines mean equal bytes and an equal rendering.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpLogCommand, dumpLogOptions } from '../../../src/commands/dump-log.js';
import type { CliIO } from '../../../src/commands/shared/io.js';
import { parseArgs } from '../../../src/commands/shared/options.js';
import { dumpLogSegments, type DumpOptions } from '../../../src/dump-log/dump.js';
import { decodeOffsetsRecord } from '../../../src/dump-log/offsets-decoder.js';
import { KtoolError } from '../../../src/errors.js';
import { encodeStruct } from '../../../src/protocol/codec.js';
import { GroupMetadataKeySchema, GroupMetadataValueSchema, OffsetCommitKeySchema, OffsetCommitValueSchema } from '../../../src/protocol/coordinator-records/index.js';
import { ConsumerProtocolAssignmentSchema } from '../../../src/protocol/messages/consumer-protocol-assignment.js';
import { ConsumerProtocolSubscriptionSchema } from '../../../src/protocol/messages/consumer-protocol-subscription.js';
import { ControlType, encodeControlBatch, encodeRecordBatch, encodeRecordBatchSync } from '../../../src/protocol/records/records.js';
import type { MessageSchema } from '../../../src/protocol/schema.js';
import { Writer } from '../../../src/protocol/writer.js';
import { DEFAULT_LOG_CONFIG, PartitionLog } from '../../../src/storage/log.js';
import { encodeProducerSnapshot } from '../../../src/storage/producer-snapshot.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function partitionDir(name = 't-0'): string {
  const root = mkdtempSync(join(tmpdir(), 'ktool-dump-'));
  dirs.push(root);
  return join(root, name);
}

const SEGMENT = '00000000000000000000';
const options = (over: Partial<DumpOptions> = {}): DumpOptions => ({
  files: [],
  printDataLog: false,
  deepIteration: false,
  verifyIndexOnly: false,
  indexSanityCheck: false,
  skipRecordMetadata: false,
  maxMessageSize: 5 * 1024 * 1024,
  maxBytes: 0x7fffffff,
  decoder: { key: 'string', value: 'string' },
  ...over,
});

async function dump(opts: DumpOptions, cwd = process.cwd()): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  await dumpLogSegments(opts, { out: (t) => void (out += t), err: (t) => void (err += t) }, cwd);
  return { out, err };
}

/** The command with captured streams, as cli.ts would run it. */
async function runCommand(argv: string[], cwd = process.cwd()): Promise<{ out: string; err: string; error?: unknown }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io = { stdin: new PassThrough(), stdout, stderr, env: {}, stdinIsTTY: false, stdoutIsTTY: false, cwd, onSignal: () => () => {} } as CliIO;
  let error: unknown;
  try {
    await dumpLogCommand.run(argv, io);
  } catch (e) {
    error = e;
  }
  await new Promise((r) => setImmediate(r));
  return { out, err, error };
}

describe('dump-log, checked against Kafka\'s own output', () => {
  it('prints an idempotent producer\'s batch and record exactly as kafka-dump-log does', async () => {
    const dir = partitionDir('my-topic-0');
    const log = PartitionLog.open(dir, DEFAULT_LOG_CONFIG);
    const batch = encodeRecordBatchSync({ records: [{ key: '24910', value: 'kafka', timestamp: 1725536752604 }], producerId: 20n, producerEpoch: 0, baseSequence: 0 });
    log.append(batch, Date.now(), { partitionLeaderEpoch: 0 });
    log.close();
    const file = join(dir, `${SEGMENT}.log`);
    const { out, err } = await dump(options({ files: [file], printDataLog: true, deepIteration: true }));
    expect(out).toBe(
      `Dumping ${file}\n` +
        'Log starting offset: 0\n' +
        'baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 0 lastSequence: 0 producerId: 20 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1725536752604 size: 78 magic: 2 compresscodec: none crc: 4051670483 isvalid: true\n' +
        '| offset: 0 CreateTime: 1725536752604 keySize: 5 valueSize: 5 sequence: 0 headerKeys: [] key: 24910 payload: kafka\n',
    );
    expect(err).toBe('');
  });

  it('prints a transaction and its COMMIT marker as Kafka does', async () => {
    const dir = partitionDir('output-topic-0');
    const log = PartitionLog.open(dir, DEFAULT_LOG_CONFIG);
    log.append(encodeRecordBatchSync({ records: [{ key: null, value: 'tset a si siht', timestamp: 1742739702864 }], producerId: 1n, producerEpoch: 0, baseSequence: 0, isTransactional: true }), Date.now(), { partitionLeaderEpoch: 0 });
    log.append(encodeControlBatch({ type: ControlType.COMMIT, producerId: 1n, producerEpoch: 0, coordinatorEpoch: 0, timestamp: 1742739703234 }), Date.now(), { partitionLeaderEpoch: 0, allowControl: true });
    log.close();
    const file = join(dir, `${SEGMENT}.log`);
    const { out } = await dump(options({ files: [file], printDataLog: true, deepIteration: true }));
    expect(out.split('\n').slice(2)).toEqual([
      'baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 0 lastSequence: 0 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1742739702864 size: 82 magic: 2 compresscodec: none crc: 758896000 isvalid: true',
      '| offset: 0 CreateTime: 1742739702864 keySize: -1 valueSize: 14 sequence: 0 headerKeys: [] payload: tset a si siht',
      'baseOffset: 1 lastOffset: 1 count: 1 baseSequence: -1 lastSequence: -1 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: 82 CreateTime: 1742739703234 size: 78 magic: 2 compresscodec: none crc: 2557578104 isvalid: true',
      '| offset: 1 CreateTime: 1742739703234 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 0',
      '',
    ]);
  });

  it('decodes __consumer_offsets records with --offsets-decoder as Kafka does', () => {
    const key = versioned(OffsetCommitKeySchema, 1, { group: 'my-group', topic: 'input-topic', partition: 0 });
    const value = versioned(OffsetCommitValueSchema, 3, { offset: 1n, leaderEpoch: -1, metadata: '', commitTimestamp: 1742739702993n, expireTimestamp: -1n });
    expect(decodeOffsetsRecord(7n, key, value)).toEqual({
      key: '{"type":"1","data":{"group":"my-group","topic":"input-topic","partition":0}}',
      payload: '{"version":"3","data":{"offset":1,"leaderEpoch":-1,"metadata":"","commitTimestamp":1742739702993}}',
    });
  });
});

/** int16 version ‖ struct, as coordinator records and embedded protocols are stored. */
function versioned(schema: MessageSchema, version: number, value: Record<string, unknown>): Buffer {
  const w = new Writer();
  w.int16(version);
  encodeStruct(w, schema.fields, value, version, version >= schema.flexibleVersions[0] && version <= schema.flexibleVersions[1]);
  return w.toBuffer();
}

describe('dump-log of .log files', () => {
  it('shows compression, headers, null keys, LogAppendTime and sequences wrapping at Integer.MAX_VALUE', async () => {
    const dir = partitionDir();
    const log = PartitionLog.open(dir, { ...DEFAULT_LOG_CONFIG, messageTimestampType: 'LogAppendTime' });
    const zstd = await encodeRecordBatch({
      compression: 'zstd',
      producerId: 9n, producerEpoch: 3, baseSequence: 0x7fffffff,
      records: [
        { key: 'a', value: 'one', timestamp: 1, headers: [{ key: 'h1', value: 'x' }, { key: 'h2', value: null }] },
        { key: null, value: null, timestamp: 2 },
      ],
    });
    log.append(zstd, 1_800_000_000_000);
    log.append(encodeRecordBatchSync({ compression: 'gzip', records: [{ key: 'k', value: 'v', timestamp: 5 }] }), 1_800_000_000_001);
    log.close();
    const file = join(dir, `${SEGMENT}.log`);
    const bytes = readFileSync(file);
    const crcAt = (pos: number): number => bytes.readUInt32BE(pos + 17);
    const firstSize = bytes.readInt32BE(8) + 12;
    const { out } = await dump(options({ files: [file], printDataLog: true, deepIteration: true }));
    expect(out.split('\n').slice(2)).toEqual([
      `baseOffset: 0 lastOffset: 1 count: 2 baseSequence: 2147483647 lastSequence: 0 producerId: 9 producerEpoch: 3 partitionLeaderEpoch: -1 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 LogAppendTime: 1800000000000 size: ${firstSize} magic: 2 compresscodec: zstd crc: ${crcAt(0)} isvalid: true`,
      '| offset: 0 LogAppendTime: 1800000000000 keySize: 1 valueSize: 3 sequence: 2147483647 headerKeys: [h1,h2] key: a payload: one',
      '| offset: 1 LogAppendTime: 1800000000000 keySize: -1 valueSize: -1 sequence: 0 headerKeys: []',
      `baseOffset: 2 lastOffset: 2 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: -1 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: ${firstSize} LogAppendTime: 1800000000001 size: ${bytes.length - firstSize} magic: 2 compresscodec: gzip crc: ${crcAt(firstSize)} isvalid: true`,
      '| offset: 2 LogAppendTime: 1800000000001 keySize: 1 valueSize: 1 sequence: -1 headerKeys: [] key: k payload: v',
      '',
    ]);
  });

  it('prints batch lines only without deep iteration, and record lines without data with --deep-iteration', async () => {
    const dir = partitionDir();
    const log = PartitionLog.open(dir, DEFAULT_LOG_CONFIG);
    log.append(encodeRecordBatchSync({ records: [{ key: 'k', value: 'v', timestamp: 10 }, { key: 'k2', value: 'v2', timestamp: 11 }] }));
    log.close();
    const file = join(dir, `${SEGMENT}.log`);
    const shallow = (await dump(options({ files: [file] }))).out.split('\n');
    expect(shallow).toHaveLength(4);
    expect(shallow[2]).toMatch(/^baseOffset: 0 lastOffset: 1 count: 2 .* CreateTime: 11 size: \d+ magic: 2 compresscodec: none crc: \d+ isvalid: true$/);
    const deep = (await dump(options({ files: [file], deepIteration: true }))).out.split('\n');
    expect(deep.slice(3, 5)).toEqual([
      '| offset: 0 CreateTime: 10 keySize: 1 valueSize: 1 sequence: -1 headerKeys: []',
      '| offset: 1 CreateTime: 11 keySize: 2 valueSize: 2 sequence: -1 headerKeys: []',
    ]);
    const skipped = (await dump(options({ files: [file], printDataLog: true, deepIteration: true, skipRecordMetadata: true }))).out.split('\n');
    expect(skipped.slice(3, 5)).toEqual(['| key: k payload: v', '| key: k2 payload: v2']);
  });

  it('reports a bad CRC, trailing bytes, and offset gaps on stderr', async () => {
    const dir = partitionDir();
    const a = encodeRecordBatchSync({ records: [{ key: null, value: 'a', timestamp: 1 }], baseOffset: 0n });
    const b = encodeRecordBatchSync({ records: [{ key: null, value: 'b', timestamp: 2 }, { key: null, value: 'c', timestamp: 3 }], baseOffset: 5n });
    b[b.length - 2] ^= 0x01; // inside the last value: the CRC no longer matches
    const root = dir.slice(0, -'/t-0'.length);
    const file = join(root, `${SEGMENT}.log`);
    writeFileSync(file, Buffer.concat([a, b]));
    appendFileSync(file, Buffer.alloc(30, 1));
    const { out, err } = await dump(options({ files: [file], deepIteration: true }));
    expect(out).toMatch(/baseOffset: 5 lastOffset: 6 count: 2 .* isvalid: false\n/);
    expect(out.endsWith(`Found 30 invalid bytes at the end of ${SEGMENT}.log\n`)).toBe(true);
    expect(err).toBe(`Non-consecutive offsets in ${file}\n  0 is followed by 5\n`);
    // With --max-bytes the walk stops early and the trailing bytes are not reported.
    const limited = await dump(options({ files: [file], maxBytes: a.length + 10 }));
    expect(limited.out).not.toMatch(/invalid bytes/);
    expect(limited.out.match(/baseOffset/g)).toHaveLength(1);
  });

  it('stops with Kafka\'s error on a batch size below the minimum', async () => {
    const root = partitionDir().slice(0, -'/t-0'.length);
    const file = join(root, `${SEGMENT}.log`);
    writeFileSync(file, Buffer.concat([encodeRecordBatchSync({ records: [{ value: 'a', timestamp: 1 }] }), Buffer.alloc(40)]));
    await expect(dump(options({ files: [file] }))).rejects.toThrow(`Found record size 0 smaller than minimum record overhead (14) in file ${file}.`);
  });
});

describe('dump-log of indexes', () => {
  function indexedLog(): { dir: string; lastOffsets: bigint[] } {
    const dir = partitionDir();
    const log = PartitionLog.open(dir, { ...DEFAULT_LOG_CONFIG, indexIntervalBytes: 150 });
    const lastOffsets: bigint[] = [];
    for (let i = 0; i < 30; i++) {
      const info = log.append(encodeRecordBatchSync({ records: [{ key: `k${i}`, value: 'v'.repeat(40), timestamp: 1000 + i * 10 }, { key: null, value: 'w', timestamp: 1000 + i * 10 + 5 }] }));
      lastOffsets.push(info.lastOffset);
    }
    log.close();
    return { dir, lastOffsets };
  }

  it('prints the offset index entries, which point at the batches they name', async () => {
    const { dir } = indexedLog();
    const file = join(dir, `${SEGMENT}.index`);
    const bytes = readFileSync(file);
    const expected = [];
    for (let at = 0; at < bytes.length; at += 8) expected.push(`offset: ${bytes.readInt32BE(at)} position: ${bytes.readInt32BE(at + 4)}`);
    expect(expected.length).toBeGreaterThan(3);
    const { out, err } = await dump(options({ files: [file] }));
    expect(out).toBe(`Dumping ${file}\n${expected.join('\n')}\n`);
    expect(err).toBe('');
    expect((await dump(options({ files: [file], verifyIndexOnly: true }))).out).toBe(`Dumping ${file}\n`);
    expect((await dump(options({ files: [file], indexSanityCheck: true }))).out).toBe(`Dumping ${file}\n${file} passed sanity check.\n`);
  });

  it('reports index entries that point at the wrong batch, newest first', async () => {
    const { dir } = indexedLog();
    const file = join(dir, `${SEGMENT}.index`);
    const bytes = readFileSync(file);
    const first = bytes.readInt32BE(0);
    const second = bytes.readInt32BE(8);
    bytes.writeInt32BE(first + 100, 0);
    bytes.writeInt32BE(second - 1, 8);
    writeFileSync(file, bytes);
    const { err } = await dump(options({ files: [file], verifyIndexOnly: true }));
    expect(err).toBe(`Mismatches in :${file}\n  Index offset: ${second - 1}, log offset: ${second}\n  Index offset: ${first + 100}, log offset: ${first}\n`);
  });

  it('prints the time index and checks it against the records', async () => {
    const { dir } = indexedLog();
    const file = join(dir, `${SEGMENT}.timeindex`);
    const bytes = readFileSync(file);
    const lines = [];
    for (let at = 0; at < bytes.length; at += 12) lines.push(`timestamp: ${bytes.readBigInt64BE(at)} offset: ${bytes.readInt32BE(at + 8)}`);
    expect(lines.length).toBeGreaterThan(3);
    const { out, err } = await dump(options({ files: [file] }));
    expect(out).toBe(`Dumping ${file}\n${lines.join('\n')}\n`);
    expect(err).toBe('');
    // A timestamp that does not match its batch, and one out of order.
    bytes.writeBigInt64BE(bytes.readBigInt64BE(12) + 1n, 12);
    bytes.writeBigInt64BE(0n, 24);
    writeFileSync(file, bytes);
    const bad = await dump(options({ files: [file], verifyIndexOnly: true }));
    expect(bad.out).toBe(`Dumping ${file}\n`);
    expect(bad.err).toMatch(new RegExp(`^Found timestamp mismatch in :${file}\n  Index timestamp: \\d+, log timestamp: \\d+\n  Index timestamp: 0, log timestamp: \\d+\nFound out of order timestamp in :${file}\n  Index timestamp: 0, Previously indexed timestamp: \\d+\n$`));
  });

  it('says an empty index is empty, and fails like Kafka on a missing file', async () => {
    const dir = partitionDir();
    PartitionLog.open(dir, DEFAULT_LOG_CONFIG).close();
    const index = join(dir, `${SEGMENT}.index`);
    expect((await dump(options({ files: [index] }))).out).toBe(`Dumping ${index}\n${index} is empty.\n`);
    await expect(dump(options({ files: [join(dir, '00000000000000000042.log')] }))).rejects.toThrow(`${join(dir, '00000000000000000042.log')} (No such file or directory)`);
  });
});

describe('ktool dump-log (the command)', () => {
  it('parses Kafka\'s options', () => {
    const o = dumpLogOptions(parseArgs(dumpLogCommand.options, ['--files', 'a.log,b.index', '--print-data-log', '--max-bytes', '100']));
    expect(o).toMatchObject({ files: ['a.log', 'b.index'], printDataLog: true, deepIteration: true, maxBytes: 100, decoder: { key: 'string', value: 'string' } });
    expect(dumpLogOptions(parseArgs(dumpLogCommand.options, ['--files', 'x.log', '--offsets-decoder']))).toMatchObject({ printDataLog: true, decoder: 'offsets' });
    const deprecated = dumpLogOptions(parseArgs(dumpLogCommand.options, ['--files', 'x.log', '--value-decoder-class', 'kafka.serializer.LongDecoder']));
    expect(deprecated).toMatchObject({ printDataLog: true, decoder: { key: 'string', value: 'long' } });
    expect(deprecated.deprecationNotices).toEqual(['kafka.serializer.LongDecoder is deprecated. Please use org.apache.kafka.tools.api.LongDecoder instead']);
    expect(() => dumpLogOptions(parseArgs(dumpLogCommand.options, ['--print-data-log']))).toThrow('Missing required argument "[files]"');
  });

  it('dumps relative paths from the working directory and reports unknown files', async () => {
    const dir = partitionDir();
    const log = PartitionLog.open(dir, DEFAULT_LOG_CONFIG);
    log.append(encodeRecordBatchSync({ records: [{ key: null, value: 'hello', timestamp: 7 }] }));
    log.close();
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const r = await runCommand(['--files', `${SEGMENT}.log,notes.txt`, '--print-data-log'], dir);
    expect(r.error).toBeUndefined();
    expect(r.out).toMatch(new RegExp(`^Dumping ${SEGMENT}\\.log\nLog starting offset: 0\nbaseOffset: 0 .*\n\\| offset: 0 CreateTime: 7 keySize: -1 valueSize: 5 sequence: -1 headerKeys: \\[\\] payload: hello\nDumping notes.txt\n$`));
    expect(r.err).toBe('Ignoring unknown file notes.txt\n');
  });

  it('dumps a producer snapshot as Kafka does, and reports a damaged one on stderr', async () => {
    const dir = partitionDir();
    mkdirSync(dir, { recursive: true });
    const name = `${'0'.repeat(18)}42.snapshot`;
    writeFileSync(join(dir, name), encodeProducerSnapshot([
      { producerId: 1000n, epoch: 2, lastSequence: 9, lastOffset: 41n, offsetDelta: 4, timestamp: 1700000000000n, coordinatorEpoch: -1, currentTxnFirstOffset: -1n },
    ]));
    const r = await runCommand(['--files', name], dir);
    expect(r.error).toBeUndefined();
    expect(r.out).toBe(
      `Dumping ${name}\nproducerId: 1000 producerEpoch: 2 coordinatorEpoch: -1 currentTxnFirstOffset: -1 lastTimestamp: 1700000000000 ` +
        'firstSequence: 5 lastSequence: 9 lastOffset: 41 offsetDelta: 4 timestamp: 1700000000000\n',
    );
    const damaged = readFileSync(join(dir, name));
    damaged[20] ^= 1;
    writeFileSync(join(dir, name), damaged);
    const bad = await runCommand(['--files', name], dir);
    expect(bad.out).toBe(`Dumping ${name}\n`);
    expect(bad.err).toMatch(/^Snapshot is corrupt \(CRC is no longer valid\)\. Stored crc: \d+\. Computed crc: \d+\n$/);
  });

  it('ends with exit-1 errors that keep what was printed before', async () => {
    const dir = partitionDir();
    PartitionLog.open(dir, DEFAULT_LOG_CONFIG).close();
    const r = await runCommand(['--files', `${SEGMENT}.log,missing.log`], dir);
    expect(r.out).toBe(`Dumping ${SEGMENT}.log\nLog starting offset: 0\nDumping missing.log\n`);
    expect(r.error).toBeInstanceOf(KtoolError);
    expect((r.error as Error).message).toBe('For input string: "missing"');
  });

  it('decodes a __consumer_offsets segment with the group\'s subscription and assignment', async () => {
    const dir = partitionDir('__consumer_offsets-12');
    const log = PartitionLog.open(dir, DEFAULT_LOG_CONFIG);
    const subscription = versioned(ConsumerProtocolSubscriptionSchema, 1, { topics: ['in'], userData: null, ownedPartitions: [] });
    const assignment = versioned(ConsumerProtocolAssignmentSchema, 1, { assignedPartitions: [{ topic: 'in', partitions: [0, 1] }], userData: null });
    const groupValue = versioned(GroupMetadataValueSchema, 3, {
      protocolType: 'consumer', generation: 1, protocol: 'range', leader: 'm1', currentStateTimestamp: 1700000000000n,
      members: [{ memberId: 'm1', groupInstanceId: null, clientId: 'c', clientHost: '/127.0.0.1', rebalanceTimeout: 300000, sessionTimeout: 45000, subscription, assignment }],
    });
    log.append(encodeRecordBatchSync({
      records: [
        { key: versioned(GroupMetadataKeySchema, 2, { group: 'g' }), value: groupValue, timestamp: 1 },
        { key: versioned(GroupMetadataKeySchema, 2, { group: 'gone' }), value: null, timestamp: 2 },
        { key: Buffer.from([0, 99, 0, 0]), value: Buffer.from([0, 0]), timestamp: 3 },
      ],
    }));
    log.close();
    const r = await runCommand(['--files', join(dir, `${SEGMENT}.log`), '--offsets-decoder']);
    const lines = r.out.split('\n');
    expect(lines[3]).toBe(
      '| offset: 0 CreateTime: 1 keySize: 5 valueSize: ' + groupValue.length + ' sequence: -1 headerKeys: [] key: {"type":"2","data":{"group":"g"}} payload: {"version":"3","data":{"protocolType":"consumer","generation":1,"protocol":"range","leader":"m1","currentStateTimestamp":1700000000000,"members":[{"memberId":"m1","groupInstanceId":null,"clientId":"c","clientHost":"/127.0.0.1","rebalanceTimeout":300000,"sessionTimeout":45000,"subscription":{"topics":["in"],"userData":null,"ownedPartitions":[]},"assignment":{"assignedPartitions":[{"topic":"in","partitions":[0,1]}],"userData":null}}]}}',
    );
    expect(lines[4]).toMatch(/key: \{"type":"2","data":\{"group":"gone"\}\} payload: <DELETE>$/);
    expect(lines[5]).toMatch(/headerKeys: \[\] key: Unknown record type 99 at offset 2, skipping\.$/);
  });
});
