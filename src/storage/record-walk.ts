// Walking the records inside one v2 batch without building an object per record: what the
// produce path needs to refuse keyless records on compacted topics (a few varints per record, no
// copies), and what the log cleaner needs to choose and re-encode survivors.
//
// A record (after decompression), varint/varlong being zig-zag LEB128:
//
//   length          varint   bytes from attributes to the end of the headers
//   attributes      int8
//   timestampDelta  varlong
//   offsetDelta     varint
//   keyLength       varint   -1 = null key          ┐ the "tail": copied unchanged when a
//   key             bytes                            │ record is re-encoded, since only the
//   valueLength     varint   -1 = null (tombstone)   │ timestamp delta can change
//   value           bytes                            │
//   headerCount     varint, headers                  ┘
//
// Every length is checked against the record's and the payload's end: a malformed record throws
// StorageError(CORRUPT_MESSAGE), never reads outside the buffer.
import { Attribute, BATCH_HEADER_SIZE, BatchField, batchSizeAt, readInt64Number } from '../protocol/records/batch.js';
import { decompress, decompressSync } from '../protocol/records/compression.js';
import { StorageError, StorageErrorCode } from './errors.js';

/** One record of a payload; the walker reuses a single instance, so copy what must outlive the visit. */
export interface RecordView {
  /** Payload position of the record's length varint, and one past the record. */
  start: number;
  end: number;
  attributes: number;
  timestampDelta: number;
  offsetDelta: number;
  /** Key bytes are [keyStart, keyStart + keyLength); keyLength is -1 for a null key. */
  keyStart: number;
  keyLength: number;
  /** -1 for a null value: a tombstone on a compacted topic. */
  valueLength: number;
  /** Where the key length varint starts: the tail [tailStart, end) is copied unchanged on re-encode. */
  tailStart: number;
}

const ZSTD = 4;

function corrupt(why: string): StorageError {
  return new StorageError(StorageErrorCode.CORRUPT_MESSAGE, `Record is corrupt: ${why}`);
}

/** Reads zig-zag varints from buf[pos, end); every overrun throws CORRUPT_MESSAGE. */
class VarintCursor {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;

  varint(): number {
    let zz = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) throw corrupt('record ends inside a varint');
      const b = this.buf[this.pos++]!;
      zz += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (zz > 0xffffffff) throw corrupt('varint out of 32-bit range');
        return (zz >>> 1) ^ -(zz & 1);
      }
    }
    throw corrupt('varint longer than 5 bytes');
  }

  /** Exact for magnitudes below 2^53, which timestamp deltas are. */
  varlong(): number {
    let zz = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw corrupt('record ends inside a varlong');
      const b = this.buf[this.pos++]!;
      zz += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
    }
    throw corrupt('varlong longer than 10 bytes');
  }
}

const cursor = new VarintCursor();
const view: RecordView = { start: 0, end: 0, attributes: 0, timestampDelta: 0, offsetDelta: 0, keyStart: 0, keyLength: -1, valueLength: -1, tailStart: 0 };

/**
 * Calls `visit` for each of the `count` records in payload[start, end), in order, with the record's
 * index in the batch. Checks each record's length, key and value bounds, and that the records fill
 * the payload exactly; headers are only skipped (their bytes stay inside the record's length).
 */
export function forEachRecord(payload: Buffer, start: number, end: number, count: number, visit: (r: RecordView, index: number) => void): void {
  if (count < 0 || count > end - start) throw corrupt(`batch claims ${count} records in ${end - start} bytes`);
  const c = cursor;
  c.buf = payload;
  c.pos = start;
  for (let i = 0; i < count; i++) {
    c.end = end;
    const recordStart = c.pos;
    const length = c.varint();
    if (length < 1 || length > end - c.pos) throw corrupt(`record ${i} has length ${length} with ${end - c.pos} bytes left`);
    const recordEnd = c.pos + length;
    c.end = recordEnd;
    view.attributes = payload[c.pos++]!;
    view.timestampDelta = c.varlong();
    view.offsetDelta = c.varint();
    view.tailStart = c.pos;
    const keyLength = c.varint();
    if (keyLength < -1 || keyLength > recordEnd - c.pos) throw corrupt(`record ${i} has key length ${keyLength}`);
    view.keyStart = c.pos;
    view.keyLength = keyLength;
    if (keyLength > 0) c.pos += keyLength;
    const valueLength = c.varint();
    if (valueLength < -1 || valueLength > recordEnd - c.pos) throw corrupt(`record ${i} has value length ${valueLength}`);
    view.valueLength = valueLength;
    view.start = recordStart;
    view.end = recordEnd;
    visit(view, i);
    c.buf = payload; // a visitor may walk another payload in between
    c.pos = recordEnd;
  }
  if (c.pos !== end) throw corrupt(`${end - c.pos} bytes left over after ${count} records`);
}

/** The batch's records, decompressed when needed (every codec but zstd): [payload, start, end]. */
export function recordsPayloadSync(batch: Buffer, at: number, size: number): [Buffer, number, number] {
  const codec = batch.readInt16BE(at + BatchField.attributes) & Attribute.codecMask;
  if (codec === 0) return [batch, at + BATCH_HEADER_SIZE, at + size];
  if (codec === ZSTD) throw new Error('zstd payloads can only be read asynchronously');
  const payload = decompressOrCorrupt(() => decompressSync(codec, batch.subarray(at + BATCH_HEADER_SIZE, at + size)));
  return [payload, 0, payload.length];
}

/** recordsPayloadSync for any codec. */
export async function recordsPayload(batch: Buffer, at: number, size: number): Promise<[Buffer, number, number]> {
  const codec = batch.readInt16BE(at + BatchField.attributes) & Attribute.codecMask;
  if (codec !== ZSTD) return recordsPayloadSync(batch, at, size);
  let payload: Buffer;
  try {
    payload = await decompress(codec, batch.subarray(at + BATCH_HEADER_SIZE, at + size));
  } catch (err) {
    throw corrupt((err as Error).message);
  }
  return [payload, 0, payload.length];
}

function decompressOrCorrupt(fn: () => Buffer): Buffer {
  try {
    return fn();
  } catch (err) {
    throw corrupt((err as Error).message);
  }
}

export const isZstdBatch = (batch: Buffer, at = 0): boolean => (batch.readInt16BE(at + BatchField.attributes) & Attribute.codecMask) === ZSTD;

function keyless(payload: [Buffer, number, number], count: number): number[] {
  const out: number[] = [];
  forEachRecord(payload[0], payload[1], payload[2], count, (r, i) => {
    if (r.keyLength < 0) out.push(i);
  });
  return out;
}

/** Indexes (within the batch) of the records that have no key. Not for zstd batches: see keylessRecords. */
export function keylessRecordsSync(batch: Buffer, at = 0, size = batchSizeAt(batch, at)): number[] {
  return keyless(recordsPayloadSync(batch, at, size), batch.readInt32BE(at + BatchField.recordsCount));
}

export async function keylessRecords(batch: Buffer, at = 0, size = batchSizeAt(batch, at)): Promise<number[]> {
  return keyless(await recordsPayload(batch, at, size), batch.readInt32BE(at + BatchField.recordsCount));
}

/** The absolute timestamp of a record: baseTimestamp + delta (the batch's own timestamp semantics aside). */
export const recordTimestamp = (batch: Buffer, at: number, r: RecordView): number => readInt64Number(batch, at + BatchField.baseTimestamp) + r.timestampDelta;

// ---- encoding (for re-encoded records) ----

export { varintSize, varlongSize, writeVarint, writeVarlong } from '../protocol/records/varint.js';
