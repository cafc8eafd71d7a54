// Writes a RecordBatch v2 one record at a time into a buffer, as the Java producer's
// MemoryRecordsBuilder does: a queued record is bytes in its batch, not an object, so a million
// records cost a million copies and no garbage. The record and header layout is the one
// src/protocol/records/records.ts documents and encodes; encodeRecordBatchSync stays the
// reference (the tests hold this builder to byte-for-byte equality with it), this is its
// incremental form for the producer's hot path. The payload is compressed when the batch is
// finished; producer id, epoch and sequence stay -1 here (the producer stamps them when sending).
import { BATCH_HEADER_SIZE, BatchField, CRC_START, CURRENT_MAGIC, LOG_OVERHEAD, writeInt64Number } from '../protocol/records/batch.js';
import { CodecId, compress, compressSync, type CompressionCodec } from '../protocol/records/compression.js';
import { crc32c } from '../protocol/records/crc32c.js';
import type { RecordHeader } from '../protocol/records/records.js';
import { varintSize, varlongSize, writeVarint, writeVarlong } from '../protocol/records/varint.js';


const bytesSize = (b: Buffer | null): number => (b === null ? 1 : varintSize(b.length) + b.length);
/** The size of a bytes field of `length` bytes (-1: null). */
const lengthSize = (length: number): number => (length < 0 ? 1 : varintSize(length) + length);

function writeBytes(buf: Buffer, b: Buffer | null, at: number): number {
  if (b === null) return writeVarint(buf, -1, at);
  at = writeVarint(buf, b.length, at);
  buf.set(b, at); // TypedArray#set: Buffer#copy's argument handling costs more than a short copy
  return at + b.length;
}

/** Values this short are copied byte by byte, longer ones natively (whose call costs ~100 ns). */
const COPY_LOOP_MAX = 16;

/**
 * Writes source[start, end) as a bytes field (null when `source` is). `source` is best a plain
 * Uint8Array: its subarray is far cheaper than a Buffer's, which builds a Buffer.
 */
function writeSlice(buf: Buffer, source: Uint8Array | null, start: number, end: number, at: number): number {
  if (source === null) return writeVarint(buf, -1, at);
  const length = end - start;
  at = writeVarint(buf, length, at);
  if (length <= COPY_LOOP_MAX) {
    for (let i = start; i < end; i++) buf[at++] = source[i]!;
    return at;
  }
  buf.set(start === 0 && end === source.length ? source : source.subarray(start, end), at);
  return at + length;
}

function headersSize(headers: readonly RecordHeader[]): number {
  let n = varintSize(headers.length);
  for (const h of headers) {
    const k = Buffer.byteLength(h.key, 'utf8');
    n += varintSize(k) + k + bytesSize(h.value);
  }
  return n;
}

/** The most a record can take in a batch (Java's DefaultRecord.sizeInUpperBound, used for max.request.size). */
export function recordSizeUpperBound(key: Buffer | null, value: Buffer | null, headers: readonly RecordHeader[]): number {
  return VALUE_ONLY_BOUND + (key?.length ?? 0) + (value?.length ?? 0) + (headers.length === 0 ? 0 : headersSize(headers));
}

/** recordSizeUpperBound of a record without key and headers, less its value's length. */
export const VALUE_ONLY_BOUND = 21;

/**
 * The fewest bytes a record puts between its value and the previous record's: the previous one's
 * header count, then this one's length, attributes, deltas, key and value length.
 */
const MIN_RECORD_GAP = 7;

/** The size of a record with no key and no headers (length varint included). */
function valueRecordSize(deltaSize: number, offsetDelta: number, length: number): number {
  const body = 1 + deltaSize + varintSize(offsetDelta) + 1 + varintSize(length) + length + 1;
  return varintSize(body) + body;
}

/** The body length of a record whose total size (length varint included) is `size`. */
function bodySize(size: number): number {
  for (let n = 1; n < 5; n++) if (varintSize(size - n) === n) return size - n;
  return size - 5;
}

export class BatchBuilder {
  private at = BATCH_HEADER_SIZE;
  private count = 0;
  private baseTimestamp = 0;
  private maxTimestamp = -1;

  /** `buffer` receives the batch; its first BATCH_HEADER_SIZE bytes are left for the header. */
  constructor(private buf: Buffer) {}

  get buffer(): Buffer {
    return this.buf;
  }

  /** Moves what was written to a bigger buffer; returns the old one. */
  moveTo(bigger: Buffer): Buffer {
    const old = this.buf;
    old.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
    return old;
  }

  get recordCount(): number {
    return this.count;
  }

  /** Bytes written so far, header included (uncompressed). */
  get sizeInBytes(): number {
    return this.at;
  }

  /** What the record would take if appended now. */
  recordSize(key: Buffer | null, value: Buffer | null, headers: readonly RecordHeader[], timestamp: number): number {
    return this.recordSizeOf(key, value === null ? -1 : value.length, headers, timestamp);
  }

  /** recordSize() for a value of `valueLength` bytes (-1: null). */
  recordSizeOf(key: Buffer | null, valueLength: number, headers: readonly RecordHeader[], timestamp: number): number {
    const tsDelta = this.count === 0 ? 0 : timestamp - this.baseTimestamp;
    const body = 1 + varlongSize(tsDelta) + varintSize(this.count) + bytesSize(key) + lengthSize(valueLength)
      + (headers.length === 0 ? 1 : headersSize(headers));
    return varintSize(body) + body;
  }

  /** Appends a record whose `size` (from recordSize) the caller made sure fits in the buffer. */
  append(key: Buffer | null, value: Buffer | null, headers: readonly RecordHeader[], timestamp: number, size: number): void {
    this.appendSlice(key, value, 0, value === null ? 0 : value.length, headers, timestamp, size);
  }

  /**
   * append() with the value given as source[valueStart, valueEnd) (null when `source` is), so a
   * caller holding many values in one buffer (lines of an input chunk) needs no view per value.
   */
  appendSlice(key: Buffer | null, source: Uint8Array | null, valueStart: number, valueEnd: number, headers: readonly RecordHeader[], timestamp: number, size: number): void {
    if (this.count === 0) this.baseTimestamp = timestamp;
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    const buf = this.buf;
    let at = this.at;
    const start = at;
    at = writeVarint(buf, bodySize(size), at);
    buf[at++] = 0; // attributes
    at = writeVarlong(buf, timestamp - this.baseTimestamp, at);
    at = writeVarint(buf, this.count, at);
    at = writeBytes(buf, key, at);
    at = writeSlice(buf, source, valueStart, valueEnd, at);
    at = writeVarint(buf, headers.length, at);
    for (const h of headers) {
      const k = Buffer.byteLength(h.key, 'utf8');
      at = writeVarint(buf, k, at);
      at += buf.write(h.key, at, k, 'utf8');
      at = writeBytes(buf, h.value, at);
    }
    if (at - start !== size) throw new RangeError(`record took ${at - start} bytes, ${size} were reserved`);
    this.at = at;
    this.count++;
  }

  /**
   * Appends records that are only a value, source[bounds[2i], bounds[2i + 1]) for i from `from`
   * up to `to`, all with `timestamp`: as append() would one by one, but in one loop (the console
   * producer's lines). Stops before a value longer than `maxLength` or a record that would end
   * past `limit`, and once `budget` bytes went in (the record that reaches it included). Never
   * appends a batch's first record (append() sets the batch up). Returns the index it stopped at.
   */
  appendValues(source: Uint8Array, bounds: Int32Array, from: number, to: number, timestamp: number, limit: number, budget: number, maxLength: number): number {
    if (this.count === 0) return from;
    const delta = timestamp - this.baseTimestamp;
    const deltaSize = varlongSize(delta);
    // First pass: how many records fit, and whether the values lie close together in `source`.
    const first = this.at;
    let at = first;
    let count = this.count;
    let i = from;
    let close = true;
    while (i < to && at - first < budget) {
      const start = bounds[2 * i]!;
      const length = bounds[2 * i + 1]! - start;
      if (length > maxLength) break;
      const size = valueRecordSize(deltaSize, count, length);
      if (at + size > limit) break;
      if (i > from) {
        const gap = start - bounds[2 * i - 1]!;
        if (gap < 0 || gap > MIN_RECORD_GAP) close = false;
      }
      at += size;
      count++;
      i++;
    }
    if (i === from) return from;
    if (close) this.writeClose(source, bounds, from, i, deltaSize, delta, at);
    else this.writeApart(source, bounds, from, i, delta);
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    this.at = at;
    this.count = count;
    return i;
  }

  /**
   * Writes value records [from, to) ending at `end`, their values lying at most MIN_RECORD_GAP
   * bytes apart in `source` (lines and their terminators): one native copy of them all to
   * where the first value goes, then, last record first, each value moves forward to its place
   * (a record's own bytes take at least MIN_RECORD_GAP, so nothing is overwritten before it has
   * moved) and its other fields are written around it. Far cheaper than a copy per value.
   */
  private writeClose(source: Uint8Array, bounds: Int32Array, from: number, to: number, deltaSize: number, delta: number, end: number): void {
    const buf = this.buf;
    const srcStart = bounds[2 * from]!;
    const firstLength = bounds[2 * from + 1]! - srcStart;
    const copyAt = this.at + valueRecordSize(deltaSize, this.count, firstLength) - firstLength - 1;
    buf.set(source.subarray(srcStart, bounds[2 * to - 1]!), copyAt);
    let recordEnd = end;
    for (let i = to - 1; i >= from; i--) {
      const start = bounds[2 * i]!;
      const length = bounds[2 * i + 1]! - start;
      const offsetDelta = this.count + i - from;
      const valueAt = recordEnd - 1 - length;
      const copiedAt = copyAt + start - srcStart;
      if (valueAt !== copiedAt) buf.copyWithin(valueAt, copiedAt, copiedAt + length);
      buf[recordEnd - 1] = 0; // no headers
      const size = valueRecordSize(deltaSize, offsetDelta, length);
      recordEnd -= size;
      this.writeValuePrefix(recordEnd, size, delta, offsetDelta, length);
    }
  }

  /** Writes value records [from, to) one after the other, copying each value on its own. */
  private writeApart(source: Uint8Array, bounds: Int32Array, from: number, to: number, delta: number): void {
    const buf = this.buf;
    const deltaSize = varlongSize(delta);
    let at = this.at;
    for (let i = from; i < to; i++) {
      const start = bounds[2 * i]!;
      const length = bounds[2 * i + 1]! - start;
      const size = valueRecordSize(deltaSize, this.count + i - from, length);
      at = this.writeValuePrefix(at, size, delta, this.count + i - from, length);
      buf.set(source.subarray(start, start + length), at);
      at += length;
      buf[at++] = 0; // no headers
    }
  }

  /** A value record's fields before its value: length, attributes, deltas, a null key, the value's length. */
  private writeValuePrefix(at: number, size: number, delta: number, offsetDelta: number, length: number): number {
    const buf = this.buf;
    at = writeVarint(buf, bodySize(size), at);
    buf[at++] = 0; // attributes
    at = writeVarlong(buf, delta, at);
    at = writeVarint(buf, offsetDelta, at);
    buf[at++] = 1; // zig-zag -1: a null key
    return writeVarint(buf, length, at);
  }

  /** The finished batch: in place for `none`, else a new buffer (the builder's may then be reused). */
  finish(compression: CompressionCodec, level?: number): Buffer {
    if (compression === 'none') return this.writeHeader(this.buf.subarray(0, this.at), CodecId.none);
    return this.wrap(compressSync(compression, this.payload(), level), compression);
  }

  /** finish() for every codec, zstd included. */
  async finishAsync(compression: CompressionCodec, level?: number): Promise<Buffer> {
    if (compression !== 'zstd') return this.finish(compression, level);
    return this.wrap(await compress(compression, this.payload(), level), compression);
  }

  private payload(): Buffer {
    return this.buf.subarray(BATCH_HEADER_SIZE, this.at);
  }

  private wrap(body: Buffer, compression: CompressionCodec): Buffer {
    const out = Buffer.allocUnsafe(BATCH_HEADER_SIZE + body.length);
    body.copy(out, BATCH_HEADER_SIZE);
    return this.writeHeader(out, CodecId[compression]);
  }

  private writeHeader(buf: Buffer, codec: number): Buffer {
    buf.writeBigInt64BE(0n, BatchField.baseOffset);
    buf.writeInt32BE(buf.length - LOG_OVERHEAD, BatchField.batchLength);
    buf.writeInt32BE(-1, BatchField.partitionLeaderEpoch);
    buf.writeInt8(CURRENT_MAGIC, BatchField.magic);
    buf.writeInt16BE(codec, BatchField.attributes);
    buf.writeInt32BE(this.count - 1, BatchField.lastOffsetDelta);
    writeInt64Number(buf, this.baseTimestamp, BatchField.baseTimestamp);
    writeInt64Number(buf, this.maxTimestamp, BatchField.maxTimestamp);
    buf.writeBigInt64BE(-1n, BatchField.producerId);
    buf.writeInt16BE(-1, BatchField.producerEpoch);
    buf.writeInt32BE(-1, BatchField.baseSequence);
    buf.writeInt32BE(this.count, BatchField.recordsCount);
    buf.writeUInt32BE(crc32c(buf, CRC_START, buf.length), BatchField.crc);
    return buf;
  }
}

/** Stamps an idempotent producer's id, epoch and first sequence into a finished batch (and its CRC). */
export function stampProducer(batch: Buffer, producerId: bigint, producerEpoch: number, baseSequence: number): void {
  batch.writeBigInt64BE(producerId, BatchField.producerId);
  batch.writeInt16BE(producerEpoch, BatchField.producerEpoch);
  batch.writeInt32BE(baseSequence, BatchField.baseSequence);
  batch.writeUInt32BE(crc32c(batch, CRC_START, batch.length), BatchField.crc);
}

/**
 * Batch buffers of one size, reused once their batch is done (as the Java producer's BufferPool
 * does), so steady producing allocates nothing. Other sizes are allocated and dropped.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    private readonly maxFree: number,
  ) {}

  /** A buffer of at least `size` bytes; its content is garbage. */
  take(size: number): Buffer {
    if (size <= this.size) return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
    return Buffer.allocUnsafeSlow(size);
  }

  /** Hands a buffer back; only call when nothing refers to its bytes any more. */
  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.free.length < this.maxFree) this.free.push(buffer);
  }
}
