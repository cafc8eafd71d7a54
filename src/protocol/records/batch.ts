// RecordBatch v2 framing: reading the 61-byte header, checking a batch the way a broker must before
// it accepts one, and stamping the broker-owned fields in place. Everything here works on raw
// bytes at a position inside a larger buffer (a Produce frame, a segment chunk), never copies, and
// never decodes the records themselves: that is what keeps the produce path free of per-record work.
//
// Invariants kept by the stamping helpers: baseOffset and partitionLeaderEpoch sit outside the
// CRC, so they are written without touching it; anything from byte 21 on is CRC-covered, so
// setLogAppendTime recomputes the CRC before it returns.
//
// Batch layout (all big-endian; positions relative to the start of the batch):
//
//    0  baseOffset            int64    offset of the first record; the broker assigns it
//    8  batchLength           int32    bytes after this field (whole batch = batchLength + 12)
//   12  partitionLeaderEpoch  int32    stamped by the leader; not covered by the CRC
//   16  magic                 int8     2 (every message format keeps its magic at byte 16)
//   17  crc                   uint32   CRC-32C of bytes 21 .. end of batch
//   21  attributes            int16    bits 0-2 codec, 3 LogAppendTime, 4 transactional,
//                                      5 control, 6 delete horizon set
//   23  lastOffsetDelta       int32    lastOffset - baseOffset
//   27  baseTimestamp         int64    timestamp of the first record
//   35  maxTimestamp          int64    largest record timestamp, or the log-append time
//   43  producerId            int64    -1 when not idempotent
//   51  producerEpoch         int16
//   53  baseSequence          int32    -1 when not idempotent
//   57  recordsCount          int32    stays uncompressed
//   61  records...                     compressed as one blob when the codec bits are set
import { crc32c } from './crc32c.js';
import { ErrorCode } from '../error-codes.js';

export const LOG_OVERHEAD = 12;
export const BATCH_HEADER_SIZE = 61;
export const CURRENT_MAGIC = 2;
/** The smallest encodable record: length, attributes, three one-byte varints, null key and value, no headers. */
export const MIN_RECORD_SIZE = 7;

/** Byte positions of the header fields, relative to the start of a batch. */
export const BatchField = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordsCount: 57,
} as const;

/** Where the CRC-covered region begins. */
export const CRC_START = BatchField.attributes;

export const Attribute = {
  codecMask: 0x07,
  logAppendTime: 0x08,
  transactional: 0x10,
  control: 0x20,
  deleteHorizon: 0x40,
} as const;

/** The Kafka error codes this layer reports (from the one table); the broker copies them into its responses. */
export const RecordErrorCode = {
  CORRUPT_MESSAGE: ErrorCode.CORRUPT_MESSAGE,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
  UNSUPPORTED_COMPRESSION_TYPE: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
  INVALID_RECORD: ErrorCode.INVALID_RECORD,
} as const;

/**
 * A batch that is malformed, fails its checksum or breaks a broker rule. It carries the Kafka
 * error code to answer with; callers decide whether that is a partition error or a dropped
 * connection.
 */
export class RecordBatchError extends Error {
  readonly code = 'RECORD_BATCH_ERROR';
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'RecordBatchError';
  }
}

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface RecordBatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** Unsigned. */
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

export const compressionCodecOf = (attributes: number): number => attributes & Attribute.codecMask;
export const timestampTypeOf = (attributes: number): TimestampType =>
  attributes & Attribute.logAppendTime ? 'LogAppendTime' : 'CreateTime';
export const isTransactional = (attributes: number): boolean => (attributes & Attribute.transactional) !== 0;
export const isControl = (attributes: number): boolean => (attributes & Attribute.control) !== 0;
export const hasDeleteHorizon = (attributes: number): boolean => (attributes & Attribute.deleteHorizon) !== 0;

/** lastOffset of a decoded header. */
export const lastOffsetOf = (h: RecordBatchHeader): bigint => h.baseOffset + BigInt(h.lastOffsetDelta);

// Raw accessors for the hot paths. int64 fields are read as JS numbers: offsets and millisecond
// timestamps stay far below 2^53, and this avoids a BigInt allocation per batch.

/** Whole size of the batch at `at` (batchLength + 12). Caller ensures 12 bytes are present. */
export const batchSizeAt = (buf: Buffer, at: number): number => buf.readInt32BE(at + BatchField.batchLength) + LOG_OVERHEAD;

export function readInt64Number(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}

export function writeInt64Number(buf: Buffer, value: number, at: number): void {
  const hi = Math.floor(value / 4294967296);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(value - hi * 4294967296, at + 4);
}

/**
 * Decodes the header of the magic-2 batch at `at`. Throws RecordBatchError when fewer than 61
 * bytes are left or the magic is not 2; it does not check sizes or the CRC (see validateBatch).
 */
export function readBatchHeader(buf: Buffer, at = 0): RecordBatchHeader {
  if (!Number.isInteger(at) || at < 0 || buf.length - at < BATCH_HEADER_SIZE) {
    const left = Math.max(0, buf.length - at);
    throw new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, `record batch header needs ${BATCH_HEADER_SIZE} bytes, ${left} left at ${at}`);
  }
  const magic = buf.readInt8(at + BatchField.magic);
  if (magic !== CURRENT_MAGIC) throw magicError(magic);
  return {
    baseOffset: buf.readBigInt64BE(at + BatchField.baseOffset),
    batchLength: buf.readInt32BE(at + BatchField.batchLength),
    partitionLeaderEpoch: buf.readInt32BE(at + BatchField.partitionLeaderEpoch),
    magic,
    crc: buf.readUInt32BE(at + BatchField.crc),
    attributes: buf.readInt16BE(at + BatchField.attributes),
    lastOffsetDelta: buf.readInt32BE(at + BatchField.lastOffsetDelta),
    baseTimestamp: buf.readBigInt64BE(at + BatchField.baseTimestamp),
    maxTimestamp: buf.readBigInt64BE(at + BatchField.maxTimestamp),
    producerId: buf.readBigInt64BE(at + BatchField.producerId),
    producerEpoch: buf.readInt16BE(at + BatchField.producerEpoch),
    baseSequence: buf.readInt32BE(at + BatchField.baseSequence),
    recordsCount: buf.readInt32BE(at + BatchField.recordsCount),
  };
}

function magicError(magic: number): RecordBatchError {
  if (magic === 0 || magic === 1) {
    return new RecordBatchError(
      RecordErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
      `message format v${magic} is not supported here; only record batch v2 is`,
    );
  }
  return new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, `invalid magic byte ${magic}`);
}

/**
 * Checks what any stored or received batch must satisfy: magic 2, a size that covers the header
 * and fits in [at, end), and a matching CRC-32C. Returns the problem, or null when it holds.
 * Log recovery uses this alone, since compacted or control batches need not meet producer rules.
 */
export function checkBatchIntegrity(buf: Buffer, at = 0, end = buf.length): RecordBatchError | null {
  if (end > buf.length) end = buf.length;
  const avail = at >= 0 ? end - at : -1;
  if (avail < LOG_OVERHEAD + 5) {
    return new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, `record batch of ${Math.max(avail, 0)} bytes is too short to hold a header`);
  }
  const magic = buf.readInt8(at + BatchField.magic);
  if (magic !== CURRENT_MAGIC) return magicError(magic);
  const size = batchSizeAt(buf, at);
  if (size < BATCH_HEADER_SIZE) {
    return new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, `record batch size ${size} is smaller than its ${BATCH_HEADER_SIZE}-byte header`);
  }
  if (size > avail) {
    return new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, `record batch claims ${size} bytes but only ${avail} are present`);
  }
  const stored = buf.readUInt32BE(at + BatchField.crc);
  const actual = crc32c(buf, at + CRC_START, at + size);
  if (stored !== actual) {
    return new RecordBatchError(
      RecordErrorCode.CORRUPT_MESSAGE,
      `record batch CRC mismatch: stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${actual.toString(16).padStart(8, '0')}`,
    );
  }
  return null;
}

/**
 * Full check of a batch received from a producer: integrity (above), a known codec,
 * recordsCount > 0 and equal to lastOffsetDelta + 1, enough bytes for that many uncompressed
 * records, and a sequence number whenever a data batch has a producer id. Returns the problem or
 * null. Whether control batches are allowed at all depends on who writes, so it is not decided here.
 */
export function validateBatch(buf: Buffer, at = 0, end = buf.length): RecordBatchError | null {
  const integrity = checkBatchIntegrity(buf, at, end);
  if (integrity) return integrity;
  const size = batchSizeAt(buf, at);
  const attributes = buf.readInt16BE(at + BatchField.attributes);
  const codec = compressionCodecOf(attributes);
  if (codec > 4) return new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, `unknown compression codec id ${codec}`);
  const count = buf.readInt32BE(at + BatchField.recordsCount);
  if (count <= 0) return new RecordBatchError(RecordErrorCode.INVALID_RECORD, `record batch has ${count} records; at least one is required`);
  const lastOffsetDelta = buf.readInt32BE(at + BatchField.lastOffsetDelta);
  if (lastOffsetDelta + 1 !== count) {
    return new RecordBatchError(
      RecordErrorCode.INVALID_RECORD,
      `record batch has ${count} records but lastOffsetDelta ${lastOffsetDelta}; they must agree (count = delta + 1)`,
    );
  }
  if (codec === 0 && count > (size - BATCH_HEADER_SIZE) / MIN_RECORD_SIZE) {
    return new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, `record batch claims ${count} records in only ${size - BATCH_HEADER_SIZE} bytes`);
  }
  // Transaction markers carry the producer id with no sequence; only data batches need one.
  const producerIdHi = buf.readInt32BE(at + BatchField.producerId);
  if (producerIdHi >= 0 && (attributes & Attribute.control) === 0 && buf.readInt32BE(at + BatchField.baseSequence) < 0) {
    return new RecordBatchError(RecordErrorCode.INVALID_RECORD, 'record batch has a producer id but no base sequence');
  }
  return null;
}

/** Writes baseOffset in place. Outside the CRC, so the batch stays valid. */
export function setBaseOffset(buf: Buffer, at: number, offset: bigint | number): void {
  if (typeof offset === 'bigint') buf.writeBigInt64BE(offset, at + BatchField.baseOffset);
  else writeInt64Number(buf, offset, at + BatchField.baseOffset);
}

/** Writes partitionLeaderEpoch in place. Outside the CRC. */
export function setPartitionLeaderEpoch(buf: Buffer, at: number, epoch: number): void {
  buf.writeInt32BE(epoch, at + BatchField.partitionLeaderEpoch);
}

/**
 * Marks the batch at `at` as LogAppendTime with the broker's clock as maxTimestamp, then
 * recomputes the CRC because both fields are covered by it. The batch must already be
 * size-checked (the whole batch lies inside buf).
 */
export function setLogAppendTime(buf: Buffer, at: number, timestamp: bigint | number): void {
  const attributes = buf.readInt16BE(at + BatchField.attributes);
  buf.writeInt16BE(attributes | Attribute.logAppendTime, at + BatchField.attributes);
  if (typeof timestamp === 'bigint') buf.writeBigInt64BE(timestamp, at + BatchField.maxTimestamp);
  else writeInt64Number(buf, timestamp, at + BatchField.maxTimestamp);
  const size = batchSizeAt(buf, at);
  buf.writeUInt32BE(crc32c(buf, at + CRC_START, at + size), at + BatchField.crc);
}

/** Recomputes and stores the CRC of the batch at `at` (after editing covered fields). */
export function updateBatchCrc(buf: Buffer, at = 0): void {
  const size = batchSizeAt(buf, at);
  buf.writeUInt32BE(crc32c(buf, at + CRC_START, at + size), at + BatchField.crc);
}
