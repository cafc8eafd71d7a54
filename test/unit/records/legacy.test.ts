// Message format v0/v1 (read only): messages are built by hand here from the layout in
// RECORD-FORMAT.md §3, since nothing in ktool writes them.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RecordBatchError } from '../../../src/protocol/records/batch.js';
import { compressSync } from '../../../src/protocol/records/compression.js';
import { decodeRecordBatches } from '../../../src/protocol/records/records.js';

function message(offset: bigint, magic: 0 | 1, attributes: number, timestamp: bigint, key: Buffer | null, value: Buffer | null): Buffer {
  const body = Buffer.concat([
    Buffer.from([magic, attributes]),
    magic === 1 ? (() => { const b = Buffer.alloc(8); b.writeBigInt64BE(timestamp); return b; })() : Buffer.alloc(0),
    lengthPrefixed(key),
    lengthPrefixed(value),
  ]);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(offset, 0);
  head.writeInt32BE(body.length + 4, 8);
  head.writeUInt32BE(crc32(body) >>> 0, 12);
  return Buffer.concat([head, body]);
}

function lengthPrefixed(b: Buffer | null): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(b === null ? -1 : b.length);
  return b === null ? len : Buffer.concat([len, b]);
}

describe('legacy message sets', () => {
  it('reads plain v0 and v1 messages', async () => {
    const set = Buffer.concat([
      message(10n, 0, 0, -1n, Buffer.from('k0'), Buffer.from('v0')),
      message(11n, 1, 0, 1234n, null, Buffer.from('v1')),
      message(12n, 1, 0, 1240n, Buffer.from('k2'), null),
    ]);
    const batches = await decodeRecordBatches(set);
    expect(batches.map((b) => b.header.magic)).toEqual([0, 1, 1]);
    const records = batches.flatMap((b) => b.records);
    expect(records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      [10n, -1n, 'k0', 'v0'],
      [11n, 1234n, null, 'v1'],
      [12n, 1240n, 'k2', null],
    ]);
  });

  it('reads a v1 gzip wrapper with relative inner offsets', async () => {
    const inner = Buffer.concat([0, 1, 2].map((i) => message(BigInt(i), 1, 0, 100n + BigInt(i), null, Buffer.from(`m${i}`))));
    const wrapper = message(22n, 1, 1, 102n, null, compressSync('gzip', inner));
    const [batch] = await decodeRecordBatches(wrapper);
    expect(batch!.records.map((r) => [r.offset, r.timestamp, r.value!.toString()])).toEqual([
      [20n, 100n, 'm0'],
      [21n, 101n, 'm1'],
      [22n, 102n, 'm2'],
    ]);
    expect(batch!.header).toMatchObject({ baseOffset: 20n, lastOffsetDelta: 2, recordsCount: 3, magic: 1 });
  });

  it('applies a v1 wrapper LogAppendTime to its inner messages', async () => {
    const inner = Buffer.concat([0, 1].map((i) => message(BigInt(i), 1, 0, 5n, null, Buffer.from('x'))));
    const wrapper = message(1n, 1, 0x08 | 2, 999n, null, compressSync('snappy', inner));
    const [batch] = await decodeRecordBatches(wrapper);
    expect(batch!.records.map((r) => r.timestamp)).toEqual([999n, 999n]);
  });

  it('reads a v0 lz4 wrapper with absolute inner offsets', async () => {
    const inner = Buffer.concat([message(7n, 0, 0, -1n, null, Buffer.from('a')), message(8n, 0, 0, -1n, null, Buffer.from('b'))]);
    const wrapper = message(8n, 0, 3, -1n, null, compressSync('lz4', inner));
    const [batch] = await decodeRecordBatches(wrapper);
    expect(batch!.records.map((r) => r.offset)).toEqual([7n, 8n]);
  });

  it('checks the CRC-32 of each message', async () => {
    const m = message(0n, 1, 0, 1n, null, Buffer.from('abc'));
    m[m.length - 1] ^= 1;
    await expect(decodeRecordBatches(m)).rejects.toBeInstanceOf(RecordBatchError);
    expect(await decodeRecordBatches(m, { verifyCrc: false })).toHaveLength(1);
  });
});
