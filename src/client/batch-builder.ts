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

function writeBytes(buf: Buffer, b: Buffer | null, at: number): number {
  if (b === null) return writeVarint(buf, -1, at);
  at = writeVarint(buf, b.length, at);
  buf.set(b, at); // TypedArray#set: Buffer#copy's argument handling costs more than a short copy
  return at + b.length;
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
  return 21 + (key?.length ?? 0) + (value?.length ?? 0) + (headers.length === 0 ? 0 : headersSize(headers));
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
    const tsDelta = this.count === 0 ? 0 : timestamp - this.baseTimestamp;
    const body = 1 + varlongSize(tsDelta) + varintSize(this.count) + bytesSize(key) + bytesSize(value)
      + (headers.length === 0 ? 1 : headersSize(headers));
    return varintSize(body) + body;
  }

  /** Appends a record whose `size` (from recordSize) the caller made sure fits in the buffer. */
  append(key: Buffer | null, value: Buffer | null, headers: readonly RecordHeader[], timestamp: number, size: number): void {
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
    at = writeBytes(buf, value, at);
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
