import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../../../src/broker/network/buffer-pool.js';

describe('BufferPool', () => {
  it('hands a released slab out again, and never one still out', () => {
    const pool = new BufferPool(1024, 64, 2);
    const a = pool.take(1000);
    const b = pool.take(500);
    expect(a.length).toBeGreaterThanOrEqual(1000);
    expect(b.buffer).not.toBe(a.buffer);
    pool.release(a);
    const c = pool.take(800);
    expect(c.buffer).toBe(a.buffer);
    expect(c.buffer).not.toBe(b.buffer);
  });

  it('gives fresh buffers outside its size range and ignores their release', () => {
    const pool = new BufferPool(1024, 64, 2);
    const big = pool.take(2000);
    const small = pool.take(10);
    expect(big.length).toBe(2000);
    expect(small.length).toBe(10);
    pool.release(big);
    pool.release(small);
    expect(pool.take(1000).buffer).not.toBe(big.buffer);
  });

  it('takes a slab back once only and keeps at most maxFree', () => {
    const pool = new BufferPool(1024, 64, 1);
    const a = pool.take(100);
    const b = pool.take(100);
    pool.release(a);
    pool.release(a);
    pool.release(b); // over maxFree: dropped
    const c = pool.take(100);
    const d = pool.take(100);
    expect(c.buffer).toBe(a.buffer);
    expect(d.buffer).not.toBe(a.buffer);
    expect(d.buffer).not.toBe(b.buffer);
  });
});
