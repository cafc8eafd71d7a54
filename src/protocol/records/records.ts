// Records inside a v2 batch: building a batch from application records, and walking the
// concatenated batches of a Fetch response or a segment back into records. The broker never calls
// this on its produce/fetch path (it moves batches as bytes); clients, tools and tests do.
//
// Decoding keeps keys, values and header values as views into the input (or into the
// decompressed payload), so a decoded record is only valid while that buffer is left unchanged.
//
// Record layout (after decompression), varint/varlong being zig-zag signed LEB128:
//
//   length          varint   bytes from attributes to the end of the headers
//   attributes      int8     unused, 0
//   timestampDelta  varlong  timestamp - batch baseTimestamp
//   offsetDelta     varint   offset - batch baseOffset
//   keyLength       varint   -1 = null key
//   key             bytes
//   valueLength     varint   -1 = null value
//   value           bytes
//   headerCount     varint
//   headers         [keyLength varint, key utf-8, valueLength varint (-1 = null), value bytes]
//
// Control batches (transaction markers and the KRaft control records) hold one record whose key is
// [version int16, type int16]; a transaction marker's value is [version int16, coordinatorEpoch int32].
import {
  Attribute,
  BATCH_HEADER_SIZE,
  BatchField,
  CRC_START,
  CURRENT_MAGIC,
  LOG_OVERHEAD,
  MIN_RECORD_SIZE,
  RecordBatchError,
  RecordErrorCode,
  batchSizeAt,
  checkBatchIntegrity,
  readBatchHeader,
  readInt64Number,
  writeInt64Number,
  type RecordBatchHeader,
  type TimestampType,
} from './batch.js';
import { CodecId, compress, compressSync, decompress, decompressSync, type CompressionCodec } from './compression.js';
import { crc32c } from './crc32c.js';
import { decodeLegacyEntry, isLegacyMagic } from './legacy.js';
import { varintSize, varlongSize, writeVarint, writeVarlong } from './varint.js';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface KafkaRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export type Bytes = Buffer | string;

export interface RecordInput {
  key?: Bytes | null;
  value: Bytes | null;
  headers?: Array<{ key: string; value: Bytes | null }>;
  /** Milliseconds since the epoch; defaults to the encode time. */
  timestamp?: bigint | number;
}

export interface EncodeBatchOptions {
  records: RecordInput[];
  baseOffset?: bigint;
  compression?: CompressionCodec;
  compressionLevel?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  timestampType?: TimestampType;
  isTransactional?: boolean;
  isControl?: boolean;
  partitionLeaderEpoch?: number;
  /** With LogAppendTime this becomes maxTimestamp; also the default record timestamp. */
  now?: number;
}

/** Control record types (the int16 in a control record's key). */
export const ControlType = { ABORT: 0, COMMIT: 1, LEADER_CHANGE: 2, SNAPSHOT_HEADER: 3, SNAPSHOT_FOOTER: 4, KRAFT_VERSION: 5, KRAFT_VOTERS: 6 } as const;

export interface ControlRecord {
  offset: bigint;
  version: number;
  /** -1 when the key is too short to hold a type. */
  type: number;
  value: Buffer | null;
}

export interface DecodedBatch {
  header: RecordBatchHeader;
  /** Data records; always empty for control batches. */
  records: KafkaRecord[];
  /** The marker of a control batch, null for data batches. */
  control: ControlRecord | null;
}

export interface DecodeOptions {
  /** Verify each batch's CRC-32C (default true), as Java's check.crcs does. */
  verifyCrc?: boolean;
}

// ---- encoding ----

const byteLength = (b: Bytes): number => (typeof b === 'string' ? Buffer.byteLength(b) : b.length);


function writeBytes(buf: Buffer, b: Bytes | null | undefined, at: number): number {
  if (b === null || b === undefined) return writeVarint(buf, -1, at);
  if (typeof b === 'string') {
    const n = Buffer.byteLength(b);
    at = writeVarint(buf, n, at);
    return at + buf.write(b, at, n, 'utf8');
  }
  at = writeVarint(buf, b.length, at);
  b.copy(buf, at);
  return at + b.length;
}

function toMillis(ts: bigint | number): number {
  const n = typeof ts === 'bigint' ? Number(ts) : ts;
  if (!Number.isSafeInteger(n)) throw new RangeError(`record timestamp ${ts} is not a safe integer`);
  return n;
}

interface Prepared {
  /** The records, preceded by BATCH_HEADER_SIZE bytes left free for the header. */
  buffer: Buffer;
  payload: Buffer;
  baseTimestamp: number;
  maxTimestamp: number;
  count: number;
}

/**
 * Serialises the records (uncompressed) in one allocation: sizes first, then bytes. Room for the
 * batch header is left in front, so an uncompressed batch is finished in place without a copy.
 */
function encodeRecords(records: RecordInput[], now: number): Prepared {
  const count = records.length;
  if (count === 0) throw new RangeError('a record batch needs at least one record');
  const timestamps = new Array<number>(count);
  const bodySizes = new Array<number>(count);
  const first = records[0]!;
  const baseTimestamp = first.timestamp === undefined ? now : toMillis(first.timestamp);
  let maxTimestamp = -1;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const r = records[i]!;
    const ts = r.timestamp === undefined ? now : toMillis(r.timestamp);
    timestamps[i] = ts;
    if (ts > maxTimestamp) maxTimestamp = ts;
    let size = 1 + varlongSize(ts - baseTimestamp) + varintSize(i);
    const key = r.key;
    if (key === null || key === undefined) size += 1;
    else {
      const n = byteLength(key);
      size += varintSize(n) + n;
    }
    if (r.value === null) size += 1;
    else {
      const n = byteLength(r.value);
      size += varintSize(n) + n;
    }
    const headers = r.headers;
    const hc = headers === undefined ? 0 : headers.length;
    size += varintSize(hc);
    for (let h = 0; h < hc; h++) {
      const hdr = headers![h]!;
      const kn = Buffer.byteLength(hdr.key);
      size += varintSize(kn) + kn;
      if (hdr.value === null) size += 1;
      else {
        const vn = byteLength(hdr.value);
        size += varintSize(vn) + vn;
      }
    }
    bodySizes[i] = size;
    total += varintSize(size) + size;
  }
  const buffer = Buffer.allocUnsafe(BATCH_HEADER_SIZE + total);
  const payload = buffer.subarray(BATCH_HEADER_SIZE);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const r = records[i]!;
    at = writeVarint(payload, bodySizes[i]!, at);
    payload[at++] = 0;
    at = writeVarlong(payload, timestamps[i]! - baseTimestamp, at);
    at = writeVarint(payload, i, at);
    at = writeBytes(payload, r.key, at);
    at = writeBytes(payload, r.value, at);
    const headers = r.headers ?? [];
    at = writeVarint(payload, headers.length, at);
    for (const hdr of headers) {
      at = writeBytes(payload, hdr.key, at);
      at = writeBytes(payload, hdr.value, at);
    }
  }
  return { buffer, payload, baseTimestamp, maxTimestamp, count };
}

/** Writes the header in front of the records; `body` is the compressed payload, or null for none. */
function assemble(opts: EncodeBatchOptions, prepared: Prepared, body: Buffer | null, now: number): Buffer {
  const size = BATCH_HEADER_SIZE + (body ?? prepared.payload).length;
  const buf = body === null ? prepared.buffer : Buffer.allocUnsafe(size);
  const codec = CodecId[opts.compression ?? 'none'];
  const logAppend = opts.timestampType === 'LogAppendTime';
  let attributes = codec;
  if (logAppend) attributes |= Attribute.logAppendTime;
  if (opts.isTransactional) attributes |= Attribute.transactional;
  if (opts.isControl) attributes |= Attribute.control;
  buf.writeBigInt64BE(opts.baseOffset ?? 0n, BatchField.baseOffset);
  buf.writeInt32BE(size - LOG_OVERHEAD, BatchField.batchLength);
  buf.writeInt32BE(opts.partitionLeaderEpoch ?? -1, BatchField.partitionLeaderEpoch);
  buf.writeInt8(CURRENT_MAGIC, BatchField.magic);
  buf.writeInt16BE(attributes, BatchField.attributes);
  buf.writeInt32BE(prepared.count - 1, BatchField.lastOffsetDelta);
  writeInt64Number(buf, prepared.baseTimestamp, BatchField.baseTimestamp);
  writeInt64Number(buf, logAppend ? now : prepared.maxTimestamp, BatchField.maxTimestamp);
  buf.writeBigInt64BE(opts.producerId ?? -1n, BatchField.producerId);
  buf.writeInt16BE(opts.producerEpoch ?? -1, BatchField.producerEpoch);
  buf.writeInt32BE(opts.baseSequence ?? -1, BatchField.baseSequence);
  buf.writeInt32BE(prepared.count, BatchField.recordsCount);
  if (body !== null) body.copy(buf, BATCH_HEADER_SIZE);
  buf.writeUInt32BE(crc32c(buf, CRC_START, size), BatchField.crc);
  return buf;
}

/** Builds one v2 record batch, compressing the records with any codec. */
export async function encodeRecordBatch(opts: EncodeBatchOptions): Promise<Buffer> {
  const now = opts.now ?? Date.now();
  const prepared = encodeRecords(opts.records, now);
  const codec = opts.compression ?? 'none';
  const body = codec === 'none' ? null : await compress(codec, prepared.payload, opts.compressionLevel);
  return assemble(opts, prepared, body, now);
}

/** Synchronous variant of encodeRecordBatch: every codec except zstd. */
export function encodeRecordBatchSync(opts: EncodeBatchOptions): Buffer {
  const now = opts.now ?? Date.now();
  const prepared = encodeRecords(opts.records, now);
  const codec = opts.compression ?? 'none';
  const body = codec === 'none' ? null : compressSync(codec, prepared.payload, opts.compressionLevel);
  return assemble(opts, prepared, body, now);
}

export interface ControlBatchOptions {
  type: number;
  producerId: bigint;
  producerEpoch: number;
  /** Transaction markers only: the coordinator epoch written into the marker value. */
  coordinatorEpoch?: number;
  /** Marker value for other control types; ignored when coordinatorEpoch is set. */
  value?: Buffer | null;
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  timestamp?: number;
}

/** A control batch holding one control record (a COMMIT/ABORT transaction marker by default shape). */
export function encodeControlBatch(opts: ControlBatchOptions): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(opts.type, 2);
  let value = opts.value ?? null;
  if (opts.coordinatorEpoch !== undefined) {
    value = Buffer.alloc(6);
    value.writeInt16BE(0, 0);
    value.writeInt32BE(opts.coordinatorEpoch, 2);
  }
  return encodeRecordBatchSync({
    records: [{ key, value, timestamp: opts.timestamp ?? Date.now() }],
    baseOffset: opts.baseOffset ?? 0n,
    producerId: opts.producerId,
    producerEpoch: opts.producerEpoch,
    baseSequence: -1,
    isTransactional: opts.type === ControlType.ABORT || opts.type === ControlType.COMMIT,
    isControl: true,
    partitionLeaderEpoch: opts.partitionLeaderEpoch ?? -1,
  });
}

// ---- decoding ----

function malformed(message: string): RecordBatchError {
  return new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, message);
}

/** Reads varints from a records payload; every overrun becomes a RecordBatchError. */
class RecordCursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    public end: number,
  ) {}

  varint(): number {
    let zz = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) throw malformed('record ends inside a varint');
      const b = this.buf[this.pos++]!;
      zz += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (zz > 0xffffffff) throw malformed('varint out of 32-bit range');
        return (zz >>> 1) ^ -(zz & 1);
      }
    }
    throw malformed('varint longer than 5 bytes');
  }

  /** Zig-zag varlong as a number; exact for magnitudes below 2^53, which timestamps are. */
  varlong(): number {
    let zz = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw malformed('record ends inside a varlong');
      const b = this.buf[this.pos++]!;
      zz += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
    }
    throw malformed('varlong longer than 10 bytes');
  }

  /** Length-prefixed bytes (-1 = null), as a view. */
  bytes(): Buffer | null {
    const n = this.varint();
    if (n < 0) {
      if (n === -1) return null;
      throw malformed(`negative length ${n}`);
    }
    if (n > this.end - this.pos) throw malformed(`length ${n} runs past the record`);
    const at = this.pos;
    this.pos += n;
    return this.buf.subarray(at, at + n);
  }

  string(): string {
    const n = this.varint();
    if (n < 0) throw malformed('null or negative header key length');
    if (n > this.end - this.pos) throw malformed(`header key length ${n} runs past the record`);
    const at = this.pos;
    this.pos += n;
    return this.buf.toString('utf8', at, at + n);
  }
}

interface BatchContext {
  header: RecordBatchHeader;
  baseOffset: number;
  baseTimestamp: number;
  logAppendTime: boolean;
}

/** Decodes `count` records from payload[start, end), appending to out. */
function decodeRecords(payload: Buffer, start: number, end: number, ctx: BatchContext, out: KafkaRecord[]): void {
  const count = ctx.header.recordsCount;
  if (count < 0 || count > (end - start) / MIN_RECORD_SIZE) {
    throw malformed(`record batch claims ${count} records in ${end - start} bytes`);
  }
  const c = new RecordCursor(payload, start, end);
  const offsetsSafe = Number.isSafeInteger(ctx.baseOffset);
  const timestampsSafe = Number.isSafeInteger(ctx.baseTimestamp);
  const logAppendTimestamp = ctx.header.maxTimestamp;
  for (let i = 0; i < count; i++) {
    const length = c.varint();
    if (length < 0 || length > end - c.pos) throw malformed(`record ${i} has length ${length} with ${end - c.pos} bytes left`);
    const recordEnd = c.pos + length;
    c.end = recordEnd;
    c.pos++; // attributes: no bits are defined
    const timestampDelta = c.varlong();
    const offsetDelta = c.varint();
    const key = c.bytes();
    const value = c.bytes();
    const headerCount = c.varint();
    if (headerCount < 0) throw malformed(`record ${i} has ${headerCount} headers`);
    if (headerCount > recordEnd - c.pos) throw malformed(`record ${i} claims ${headerCount} headers in ${recordEnd - c.pos} bytes`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const hk = c.string();
      headers.push({ key: hk, value: c.bytes() });
    }
    if (c.pos !== recordEnd) throw malformed(`record ${i} declares ${length} bytes but its fields end elsewhere`);
    c.end = end;
    const offset = offsetsSafe ? BigInt(ctx.baseOffset + offsetDelta) : ctx.header.baseOffset + BigInt(offsetDelta);
    const timestamp = ctx.logAppendTime
      ? logAppendTimestamp
      : timestampsSafe
        ? BigInt(ctx.baseTimestamp + timestampDelta)
        : ctx.header.baseTimestamp + BigInt(timestampDelta);
    out.push({ offset, timestamp, key, value, headers });
  }
  if (c.pos !== end) throw malformed(`${end - c.pos} bytes left over after ${count} records`);
}

function controlOf(records: KafkaRecord[]): ControlRecord | null {
  const r = records[0];
  if (r === undefined) return null;
  const key = r.key;
  const version = key !== null && key.length >= 2 ? key.readInt16BE(0) : -1;
  const type = key !== null && key.length >= 4 ? key.readInt16BE(2) : -1;
  return { offset: r.offset, version, type, value: r.value };
}

/**
 * Walks the batch boundaries of `buf`: yields [start, size] for each complete batch and stops at a
 * truncated trailing batch (Fetch responses cut the last one at the size limit). Throws on a size
 * that cannot be a batch, since nothing after it could be trusted.
 */
function* batchSpans(buf: Buffer): Generator<[number, number]> {
  let at = 0;
  while (buf.length - at >= LOG_OVERHEAD) {
    const size = batchSizeAt(buf, at);
    if (size > buf.length - at) return;
    if (size < LOG_OVERHEAD + 5) throw malformed(`record batch at ${at} has size ${size}`);
    const magic = buf.readInt8(at + BatchField.magic);
    const min = isLegacyMagic(magic) ? LOG_OVERHEAD + 14 : BATCH_HEADER_SIZE;
    if (size < min) throw malformed(`record batch at ${at} has size ${size}, below the minimum ${min}`);
    yield [at, size];
    at += size;
  }
}

function decodeHeaderChecked(buf: Buffer, at: number, size: number, verifyCrc: boolean): RecordBatchHeader {
  if (verifyCrc) {
    const err = checkBatchIntegrity(buf, at, at + size);
    if (err) throw err;
  }
  const header = readBatchHeader(buf, at);
  const codec = header.attributes & Attribute.codecMask;
  if (codec > 4) throw malformed(`unknown compression codec id ${codec}`);
  return header;
}

function contextOf(buf: Buffer, at: number, header: RecordBatchHeader): BatchContext {
  return {
    header,
    baseOffset: readInt64Number(buf, at + BatchField.baseOffset),
    baseTimestamp: readInt64Number(buf, at + BatchField.baseTimestamp),
    logAppendTime: (header.attributes & Attribute.logAppendTime) !== 0,
  };
}

function finishBatch(header: RecordBatchHeader, records: KafkaRecord[]): DecodedBatch {
  if (header.attributes & Attribute.control) return { header, records: [], control: controlOf(records) };
  return { header, records, control: null };
}

/**
 * Decodes every complete batch in `buf` (a Fetch response's records or a slice of a segment),
 * decompressing as needed. A truncated trailing batch is ignored; any malformed complete batch
 * throws RecordBatchError. Control batches are reported with no data records.
 * Legacy magic 0/1 message sets are read too, each wrapper or plain message becoming a batch.
 */
export async function decodeRecordBatches(buf: Buffer, opts: DecodeOptions = {}): Promise<DecodedBatch[]> {
  const verifyCrc = opts.verifyCrc ?? true;
  const out: DecodedBatch[] = [];
  for (const [at, size] of batchSpans(buf)) {
    const magic = buf.readInt8(at + BatchField.magic);
    if (isLegacyMagic(magic)) {
      out.push(decodeLegacyEntry(buf.subarray(at, at + size), verifyCrc));
      continue;
    }
    const header = decodeHeaderChecked(buf, at, size, verifyCrc);
    const ctx = contextOf(buf, at, header);
    const records: KafkaRecord[] = [];
    const codec = header.attributes & Attribute.codecMask;
    if (codec === 0) {
      decodeRecords(buf, at + BATCH_HEADER_SIZE, at + size, ctx, records);
    } else {
      const payload = await decompress(codec, buf.subarray(at + BATCH_HEADER_SIZE, at + size));
      decodeRecords(payload, 0, payload.length, ctx, records);
    }
    out.push(finishBatch(header, records));
  }
  return out;
}

/**
 * Synchronous decodeRecordBatches. zstd batches cannot be decoded synchronously and throw
 * RecordBatchError(UNSUPPORTED_COMPRESSION_TYPE).
 */
export function decodeRecordBatchesSync(buf: Buffer, opts: DecodeOptions = {}): DecodedBatch[] {
  const verifyCrc = opts.verifyCrc ?? true;
  const out: DecodedBatch[] = [];
  for (const [at, size] of batchSpans(buf)) {
    const magic = buf.readInt8(at + BatchField.magic);
    if (isLegacyMagic(magic)) {
      out.push(decodeLegacyEntry(buf.subarray(at, at + size), verifyCrc));
      continue;
    }
    out.push(decodeBatchSync(buf, at, size, verifyCrc));
  }
  return out;
}

/** Decodes the one v2 batch at buf[at, at + size) synchronously (zstd excepted). */
export function decodeBatchSync(buf: Buffer, at: number, size: number, verifyCrc = true): DecodedBatch {
  const header = decodeHeaderChecked(buf, at, size, verifyCrc);
  const ctx = contextOf(buf, at, header);
  const records: KafkaRecord[] = [];
  const codec = header.attributes & Attribute.codecMask;
  if (codec === 0) {
    decodeRecords(buf, at + BATCH_HEADER_SIZE, at + size, ctx, records);
  } else {
    const payload = decompressSync(codec, buf.subarray(at + BATCH_HEADER_SIZE, at + size));
    decodeRecords(payload, 0, payload.length, ctx, records);
  }
  return finishBatch(header, records);
}
