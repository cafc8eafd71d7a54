// ListOffsets by timestamp and max timestamp, checked against a model: the first record in offset
// order whose timestamp is >= the target.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecordBatch, encodeRecordBatchSync } from '../../../src/protocol/records/records.js';
import { PartitionLog } from '../../../src/storage/log.js';
import { config, tempDir } from './helpers.js';

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rec {
  offset: bigint;
  ts: bigint;
}

function modelFind(recs: Rec[], target: bigint): { offset: bigint; timestamp: bigint } | null {
  const r = recs.find((x) => x.ts >= target);
  return r ? { offset: r.offset, timestamp: r.ts } : null;
}

function modelMax(recs: Rec[]): { offset: bigint; timestamp: bigint } | null {
  let best: Rec | null = null;
  for (const r of recs) if (best === null || r.ts > best.ts) best = r;
  return best ? { offset: best.offset, timestamp: best.ts } : null;
}

const cfg = config({ segmentBytes: 1200, indexIntervalBytes: 150 });

function buildLog(seed: number): { dir: string; log: PartitionLog; recs: Rec[] } {
  const random = rng(seed);
  const dir = join(tempDir(), 'ts-0');
  const log = PartitionLog.open(dir, cfg);
  const recs: Rec[] = [];
  let clock = 1_000_000;
  for (let i = 0; i < 80; i++) {
    const n = 1 + Math.floor(random() * 4);
    // Mostly rising clock with producers' clocks jumping back now and then (CreateTime).
    const timestamps = Array.from({ length: n }, () => {
      clock += Math.floor(random() * 20);
      return random() < 0.15 ? clock - Math.floor(random() * 300) : clock;
    });
    const compression = i % 5 === 0 ? 'gzip' : i % 7 === 0 ? 'lz4' : 'none';
    const b = encodeRecordBatchSync({ records: timestamps.map((ts, j) => ({ value: `r${i}-${j}`, timestamp: ts })), compression });
    const info = log.append(b);
    timestamps.forEach((ts, j) => recs.push({ offset: info.baseOffset + BigInt(j), ts: BigInt(ts) }));
  }
  return { dir, log, recs };
}

describe('offsetForTimestamp', () => {
  for (const seed of [1, 2, 3]) {
    it(`matches the model for every interesting target (seed ${seed}), before and after reopening`, () => {
      const { dir, log, recs } = buildLog(seed);
      expect(log.segmentBaseOffsets.length).toBeGreaterThan(3);
      const targets = new Set<bigint>([0n, 10n ** 15n]);
      for (const r of recs) for (const d of [-1n, 0n, 1n]) targets.add(r.ts + d);
      for (const t of targets) expect(log.offsetForTimestamp(t), `target ${t}`).toEqual(modelFind(recs, t));
      expect(log.maxTimestamp()).toEqual(modelMax(recs));
      log.close();
      const reopened = PartitionLog.open(dir, cfg);
      for (const t of targets) expect(reopened.offsetForTimestamp(t), `target ${t} after reopen`).toEqual(modelFind(recs, t));
      expect(reopened.maxTimestamp()).toEqual(modelMax(recs));
      reopened.close();
    });
  }

  it('finds the exact record inside a batch', () => {
    const log = PartitionLog.open(tempDir(), config());
    log.append(encodeRecordBatchSync({ records: [10, 30, 20, 40].map((ts) => ({ value: 'x', timestamp: ts })) }));
    expect(log.offsetForTimestamp(15n)).toEqual({ offset: 1n, timestamp: 30n });
    expect(log.offsetForTimestamp(31n)).toEqual({ offset: 3n, timestamp: 40n });
    expect(log.offsetForTimestamp(41n)).toBeNull();
    expect(log.maxTimestamp()).toEqual({ offset: 3n, timestamp: 40n });
    log.close();
  });

  it('answers at batch granularity for zstd batches, which cannot be decoded synchronously', async () => {
    const log = PartitionLog.open(tempDir(), config());
    log.append(encodeRecordBatchSync({ records: [{ value: 'a', timestamp: 5 }] }));
    log.append(await encodeRecordBatch({ records: [10, 30].map((ts) => ({ value: 'z', timestamp: ts })), compression: 'zstd' }));
    expect(log.offsetForTimestamp(20n)).toEqual({ offset: 1n, timestamp: 30n });
    expect(log.offsetForTimestamp(3n)).toEqual({ offset: 0n, timestamp: 5n });
    log.close();
  });

  it('uses the append time for LogAppendTime topics', () => {
    const log = PartitionLog.open(tempDir(), config({ messageTimestampType: 'LogAppendTime' }));
    log.append(encodeRecordBatchSync({ records: [{ value: 'a', timestamp: 1 }, { value: 'b', timestamp: 2 }] }), 5000);
    log.append(encodeRecordBatchSync({ records: [{ value: 'c', timestamp: 3 }] }), 6000);
    expect(log.offsetForTimestamp(1n)).toEqual({ offset: 0n, timestamp: 5000n });
    expect(log.offsetForTimestamp(5001n)).toEqual({ offset: 2n, timestamp: 6000n });
    expect(log.maxTimestamp()).toEqual({ offset: 2n, timestamp: 6000n });
    log.close();
  });
});
