// Batches written by a real client (kcat / librdkafka 2.0.2), cut from the Kafka 2.4.1 captures:
// see test/fixtures/records/README.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBatchHeader, setBaseOffset, setLogAppendTime, validateBatch } from '../../../src/protocol/records/batch.js';
import { decodeRecordBatches } from '../../../src/protocol/records/records.js';

const fixture = (name: string): Buffer =>
  Buffer.from(readFileSync(new URL(`../../fixtures/records/${name}.hex`, import.meta.url), 'utf8').trim(), 'hex');

const fox = ' the quick brown fox jumps over the lazy dog the quick brown fox';

describe('librdkafka batches from the captures', () => {
  it('decodes a keyed record with a header', async () => {
    const buf = fixture('kcat-keyed-header');
    expect(validateBatch(buf)).toBeNull();
    const [batch] = await decodeRecordBatches(buf);
    expect(batch!.header).toMatchObject({ baseOffset: 0n, producerId: -1n, producerEpoch: -1, baseSequence: -1, recordsCount: 1 });
    const r = batch!.records[0]!;
    expect(r.key!.toString()).toBe('k1');
    expect(r.value!.toString()).toBe('value-1');
    expect(r.headers.map((h) => [h.key, h.value!.toString()])).toEqual([['trace', 'kcat']]);
  });

  it('decodes the five batches of a Fetch v11 response', async () => {
    const batches = await decodeRecordBatches(fixture('kcat-fetch-v11'));
    expect(batches).toHaveLength(5);
    const records = batches.flatMap((b) => b.records);
    expect(records.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(records.map((r) => `${r.key}=${r.value}`)).toEqual(['k1=value-1', 'k2=value-2', 'k3=value-3', 'k4=value-4', 'k5=value-5']);
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`decodes the ${codec} batch`, async () => {
      const buf = fixture(`kcat-${codec}`);
      expect(validateBatch(buf)).toBeNull();
      const [batch, ...rest] = await decodeRecordBatches(buf);
      expect(rest).toEqual([]);
      expect(batch!.header.attributes).toBe(['gzip', 'snappy', 'lz4', 'zstd'].indexOf(codec) + 1);
      const expected = codec === 'gzip' ? [`gzip-1${fox}`] : [1, 2, 3].map((i) => `${codec}-${i}${fox}`);
      expect(batch!.records.map((r) => r.value!.toString())).toEqual(expected);
      expect(batch!.records.every((r) => r.key === null && r.headers.length === 0)).toBe(true);
    });
  }

  it('stays valid after the broker stamps offsets and LogAppendTime', async () => {
    const buf = Buffer.from(fixture('kcat-lz4'));
    setBaseOffset(buf, 0, 1000n);
    setLogAppendTime(buf, 0, 1_800_000_000_000n);
    expect(validateBatch(buf)).toBeNull();
    expect(readBatchHeader(buf).baseOffset).toBe(1000n);
    const [batch] = await decodeRecordBatches(buf);
    expect(batch!.records.map((r) => [r.offset, r.timestamp])).toEqual([
      [1000n, 1_800_000_000_000n],
      [1001n, 1_800_000_000_000n],
      [1002n, 1_800_000_000_000n],
    ]);
  });
});
