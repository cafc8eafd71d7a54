import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { compressFrameSync, compressSync as lz4Block, decompressFrameSync } from 'lz4-napi';
import { compressSync as snappyRaw } from 'snappy';
import { describe, expect, it } from 'vitest';
import { RecordBatchError } from '../../../src/protocol/records/batch.js';
import {
  CODEC_NAMES,
  CodecId,
  codecName,
  compress,
  compressSync,
  decompress,
  decompressSync,
  lz4FrameCompress,
  lz4FrameDecompress,
  snappyDecompress,
  snappyXerialCompress,
  xxhash32,
} from '../../../src/protocol/records/compression.js';

const text = (n: number): Buffer => Buffer.from('the quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(n / 45)).slice(0, n));

const samples: Array<[string, Buffer]> = [
  ['empty', Buffer.alloc(0)],
  ['one byte', Buffer.from([7])],
  ['text', text(1000)],
  ['random', randomBytes(5000)],
  ['large text (several 64 KiB blocks)', text(300_000)],
  ['large random', randomBytes(200_000)],
];

describe('codec ids', () => {
  it('numbers the codecs as Kafka does', () => {
    expect(CodecId).toEqual({ none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 });
    expect(CODEC_NAMES.map((n) => CodecId[n])).toEqual([0, 1, 2, 3, 4]);
    expect(codecName(3)).toBe('lz4');
    expect(() => codecName(5)).toThrow(RecordBatchError);
  });
});

describe('round trips', () => {
  for (const codec of CODEC_NAMES) {
    for (const [name, data] of samples) {
      it(`${codec}: ${name}`, async () => {
        const packed = await compress(codec, data);
        expect((await decompress(codec, packed)).equals(data)).toBe(true);
        if (codec !== 'zstd') {
          expect(decompressSync(codec, compressSync(codec, data)).equals(data)).toBe(true);
          expect(decompressSync(CodecId[codec], packed).equals(data)).toBe(true);
        }
      });
    }
  }

  it('refuses zstd in the synchronous API with a clean error', () => {
    expect(() => compressSync('zstd', Buffer.from('x'))).toThrow(RecordBatchError);
    expect(() => decompressSync('zstd', Buffer.from('x'))).toThrow(RecordBatchError);
  });
});

describe('xxhash32', () => {
  it('matches the reference vectors', () => {
    expect(xxhash32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxhash32(Buffer.from('a'))).toBe(0x550d7456);
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it('hashes a sub-range and honours the seed', () => {
    const buf = Buffer.from('--abc--');
    expect(xxhash32(buf, 0, 2, 5)).toBe(0x32d153ff);
    expect(xxhash32(Buffer.from('abc'), 1)).not.toBe(0x32d153ff);
  });
});

describe('snappy framing', () => {
  it('writes the xerial header and 32 KiB chunks, as SnappyOutputStream does', () => {
    const data = text(70_000);
    const framed = snappyXerialCompress(data);
    expect(framed.subarray(0, 16).toString('hex')).toBe('82534e41505059000000000100000001');
    let pos = 16;
    let chunks = 0;
    while (pos < framed.length) {
      pos += 4 + framed.readInt32BE(pos);
      chunks++;
    }
    expect(pos).toBe(framed.length);
    expect(chunks).toBe(3);
  });

  it('reads a raw snappy block with no framing (librdkafka)', () => {
    const data = text(5000);
    expect(snappyDecompress(snappyRaw(data)).equals(data)).toBe(true);
  });

  it('reads concatenated xerial streams', () => {
    const a = text(100);
    const b = text(200);
    const joined = Buffer.concat([snappyXerialCompress(a), snappyXerialCompress(b)]);
    expect(snappyDecompress(joined).equals(Buffer.concat([a, b]))).toBe(true);
  });

  it('refuses a raw block that claims an impossible size before allocating it', () => {
    const forged = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x01]);
    expect(() => decompressSync('snappy', forged)).toThrow(/claims/);
  });

  it('refuses a truncated xerial chunk', () => {
    const framed = snappyXerialCompress(text(1000));
    expect(() => decompressSync('snappy', framed.subarray(0, framed.length - 3))).toThrow(RecordBatchError);
  });
});

describe('LZ4 frame', () => {
  it('writes exactly the header Kafka writes (FLG 0x60, BD 0x40, checksum)', () => {
    const framed = lz4FrameCompress(text(10));
    expect(framed.subarray(0, 7).toString('hex')).toBe('04224d18604082');
    expect(framed.subarray(-4).toString('hex')).toBe('00000000');
  });

  it('stores incompressible blocks uncompressed with the high bit set', () => {
    const data = randomBytes(1000);
    const framed = lz4FrameCompress(data);
    const word = framed.readUInt32LE(7);
    expect(word >>> 31).toBe(1);
    expect(word & 0x7fffffff).toBe(1000);
    expect(framed.subarray(11, 1011).equals(data)).toBe(true);
  });

  it('cuts input into 64 KiB blocks', () => {
    const data = text(200_000);
    const framed = lz4FrameCompress(data);
    let pos = 7;
    let blocks = 0;
    for (;;) {
      const word = framed.readUInt32LE(pos);
      pos += 4;
      if (word === 0) break;
      pos += word & 0x7fffffff;
      blocks++;
    }
    expect(blocks).toBe(4);
    expect(pos).toBe(framed.length);
  });

  it('is readable by an independent LZ4 frame implementation, and reads its frames', () => {
    const data = text(150_000);
    expect(decompressFrameSync(lz4FrameCompress(data)).equals(data)).toBe(true);
    expect(lz4FrameDecompress(compressFrameSync(data)).equals(data)).toBe(true);
  });

  it('accepts content-size, block and content checksum flags', () => {
    const data = text(100_000);
    const framed = compressFrameSync(data, { contentChecksum: true, blockChecksums: true });
    expect(framed[4]! & 0x14).toBe(0x14);
    expect(lz4FrameDecompress(framed).equals(data)).toBe(true);

    // Hand-built frame with the content-size flag (8 extra header bytes).
    const block = lz4Block(text(500)).subarray(4);
    const header = Buffer.alloc(15);
    header.writeUInt32LE(0x184d2204, 0);
    header[4] = 0x68;
    header[5] = 0x40;
    header.writeBigUInt64LE(500n, 6);
    header[14] = (xxhash32(header, 0, 4, 14) >>> 8) & 0xff;
    const size = Buffer.alloc(4);
    size.writeUInt32LE(block.length);
    const frame = Buffer.concat([header, size, block, Buffer.alloc(4)]);
    expect(lz4FrameDecompress(frame).equals(text(500))).toBe(true);
  });

  it('accepts the magic-0 header checksum variant (hash over the magic too)', () => {
    const framed = Buffer.from(lz4FrameCompress(text(300)));
    framed[6] = (xxhash32(framed, 0, 0, 6) >>> 8) & 0xff;
    expect(lz4FrameDecompress(framed).equals(text(300))).toBe(true);
  });

  it('refuses a bad header checksum, linked blocks and a missing end mark', () => {
    const framed = lz4FrameCompress(text(300));
    const badHc = Buffer.from(framed);
    badHc[6] ^= 0xff;
    expect(() => decompressSync('lz4', badHc)).toThrow(/checksum/);
    const linked = Buffer.from(framed);
    linked[4] = 0x40;
    linked[6] = (xxhash32(linked, 0, 4, 6) >>> 8) & 0xff;
    expect(() => decompressSync('lz4', linked)).toThrow(/linked/);
    expect(() => decompressSync('lz4', framed.subarray(0, framed.length - 4))).toThrow(RecordBatchError);
  });
});

describe('corrupt input', () => {
  it('surfaces every codec failure as RecordBatchError', async () => {
    const junk = Buffer.from('this is not compressed data at all');
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      await expect(decompress(codec, junk), codec).rejects.toBeInstanceOf(RecordBatchError);
    }
    const gz = gzipSync(text(1000));
    await expect(decompress('gzip', gz.subarray(0, gz.length - 10))).rejects.toBeInstanceOf(RecordBatchError);
  });
});
