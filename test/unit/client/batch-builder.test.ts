// The producer's incremental batch writer against the reference encoder: byte-for-byte the
// same batch as encodeRecordBatchSync for the same records, the same records back through the
// decoder for every codec, and a producer stamp that keeps the CRC valid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchBuilder, BufferPool, recordSizeUpperBound, stampProducer } from '../../../src/client/batch-builder.js';
import { checkBatchIntegrity, readBatchHeader } from '../../../src/protocol/records/batch.js';
import type { CompressionCodec } from '../../../src/protocol/records/compression.js';
import { decodeRecordBatches, encodeRecordBatchSync, type RecordHeader } from '../../../src/protocol/records/records.js';

interface Rec {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  timestamp: number;
}

function build(records: Rec[], compression: CompressionCodec = 'none'): Buffer {
  let size = 61;
  for (const r of records) size += recordSizeUpperBound(r.key, r.value, r.headers) + 10;
  const b = new BatchBuilder(Buffer.alloc(size));
  for (const r of records) b.append(r.key, r.value, r.headers, r.timestamp, b.recordSize(r.key, r.value, r.headers, r.timestamp));
  return b.finish(compression);
}

const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const record: fc.Arbitrary<Rec> = fc.record({
  key: fc.option(bytes, { nil: null }),
  value: fc.option(bytes, { nil: null }),
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: fc.option(bytes, { nil: null }) }), { maxLength: 3 }),
  timestamp: fc.oneof(fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }), fc.integer({ min: 0, max: 2 ** 40 })),
});

describe('BatchBuilder', () => {
  it('writes exactly what encodeRecordBatchSync writes', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), (records) => {
        const reference = encodeRecordBatchSync({ records, baseOffset: 0n });
        expect(build(records).equals(reference)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('uses record sizes that sum to the batch size', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (records) => {
        const b = new BatchBuilder(Buffer.alloc(200_000));
        let expected = 61;
        for (const r of records) {
          const size = b.recordSize(r.key, r.value, r.headers, r.timestamp);
          expect(size).toBeLessThanOrEqual(recordSizeUpperBound(r.key, r.value, r.headers) + 10);
          b.append(r.key, r.value, r.headers, r.timestamp, size);
          expected += size;
        }
        expect(b.sizeInBytes).toBe(expected);
        expect(b.finish('none').length).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });

  it.each<CompressionCodec>(['gzip', 'snappy', 'lz4', 'zstd'])('%s batches decode to the same records', async (codec) => {
    const records: Rec[] = Array.from({ length: 50 }, (_, i) => ({
      key: i % 3 === 0 ? null : Buffer.from(`k${i}`),
      value: Buffer.from(`value ${i} `.repeat(i % 7)),
      headers: i % 5 === 0 ? [{ key: 'h', value: Buffer.from(String(i)) }, { key: 'n', value: null }] : [],
      timestamp: 1_700_000_000_000 + i,
    }));
    const b = new BatchBuilder(Buffer.alloc(64 * 1024));
    for (const r of records) b.append(r.key, r.value, r.headers, r.timestamp, b.recordSize(r.key, r.value, r.headers, r.timestamp));
    const batch = codec === 'zstd' ? await b.finishAsync(codec) : b.finish(codec);
    expect(checkBatchIntegrity(batch, 0, batch.length)).toBeNull();
    const [decoded] = await decodeRecordBatches(batch);
    expect(decoded!.records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: Number(r.timestamp) }))).toEqual(
      records.map((r) => ({ ...r, value: r.value })),
    );
    const { records: plain } = (await decodeRecordBatches(encodeRecordBatchSync({ records, compression: codec === 'zstd' ? 'none' : codec })))[0]!;
    expect(plain.length).toBe(50);
  });

  it('appendValues writes what append writes, value by value', () => {
    // Values laid out as lines (close together) or far apart, then appended in runs under limits and budgets.
    const line = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(12), { minLength: 1, maxLength: 60 }), fc.integer({ min: 80, max: 6000 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 2 ** 40 }), (values, gaps, limit, budget, timestamp) => {
        const bounds = new Int32Array(2 * values.length);
        const parts: Buffer[] = [];
        let at = 0;
        values.forEach((v, i) => {
          const gap = gaps[i % gaps.length]!;
          parts.push(Buffer.alloc(gap, 0x0a), v);
          bounds[2 * i] = at += gap;
          bounds[2 * i + 1] = at += v.length;
        });
        const source = new Uint8Array(Buffer.concat(parts));
        const first = { key: null, value: Buffer.from('first'), headers: [], timestamp: timestamp - 3 };
        const bulk = new BatchBuilder(Buffer.alloc(8000));
        bulk.append(null, first.value, [], first.timestamp, bulk.recordSize(null, first.value, [], first.timestamp));
        const expected = new BatchBuilder(Buffer.alloc(8000));
        expected.append(null, first.value, [], first.timestamp, expected.recordSize(null, first.value, [], first.timestamp));
        let i = 0;
        const maxLength = 150;
        for (let run = 0; run < 3 && i < values.length; run++) {
          const start = expected.sizeInBytes;
          let j = i;
          for (; j < values.length; j++) {
            const v = values[j]!;
            if (v.length > maxLength || expected.sizeInBytes - start >= budget) break;
            const size = expected.recordSize(null, v, [], timestamp);
            if (expected.sizeInBytes + size > limit) break;
            expected.append(null, v, [], timestamp, size);
          }
          expect(bulk.appendValues(source, bounds, i, values.length, timestamp, limit, budget, maxLength)).toBe(j);
          if (j === i) break;
          i = j;
        }
        expect(bulk.recordCount).toBe(expected.recordCount);
        expect(bulk.finish('none').equals(expected.finish('none'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('moves to a bigger buffer without losing what was written', () => {
    const b = new BatchBuilder(Buffer.alloc(100));
    const r = { key: null, value: Buffer.from('abc'), headers: [], timestamp: 5 };
    b.append(r.key, r.value, r.headers, r.timestamp, b.recordSize(r.key, r.value, r.headers, r.timestamp));
    const old = b.moveTo(Buffer.alloc(1000));
    expect(old.length).toBe(100);
    b.append(r.key, r.value, r.headers, 6, b.recordSize(r.key, r.value, r.headers, 6));
    expect(b.finish('none').equals(encodeRecordBatchSync({ records: [r, { ...r, timestamp: 6 }] }))).toBe(true);
  });
});

describe('stampProducer', () => {
  it('writes producer id, epoch and sequence and keeps the CRC valid', () => {
    const batch = build([{ key: null, value: Buffer.from('x'), headers: [], timestamp: 1 }]);
    stampProducer(batch, 42n, 3, 17);
    const h = readBatchHeader(batch);
    expect([h.producerId, h.producerEpoch, h.baseSequence]).toEqual([42n, 3, 17]);
    expect(checkBatchIntegrity(batch, 0, batch.length)).toBeNull();
    expect(batch.equals(encodeRecordBatchSync({ records: [{ key: null, value: Buffer.from('x'), timestamp: 1 }], producerId: 42n, producerEpoch: 3, baseSequence: 17 }))).toBe(true);
  });
});

describe('BufferPool', () => {
  it('reuses buffers of its size, up to a limit, and allocates other sizes', () => {
    const pool = new BufferPool(1024, 1);
    const a = pool.take(10);
    expect(a.length).toBe(1024);
    pool.give(a);
    pool.give(Buffer.alloc(1024)); // over the limit: dropped
    expect(pool.take(1024)).toBe(a);
    expect(pool.take(1024)).not.toBe(a);
    const big = pool.take(5000);
    expect(big.length).toBe(5000);
    pool.give(big);
    expect(pool.take(100)).not.toBe(big);
  });
});
