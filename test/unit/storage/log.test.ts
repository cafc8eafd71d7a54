import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBatchHeader, timestampTypeOf, validateBatch } from '../../../src/protocol/records/batch.js';
import { ControlType, decodeRecordBatchesSync, encodeControlBatch } from '../../../src/protocol/records/records.js';
import { PartitionLog, StorageError, StorageErrorCode, type LogConfig } from '../../../src/storage/log.js';
import { batch, config, tempDir } from './helpers.js';

/** What the test appended, batch by batch: the model the log is checked against. */
interface Appended {
  baseOffset: bigint;
  lastOffset: bigint;
  bytes: Buffer;
}

function fill(log: PartitionLog, batches: number, perBatch: (i: number) => number, opts: { valueSize?: number } = {}): Appended[] {
  const out: Appended[] = [];
  for (let i = 0; i < batches; i++) {
    const b = batch(perBatch(i), i, { valueSize: opts.valueSize });
    const info = log.append(b);
    out.push({ baseOffset: info.baseOffset, lastOffset: info.lastOffset, bytes: b });
  }
  return out;
}

function expectError(fn: () => unknown, code: number): StorageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).errorCode).toBe(code);
    return err as StorageError;
  }
  throw new Error(`expected StorageError ${code}`);
}

/** Offsets of the batches in a read result. */
function batchOffsets(buf: Buffer): bigint[] {
  const out: bigint[] = [];
  for (let at = 0; at < buf.length; at += buf.readInt32BE(at + 8) + 12) out.push(buf.readBigInt64BE(at));
  return out;
}

describe('PartitionLog append and read', () => {
  it('creates the directory and an empty first segment', () => {
    const dir = join(tempDir(), 'topic-with-dashes-0');
    const log = PartitionLog.open(dir, config());
    expect(log.dir).toBe(dir);
    expect(log.logStartOffset).toBe(0n);
    expect(log.logEndOffset).toBe(0n);
    expect(log.sizeInBytes).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['00000000000000000000.index', '00000000000000000000.log', '00000000000000000000.timeindex']);
    expect(log.read(0n, 1000).length).toBe(0);
    expect(log.maxTimestamp()).toBeNull();
    expect(log.offsetForTimestamp(0n)).toBeNull();
    log.close();
  });

  it('assigns offsets in place and reports them', () => {
    const log = PartitionLog.open(tempDir(), config());
    const a = batch(3, 'a');
    const info = log.append(a, 5000, { partitionLeaderEpoch: 7 });
    expect(info).toEqual({ baseOffset: 0n, lastOffset: 2n, logAppendTime: -1n, logStartOffset: 0n, recordCount: 3 });
    const b = batch(2, 'b');
    expect(log.append(b).baseOffset).toBe(3n);
    expect(readBatchHeader(b).baseOffset).toBe(3n);
    expect(readBatchHeader(a).partitionLeaderEpoch).toBe(7);
    expect(validateBatch(a)).toBeNull();
    expect(log.logEndOffset).toBe(5n);
    expect(log.sizeInBytes).toBe(a.length + b.length);
    expect(log.read(0n, 1 << 20).equals(Buffer.concat([a, b]))).toBe(true);
    log.close();
  });

  it('round-trips many batches across rolled segments, named by base offset', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir, config({ segmentBytes: 2000, indexIntervalBytes: 300 }));
    const model = fill(log, 120, (i) => 1 + (i % 4));
    const bases = log.segmentBaseOffsets;
    expect(bases.length).toBeGreaterThan(5);
    // Each segment starts at the first offset of a batch, and files exist for each.
    for (const base of bases) {
      expect(model.some((m) => m.baseOffset === base)).toBe(true);
      const stem = base.toString().padStart(20, '0');
      for (const suffix of ['.log', '.index', '.timeindex']) expect(existsSync(join(dir, stem + suffix))).toBe(true);
      expect(statSync(join(dir, `${stem}.log`)).size).toBeLessThanOrEqual(2000);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.log'))).toHaveLength(bases.length);

    // Reading everything back, fetch after fetch, gives the appended bytes in order.
    const chunks: Buffer[] = [];
    let offset = 0n;
    while (offset < log.logEndOffset) {
      const got = log.read(offset, 700);
      expect(got.length).toBeGreaterThan(0);
      expect(got.length).toBeLessThanOrEqual(700);
      chunks.push(got);
      const offs = batchOffsets(got);
      const last = model.find((m) => m.baseOffset === offs[offs.length - 1])!;
      offset = last.lastOffset + 1n;
    }
    expect(Buffer.concat(chunks).equals(Buffer.concat(model.map((m) => m.bytes)))).toBe(true);
    const records = decodeRecordBatchesSync(Buffer.concat(chunks)).flatMap((b) => b.records);
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: records.length }, (_, i) => BigInt(i)));
    log.close();
  });

  it('reads fetch after fetch into a caller\'s reused buffer, oversized batches included', () => {
    const log = PartitionLog.open(tempDir(), config({ segmentBytes: 3000, indexIntervalBytes: 200 }));
    // Every fifth batch is larger than the 400-byte limit: minOneMessage returns it alone.
    const model = fill(log, 60, (i) => (i % 5 === 4 ? 12 : 1 + (i % 3)), { valueSize: 30 });
    const scratch = Buffer.alloc(1 << 16);
    const sizes: number[] = [];
    const copies: Buffer[] = [];
    let offset = 0n;
    while (offset < log.logEndOffset) {
      const got = log.read(offset, 400, true, (size) => {
        sizes.push(size);
        return size <= scratch.length ? scratch : Buffer.allocUnsafe(size);
      });
      copies.push(Buffer.from(got)); // the next read overwrites scratch
      const offs = batchOffsets(got);
      offset = model.find((m) => m.baseOffset === offs[offs.length - 1])!.lastOffset + 1n;
    }
    expect(Buffer.concat(copies).equals(Buffer.concat(model.map((m) => m.bytes)))).toBe(true);
    expect(sizes.every((n) => n > 0)).toBe(true);
    log.close();
  });

  it('finds the batch holding every offset, as a sorted-array model does', () => {
    const log = PartitionLog.open(tempDir(), config({ segmentBytes: 5000, indexIntervalBytes: 150 }));
    const model = fill(log, 200, (i) => 1 + ((i * 7) % 5));
    for (let o = 0n; o < log.logEndOffset; o++) {
      // Binary search in the model: the batch whose range holds o.
      let lo = 0;
      let hi = model.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (model[mid]!.lastOffset < o) lo = mid + 1;
        else hi = mid;
      }
      const got = log.read(o, 1);
      expect(got.length, `offset ${o}`).toBe(0); // first batch larger than 1 byte, no minOneMessage
      const one = log.read(o, 1, true);
      expect(one.equals(model[lo]!.bytes), `offset ${o}`).toBe(true);
    }
    log.close();
  });

  it('honours maxBytes with whole batches, and minOneMessage for an oversized first batch', () => {
    const log = PartitionLog.open(tempDir(), config());
    const model = fill(log, 5, () => 3);
    const size = (i: number): number => model[i]!.bytes.length;
    expect(batchOffsets(log.read(0n, size(0) + size(1)))).toEqual([0n, 3n]);
    expect(batchOffsets(log.read(0n, size(0) + size(1) + size(2) - 1))).toEqual([0n, 3n]);
    expect(log.read(4n, size(1) - 1).length).toBe(0);
    expect(log.read(4n, size(1) - 1, true).equals(model[1]!.bytes)).toBe(true);
    expect(log.read(4n, 0, true).equals(model[1]!.bytes)).toBe(true);
    expect(batchOffsets(log.read(5n, 1 << 20))).toEqual([3n, 6n, 9n, 12n]);
    log.close();
  });

  it('reads across segment boundaries within one call', () => {
    const log = PartitionLog.open(tempDir(), config({ segmentBytes: 600 }));
    const model = fill(log, 12, () => 2, { valueSize: 60 });
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(2);
    const all = log.read(0n, 1 << 20);
    expect(all.equals(Buffer.concat(model.map((m) => m.bytes)))).toBe(true);
    log.close();
  });

  it('answers OFFSET_OUT_OF_RANGE outside [logStartOffset, logEndOffset] and nothing at the end', () => {
    const log = PartitionLog.open(tempDir(), config());
    fill(log, 2, () => 2);
    expectError(() => log.read(-1n, 100), StorageErrorCode.OFFSET_OUT_OF_RANGE);
    expectError(() => log.read(5n, 100), StorageErrorCode.OFFSET_OUT_OF_RANGE);
    expectError(() => log.read(1n << 62n, 100), StorageErrorCode.OFFSET_OUT_OF_RANGE);
    expect(log.read(4n, 100).length).toBe(0);
    log.close();
  });

  it('refuses oversized, multi-batch, corrupt and control record sets without appending', () => {
    const log = PartitionLog.open(tempDir(), config({ maxMessageBytes: 500 }));
    log.append(batch(1, 'ok'));
    const before = log.sizeInBytes;
    const big = batch(20, 'big', { valueSize: 40 });
    expect(big.length).toBeGreaterThan(500);
    expectError(() => log.append(big), StorageErrorCode.MESSAGE_TOO_LARGE);
    expectError(() => log.append(Buffer.concat([batch(1, 'a'), batch(1, 'b')])), StorageErrorCode.INVALID_RECORD);
    const bad = batch(2, 'crc');
    bad[bad.length - 1] ^= 1;
    expectError(() => log.append(bad), StorageErrorCode.CORRUPT_MESSAGE);
    expectError(() => log.append(bad.subarray(0, 30)), StorageErrorCode.CORRUPT_MESSAGE);
    const marker = encodeControlBatch({ type: ControlType.COMMIT, producerId: 1n, producerEpoch: 0, coordinatorEpoch: 0 });
    expectError(() => log.append(marker), StorageErrorCode.INVALID_RECORD);
    expect(log.sizeInBytes).toBe(before);
    expect(log.logEndOffset).toBe(1n);
    expect(log.append(marker, Date.now(), { allowControl: true }).baseOffset).toBe(1n);
    log.close();
  });

  it('refuses a batch larger than a whole segment with RECORD_LIST_TOO_LARGE', () => {
    const log = PartitionLog.open(tempDir(), config({ segmentBytes: 200 }));
    expectError(() => log.append(batch(10, 'x', { valueSize: 40 })), StorageErrorCode.RECORD_LIST_TOO_LARGE);
    log.close();
  });

  it('stamps LogAppendTime, leaving a CRC-valid batch', () => {
    const log = PartitionLog.open(tempDir(), config({ messageTimestampType: 'LogAppendTime' }));
    const info = log.append(batch(3, 'lat', { compression: 'gzip' }), 1_750_000_000_000);
    expect(info.logAppendTime).toBe(1_750_000_000_000n);
    const stored = log.read(0n, 1 << 20);
    expect(validateBatch(stored)).toBeNull();
    const h = readBatchHeader(stored);
    expect(timestampTypeOf(h.attributes)).toBe('LogAppendTime');
    expect(h.maxTimestamp).toBe(1_750_000_000_000n);
    const [decoded] = decodeRecordBatchesSync(stored);
    expect(decoded!.records.map((r) => r.timestamp)).toEqual([1_750_000_000_000n, 1_750_000_000_000n, 1_750_000_000_000n]);
    expect(log.maxTimestamp()).toEqual({ offset: 0n, timestamp: 1_750_000_000_000n });
    log.close();
  });

  it('rolls when the first batch of the segment is older than segmentMs', () => {
    const log = PartitionLog.open(tempDir(), config({ segmentMs: 1000 }));
    log.append(batch(1, 'a', { timestamp: 10_000 }));
    log.append(batch(1, 'b', { timestamp: 10_900 }));
    expect(log.segmentBaseOffsets).toEqual([0n]);
    log.append(batch(1, 'c', { timestamp: 11_001 }));
    expect(log.segmentBaseOffsets).toEqual([0n, 2n]);
    log.close();
  });

  it('rolls when an index is full', () => {
    const log = PartitionLog.open(tempDir(), config({ segmentIndexBytes: 24, indexIntervalBytes: 1 }));
    fill(log, 10, () => 1);
    // Three offset-index entries (24 bytes) or two time-index entries (24 bytes) fill a segment.
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(2);
    const all = log.read(0n, 1 << 20);
    expect(batchOffsets(all)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
    log.close();
  });

  it('writes index entries by Kafka\'s interval rule', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir, config({ indexIntervalBytes: 250 }));
    const model = fill(log, 30, () => 2);
    log.close();
    // Model: before each append, if more than 250 bytes went in since the last entry, index it.
    const expected: Array<[number, number]> = [];
    let since = 0;
    let position = 0;
    for (const m of model) {
      if (since > 250) {
        expected.push([Number(m.lastOffset), position]);
        since = 0;
      }
      since += m.bytes.length;
      position += m.bytes.length;
    }
    const index = readFileSync(join(dir, '00000000000000000000.index'));
    const entries: Array<[number, number]> = [];
    for (let at = 0; at < index.length; at += 8) entries.push([index.readInt32BE(at), index.readInt32BE(at + 4)]);
    expect(entries).toEqual(expected);
    expect(expected.length).toBeGreaterThan(3);
  });

  it('flushes by message count without disturbing appends', () => {
    const log = PartitionLog.open(tempDir(), config({ flushMessages: 3, flushMs: 10, segmentBytes: 400 }));
    fill(log, 10, () => 2);
    log.flush();
    expect(log.logEndOffset).toBe(20n);
    log.close();
  });

  it('delete() closes the log and removes its directory', () => {
    const dir = join(tempDir(), 't-1');
    const log = PartitionLog.open(dir, config());
    fill(log, 2, () => 1);
    log.delete();
    expect(existsSync(dir)).toBe(false);
    expectError(() => log.read(0n, 10), StorageErrorCode.KAFKA_STORAGE_ERROR);
  });

  it('reports DEFAULT_LOG_CONFIG as Kafka\'s defaults', () => {
    const c: LogConfig = config();
    expect(c).toMatchObject({ segmentBytes: 1073741824, segmentMs: 604800000, indexIntervalBytes: 4096, segmentIndexBytes: 10485760, maxMessageBytes: 1048588, messageTimestampType: 'CreateTime' });
    expect(c.flushMessages).toBeUndefined();
  });
});
