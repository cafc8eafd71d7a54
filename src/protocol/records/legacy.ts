// Read-only support for the legacy message formats (magic 0 and 1), which can still sit in
// segments written by very old brokers or come from old brokers' Fetch responses. Each log entry
// (a plain message, or a compressed wrapper holding a nested message set) is reported as one
// DecodedBatch with a header synthesised in v2 terms, so callers advance offsets the same way.
// Nothing here writes these formats.
//
//   log entry  := offset int64, messageSize int32, message
//   message    := crc uint32      CRC-32 (IEEE) of magic .. end of message
//                 magic int8      0 or 1
//                 attributes int8 bits 0-2 codec, bit 3 LogAppendTime (magic 1 only)
//                 timestamp int64 (magic 1 only)
//                 key   int32 length (-1 = null) + bytes
//                 value int32 length (-1 = null) + bytes
//
// A wrapper's value is a compressed message set of inner entries. With magic 1 the inner offsets
// are relative (0..n-1) and the wrapper's offset is the absolute offset of the last inner one;
// with magic 0 the inner offsets are absolute.
import * as zlib from 'node:zlib';
import { LOG_OVERHEAD, RecordBatchError, RecordErrorCode, type RecordBatchHeader } from './batch.js';
import { decompressSync } from './compression.js';
import type { DecodedBatch, KafkaRecord } from './records.js';

export const isLegacyMagic = (magic: number): boolean => magic === 0 || magic === 1;

const V0_OVERHEAD = 14;
const V1_OVERHEAD = 22;

// node:zlib gained crc32 in Node 20.15; keep a table-driven fallback for older 20.x releases.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let table: Uint32Array | undefined;

function crc32Ieee(buf: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(buf) >>> 0;
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < buf.length; i++) crc = table[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function malformed(message: string): RecordBatchError {
  return new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, message);
}

interface LegacyMessage {
  offset: bigint;
  magic: number;
  crc: number;
  attributes: number;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

function nullableBytes(buf: Buffer, at: number, end: number): [Buffer | null, number] {
  if (end - at < 4) throw malformed('legacy message ends inside a length field');
  const n = buf.readInt32BE(at);
  at += 4;
  if (n < 0) return [null, at];
  if (n > end - at) throw malformed(`legacy message field of ${n} bytes runs past the message`);
  return [buf.subarray(at, at + n), at + n];
}

/** Parses the log entry at buf[at, at + 12 + messageSize). */
function readMessage(buf: Buffer, at: number, verifyCrc: boolean): [LegacyMessage, number] {
  if (buf.length - at < LOG_OVERHEAD) throw malformed('truncated legacy log entry');
  const offset = buf.readBigInt64BE(at);
  const size = buf.readInt32BE(at + 8);
  const start = at + LOG_OVERHEAD;
  const end = start + size;
  if (size < V0_OVERHEAD || end > buf.length) throw malformed(`legacy message of size ${size} does not fit`);
  const crc = buf.readUInt32BE(start);
  const magic = buf.readInt8(start + 4);
  if (!isLegacyMagic(magic)) throw malformed(`legacy message with magic ${magic}`);
  if (magic === 1 && size < V1_OVERHEAD) throw malformed(`v1 message of size ${size} is too short`);
  if (verifyCrc) {
    const actual = crc32Ieee(buf.subarray(start + 4, end));
    if (actual !== crc) throw malformed(`legacy message CRC mismatch: stored ${crc}, computed ${actual}`);
  }
  const attributes = buf.readInt8(start + 5);
  let pos = start + 6;
  let timestamp = -1n;
  if (magic === 1) {
    timestamp = buf.readBigInt64BE(pos);
    pos += 8;
  }
  const [key, afterKey] = nullableBytes(buf, pos, end);
  const [value, afterValue] = nullableBytes(buf, afterKey, end);
  if (afterValue !== end) throw malformed('legacy message has trailing bytes');
  return [{ offset, magic, crc, attributes, timestamp, key, value }, end];
}

function headerFor(m: LegacyMessage, size: number, records: KafkaRecord[]): RecordBatchHeader {
  const first = records[0]!;
  const last = records[records.length - 1]!;
  let max = -1n;
  for (const r of records) if (r.timestamp > max) max = r.timestamp;
  return {
    baseOffset: first.offset,
    batchLength: size - LOG_OVERHEAD,
    partitionLeaderEpoch: -1,
    magic: m.magic,
    crc: m.crc,
    attributes: m.attributes & 0x0f,
    lastOffsetDelta: Number(last.offset - first.offset),
    baseTimestamp: first.timestamp,
    maxTimestamp: max,
    producerId: -1n,
    producerEpoch: -1,
    baseSequence: -1,
    recordsCount: records.length,
  };
}

const toRecord = (offset: bigint, timestamp: bigint, m: LegacyMessage): KafkaRecord => ({
  offset,
  timestamp,
  key: m.key,
  value: m.value,
  headers: [],
});

/** Decodes one legacy log entry (exactly `entry`, as cut by the batch walker). */
export function decodeLegacyEntry(entry: Buffer, verifyCrc: boolean): DecodedBatch {
  const [outer] = readMessage(entry, 0, verifyCrc);
  const codec = outer.attributes & 0x07;
  const logAppendTime = outer.magic === 1 && (outer.attributes & 0x08) !== 0;
  const records: KafkaRecord[] = [];
  if (codec === 0) {
    records.push(toRecord(outer.offset, outer.timestamp, outer));
  } else {
    if (codec > 3) throw malformed(`codec ${codec} is not allowed in message format v${outer.magic}`);
    if (outer.value === null) throw malformed('compressed legacy wrapper without a value');
    const inner = decompressSync(codec, outer.value);
    const messages: LegacyMessage[] = [];
    for (let at = 0; at < inner.length; ) {
      const [m, next] = readMessage(inner, at, verifyCrc);
      messages.push(m);
      at = next;
    }
    if (messages.length === 0) throw malformed('empty compressed legacy wrapper');
    // v1 inner offsets are relative; the wrapper carries the absolute offset of the last one.
    const lastRelative = messages[messages.length - 1]!.offset;
    for (const m of messages) {
      const offset = outer.magic === 1 ? outer.offset - lastRelative + m.offset : m.offset;
      records.push(toRecord(offset, logAppendTime ? outer.timestamp : m.timestamp, m));
    }
  }
  return { header: headerFor(outer, entry.length, records), records, control: null };
}
