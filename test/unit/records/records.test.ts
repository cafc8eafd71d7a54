import { describe, expect, it } from 'vitest';
import { BatchField, RecordBatchError, RecordErrorCode, readBatchHeader, setLogAppendTime, validateBatch } from '../../../src/protocol/records/batch.js';
import { CODEC_NAMES } from '../../../src/protocol/records/compression.js';
import {
  ControlType,
  decodeRecordBatches,
  decodeRecordBatchesSync,
  encodeControlBatch,
  encodeRecordBatch,
  encodeRecordBatchSync,
  type RecordInput,
} from '../../../src/protocol/records/records.js';

const mixed: RecordInput[] = [
  { key: Buffer.from('key-1'), value: Buffer.from('value-1'), timestamp: 1_700_000_000_000n },
  { key: null, value: Buffer.from('no key'), timestamp: 1_700_000_000_005n },
  { key: 'tombstone', value: null, timestamp: 1_699_999_999_990n },
  {
    key: 'headers',
    value: 'with headers',
    timestamp: 1_700_000_000_001,
    headers: [
      { key: 'trace', value: 'abc' },
      { key: 'nothing', value: null },
      { key: 'ünïcode', value: Buffer.from([0, 1, 2]) },
    ],
  },
  { value: Buffer.alloc(0), timestamp: 1_700_000_000_002 },
  { key: 'big', value: Buffer.alloc(20_000, 7), timestamp: 1_700_000_000_003 },
];

const asBuf = (v: Buffer | string | null | undefined): Buffer | null => (v === null || v === undefined ? null : Buffer.from(v));

describe('encode → decode', () => {
  for (const compression of CODEC_NAMES) {
    it(`round-trips keys, null keys, null values and headers with ${compression}`, async () => {
      const buf = await encodeRecordBatch({ records: mixed, compression, baseOffset: 100n });
      expect(validateBatch(buf)).toBeNull();
      const [batch, ...rest] = await decodeRecordBatches(buf);
      expect(rest).toEqual([]);
      expect(batch!.header.attributes & 7).toBe(CODEC_NAMES.indexOf(compression));
      expect(batch!.header.baseTimestamp).toBe(1_700_000_000_000n);
      expect(batch!.header.maxTimestamp).toBe(1_700_000_000_005n);
      expect(batch!.control).toBeNull();
      expect(batch!.records).toHaveLength(mixed.length);
      batch!.records.forEach((r, i) => {
        const src = mixed[i]!;
        expect(r.offset).toBe(100n + BigInt(i));
        expect(r.timestamp).toBe(BigInt(src.timestamp!));
        expect(r.key).toEqual(asBuf(src.key));
        expect(r.value).toEqual(asBuf(src.value));
        expect(r.headers).toEqual((src.headers ?? []).map((h) => ({ key: h.key, value: asBuf(h.value) })));
      });
      if (compression !== 'zstd') {
        expect(decodeRecordBatchesSync(buf)).toEqual(await decodeRecordBatches(buf));
        expect(encodeRecordBatchSync({ records: mixed, compression, baseOffset: 100n }).length).toBeGreaterThan(61);
      }
    });
  }

  it('writes the producer fields and a CRC the validator accepts', () => {
    const buf = encodeRecordBatchSync({
      records: [{ value: 'a' }, { value: 'b' }],
      producerId: 4n,
      producerEpoch: 2,
      baseSequence: 10,
      partitionLeaderEpoch: 3,
      now: 1234,
    });
    expect(validateBatch(buf)).toBeNull();
    expect(readBatchHeader(buf)).toMatchObject({ producerId: 4n, producerEpoch: 2, baseSequence: 10, partitionLeaderEpoch: 3, baseTimestamp: 1234n, maxTimestamp: 1234n, lastOffsetDelta: 1, recordsCount: 2 });
  });

  it('defaults to a non-idempotent batch at offset 0', () => {
    const h = readBatchHeader(encodeRecordBatchSync({ records: [{ value: 'x' }] }));
    expect(h).toMatchObject({ baseOffset: 0n, producerId: -1n, producerEpoch: -1, baseSequence: -1, partitionLeaderEpoch: -1, attributes: 0 });
  });

  it('encodes large timestamp deltas as varlongs', async () => {
    const records = [{ value: 'a', timestamp: 0 }, { value: 'b', timestamp: 2 ** 45 }, { value: 'c', timestamp: -(2 ** 40) }];
    const [batch] = await decodeRecordBatches(encodeRecordBatchSync({ records }));
    expect(batch!.records.map((r) => r.timestamp)).toEqual([0n, 2n ** 45n, -(2n ** 40n)]);
  });

  it('refuses an empty record list', () => {
    expect(() => encodeRecordBatchSync({ records: [] })).toThrow(RangeError);
  });

  it('reports every record timestamp as maxTimestamp under LogAppendTime', async () => {
    const buf = encodeRecordBatchSync({ records: [{ value: 'a', timestamp: 1 }, { value: 'b', timestamp: 2 }] });
    setLogAppendTime(buf, 0, 99_999n);
    const [batch] = await decodeRecordBatches(buf);
    expect(batch!.records.map((r) => r.timestamp)).toEqual([99_999n, 99_999n]);
    const direct = encodeRecordBatchSync({ records: [{ value: 'a', timestamp: 1 }], timestampType: 'LogAppendTime', now: 555 });
    expect((await decodeRecordBatches(direct))[0]!.records[0]!.timestamp).toBe(555n);
  });
});

describe('decodeRecordBatches over concatenated batches', () => {
  const three = (): Buffer =>
    Buffer.concat([
      encodeRecordBatchSync({ records: [{ value: 'a' }, { value: 'b' }], baseOffset: 0n }),
      encodeRecordBatchSync({ records: [{ value: 'c' }], baseOffset: 2n, compression: 'gzip' }),
      encodeRecordBatchSync({ records: [{ value: 'd' }, { value: 'e' }], baseOffset: 3n, compression: 'lz4' }),
    ]);

  it('walks every batch in order', async () => {
    const batches = await decodeRecordBatches(three());
    expect(batches.flatMap((b) => b.records.map((r) => `${r.offset}:${r.value}`))).toEqual(['0:a', '1:b', '2:c', '3:d', '4:e']);
  });

  it('ignores a truncated trailing batch at every cut point', async () => {
    const buf = three();
    const firstTwo = readBatchHeader(buf).batchLength + 12 + readBatchHeader(buf, readBatchHeader(buf).batchLength + 12).batchLength + 12;
    for (let cut = firstTwo; cut < buf.length; cut++) {
      const batches = await decodeRecordBatches(buf.subarray(0, cut));
      expect(batches).toHaveLength(2);
    }
    expect(await decodeRecordBatches(Buffer.alloc(0))).toEqual([]);
    expect(await decodeRecordBatches(buf.subarray(0, 11))).toEqual([]);
  });

  it('throws a RecordBatchError for a complete batch with a bad CRC, unless asked not to check', async () => {
    const buf = three();
    buf[buf.length - 1] ^= 0x55;
    await expect(decodeRecordBatches(buf)).rejects.toMatchObject({ errorCode: RecordErrorCode.CORRUPT_MESSAGE });
    const plain = encodeRecordBatchSync({ records: [{ value: 'abc' }] });
    plain[plain.length - 2] = 'x'.charCodeAt(0); // last value byte (the headers count follows)
    expect((await decodeRecordBatches(plain, { verifyCrc: false }))[0]!.records[0]!.value!.toString()).toBe('abx');
  });

  it('rejects record lengths that disagree with the fields', async () => {
    const buf = encodeRecordBatchSync({ records: [{ value: 'abc' }] });
    buf[61] = 20; // record length varint: 10 instead of the real one
    await expect(decodeRecordBatches(buf, { verifyCrc: false })).rejects.toBeInstanceOf(RecordBatchError);
  });

  it('reports control batches without data records', async () => {
    const marker = encodeControlBatch({ type: ControlType.COMMIT, producerId: 7n, producerEpoch: 1, coordinatorEpoch: 3, baseOffset: 5n, timestamp: 10 });
    const h = readBatchHeader(marker);
    expect(h.attributes & 0x30).toBe(0x30);
    expect(h.baseSequence).toBe(-1);
    const data = encodeRecordBatchSync({ records: [{ value: 'x' }], baseOffset: 6n });
    const batches = await decodeRecordBatches(Buffer.concat([marker, data]));
    expect(batches[0]!.records).toEqual([]);
    expect(batches[0]!.control).toMatchObject({ offset: 5n, version: 0, type: ControlType.COMMIT });
    expect(batches[0]!.control!.value!.readInt32BE(2)).toBe(3);
    expect(batches[1]!.records[0]!.offset).toBe(6n);
  });

  it('throws UNSUPPORTED_COMPRESSION_TYPE for zstd in the sync decoder', async () => {
    const buf = await encodeRecordBatch({ records: [{ value: 'z' }], compression: 'zstd' });
    expect(() => decodeRecordBatchesSync(buf)).toThrow(expect.objectContaining({ errorCode: RecordErrorCode.UNSUPPORTED_COMPRESSION_TYPE }));
  });

  it('refuses a batch whose size field cannot be a batch', async () => {
    const buf = encodeRecordBatchSync({ records: [{ value: 'x' }] });
    buf.writeInt32BE(3, BatchField.batchLength);
    await expect(decodeRecordBatches(buf)).rejects.toBeInstanceOf(RecordBatchError);
  });
});
