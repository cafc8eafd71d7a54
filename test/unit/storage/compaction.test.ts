// Log compaction of the partition log: the latest record per key survives with its original
// offset, batches keep their offsets and codecs, tombstones live for delete.retention.ms after
// their first cleaning, small segments are grouped, the dirty ratio and compaction lags decide
// when a log is due, the cleaner yields to appends and reads and gives up when the log changes
// under it, and a crash at any point of the swap recovers to the old or the new segments.
import { cpSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Attribute, updateBatchCrc } from '../../../src/protocol/records/batch.js';
import { encodeRecordBatch, encodeRecordBatchSync, decodeRecordBatches, type RecordInput } from '../../../src/protocol/records/records.js';
import type { CompressionCodec } from '../../../src/protocol/records/compression.js';
import { CleaningAborted, cleanableRange, cleanLog, isCleaningDue, type CompactionPolicy } from '../../../src/storage/cleaner.js';
import { PartitionLog, StorageError, StorageErrorCode, type LogConfig } from '../../../src/storage/log.js';
import { config, tempDir } from './helpers.js';

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;
const policy = (overrides: Partial<CompactionPolicy> = {}): CompactionPolicy => ({
  deleteRetentionMs: DAY,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
  minCleanableRatio: 0.5,
  segmentBytes: 1 << 30,
  maxIndexBytes: 10 << 20,
  fileDeleteDelayMs: 0,
  ...overrides,
});
const opts = { now: NOW, dedupeBufferBytes: 1 << 20 };

interface Rec {
  offset: number;
  key: string | null;
  value: string | null;
  timestamp: number;
}

function openLog(c: Partial<LogConfig> = {}, dir = join(tempDir(), 'cmp-0')): PartitionLog {
  return PartitionLog.open(dir, config({ segmentBytes: 400, compact: true, ...c }));
}

/** Appends one batch of [key, value] records (null value = tombstone) with timestamps NOW + i. */
function put(log: PartitionLog, pairs: Array<[string, string | null]>, compression: CompressionCodec = 'none'): void {
  const records: RecordInput[] = pairs.map(([key, value], i) => ({ key, value, timestamp: NOW - DAY + i }));
  log.append(encodeRecordBatchSync({ records, compression }), NOW);
}

async function putAsync(log: PartitionLog, pairs: Array<[string, string | null]>, compression: CompressionCodec): Promise<void> {
  const b = await encodeRecordBatch({ records: pairs.map(([key, value]) => ({ key, value, timestamp: NOW - DAY })), compression });
  if (log.needsKeyCheck(b)) await log.checkKeys(b);
  log.append(b, NOW, { keysChecked: true });
}

/** Every record and every batch header of the log, decoded (zstd included). */
async function readAll(log: PartitionLog): Promise<{ records: Rec[]; batches: Array<{ base: number; last: number; count: number; attributes: number; baseTimestamp: number }> }> {
  const bytes = log.read(log.logStartOffset, 1 << 30, true);
  const decoded = await decodeRecordBatches(bytes);
  const records: Rec[] = [];
  const batches = decoded.map((b) => ({
    base: Number(b.header.baseOffset),
    last: Number(b.header.baseOffset) + b.header.lastOffsetDelta,
    count: b.header.recordsCount,
    attributes: b.header.attributes,
    baseTimestamp: Number(b.header.baseTimestamp),
  }));
  for (const b of decoded) {
    for (const r of b.records) {
      records.push({ offset: Number(r.offset), key: r.key?.toString() ?? null, value: r.value?.toString() ?? null, timestamp: Number(r.timestamp) });
    }
  }
  return { records, batches };
}

/** The latest record of each key among `records` (what a compacted log must keep below the cleaned point). */
function latestByKey(records: Rec[]): Map<string, Rec> {
  const m = new Map<string, Rec>();
  for (const r of records) m.set(r.key!, r);
  return m;
}

async function cleanNow(log: PartitionLog, p = policy(), now = NOW): Promise<number> {
  const range = cleanableRange(log, undefined, p, now);
  const res = await cleanLog(log, range, p, { ...opts, now });
  return res.endOffset;
}

/** 40 batches of 3 records over keys k0..k9, several segments of ~400 bytes. */
function fill(log: PartitionLog, batches = 40): void {
  for (let b = 0; b < batches; b++) {
    put(log, [0, 1, 2].map((j) => [`k${(b * 3 + j) % 10}`, `v${b}-${j}`] as [string, string]));
  }
  // Rolled segments are cleanable once their background fsync is done; flush() does it now.
  log.flush();
}

describe('compaction', () => {
  it('keeps the latest record per key below the active segment, with original offsets and batch offsets', async () => {
    const log = openLog();
    fill(log);
    const before = await readAll(log);
    const activeBase = Number(log.segmentBaseOffsets.at(-1)!);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(5);

    const end = await cleanNow(log, policy({ segmentBytes: 400 }));
    expect(end).toBe(activeBase);
    const after = await readAll(log);

    const cleanedPart = before.records.filter((r) => r.offset < activeBase);
    const latest = latestByKey(cleanedPart);
    // Below the active segment: only the latest record of each key there (the active segment is not mapped).
    const expected = cleanedPart.filter((r) => latest.get(r.key!)!.offset === r.offset);
    expect(after.records.filter((r) => r.offset < activeBase)).toEqual(expected);
    // The active segment is untouched.
    expect(after.records.filter((r) => r.offset >= activeBase)).toEqual(before.records.filter((r) => r.offset >= activeBase));
    // Surviving batches keep their offsets; emptied ones go, except the last of each group.
    const original = new Map(before.batches.map((b) => [b.base, b]));
    for (const b of after.batches) expect(original.get(b.base)?.last).toBe(b.last);
    expect(log.logEndOffset).toBe(120n);
    log.close();
  });

  it('rewrites the whole clean section again on the next round and ends every output segment where the next one starts', async () => {
    const log = openLog();
    fill(log);
    await cleanNow(log, policy({ segmentBytes: 400 }));
    fill(log, 20);
    await cleanNow(log, policy({ segmentBytes: 400 }));
    const bases = log.segmentBaseOffsets.map(Number);
    const { batches } = await readAll(log);
    for (let i = 0; i + 1 < bases.length; i++) {
      const inSeg = batches.filter((b) => b.base >= bases[i]! && b.base < bases[i + 1]!);
      expect(inSeg.at(-1)!.last).toBe(bases[i + 1]! - 1);
    }
    const all = (await readAll(log)).records;
    const keys = all.filter((r) => r.offset < bases.at(-1)!).map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    log.close();
  });

  it('groups small cleaned segments into one up to segment.bytes', async () => {
    const log = openLog({ segmentBytes: 300 });
    fill(log);
    const count = log.segmentBaseOffsets.length;
    await cleanNow(log, policy({ segmentBytes: 1 << 20 }));
    // Everything below the active segment fits one output segment.
    expect(log.segmentBaseOffsets.length).toBe(2);
    expect(count).toBeGreaterThan(5);
    const files = readdirSync(log.dir);
    expect(files.some((f) => f.endsWith('.cleaned') || f.endsWith('.swap'))).toBe(false);
    log.close();
  });

  it('compacts compressed batches and keeps each batch codec', async () => {
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      const log = openLog({ segmentBytes: 600 });
      for (let b = 0; b < 12; b++) await putAsync(log, [0, 1, 2, 3].map((j) => [`k${(b + j) % 5}`, `${codec}-${b}-${j}`.repeat(3)] as [string, string]), codec);
      log.flush();
      const before = await readAll(log);
      const activeBase = Number(log.segmentBaseOffsets.at(-1)!);
      expect(activeBase).toBeGreaterThan(0);
      await cleanNow(log, policy());
      const after = await readAll(log);
      const latest = latestByKey(before.records.filter((r) => r.offset < activeBase));
      expect(after.records.filter((r) => r.offset < activeBase)).toEqual(before.records.filter((r) => r.offset < activeBase && latest.get(r.key!)!.offset === r.offset));
      for (const b of after.batches.filter((x) => x.count > 0)) expect(b.attributes & Attribute.codecMask, codec).toBe({ gzip: 1, snappy: 2, lz4: 3, zstd: 4 }[codec]);
      log.close();
    }
  });

  it('keeps tombstones (stamping a delete horizon) until delete.retention.ms after their first cleaning, then drops them', async () => {
    const log = openLog();
    put(log, [['a', 'a1'], ['b', 'b1'], ['c', 'c1']]);
    put(log, [['a', 'a2'], ['b', null]]);
    put(log, [['x', 'filler'.repeat(40)]]);
    put(log, [['y', 'filler'.repeat(40)]]);
    log.flush();
    const activeBase = Number(log.segmentBaseOffsets.at(-1)!);
    expect(activeBase).toBeGreaterThanOrEqual(5);

    await cleanNow(log, policy({ deleteRetentionMs: 60_000 }), NOW);
    let { records, batches } = await readAll(log);
    expect(records.filter((r) => r.offset < 5)).toEqual([
      expect.objectContaining({ offset: 2, key: 'c', value: 'c1' }),
      expect.objectContaining({ offset: 3, key: 'a', value: 'a2' }),
      expect.objectContaining({ offset: 4, key: 'b', value: null }),
    ]);
    const tombstoneBatch = batches.find((b) => b.base === 3)!;
    expect(tombstoneBatch.attributes & Attribute.deleteHorizon).toBe(Attribute.deleteHorizon);
    expect(tombstoneBatch.baseTimestamp).toBe(NOW + 60_000);
    // Record timestamps are unchanged by the new base timestamp.
    expect(records.find((r) => r.offset === 3)!.timestamp).toBe(NOW - DAY);

    // Before the horizon: still there.
    await cleanNow(log, policy({ deleteRetentionMs: 60_000 }), NOW + 59_999);
    expect((await readAll(log)).records.some((r) => r.key === 'b')).toBe(true);
    // At the horizon: gone; the batch keeps its other survivor and its horizon.
    await cleanNow(log, policy({ deleteRetentionMs: 60_000 }), NOW + 60_000);
    ({ records, batches } = await readAll(log));
    expect(records.filter((r) => r.offset < 5).map((r) => r.key)).toEqual(['c', 'a']);
    log.close();
  });

  it('keeps what lies past a full offset map and carries on from there next time', async () => {
    const log = openLog();
    fill(log);
    const tiny = { now: NOW, dedupeBufferBytes: 4 * (56 + 2) };
    const p = policy();
    const range = cleanableRange(log, undefined, p, NOW);
    const first = await cleanLog(log, range, p, tiny);
    expect(first.endOffset).toBeGreaterThan(0);
    expect(first.endOffset).toBeLessThan(range.firstUncleanableOffset);
    const second = await cleanLog(log, cleanableRange(log, first.endOffset, p, NOW), p, { ...tiny, dedupeBufferBytes: 1 << 20 });
    expect(second.endOffset).toBe(range.firstUncleanableOffset);
    const { records } = await readAll(log);
    const below = records.filter((r) => r.offset < second.endOffset);
    expect(new Set(below.map((r) => r.key)).size).toBe(below.length);
    log.close();
  });
});

describe('when a log is due', () => {
  it('follows min.cleanable.dirty.ratio over the clean and dirty bytes', async () => {
    const log = openLog();
    fill(log);
    const p = policy();
    const fresh = cleanableRange(log, undefined, p, NOW);
    expect(fresh.cleanableRatio).toBe(1);
    expect(isCleaningDue(fresh, p)).toBe(true);
    const end = await cleanNow(log, p);
    const after = cleanableRange(log, end, p, NOW);
    expect(after.cleanableBytes).toBe(0);
    expect(isCleaningDue(after, p)).toBe(false);
    fill(log, 4);
    const some = cleanableRange(log, end, p, NOW);
    expect(some.cleanableRatio).toBeGreaterThan(0);
    expect(some.cleanableRatio).toBeLessThan(0.5);
    expect(isCleaningDue(some, p)).toBe(false);
    expect(isCleaningDue(some, policy({ minCleanableRatio: some.cleanableRatio / 2 }))).toBe(true);
    log.close();
  });

  it('leaves segments younger than min.compaction.lag.ms dirty, and cleans past max.compaction.lag.ms whatever the ratio', async () => {
    const log = openLog();
    fill(log);
    const newest = Math.max(...(await readAll(log)).records.map((r) => r.timestamp));
    const lagged = cleanableRange(log, undefined, policy({ minCompactionLagMs: NOW - newest + 10_000 }), NOW);
    expect(lagged.firstUncleanableOffset).toBe(0);
    expect(lagged.cleanableBytes).toBe(0);
    const end = await cleanNow(log);
    fill(log, 4);
    const p = policy({ maxCompactionLagMs: 1000 });
    const due = cleanableRange(log, end, p, NOW);
    expect(due.cleanableRatio).toBeLessThan(0.5);
    expect(due.needCompactionNow).toBe(true);
    expect(isCleaningDue(due, p)).toBe(true);
    expect(cleanableRange(log, end, policy(), NOW).needCompactionNow).toBe(false);
    log.close();
  });

  it('resets a checkpoint below the log start or past the log end', () => {
    const log = openLog();
    fill(log, 5);
    expect(cleanableRange(log, 10_000, policy(), NOW)).toMatchObject({ firstDirtyOffset: 0, checkpointReset: true });
    log.close();
  });
});

describe('the cleaner beside appends and reads', () => {
  it('yields between slices: appends and reads go on, and the result is the same', async () => {
    const log = openLog();
    fill(log);
    const activeBase = Number(log.segmentBaseOffsets.at(-1)!);
    const p = policy();
    const cleaning = cleanLog(log, cleanableRange(log, undefined, p, NOW), p, { ...opts, sliceMs: 0 });
    let steps = 0;
    let done = false;
    void cleaning.finally(() => (done = true)).catch(() => {});
    while (!done) {
      put(log, [[`live${steps}`, 'v']]);
      expect(log.read(0n, 1 << 20, true).length).toBeGreaterThan(0);
      await new Promise((r) => setImmediate(r));
      steps++;
    }
    await cleaning;
    expect(steps).toBeGreaterThan(10);
    const { records } = await readAll(log);
    const below = records.filter((r) => r.offset < activeBase);
    expect(new Set(below.map((r) => r.key)).size).toBe(below.length);
    expect(records.filter((r) => r.key?.startsWith('live')).length).toBe(steps);
    log.close();
  });

  it('gives up, leaving the log as it was, when retention removes a segment it works on', async () => {
    const log = openLog();
    fill(log);
    const before = await readAll(log);
    const p = policy();
    const cleaning = cleanLog(log, cleanableRange(log, undefined, p, NOW), p, { ...opts, sliceMs: 0 });
    const second = log.segmentBaseOffsets[1]!;
    log.deleteRecordsBefore(second, 0, NOW);
    await expect(cleaning).rejects.toBeInstanceOf(CleaningAborted);
    const after = await readAll(log);
    expect(after.records).toEqual(before.records.filter((r) => r.offset >= Number(second)));
    expect(readdirSync(log.dir).some((f) => f.includes('.cleaned'))).toBe(false);
    log.close();
  });

  it('gives up when the log closes, and removes its unfinished output', async () => {
    const log = openLog();
    fill(log);
    const p = policy();
    const cleaning = cleanLog(log, cleanableRange(log, undefined, p, NOW), p, { ...opts, sliceMs: 0 });
    await new Promise((r) => setImmediate(r));
    log.close();
    await expect(cleaning).rejects.toBeInstanceOf(CleaningAborted);
    expect(readdirSync(log.dir).some((f) => f.includes('.cleaned') || f.includes('.swap'))).toBe(false);
  });
});

describe('crash during the swap', () => {
  /**
   * A log of several segments cleaned into one output segment. Returns the directory before
   * (`old`), after (`new`), and what reading each gives.
   */
  async function scenario(): Promise<{ oldDir: string; newDir: string; oldRecords: Rec[]; newRecords: Rec[]; cleanedFiles: string[]; replaced: string[] }> {
    const root = tempDir();
    const oldDir = join(root, 'old-0');
    const log = openLog({}, oldDir);
    fill(log);
    log.flush();
    log.close();
    const newDir = join(root, 'new-0');
    cpSync(oldDir, newDir, { recursive: true });
    const oldFiles = new Set(readdirSync(oldDir));
    const reopened = openLog({}, newDir);
    const oldRecords = (await readAll(reopened)).records;
    await cleanNow(reopened, policy());
    const newRecords = (await readAll(reopened)).records;
    reopened.close();
    // Files written by the cleaning (same names as old ones, new content, for the first segment).
    const newFiles = readdirSync(newDir).filter((f) => !f.endsWith('.deleted'));
    const cleanedFiles = newFiles.filter((f) => f.startsWith('00000000000000000000.'));
    const replaced = [...oldFiles].filter((f) => !newFiles.includes(f) || f.startsWith('00000000000000000000.'));
    for (const f of readdirSync(newDir)) if (f.endsWith('.deleted')) rmSync(join(newDir, f));
    return { oldDir, newDir, oldRecords, newRecords, cleanedFiles, replaced };
  }

  async function recordsAfterOpen(dir: string, clean: boolean): Promise<Rec[]> {
    const log = PartitionLog.open(dir, config({ segmentBytes: 400, compact: true }), () => {}, { cleanShutdown: clean });
    try {
      expect(readdirSync(dir).some((f) => f.endsWith('.cleaned') || f.endsWith('.swap'))).toBe(false);
      return (await readAll(log)).records;
    } finally {
      log.close();
    }
  }

  /** A copy of the old dir plus the new segment's files under `suffix` (per file: a function of its name). */
  function crashState(s: Awaited<ReturnType<typeof scenario>>, name: string, suffixFor: (file: string) => string, renameOld: (file: string) => string | null = (f) => f): string {
    const dir = join(s.oldDir, '..', `${name}-0`);
    cpSync(s.oldDir, dir, { recursive: true });
    for (const f of s.replaced) {
      const to = renameOld(f);
      if (to === null) rmSync(join(dir, f));
      else if (to !== f) renameSync(join(dir, f), join(dir, to));
    }
    for (const f of s.cleanedFiles) cpSync(join(s.newDir, f), join(dir, f + suffixFor(f)));
    return dir;
  }

  it('recovers the old segments while the output is still .cleaned, or only partly renamed to .swap', async () => {
    const s = await scenario();
    expect(s.newRecords.length).toBeLessThan(s.oldRecords.length);
    for (const clean of [false, true]) {
      expect(await recordsAfterOpen(crashState(s, `cleaned${clean}`, () => '.cleaned'), clean)).toEqual(s.oldRecords);
      const partial = crashState(s, `partial${clean}`, (f) => (f.endsWith('.log') ? '.cleaned' : '.swap'));
      expect(await recordsAfterOpen(partial, clean)).toEqual(s.oldRecords);
    }
  });

  it('recovers the new segment once its .log is .swap, however far the old segments got', async () => {
    const s = await scenario();
    const stages: Array<[string, (f: string) => string | null]> = [
      ['none-renamed', (f) => f],
      ['some-deleted', (f) => (f.startsWith('00000000000000000000.') ? `${f}.deleted` : f)],
      ['all-deleted', (f) => `${f}.deleted`],
      ['all-gone', () => null],
    ];
    for (const [name, renameOld] of stages) {
      for (const clean of [false, true]) {
        const dir = crashState(s, `${name}${clean}`, () => '.swap', renameOld);
        expect(await recordsAfterOpen(dir, clean), name).toEqual(s.newRecords);
      }
    }
    // And after the final rename, the new segment is simply there.
    expect(await recordsAfterOpen(s.newDir, false)).toEqual(s.newRecords);
  });
});

describe('keys on compacted topics', () => {
  const keyless = (compression: CompressionCodec = 'none'): Buffer =>
    encodeRecordBatchSync({ records: [{ key: 'a', value: '1' }, { key: null, value: '2' }, { key: 'c', value: '3' }, { value: '4' }], compression });

  it('refuses a batch with keyless records with INVALID_RECORD and one record error per record, as Kafka words it', () => {
    for (const codec of ['none', 'gzip', 'snappy', 'lz4'] as const) {
      const log = openLog();
      let err: unknown;
      try {
        log.append(keyless(codec));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StorageError);
      const se = err as StorageError;
      expect(se.errorCode).toBe(StorageErrorCode.INVALID_RECORD);
      const message = 'Compacted topic cannot accept message without key in topic partition cmp-0';
      expect(se.recordErrors).toEqual([{ batchIndex: 1, message }, { batchIndex: 3, message }]);
      expect(se.message).toBe(
        `One or more records have been rejected due to 2 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=1, message='${message}'), RecordError(batchIndex=3, message='${message}')]`,
      );
      expect(log.logEndOffset).toBe(0n);
      log.close();
    }
  });

  it('checks zstd batches asynchronously before the append', async () => {
    const log = openLog();
    const bad = await encodeRecordBatch({ records: [{ key: null, value: 'x' }], compression: 'zstd' });
    expect(log.needsKeyCheck(bad)).toBe(true);
    await expect(log.checkKeys(bad)).rejects.toMatchObject({ errorCode: StorageErrorCode.INVALID_RECORD });
    expect(() => log.append(bad)).toThrow(/checkKeys/);
    const good = await encodeRecordBatch({ records: [{ key: 'k', value: 'x' }], compression: 'zstd' });
    await log.checkKeys(good);
    expect(log.append(good, NOW, { keysChecked: true }).baseOffset).toBe(0n);
    log.close();
  });

  it('accepts keyless records on topics that are not compacted, and never checks them', () => {
    const log = openLog({ compact: false });
    expect(log.needsKeyCheck(keyless())).toBe(false);
    expect(log.append(keyless()).recordCount).toBe(4);
    log.close();
  });

  it('refuses a record whose lengths run past the batch as CORRUPT_MESSAGE', () => {
    const log = openLog();
    const b = encodeRecordBatchSync({ records: [{ key: 'k', value: 'v' }] });
    // Record: length, attributes, timestampDelta, offsetDelta, then the key length varint.
    b[61 + 4] = 0x7e; // the key now claims 63 bytes
    updateBatchCrc(b, 0);
    expect(() => log.append(b)).toThrow(expect.objectContaining({ errorCode: StorageErrorCode.CORRUPT_MESSAGE }));
    log.close();
  });
});

describe('replaying a compacted log (as the group coordinator replays __consumer_offsets)', () => {
  /** Last value per key, a tombstone deleting the key: what a reader rebuilding state from the log ends with. */
  const replay = (records: Rec[]): Map<string, string> => {
    const state = new Map<string, string>();
    for (const r of records) {
      if (r.value === null) state.delete(r.key!);
      else state.set(r.key!, r.value);
    }
    return state;
  };

  it('gives the same state before and after any sequence of appends and cleanings', async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('append' as const),
        codec: fc.constantFrom<CompressionCodec>('none', 'gzip', 'lz4', 'zstd'),
        pairs: fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.option(fc.string({ minLength: 1, maxLength: 30 }), { freq: 4 })), { minLength: 1, maxLength: 6 }),
      }),
      fc.record({ kind: fc.constant('clean' as const), advanceMs: fc.integer({ min: 0, max: 3000 }), mapKeys: fc.integer({ min: 1, max: 10 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        const log = openLog({ segmentBytes: 300 });
        const appended: Rec[] = [];
        let now = NOW;
        let checkpoint: number | undefined;
        try {
          for (const o of ops) {
            if (o.kind === 'append') {
              const pairs = o.pairs.map(([k, v]): [string, string | null] => [`key-${k}`, v]);
              await putAsync(log, pairs, o.codec);
              const base = Number(log.logEndOffset) - pairs.length;
              pairs.forEach(([key, value], i) => appended.push({ offset: base + i, key, value, timestamp: 0 }));
            } else {
              log.flush();
              now += o.advanceMs;
              const p = policy({ deleteRetentionMs: 1000, segmentBytes: 600 });
              const res = await cleanLog(log, cleanableRange(log, checkpoint, p, now), p, { now, dedupeBufferBytes: o.mapKeys * (56 + 5) });
              checkpoint = res.endOffset;
            }
          }
          const { records } = await readAll(log);
          expect(replay(records)).toEqual(replay(appended));
          // Offsets only ever disappear; what remains is what was appended there.
          const byOffset = new Map(appended.map((r) => [r.offset, r]));
          for (const r of records) expect([r.key, r.value]).toEqual([byOffset.get(r.offset)!.key, byOffset.get(r.offset)!.value]);
          expect(log.logEndOffset).toBe(BigInt(appended.length));
        } finally {
          log.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
