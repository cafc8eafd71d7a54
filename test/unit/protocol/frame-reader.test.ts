import { describe, expect, it } from 'vitest';
import { FrameReader, FrameTooLargeError } from '../../../src/protocol/frame-reader.js';

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

describe('FrameReader', () => {
  const payloads = [Buffer.from('hello'), Buffer.alloc(0), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), Buffer.alloc(300, 7)];
  const stream = Buffer.concat(payloads.map(frame));

  it('cuts the same frames whatever the chunk boundaries (every single split point)', () => {
    for (let split = 0; split <= stream.length; split++) {
      const r = new FrameReader(1024);
      const got = [...r.push(stream.subarray(0, split)), ...r.push(stream.subarray(split))];
      expect(got).toEqual(payloads);
    }
  });

  it('cuts the same frames when fed one byte at a time', () => {
    const r = new FrameReader(1024);
    const got: Buffer[] = [];
    for (const b of stream) got.push(...r.push(Buffer.from([b])));
    expect(got).toEqual(payloads);
  });

  it('refuses a frame larger than the limit, and a negative size', () => {
    expect(() => new FrameReader(100).push(frame(Buffer.alloc(101)))).toThrow(FrameTooLargeError);
    expect(() => new FrameReader(100).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(FrameTooLargeError);
  });
});
