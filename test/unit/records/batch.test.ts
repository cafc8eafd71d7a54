import { describe, expect, it } from 'vitest';
import {
  BATCH_HEADER_SIZE,
  BatchField,
  RecordBatchError,
  RecordErrorCode,
  checkBatchIntegrity,
  compressionCodecOf,
  isControl,
  isTransactional,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  timestampTypeOf,
  updateBatchCrc,
  validateBatch,
} from '../../../src/protocol/records/batch.js';
import { crc32c } from '../../../src/protocol/records/crc32c.js';
import { encodeRecordBatchSync } from '../../../src/protocol/records/records.js';

const small = (): Buffer =>
  encodeRecordBatchSync({
    records: [
      { key: 'k', value: 'v', timestamp: 1000 },
      { key: null, value: 'second', timestamp: 1005, headers: [{ key: 'h', value: null }] },
    ],
    baseOffset: 0n,
  });

describe('crc32c', () => {
  it('matches the CRC-32C check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('covers only the requested range', () => {
    const buf = Buffer.from('xx123456789yy');
    expect(crc32c(buf, 2, 11)).toBe(0xe3069283);
  });
});

describe('readBatchHeader', () => {
  it('decodes every header field', () => {
    const buf = encodeRecordBatchSync({
      records: [{ value: 'a', timestamp: 5000 }, { value: 'b', timestamp: 7000 }, { value: 'c', timestamp: 6000 }],
      baseOffset: 42n,
      producerId: 9n,
      producerEpoch: 3,
      baseSequence: 17,
      isTransactional: true,
      partitionLeaderEpoch: 4,
      compression: 'gzip',
    });
    const h = readBatchHeader(buf);
    expect(h).toMatchObject({
      baseOffset: 42n,
      batchLength: buf.length - 12,
      partitionLeaderEpoch: 4,
      magic: 2,
      lastOffsetDelta: 2,
      baseTimestamp: 5000n,
      maxTimestamp: 7000n,
      producerId: 9n,
      producerEpoch: 3,
      baseSequence: 17,
      recordsCount: 3,
    });
    expect(h.crc).toBe(buf.readUInt32BE(17));
    expect(h.crc).toBeGreaterThanOrEqual(0);
    expect(compressionCodecOf(h.attributes)).toBe(1);
    expect(isTransactional(h.attributes)).toBe(true);
    expect(isControl(h.attributes)).toBe(false);
    expect(timestampTypeOf(h.attributes)).toBe('CreateTime');
  });

  it('reads a batch at an offset inside a larger buffer', () => {
    const b = small();
    const buf = Buffer.concat([Buffer.alloc(7), b]);
    expect(readBatchHeader(buf, 7).recordsCount).toBe(2);
  });

  it('refuses short input and other magics with a RecordBatchError', () => {
    expect(() => readBatchHeader(Buffer.alloc(60))).toThrow(RecordBatchError);
    const b = small();
    b[16] = 1;
    expect(() => readBatchHeader(b)).toThrow(expect.objectContaining({ errorCode: RecordErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT }));
    b[16] = 7;
    expect(() => readBatchHeader(b)).toThrow(expect.objectContaining({ errorCode: RecordErrorCode.CORRUPT_MESSAGE }));
  });
});

describe('validateBatch', () => {
  it('accepts a batch we encoded', () => {
    expect(validateBatch(small())).toBeNull();
  });

  it('detects a flipped bit at every byte the CRC covers, and only there', () => {
    const good = small();
    for (let i = 0; i < good.length; i++) {
      const b = Buffer.from(good);
      b[i] ^= 0x01;
      const err = validateBatch(b);
      if (i < BatchField.batchLength) {
        // baseOffset is outside the CRC: a producer's value does not matter.
        expect(err, `byte ${i}`).toBeNull();
      } else if (i >= BatchField.partitionLeaderEpoch && i < BatchField.magic) {
        expect(err, `byte ${i}`).toBeNull();
      } else {
        expect(err, `byte ${i}`).toBeInstanceOf(RecordBatchError);
      }
    }
  });

  it('reports a CRC mismatch as CORRUPT_MESSAGE', () => {
    const b = small();
    b[b.length - 1] ^= 0xff;
    const err = validateBatch(b);
    expect(err?.errorCode).toBe(RecordErrorCode.CORRUPT_MESSAGE);
    expect(err?.message).toMatch(/CRC/);
  });

  it('checks the size fields against the buffer', () => {
    const b = small();
    expect(validateBatch(b.subarray(0, b.length - 1))?.message).toMatch(/claims/);
    expect(validateBatch(b.subarray(0, 10))?.errorCode).toBe(RecordErrorCode.CORRUPT_MESSAGE);
    const tiny = Buffer.from(b);
    tiny.writeInt32BE(20, BatchField.batchLength);
    expect(validateBatch(tiny)?.message).toMatch(/smaller than/);
  });

  it('requires recordsCount > 0 and lastOffsetDelta + 1 == recordsCount', () => {
    const b = small();
    b.writeInt32BE(5, BatchField.lastOffsetDelta);
    updateBatchCrc(b);
    expect(validateBatch(b)?.errorCode).toBe(RecordErrorCode.INVALID_RECORD);
    b.writeInt32BE(-1, BatchField.lastOffsetDelta);
    b.writeInt32BE(0, BatchField.recordsCount);
    updateBatchCrc(b);
    expect(validateBatch(b)?.errorCode).toBe(RecordErrorCode.INVALID_RECORD);
  });

  it('refuses more uncompressed records than the bytes can hold', () => {
    const b = small();
    b.writeInt32BE(1000, BatchField.recordsCount);
    b.writeInt32BE(999, BatchField.lastOffsetDelta);
    updateBatchCrc(b);
    expect(validateBatch(b)?.errorCode).toBe(RecordErrorCode.CORRUPT_MESSAGE);
  });

  it('refuses a producer id without a base sequence', () => {
    const b = encodeRecordBatchSync({ records: [{ value: 'x' }], producerId: 5n, producerEpoch: 0, baseSequence: -1 });
    expect(validateBatch(b)?.errorCode).toBe(RecordErrorCode.INVALID_RECORD);
  });

  it('refuses legacy magic with UNSUPPORTED_FOR_MESSAGE_FORMAT', () => {
    const b = small();
    b[BatchField.magic] = 1;
    expect(validateBatch(b)?.errorCode).toBe(RecordErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT);
  });

  it('never reads outside the buffer', () => {
    const b = small();
    expect(checkBatchIntegrity(b, 0, b.length + 100)).toBeNull();
    expect(checkBatchIntegrity(b, -3)).toBeInstanceOf(RecordBatchError);
    expect(validateBatch(Buffer.alloc(0))).toBeInstanceOf(RecordBatchError);
  });
});

describe('in-place stamping', () => {
  it('setBaseOffset and setPartitionLeaderEpoch keep the CRC valid', () => {
    const b = small();
    setBaseOffset(b, 0, 123456789012n);
    setPartitionLeaderEpoch(b, 0, 77);
    expect(validateBatch(b)).toBeNull();
    expect(readBatchHeader(b)).toMatchObject({ baseOffset: 123456789012n, partitionLeaderEpoch: 77 });
    setBaseOffset(b, 0, 2 ** 40 + 5);
    expect(readBatchHeader(b).baseOffset).toBe(2n ** 40n + 5n);
  });

  it('setLogAppendTime sets the attribute and maxTimestamp and recomputes the CRC', () => {
    const inner = small();
    const b = Buffer.concat([Buffer.alloc(3), inner]);
    setLogAppendTime(b, 3, 1_700_000_000_123n);
    expect(validateBatch(b, 3)).toBeNull();
    const h = readBatchHeader(b, 3);
    expect(timestampTypeOf(h.attributes)).toBe('LogAppendTime');
    expect(h.maxTimestamp).toBe(1_700_000_000_123n);
    expect(h.baseTimestamp).toBe(1000n);
    setLogAppendTime(b, 3, 1_700_000_000_999);
    expect(readBatchHeader(b, 3).maxTimestamp).toBe(1_700_000_000_999n);
    expect(validateBatch(b, 3)).toBeNull();
  });

  it('leaves a batch of exactly the header size valid', () => {
    expect(BATCH_HEADER_SIZE).toBe(61);
  });
});
