// Disk faults, injected through file-io's seam: a failed or torn write is cut back and answered
// with KAFKA_STORAGE_ERROR while the log carries on; a cut-back or fsync that fails takes the log
// offline (and only that log) until a restart recovers it; failed reads change nothing; a failed
// index write never fails an append. And the descriptor cache keeps thousands of logs within a
// bounded number of open files.
// (Each log here costs a few milliseconds of file creation and fsync at close on a real disk.)
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeRecordBatchesSync } from '../../../src/protocol/records/records.js';
import { segmentDescriptors } from '../../../src/storage/descriptor-cache.js';
import { injectFaults, ioError, type FileOp } from '../../../src/storage/file-io.js';
import { PartitionLog, StorageError, StorageErrorCode, type LogConfig } from '../../../src/storage/log.js';
import { batch, config, tempDir } from './helpers.js';

afterEach(() => injectFaults(null));

/** Fails the next `times` operations `op` on files whose path contains `where`. */
function failNext(op: FileOp, where: string, code: string, opts: { times?: number; afterBytes?: number } = {}): { hits: number } {
  const state = { hits: 0 };
  let left = opts.times ?? 1;
  injectFaults((o, path) => {
    if (o !== op || !path.includes(where) || left === 0) return undefined;
    left--;
    state.hits++;
    return { error: ioError(code, op, path), afterBytes: opts.afterBytes };
  });
  return state;
}

function open(dir: string, c: Partial<LogConfig> = {}, clean = false): PartitionLog {
  return PartitionLog.open(dir, config(c), () => {}, { cleanShutdown: clean });
}

function values(log: PartitionLog): string[] {
  return decodeRecordBatchesSync(log.read(log.logStartOffset, 1 << 30, true)).flatMap((b) => b.records.map((r) => r.value!.toString()));
}

const storageError = expect.objectContaining({ errorCode: StorageErrorCode.KAFKA_STORAGE_ERROR });
const logFile = (dir: string): string => join(dir, '00000000000000000000.log');

describe('failed writes', () => {
  it('a full disk fails the append with KAFKA_STORAGE_ERROR, leaves no byte of it, and the log carries on', () => {
    const dir = join(tempDir(), 'full-0');
    const log = open(dir);
    log.append(batch(3, 'a'));
    const size = statSync(logFile(dir)).size;
    const fault = failNext('write', '.log', 'ENOSPC');
    expect(() => log.append(batch(3, 'b'))).toThrow(storageError);
    expect(fault.hits).toBe(1);
    expect(statSync(logFile(dir)).size).toBe(size);
    expect(log.logEndOffset).toBe(3n);
    log.append(batch(2, 'c'));
    expect(values(log)).toEqual(['va-0', 'va-1', 'va-2', 'vc-0', 'vc-1']);
    log.close();
  });

  it('a torn write is cut back to the last whole batch, so later appends never follow a partial batch', () => {
    const dir = join(tempDir(), 'torn-0');
    const log = open(dir);
    log.append(batch(3, 'a'));
    const size = statSync(logFile(dir)).size;
    failNext('write', '.log', 'ENOSPC', { afterBytes: 40 });
    expect(() => log.append(batch(3, 'b'))).toThrow(storageError);
    expect(statSync(logFile(dir)).size).toBe(size);
    log.append(batch(1, 'c'));
    log.flush();
    // Nothing to cut for recovery either (no marker, so every batch is checked).
    const messages: string[] = [];
    const reopened = PartitionLog.open(dir, config(), (m) => messages.push(m));
    expect(values(reopened)).toEqual(['va-0', 'va-1', 'va-2', 'vc-0']);
    expect(messages.filter((m) => m.includes('Truncating'))).toEqual([]);
    reopened.close();
    log.close();
  });

  it('goes offline when a torn write cannot be cut back; a restart recovers every batch written before', () => {
    const dir = join(tempDir(), 'offline-0');
    const log = open(dir);
    log.append(batch(3, 'a'));
    log.append(batch(2, 'b'));
    injectFaults((op, path) => {
      if (!path.includes('offline-0')) return undefined;
      if (op === 'write' && path.endsWith('.log')) return { error: ioError('EIO'), afterBytes: 30 };
      if (op === 'truncate') return { error: ioError('EIO', 'ftruncate') };
      return undefined;
    });
    expect(() => log.append(batch(3, 'c'))).toThrow(storageError);
    injectFaults(null);
    expect(log.isOffline).toBe(true);
    expect(() => log.append(batch(1, 'd'))).toThrow(/offline/);
    expect(() => log.read(0n, 1000)).toThrow(storageError);
    // close() says the log was not shut down cleanly (so no clean-shutdown marker is written).
    expect(() => log.close()).toThrow(StorageError);
    expect(statSync(logFile(dir)).size).toBeGreaterThan(0);
    const messages: string[] = [];
    const reopened = PartitionLog.open(dir, config(), (m) => messages.push(m));
    expect(values(reopened)).toEqual(['va-0', 'va-1', 'va-2', 'vb-0', 'vb-1']);
    expect(messages.join('\n')).toMatch(/Truncating .* \(cut 30\)/);
    reopened.append(batch(1, 'e'));
    expect(reopened.logEndOffset).toBe(6n);
    reopened.close();
  });

  it('a failed fsync takes only that log offline', () => {
    const root = tempDir();
    const sick = open(join(root, 'sick-0'), { flushMessages: 1 });
    const well = open(join(root, 'well-0'), { flushMessages: 1 });
    sick.append(batch(1, 'a'));
    failNext('fsync', 'sick-0', 'EIO');
    expect(() => sick.append(batch(1, 'b'))).toThrow(storageError);
    expect(sick.isOffline).toBe(true);
    well.append(batch(1, 'x'));
    expect(values(well)).toEqual(['vx-0']);
    expect(() => sick.close()).toThrow(StorageError);
    well.close();
  });

  it('a failed background fsync of a rolled segment takes the log offline', async () => {
    const dir = join(tempDir(), 'bg-0');
    const log = open(dir, { segmentBytes: 300 });
    failNext('fsync', 'bg-0', 'EIO');
    while (log.segmentBaseOffsets.length < 2) log.append(batch(2, 'a', { valueSize: 40 }));
    await new Promise((r) => setTimeout(r, 50));
    expect(log.isOffline).toBe(true);
    expect(() => log.close()).toThrow(StorageError);
  });

  it('a roll that cannot create the new segment fails the append and keeps the current segment', () => {
    const dir = join(tempDir(), 'roll-0');
    const log = open(dir, { segmentBytes: 300 });
    log.append(batch(2, 'a', { valueSize: 60 }));
    failNext('open', '00000000000000000002', 'ENOSPC');
    expect(() => log.append(batch(2, 'b', { valueSize: 60 }))).toThrow(storageError);
    expect(log.segmentBaseOffsets).toEqual([0n]);
    expect(readdirSync(dir).filter((f) => f.startsWith('00000000000000000002'))).toEqual([]);
    log.append(batch(2, 'c', { valueSize: 60 }));
    expect(log.segmentBaseOffsets).toEqual([0n, 2n]);
    expect(values(log).map((v) => v.slice(0, 4))).toEqual(['va-0', 'va-1', 'vc-0', 'vc-1']);
    log.close();
  });

  it('a failed index write does not fail the append; the index is repaired', () => {
    const dir = join(tempDir(), 'idx-0');
    const log = open(dir, { indexIntervalBytes: 1 });
    for (let i = 0; i < 5; i++) log.append(batch(1, i));
    failNext('write', '.index', 'ENOSPC', { times: 2, afterBytes: 3 });
    for (let i = 5; i < 10; i++) log.append(batch(1, i));
    expect(log.logEndOffset).toBe(10n);
    expect(decodeRecordBatchesSync(log.read(7n, 1 << 20)).map((b) => b.header.baseOffset)).toEqual([7n, 8n, 9n]);
    log.close();
    const reopened = open(dir, { indexIntervalBytes: 1 }, true);
    expect(decodeRecordBatchesSync(reopened.read(7n, 1 << 20)).map((b) => b.header.baseOffset)).toEqual([7n, 8n, 9n]);
    expect(statSync(join(dir, '00000000000000000000.index')).size % 8).toBe(0);
    reopened.close();
  });
});

describe('failed reads', () => {
  it('answer KAFKA_STORAGE_ERROR and leave the log serving', () => {
    const dir = join(tempDir(), 'eio-0');
    const log = open(dir);
    log.append(batch(2, 'a'));
    failNext('read', 'eio-0', 'EIO');
    expect(() => log.read(0n, 1 << 20)).toThrow(storageError);
    expect(log.isOffline).toBe(false);
    expect(values(log)).toEqual(['va-0', 'va-1']);
    log.close();
  });
});

describe('open descriptors', () => {
  const openFds = (): number => readdirSync('/proc/self/fd').length;
  const segmentFds = (): number =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return /\.(log|index|timeindex)$/.test(readlinkSync(`/proc/self/fd/${fd}`));
      } catch {
        return false;
      }
    }).length;

  it('stay within the cache budget with twice as many logs written and read (the broker test takes 3000)', async () => {
    const root = tempDir();
    const before = openFds();
    const logs: PartitionLog[] = [];
    const budget = segmentDescriptors.limit;
    try {
      for (let p = 0; p < 1200; p++) {
        const log = open(join(root, `many-${p}`), { segmentBytes: 500 });
        log.append(batch(2, p, { valueSize: 100 }));
        logs.push(log);
      }
      // Roll some, then read every partition back.
      for (let p = 0; p < 1200; p += 10) logs[p]!.append(batch(2, 'x', { valueSize: 150 }));
      for (const log of logs) expect(log.read(0n, 1 << 20).length).toBeGreaterThan(0);
      expect(segmentDescriptors.open).toBeLessThanOrEqual(budget);
      expect(segmentFds()).toBeLessThanOrEqual(budget);
      expect(openFds() - before).toBeLessThanOrEqual(budget + 10);
    } finally {
      for (const log of logs) log.close();
    }
    // Rolled segments close their descriptor once their background fsync is done.
    await vi.waitFor(() => expect(segmentFds()).toBe(0), { timeout: 10_000, interval: 20 });
  });

  it('are reopened transparently by an evicted segment, and never taken from one pinned by a background fsync', async () => {
    const saved = segmentDescriptors.limit;
    segmentDescriptors.limit = 3;
    try {
      const root = tempDir();
      const a = open(join(root, 'a-0'), { segmentBytes: 300 });
      const b = open(join(root, 'b-0'), { segmentBytes: 300 });
      for (let i = 0; i < 6; i++) {
        a.append(batch(2, `a${i}`, { valueSize: 40 }));
        b.append(batch(2, `b${i}`, { valueSize: 40 }));
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(a.isOffline || b.isOffline).toBe(false);
      expect(values(a)).toHaveLength(12);
      expect(values(b)).toHaveLength(12);
      a.close();
      b.close();
    } finally {
      segmentDescriptors.limit = saved;
    }
  });
});
