// The Writer across its 8 KiB block boundary: every primitive and small raw copy lands where it
// was written, whatever the alignment, so messages with thousands of small fields (a Produce to
// hundreds of partitions, Metadata for thousands) encode exactly.
import { describe, expect, it } from 'vitest';
import { Writer } from '../../../src/protocol/writer.js';

describe('Writer', () => {
  it('writes every primitive correctly when it crosses a block boundary', () => {
    for (let lead = 8180; lead < 8200; lead++) {
      const w = new Writer();
      w.raw(Buffer.alloc(lead % 500, 1)); // small raw copies fill the first block...
      for (let i = 0; i < Math.floor(lead / 500); i++) w.raw(Buffer.alloc(500, 2));
      const before = w.length;
      w.int8(-2).uint8(250).bool(true).int16(-3).uint16(65000).int32(-4).uint32(4000000000).int64(-5n).float64(1.5).raw(Buffer.from('tail'));
      const out = w.toBuffer();
      expect(out.length).toBe(w.length);
      const at = before;
      expect(out.readInt8(at)).toBe(-2);
      expect(out[at + 1]).toBe(250);
      expect(out[at + 2]).toBe(1);
      expect(out.readInt16BE(at + 3)).toBe(-3);
      expect(out.readUInt16BE(at + 5)).toBe(65000);
      expect(out.readInt32BE(at + 7)).toBe(-4);
      expect(out.readUInt32BE(at + 11)).toBe(4000000000);
      expect(out.readBigInt64BE(at + 15)).toBe(-5n);
      expect(out.readDoubleBE(at + 23)).toBe(1.5);
      expect(out.toString('utf8', at + 31)).toBe('tail');
      // Nothing written later leaked into the start.
      expect(out.subarray(0, lead % 500).every((b) => b === 1)).toBe(true);
    }
  });

  it('encodes many small fields (tens of KiB) identically to a byte-by-byte reference', () => {
    const w = new Writer();
    const ref: number[] = [];
    for (let i = 0; i < 20000; i++) {
      w.int32(i);
      ref.push((i >>> 24) & 0xff, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff);
      w.raw(Buffer.from([i & 0xff, 7]));
      ref.push(i & 0xff, 7);
    }
    expect(w.toBuffer().equals(Buffer.from(ref))).toBe(true);
  });
});
