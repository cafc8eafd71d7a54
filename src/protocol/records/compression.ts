// The five record-batch codecs and the exact stream framing Kafka's Java client writes for each,
// so batches we compress can be read by any Kafka client and batches any client wrote can be read
// here. Compression covers only the records part of a batch (everything after recordsCount).
//
// Every decoder failure surfaces as RecordBatchError(CORRUPT_MESSAGE); native errors never leak.
// Decoders bound their output before allocating it where the format states a size up front, so a
// forged length cannot make the process allocate gigabytes.
//
//   id  codec   payload
//    0  none
//    1  gzip    RFC 1952 gzip stream (one or more members)
//    2  snappy  xerial snappy-java stream, as SnappyOutputStream writes it:
//                 magic 82 53 4e 41 50 50 59 00 ("\x82SNAPPY\0"), version int32 BE = 1,
//                 minCompatibleVersion int32 BE = 1, then chunks of
//                 [compressedLength int32 BE][raw snappy block] (Java cuts input every 32 KiB).
//               Read side also accepts one raw snappy block with no framing (what librdkafka writes).
//    3  lz4     LZ4 frame (lz4 frame spec v1.6), as Kafka's Lz4BlockOutputStream writes it:
//                 magic 04 22 4d 18 (0x184D2204 little-endian)
//                 FLG  0x60  version 01, independent blocks, no block/content checksum, no size
//                 BD   0x40  64 KiB maximum block size
//                 HC   (xxhash32(FLG..BD, seed 0) >> 8) & 0xff
//                 blocks: [size int32 LE, high bit = stored uncompressed][data]
//                 end mark: int32 0
//               Read side also accepts content size, dictionary id, block and content checksum
//               flags and any block size id 4..7; only linked (dependent) blocks are refused.
//    4  zstd    zstd frame(s), RFC 8878 (async only: the native binding has no sync API)
import { gunzipSync, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { RecordBatchError, RecordErrorCode } from './batch.js';

// The native codecs load on first use: most runs (a broker that never sees snappy, a CLI command)
// never need them, and loading all three costs a noticeable part of start-up.
const require = createRequire(import.meta.url);
let lz4: typeof import('lz4-napi') | undefined;
let snappy: typeof import('snappy') | undefined;
let zstd: typeof import('@mongodb-js/zstd') | undefined;
const lz4BlockCompress = (b: Buffer): Buffer => (lz4 ??= require('lz4-napi') as typeof import('lz4-napi')).compressSync(b);
const lz4BlockUncompress = (b: Buffer): Buffer => (lz4 ??= require('lz4-napi') as typeof import('lz4-napi')).uncompressSync(b);
const snappyRawCompress = (b: Buffer): Buffer => (snappy ??= require('snappy') as typeof import('snappy')).compressSync(b);
const snappyRawUncompress = (b: Buffer): Buffer | string => (snappy ??= require('snappy') as typeof import('snappy')).uncompressSync(b);
const zstdCompress = (b: Buffer, level: number): Promise<Buffer> => (zstd ??= require('@mongodb-js/zstd') as typeof import('@mongodb-js/zstd')).compress(b, level);
const zstdDecompress = (b: Buffer): Promise<Buffer> => (zstd ??= require('@mongodb-js/zstd') as typeof import('@mongodb-js/zstd')).decompress(b);

export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export const CODEC_NAMES: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export const CodecId: Readonly<Record<CompressionCodec, number>> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

export function codecName(id: number): CompressionCodec {
  const name = CODEC_NAMES[id];
  if (name === undefined) throw new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, `unknown compression codec id ${id}`);
  return name;
}

const toName = (codec: CompressionCodec | number): CompressionCodec => (typeof codec === 'number' ? codecName(codec) : codec);

function corrupt(codec: string, err: unknown): RecordBatchError {
  if (err instanceof RecordBatchError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new RecordBatchError(RecordErrorCode.CORRUPT_MESSAGE, `${codec} payload does not decompress: ${why}`);
}

/** Compresses a records payload. zstd is asynchronous in its binding, so this is too. */
export async function compress(codec: CompressionCodec | number, data: Buffer, level?: number): Promise<Buffer> {
  const name = toName(codec);
  if (name === 'zstd') return zstdCompress(data, level ?? 3);
  return compressSync(name, data, level);
}

/** Synchronous compression for every codec except zstd. */
export function compressSync(codec: CompressionCodec | number, data: Buffer, level?: number): Buffer {
  const name = toName(codec);
  switch (name) {
    case 'none':
      return data;
    case 'gzip':
      return gzipSync(data, level === undefined ? {} : { level });
    case 'snappy':
      return snappyXerialCompress(data);
    case 'lz4':
      return lz4FrameCompress(data);
    case 'zstd':
      throw new RecordBatchError(RecordErrorCode.UNSUPPORTED_COMPRESSION_TYPE, 'zstd can only be compressed asynchronously (use compress)');
  }
}

export async function decompress(codec: CompressionCodec | number, data: Buffer): Promise<Buffer> {
  const name = toName(codec);
  if (name !== 'zstd') return decompressSync(name, data);
  try {
    return await zstdDecompress(data);
  } catch (err) {
    throw corrupt('zstd', err);
  }
}

/** Synchronous decompression for every codec except zstd (throws UNSUPPORTED_COMPRESSION_TYPE for it). */
export function decompressSync(codec: CompressionCodec | number, data: Buffer): Buffer {
  const name = toName(codec);
  try {
    switch (name) {
      case 'none':
        return data;
      case 'gzip':
        return gunzipSync(data);
      case 'snappy':
        return snappyDecompress(data);
      case 'lz4':
        return lz4FrameDecompress(data);
      case 'zstd':
        throw new RecordBatchError(RecordErrorCode.UNSUPPORTED_COMPRESSION_TYPE, 'zstd can only be decompressed asynchronously (use decompress)');
    }
  } catch (err) {
    throw corrupt(name, err);
  }
}

// ---- snappy (xerial framing) ----

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
/** SnappyOutputStream's default block size. */
const XERIAL_BLOCK = 32 * 1024;
/**
 * Snappy's best case: a 3-byte copy op emits 64 bytes. A raw block announcing more than this
 * multiple of its own size is corrupt, so refuse it before the binding allocates the output.
 */
const SNAPPY_MAX_RATIO = 22;

export function snappyXerialCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  parts.push(header);
  let total = XERIAL_HEADER_SIZE;
  for (let off = 0; off < data.length; off += XERIAL_BLOCK) {
    const block = snappyRawCompress(data.subarray(off, Math.min(off + XERIAL_BLOCK, data.length)));
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, block);
    total += 4 + block.length;
  }
  return Buffer.concat(parts, total);
}

function isXerial(data: Buffer, at: number): boolean {
  return data.length - at >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, at, at + 8) === 0;
}

/** Reads a xerial-framed stream, or a single raw snappy block when the magic is absent. */
export function snappyDecompress(data: Buffer): Buffer {
  if (!isXerial(data, 0)) return snappyRawBlock(data);
  const parts: Buffer[] = [];
  let total = 0;
  let pos = 0;
  while (pos < data.length) {
    // Concatenated xerial streams repeat the header; Java's SnappyInputStream skips it.
    if (isXerial(data, pos)) {
      pos += XERIAL_HEADER_SIZE;
      continue;
    }
    if (data.length - pos < 4) throw new Error(`truncated chunk length at ${pos}`);
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || len > data.length - pos) throw new Error(`chunk of ${len} bytes with ${data.length - pos} left`);
    const chunk = snappyRawBlock(data.subarray(pos, pos + len));
    parts.push(chunk);
    total += chunk.length;
    pos += len;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
}

function snappyRawBlock(block: Buffer): Buffer {
  // The block opens with the uncompressed length as an unsigned LEB128 varint.
  let declared = 0;
  let i = 0;
  for (let shift = 0; ; shift += 7, i++) {
    if (i >= block.length || i >= 5) throw new Error('bad snappy length prefix');
    const b = block[i]!;
    declared += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
  }
  if (declared > block.length * SNAPPY_MAX_RATIO + 64) {
    throw new Error(`snappy block of ${block.length} bytes claims ${declared} uncompressed`);
  }
  return snappyRawUncompress(block) as Buffer;
}

// ---- LZ4 frame ----

const LZ4_MAGIC = 0x184d2204;
const LZ4_FLG_VERSION_1 = 0x40;
const LZ4_FLG_INDEPENDENT = 0x20;
const LZ4_FLG_BLOCK_CHECKSUM = 0x10;
const LZ4_FLG_CONTENT_SIZE = 0x08;
const LZ4_FLG_CONTENT_CHECKSUM = 0x04;
const LZ4_FLG_DICT_ID = 0x01;
const LZ4_BD_64KB = 4 << 4;
const LZ4_UNCOMPRESSED_BIT = 0x80000000;
const LZ4_BLOCK = 64 * 1024;
/** Holds [size prefix][compressed block] for the binding; reused, as decoding is synchronous. */
let lz4Scratch = Buffer.allocUnsafe(4 + LZ4_BLOCK);

export function lz4FrameCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.allocUnsafe(7);
  header.writeUInt32LE(LZ4_MAGIC, 0);
  header[4] = LZ4_FLG_VERSION_1 | LZ4_FLG_INDEPENDENT;
  header[5] = LZ4_BD_64KB;
  header[6] = (xxhash32(header, 0, 4, 6) >>> 8) & 0xff;
  parts.push(header);
  let total = header.length;
  for (let off = 0; off < data.length; off += LZ4_BLOCK) {
    const block = data.subarray(off, Math.min(off + LZ4_BLOCK, data.length));
    // The binding prefixes its output with the uncompressed size (4 bytes LE); the frame does not.
    const packed = lz4BlockCompress(block);
    const compressed = packed.subarray(4);
    const size = Buffer.allocUnsafe(4);
    if (compressed.length < block.length) {
      size.writeUInt32LE(compressed.length, 0);
      parts.push(size, compressed);
      total += 4 + compressed.length;
    } else {
      size.writeUInt32LE((block.length | LZ4_UNCOMPRESSED_BIT) >>> 0, 0);
      parts.push(size, block);
      total += 4 + block.length;
    }
  }
  parts.push(Buffer.alloc(4));
  total += 4;
  return Buffer.concat(parts, total);
}

export function lz4FrameDecompress(data: Buffer): Buffer {
  if (data.length < 7 || data.readUInt32LE(0) !== LZ4_MAGIC) throw new Error('missing LZ4 frame magic');
  const flg = data[4]!;
  const bd = data[5]!;
  if (flg >> 6 !== 1) throw new Error(`unsupported LZ4 frame version ${flg >> 6}`);
  if ((flg & LZ4_FLG_INDEPENDENT) === 0) throw new Error('linked LZ4 blocks are not supported (Kafka never writes them)');
  const sizeId = (bd >> 4) & 0x07;
  if (sizeId < 4) throw new Error(`invalid LZ4 block size id ${sizeId}`);
  const blockMax = 1 << (2 * sizeId + 8);
  let pos = 6;
  if (flg & LZ4_FLG_CONTENT_SIZE) pos += 8;
  if (flg & LZ4_FLG_DICT_ID) pos += 4;
  if (data.length < pos + 1) throw new Error('truncated LZ4 frame header');
  const hc = data[pos]!;
  // Kafka's magic-0 writer hashed the magic bytes too; accept that variant as its reader does.
  if (hc !== ((xxhash32(data, 0, 4, pos) >>> 8) & 0xff) && hc !== ((xxhash32(data, 0, 0, pos) >>> 8) & 0xff)) {
    throw new Error('LZ4 frame header checksum mismatch');
  }
  pos += 1;
  const blockChecksum = (flg & LZ4_FLG_BLOCK_CHECKSUM) !== 0;
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    if (data.length - pos < 4) throw new Error('truncated LZ4 frame: no end mark');
    const word = data.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break;
    const len = word & 0x7fffffff;
    if (len > blockMax || len > data.length - pos) throw new Error(`LZ4 block of ${len} bytes does not fit`);
    let out: Buffer;
    if (word & LZ4_UNCOMPRESSED_BIT) {
      out = data.subarray(pos, pos + len);
    } else {
      // The binding wants the (maximum) uncompressed size in front of the block; it truncates
      // its output to what the block really holds and fails if the block would exceed it.
      if (lz4Scratch.length < 4 + len) lz4Scratch = Buffer.allocUnsafe(Math.max(4 + len, 2 * lz4Scratch.length));
      lz4Scratch.writeUInt32LE(blockMax, 0);
      data.copy(lz4Scratch, 4, pos, pos + len);
      out = lz4BlockUncompress(lz4Scratch.subarray(0, 4 + len));
    }
    parts.push(out);
    total += out.length;
    pos += len + (blockChecksum ? 4 : 0);
  }
  if (flg & LZ4_FLG_CONTENT_CHECKSUM && data.length - pos < 4) throw new Error('truncated LZ4 content checksum');
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
}

// ---- xxHash32 (only the LZ4 frame header checksum needs it) ----

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
const round = (acc: number, lane: number): number => Math.imul(rotl((acc + Math.imul(lane, P2)) | 0, 13), P1);

/** xxHash32 of buf[start, end) with the given seed, unsigned. */
export function xxhash32(buf: Uint8Array, seed = 0, start = 0, end = buf.length): number {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = end - start;
  let p = start;
  let h: number;
  if (len >= 16) {
    let v1 = (seed + P1 + P2) | 0;
    let v2 = (seed + P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1) | 0;
    for (const limit = end - 16; p <= limit; p += 16) {
      v1 = round(v1, view.getUint32(p, true));
      v2 = round(v2, view.getUint32(p + 4, true));
      v3 = round(v3, view.getUint32(p + 8, true));
      v4 = round(v4, view.getUint32(p + 12, true));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + P5) | 0;
  }
  h = (h + len) | 0;
  for (; p + 4 <= end; p += 4) h = Math.imul(rotl((h + Math.imul(view.getUint32(p, true), P3)) | 0, 17), P4);
  for (; p < end; p++) h = Math.imul(rotl((h + Math.imul(buf[p]!, P5)) | 0, 11), P1);
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}
