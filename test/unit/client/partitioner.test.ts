// The producer's partition choice: Kafka's murmur2 (vectors from Apache Kafka's
// UtilsTest.testMurmur2), toPositive, the keyed partition, and sticky key-less placement.
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, StickyPartitioner, toPositive } from '../../../src/client/partitioner.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('murmur2 (Utils.murmur2)', () => {
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('%s ⇒ %d, as Java computes it', (input, expected) => {
    expect(murmur2(bytes(input))).toBe(expected);
  });

  it('covers every tail length and bytes with the high bit set', () => {
    // Java reads the bytes signed and masks them with 0xff; so must we (no sign extension).
    const high = Buffer.from([0xff, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0]);
    const seen = new Set<number>();
    for (let n = 0; n <= high.length; n++) seen.add(murmur2(high.subarray(0, n)));
    expect(seen.size).toBe(high.length + 1);
    for (const h of seen) expect(Number.isInteger(h) && h >= -0x80000000 && h <= 0x7fffffff).toBe(true);
  });

  it('hashes a view the same as a copy', () => {
    const big = Buffer.from('xxfoobaryy');
    expect(murmur2(big.subarray(2, 8))).toBe(murmur2(bytes('foobar')));
  });
});

describe('toPositive and partitionForKey', () => {
  it('clears the sign bit rather than negating', () => {
    expect(toPositive(-790332482)).toBe(-790332482 & 0x7fffffff);
    expect(toPositive(-0x80000000)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });

  it('places keys as the Java client does', () => {
    // (murmur2 & 0x7fffffff) % n, checked by hand from the vectors above.
    expect(partitionForKey(bytes('foobar'), 10)).toBe(1357151166 % 10);
    expect(partitionForKey(bytes('21'), 3)).toBe((-973932308 & 0x7fffffff) % 3);
    expect(partitionForKey(bytes('abc'), 7)).toBe(479470107 % 7);
  });
});

describe('StickyPartitioner', () => {
  const sequence = (values: number[]) => {
    let i = 0;
    return () => values[i++ % values.length]!;
  };

  it('stays on one partition until a batch worth of bytes went there and a new batch opened', () => {
    const p = new StickyPartitioner(100, sequence([0.5, 0.1, 0.9]));
    const first = p.partition(4, [0, 1, 2, 3]);
    expect(first).toBe(2);
    p.appended(first, 60, true, 4, [0, 1, 2, 3]);
    p.appended(first, 60, false, 4, [0, 1, 2, 3]); // 120 bytes, but the batch is still open
    expect(p.partition(4, [0, 1, 2, 3])).toBe(first);
    p.appended(first, 10, true, 4, [0, 1, 2, 3]); // the record that opened a new batch: switch
    expect(p.partition(4, [0, 1, 2, 3])).not.toBe(first);
  });

  it('switches anyway at twice batch.size', () => {
    const p = new StickyPartitioner(100, sequence([0, 0.99]));
    const first = p.partition(2, [0, 1]);
    p.appended(first, 150, false, 2, [0, 1]);
    expect(p.partition(2, [0, 1])).toBe(first);
    p.appended(first, 60, false, 2, [0, 1]);
    expect(p.partition(2, [0, 1])).toBe(1 - first);
  });

  it('never picks the same partition twice in a row when there is a choice', () => {
    const p = new StickyPartitioner(1, Math.random);
    let last = p.partition(5, [0, 1, 2, 3, 4]);
    for (let i = 0; i < 200; i++) {
      p.appended(last, 1, true, 5, [0, 1, 2, 3, 4]);
      const next = p.partition(5, [0, 1, 2, 3, 4]);
      expect(next).not.toBe(last);
      last = next;
    }
  });

  it('only picks partitions that have a leader, and ignores bytes sent elsewhere', () => {
    const p = new StickyPartitioner(10, Math.random);
    for (let i = 0; i < 50; i++) {
      const part = p.partition(6, [1, 4]);
      expect([1, 4]).toContain(part);
      p.appended(5, 100, true, 6, [1, 4]); // another partition's bytes do not count
      expect(p.partition(6, [1, 4])).toBe(part);
      p.appended(part, 10, true, 6, [1, 4]);
    }
  });

  it('falls back to all partitions when none is known to have a leader', () => {
    const p = new StickyPartitioner(10, () => 0.7);
    expect(p.partition(3, [])).toBe(2);
    expect(p.partition(1, [])).toBe(0);
  });
});
