// Retention and DeleteRecords on the partition log: whole segments only, oldest first, the active
// one only when past retention (after a roll), files renamed `.deleted` and removed after the
// delay, the log start offset moved and reads below it refused.
import { existsSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { encodeRecordBatchSync } from '../../../src/protocol/records/records.js';
import { PartitionLog, StorageErrorCode, type LogConfig, type RetentionPolicy } from '../../../src/storage/log.js';
import { batch, config, tempDir } from './helpers.js';

const NOW = 1_700_000_000_000;
const keep: RetentionPolicy = { retentionMs: -1, retentionBytes: -1, deleteEnabled: true, fileDeleteDelayMs: 0 };

interface Appended {
  base: bigint;
  last: bigint;
  size: number;
}

/** A log whose batch i has timestamp NOW - (n - i) minutes, in segments of about `segmentBytes`. */
function build(n: number, c: Partial<LogConfig> = {}): { log: PartitionLog; dir: string; batches: Appended[]; messages: string[] } {
  const dir = join(tempDir(), 'ret-0');
  const messages: string[] = [];
  const log = PartitionLog.open(dir, config({ segmentBytes: 600, ...c }), (m) => messages.push(m));
  const batches: Appended[] = [];
  for (let i = 0; i < n; i++) {
    const b = batch(2, i, { timestamp: NOW - (n - i) * 60_000, valueSize: 40 });
    const info = log.append(b, NOW);
    batches.push({ base: info.baseOffset, last: info.lastOffset, size: b.length });
  }
  return { log, dir, batches, messages };
}

const files = (dir: string): string[] => readdirSync(dir).sort();
const segmentSizes = (log: PartitionLog, batches: Appended[]): number[] => {
  const bases = log.segmentBaseOffsets;
  return bases.map((b, i) => batches.filter((x) => x.base >= b && (i + 1 === bases.length || x.base < bases[i + 1]!)).reduce((n, x) => n + x.size, 0));
};

function expectOutOfRange(fn: () => unknown): void {
  expect(fn).toThrow(expect.objectContaining({ errorCode: StorageErrorCode.OFFSET_OUT_OF_RANGE }));
}

describe('retention.bytes', () => {
  it('deletes the oldest whole segments while the log stays at or above the limit without them', async () => {
    const { log, dir, batches, messages } = build(30);
    const sizes = segmentSizes(log, batches);
    const bases = log.segmentBaseOffsets;
    expect(bases.length).toBeGreaterThan(4);
    const limit = log.sizeInBytes - sizes[0]! - sizes[1]! - 1; // two segments must go, the third would undershoot
    expect(log.deleteOldSegments({ ...keep, retentionBytes: limit, fileDeleteDelayMs: 60_000 }, NOW)).toBe(2);
    expect(log.segmentBaseOffsets).toEqual(bases.slice(2));
    expect(log.logStartOffset).toBe(bases[2]);
    expect(log.sizeInBytes).toBe(sizes.slice(2).reduce((a, b) => a + b, 0));
    const text = messages.join('\n');
    expect(text).toMatch(new RegExp(`Deleting segment LogSegment\\(baseOffset=0, size=${sizes[0]}, lastModifiedTime=\\d+, largestRecordTimestamp=${NOW - 30 * 60_000 + (Number(bases[1]) / 2 - 1) * 60_000}\\) due to log retention size ${limit} breach\\. Log size after deletion will be ${log.sizeInBytes + sizes[1]!}\\.`));
    expect(text).toMatch(new RegExp(`Incremented log start offset to ${bases[2]} due to segment deletion`));
    // The files wait as .deleted until the delay passes; close() removes them at once.
    const stem = (b: bigint): string => b.toString().padStart(20, '0');
    expect(files(dir)).toEqual(expect.arrayContaining([`${stem(0n)}.log.deleted`, `${stem(0n)}.index.deleted`, `${stem(bases[1]!)}.timeindex.deleted`]));
    expect(files(dir)).not.toContain(`${stem(0n)}.log`);
    expectOutOfRange(() => log.read(0n, 100));
    expect(log.read(bases[2]!, 1, true).length).toBe(batches.find((b) => b.base === bases[2])!.size);
    log.close();
    expect(files(dir).filter((f) => f.endsWith('.deleted'))).toEqual([]);
    expect(messages.join('\n')).toMatch(/Deleting segment files LogSegment\(baseOffset=0, /);
    expect(messages.join('\n')).toMatch(/Deleted log .*00000000000000000000\.log\.deleted\./);
  });

  it('does nothing below the limit, with -1, or without cleanup.policy=delete', () => {
    const { log } = build(20);
    const bases = log.segmentBaseOffsets;
    expect(log.deleteOldSegments({ ...keep, retentionBytes: log.sizeInBytes + 1 }, NOW)).toBe(0);
    expect(log.deleteOldSegments(keep, NOW)).toBe(0);
    expect(log.deleteOldSegments({ ...keep, retentionBytes: 0, retentionMs: 0, deleteEnabled: false }, NOW)).toBe(0);
    expect(log.segmentBaseOffsets).toEqual(bases);
    log.close();
  });

  it('empties the log down to its active segment at retention.bytes=0, and leaves that one', () => {
    const { log, batches } = build(20);
    const bases = log.segmentBaseOffsets;
    const activeSize = segmentSizes(log, batches).at(-1)!;
    log.deleteOldSegments({ ...keep, retentionBytes: activeSize }, NOW);
    expect(log.segmentBaseOffsets).toEqual([bases.at(-1)]);
    log.close();
  });
});

describe('retention.ms', () => {
  it('deletes the segments whose newest record is older than retention, oldest first', async () => {
    const { log, dir, batches, messages } = build(30);
    const bases = log.segmentBaseOffsets;
    // Segment k's largest timestamp is that of its last batch; keep the last two segments.
    const lastOfSegment = (k: number): number => NOW - (30 - (Number(bases[k + 1]!) / 2 - 1)) * 60_000;
    const retentionMs = NOW - lastOfSegment(bases.length - 3) - 1;
    expect(log.deleteOldSegments({ ...keep, retentionMs }, NOW)).toBe(bases.length - 2);
    expect(log.segmentBaseOffsets).toEqual(bases.slice(-2));
    expect(messages.join('\n')).toMatch(new RegExp(`Deleting segment LogSegment\\(baseOffset=0, .*\\) due to log retention time ${retentionMs}ms breach based on the largest record timestamp in the segment`));
    // With a zero delay the files go on the next turn of the event loop.
    await vi.waitFor(() => expect(files(dir).filter((f) => f.endsWith('.deleted'))).toEqual([]));
    expect(batches.length).toBe(30);
    log.close();
  });

  it('rolls and deletes the active segment when it is non-empty and past retention', () => {
    const { log, dir, batches, messages } = build(12);
    const end = batches.at(-1)!.last + 1n;
    const deleted = log.deleteOldSegments({ ...keep, retentionMs: 1000 }, NOW);
    expect(deleted).toBeGreaterThan(1);
    expect(log.segmentBaseOffsets).toEqual([end]);
    expect(log.logStartOffset).toBe(end);
    expect(log.logEndOffset).toBe(end);
    expect(log.sizeInBytes).toBe(0);
    expect(messages.join('\n')).toMatch(new RegExp(`Rolled new log segment at offset ${end} in \\d+ ms\\.`));
    expect(log.read(end, 100).length).toBe(0);
    expectOutOfRange(() => log.read(end - 1n, 100));
    // The empty active segment stays, however old.
    expect(log.deleteOldSegments({ ...keep, retentionMs: 0, retentionBytes: 0 }, NOW + 1e9)).toBe(0);
    expect(log.append(batch(1, 'x'), NOW).baseOffset).toBe(end);
    log.close();
    expect(files(dir).filter((f) => f.endsWith('.log'))).toEqual([`${end.toString().padStart(20, '0')}.log`]);
  });

  it('stops at the first segment still inside retention, even if a later one is older', () => {
    const dir = join(tempDir(), 'mixed-0');
    const log = PartitionLog.open(dir, config({ segmentBytes: 250 }));
    const stamps = [NOW - 10_000, NOW - 10_000, NOW, NOW, NOW - 10_000, NOW - 10_000, NOW];
    for (const [i, ts] of stamps.entries()) log.append(batch(1, i, { timestamp: ts, valueSize: 60 }), NOW);
    const bases = log.segmentBaseOffsets;
    expect(bases.length).toBe(stamps.length);
    expect(log.deleteOldSegments({ ...keep, retentionMs: 5000 }, NOW)).toBe(2);
    expect(log.segmentBaseOffsets).toEqual(bases.slice(2));
    log.close();
  });

  it('goes by the file time for segments without record timestamps', () => {
    const dir = join(tempDir(), 'nots-0');
    const log = PartitionLog.open(dir, config({ segmentBytes: 200 }));
    const messages: string[] = [];
    for (let i = 0; i < 4; i++) log.append(encodeRecordBatchSync({ records: [{ value: 'x'.repeat(80), timestamp: -1n }] }));
    const bases = log.segmentBaseOffsets;
    expect(bases.length).toBe(4);
    const old = (Date.now() - 3_600_000) / 1000;
    for (const b of bases.slice(0, 2)) utimesSync(join(dir, `${b.toString().padStart(20, '0')}.log`), old, old);
    const reopened = PartitionLog.open(dir, config({ segmentBytes: 200 }), (m) => messages.push(m), {});
    log.close();
    expect(reopened.deleteOldSegments({ ...keep, retentionMs: 60_000 })).toBe(2);
    expect(messages.join('\n')).toMatch(/due to log retention time 60000ms breach based on the last modified time of the segment/);
    reopened.close();
  });
});

describe('DeleteRecords (deleteRecordsBefore)', () => {
  it('moves the log start offset inside a segment and deletes the segments wholly below it', () => {
    const { log, batches, messages } = build(30);
    const bases = log.segmentBaseOffsets;
    const target = bases[2]! + 1n;
    expect(log.deleteRecordsBefore(target, 0, NOW)).toBe(target);
    expect(log.logStartOffset).toBe(target);
    expect(log.segmentBaseOffsets).toEqual(bases.slice(2));
    expect(log.firstSegmentBaseOffset).toBe(bases[2]);
    const text = messages.join('\n');
    expect(text).toMatch(new RegExp(`Incremented log start offset to ${target} due to client delete records request`));
    expect(text).toMatch(new RegExp(`Deleting segments due to log start offset ${target} breach: LogSegment\\(baseOffset=0, .*\\),LogSegment\\(baseOffset=${bases[1]}, `));
    expectOutOfRange(() => log.read(target - 1n, 100));
    // The batch holding the start offset comes back whole.
    const holding = batches.find((b) => b.base <= target && b.last >= target)!;
    expect(log.read(target, 1, true).length).toBe(holding.size);
    // Lower or equal offsets change nothing; the low watermark is returned.
    expect(log.deleteRecordsBefore(0n, 0, NOW)).toBe(target);
    expect(log.deleteRecordsBefore(target, 0, NOW)).toBe(target);
    log.close();
  });

  it('takes the log end offset, leaving an empty but usable log', () => {
    const { log, batches } = build(10);
    const end = batches.at(-1)!.last + 1n;
    expect(log.deleteRecordsBefore(end, 0, NOW)).toBe(end);
    expect(log.segmentBaseOffsets.at(-1)).toBeLessThan(end);
    expect(log.segmentBaseOffsets.length).toBe(1);
    expect(log.read(end, 100).length).toBe(0);
    expectOutOfRange(() => log.read(end - 1n, 100));
    expect(log.append(batch(1, 'y'), NOW).baseOffset).toBe(end);
    expect(log.read(end, 1000).length).toBeGreaterThan(0);
    log.close();
  });

  it('refuses offsets past the log end or negative with OFFSET_OUT_OF_RANGE', () => {
    const { log, batches } = build(3);
    const end = batches.at(-1)!.last + 1n;
    expectOutOfRange(() => log.deleteRecordsBefore(end + 1n));
    expectOutOfRange(() => log.deleteRecordsBefore(-2n));
    expect(log.logStartOffset).toBe(0n);
    log.close();
  });

  it('keeps ListOffsets by timestamp at or above the log start offset', () => {
    const { log, batches } = build(10);
    const target = batches[4]!.base + 1n;
    log.deleteRecordsBefore(target, 0, NOW);
    expect(log.offsetForTimestamp(0n)).toEqual({ offset: target, timestamp: BigInt(NOW - 6 * 60_000) });
    log.close();
  });

  it('survives a reopen through the log-start checkpoint value', () => {
    const { log, dir, batches } = build(10);
    const target = batches[1]!.base + 1n;
    log.deleteRecordsBefore(target, 0, NOW);
    log.close();
    const again = PartitionLog.open(dir, config({ segmentBytes: 600 }), () => {}, { cleanShutdown: true, logStartOffset: target });
    expect(again.logStartOffset).toBe(target);
    expectOutOfRange(() => again.read(target - 1n, 10));
    again.close();
    expect(existsSync(dir)).toBe(true);
  });
});
