// Opening a log with what the last run left: after a clean shutdown only the tail is checked,
// after an unclean one only the segments from the recovery point on. Plus the recovery point and
// flush.ms bookkeeping the broker checkpoints.
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PartitionLog, StorageErrorCode, type LogConfig, type LogOpenOptions } from '../../../src/storage/log.js';
import { batch, config, tempDir } from './helpers.js';

const cfg = config({ segmentBytes: 1500, indexIntervalBytes: 200 });

interface Built {
  dir: string;
  batches: Array<{ base: bigint; last: bigint; bytes: Buffer }>;
}

/** A closed log of `n` batches (1-3 records each) over several segments. */
function build(n: number, c: LogConfig = cfg): Built {
  const dir = join(tempDir(), 'orders-0');
  const log = PartitionLog.open(dir, c);
  const batches: Built['batches'] = [];
  for (let i = 0; i < n; i++) {
    const b = batch(1 + (i % 3), i, { timestamp: 2_000_000 + i * 10 });
    const info = log.append(b);
    batches.push({ base: info.baseOffset, last: info.lastOffset, bytes: b });
  }
  log.close();
  return { dir, batches };
}

const logFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.log')).sort();

/** A copy of `dir` in a fresh temp dir, so one build serves several opens. */
function copy(dir: string): string {
  const to = join(tempDir(), 'orders-0');
  cpSync(dir, to, { recursive: true });
  return to;
}

/** Flips one CRC-covered byte of the batch at `position` in `file` (past the 61-byte header). */
function corrupt(file: string, position: number): void {
  const bytes = readFileSync(file);
  bytes[position + 64] ^= 0x40;
  writeFileSync(file, bytes);
}

function open(dir: string, options: LogOpenOptions, c: LogConfig = cfg): { log: PartitionLog; messages: string[] } {
  const messages: string[] = [];
  const log = PartitionLog.open(dir, c, (m) => messages.push(m), options);
  return { log, messages };
}

const readAll = (log: PartitionLog): Buffer => log.read(log.logStartOffset, 1 << 24);

describe('opening after a clean shutdown', () => {
  it('trusts the data: a damaged batch before the last one goes unnoticed (it was never CRC-scanned)', () => {
    const { dir, batches } = build(12);
    const last = join(dir, logFiles(dir).at(-1)!);
    expect(statSync(last).size).toBeGreaterThan(batches.at(-1)!.bytes.length * 2);
    corrupt(last, 0);
    const clean = open(copy(dir), { cleanShutdown: true });
    expect(clean.messages).toEqual([]);
    expect(clean.log.logEndOffset).toBe(batches.at(-1)!.last + 1n);
    expect(clean.log.recoveryPoint).toBe(clean.log.logEndOffset);
    clean.log.close();
    // The same files opened as after a crash are checked, and cut at the damage.
    const unclean = open(copy(dir), {});
    expect(unclean.messages.join('\n')).toMatch(/Truncating .*: record batch CRC mismatch/);
    expect(unclean.log.logEndOffset).toBeLessThan(batches.at(-1)!.last + 1n);
    unclean.log.close();
  });

  it('checks the last batch and recovers the segment when it is damaged', () => {
    const { dir, batches } = build(12);
    const last = join(dir, logFiles(dir).at(-1)!);
    corrupt(last, statSync(last).size - batches.at(-1)!.bytes.length);
    const { log, messages } = open(dir, { cleanShutdown: true });
    expect(messages[0]).toMatch(/Recovering .*00\.log although the log dir was shut down cleanly: its last batch is damaged/);
    expect(messages[1]).toMatch(/Truncating/);
    expect(log.logEndOffset).toBe(batches.at(-1)!.base);
    log.close();
  });

  it('cuts a torn tail even though the marker says clean', () => {
    const { dir, batches } = build(12);
    appendFileSync(join(dir, logFiles(dir).at(-1)!), Buffer.alloc(30, 7));
    const { log, messages } = open(dir, { cleanShutdown: true });
    expect(messages.join('\n')).toMatch(/although the log dir was shut down cleanly/);
    expect(log.logEndOffset).toBe(batches.at(-1)!.last + 1n);
    expect(readAll(log).equals(Buffer.concat(batches.map((b) => b.bytes)))).toBe(true);
    log.close();
  });

  it('refills an emptied active index from the batch headers', () => {
    const { dir, batches } = build(40);
    const stem = logFiles(dir).at(-1)!.replace('.log', '');
    const index = readFileSync(join(dir, `${stem}.index`));
    expect(index.length).toBeGreaterThan(0);
    writeFileSync(join(dir, `${stem}.index`), Buffer.alloc(0));
    const { log, messages } = open(dir, { cleanShutdown: true });
    expect(messages.join('\n')).toMatch(/Added \d+ missing index entries to the indexes of .*\d{20}\.log/);
    expect(readFileSync(join(dir, `${stem}.index`)).equals(index)).toBe(true);
    for (const b of batches) expect(log.read(b.last, 1, true).equals(b.bytes)).toBe(true);
    log.close();
  });

  it('continues appending exactly as a log that was never closed', () => {
    const c = config({ segmentBytes: 5000, indexIntervalBytes: 150 });
    const all = Array.from({ length: 60 }, (_, i) => batch(1 + (i % 4), i, { timestamp: 3_000_000 + i }));
    const straight = PartitionLog.open(join(tempDir(), 'a-0'), c);
    for (const b of all) straight.append(Buffer.from(b));
    straight.close();

    const dir = join(tempDir(), 'b-0');
    for (const [from, to] of [[0, 7], [7, 25], [25, 26], [26, 60]] as const) {
      const { log, messages } = open(dir, { cleanShutdown: true }, c);
      expect(messages).toEqual([]);
      for (const b of all.slice(from, to)) log.append(Buffer.from(b));
      log.close();
    }
    const a = join(straight.dir);
    expect(logFiles(dir)).toEqual(logFiles(a));
    for (const f of readdirSync(a).filter((n) => !n.endsWith('.timeindex'))) {
      expect(readFileSync(join(dir, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    }
    // The time indexes hold an extra close-time entry per reopen; each still loads and answers the same.
    const reopened = open(dir, {}, c);
    const model = open(a, {}, c);
    expect(reopened.messages).toEqual([]);
    for (let ts = 2_999_990; ts < 3_000_070; ts += 3) {
      expect(reopened.log.offsetForTimestamp(BigInt(ts))).toEqual(model.log.offsetForTimestamp(BigInt(ts)));
    }
    reopened.log.close();
    model.log.close();
  });

  it('opens an empty log dir and an empty active segment', () => {
    const dir = join(tempDir(), 'e-0');
    PartitionLog.open(dir, cfg).close();
    const { log, messages } = open(dir, { cleanShutdown: true });
    expect(messages).toEqual([]);
    expect(log.logEndOffset).toBe(0n);
    expect(log.append(batch(2, 'x')).baseOffset).toBe(0n);
    log.close();
  });
});

describe('opening after an unclean shutdown', () => {
  it('trusts segments wholly below the recovery point and checks the rest', () => {
    const { dir, batches } = build(90);
    const files = logFiles(dir);
    expect(files.length).toBeGreaterThan(4);
    const bases = files.map((f) => BigInt(f.slice(0, 20)));
    // Damage the first batch of segment 1 (below the recovery point) and of segment 3 (at it).
    corrupt(join(dir, files[1]!), 0);
    corrupt(join(dir, files[3]!), 0);
    const { log, messages } = open(dir, { recoveryPoint: bases[3]! + 1n });
    // Segment 1 is not looked at; segment 3 is cut to nothing and everything after it goes.
    expect(messages.join('\n')).not.toMatch(new RegExp(files[1]!));
    expect(messages.join('\n')).toMatch(new RegExp(`Truncating .*${files[3]}`));
    expect(messages.join('\n')).toMatch(/Deleting segments as part of log recovery: /);
    expect(log.segmentBaseOffsets).toEqual(bases.slice(0, 4));
    expect(log.logEndOffset).toBe(bases[3]!);
    expect(logFiles(dir)).toEqual(files.slice(0, 4));
    expect(existsSync(join(dir, files[4]!.replace('.log', '.index')))).toBe(false);
    // The recovery point stays where it was: nothing new is known to be durable.
    expect(log.recoveryPoint).toBe(bases[3]!);
    const info = log.append(batch(1, 'after'));
    expect(info.baseOffset).toBe(bases[3]!);
    expect(log.read(bases[3]!, 1000).length).toBe(batch(1, 'after').length);
    log.close();
    expect(batches.length).toBe(90);
  });

  it('recovers every segment without a recovery point', () => {
    const { dir } = build(40);
    const files = logFiles(dir);
    corrupt(join(dir, files[0]!), 0);
    const { log, messages } = open(dir, {});
    expect(messages.join('\n')).toMatch(new RegExp(`Truncating .*${files[0]}`));
    expect(log.logEndOffset).toBe(0n);
    expect(logFiles(dir)).toEqual([files[0]]);
    log.close();
  });

  it('keeps a recovered segment that is intact, with its indexes as they were', () => {
    const { dir, batches } = build(40);
    const before = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
    const { log, messages } = open(dir, { recoveryPoint: 0n });
    expect(messages).toEqual([]);
    expect(readAll(log).equals(Buffer.concat(batches.map((b) => b.bytes)))).toBe(true);
    for (const [f, bytes] of before) {
      if (!f.startsWith(logFiles(dir).at(-1)!.slice(0, 20))) expect(readFileSync(join(dir, f)).equals(bytes), f).toBe(true);
    }
    log.close();
  });
});

describe('log start offset from a checkpoint', () => {
  it('starts reading at the checkpointed offset inside the first segment', () => {
    const { dir, batches } = build(12);
    const start = batches[2]!.base + 1n;
    const { log } = open(dir, { cleanShutdown: true, logStartOffset: start });
    expect(log.logStartOffset).toBe(start);
    expect(log.firstSegmentBaseOffset).toBe(0n);
    expect(() => log.read(start - 1n, 100)).toThrow(expect.objectContaining({ errorCode: StorageErrorCode.OFFSET_OUT_OF_RANGE }));
    // The batch holding the start offset is returned whole, as Kafka does.
    expect(log.read(start, 1, true).equals(batches[2]!.bytes)).toBe(true);
    log.close();
  });

  it('ignores a checkpoint below the first segment', () => {
    const { dir } = build(12);
    const { log } = open(dir, { logStartOffset: -5n });
    expect(log.logStartOffset).toBe(0n);
    log.close();
  });

  it('starts over at the checkpoint when the data below it is gone', () => {
    const { dir } = build(12);
    const { log, messages } = open(dir, { cleanShutdown: true, logStartOffset: 1000n });
    expect(messages.join()).toMatch(/Deleting all segments because logEndOffset \(\d+\) is smaller than logStartOffset 1000/);
    expect(log.logStartOffset).toBe(1000n);
    expect(log.logEndOffset).toBe(1000n);
    expect(log.append(batch(1, 'x')).baseOffset).toBe(1000n);
    log.close();
    expect(logFiles(dir)).toEqual(['00000000000000001000.log']);
  });
});

describe('housekeeping at open', () => {
  it('removes .deleted leftovers and orphaned index files', () => {
    const { dir } = build(12);
    writeFileSync(join(dir, '00000000000000000000.log.deleted'), 'x');
    writeFileSync(join(dir, '00000000000000000099.timeindex'), Buffer.alloc(12));
    writeFileSync(join(dir, '00000000000000000099.index'), Buffer.alloc(8));
    const { log, messages } = open(dir, { cleanShutdown: true });
    expect(messages.filter((m) => /orphaned index file/.test(m))).toHaveLength(2);
    expect(readdirSync(dir).filter((f) => f.includes('.deleted') || f.startsWith('00000000000000000099'))).toEqual([]);
    log.close();
  });
});

describe('recovery point and flush.ms', () => {
  it('moves to the log end on flush and close, and past a rolled segment once it is synced', async () => {
    const dir = join(tempDir(), 'r-0');
    const log = PartitionLog.open(dir, config({ segmentBytes: 400 }));
    expect(log.recoveryPoint).toBe(0n);
    log.append(batch(2, 0, { valueSize: 30 }));
    expect(log.hasUnflushedData).toBe(true);
    log.flush();
    expect(log.recoveryPoint).toBe(2n);
    expect(log.hasUnflushedData).toBe(false);
    while (log.segmentBaseOffsets.length < 3) log.append(batch(2, 1, { valueSize: 30 }));
    // Rolled segments are fsynced in the background; the point follows without a flush().
    const rolledTo = log.segmentBaseOffsets.at(-1)!;
    await vi.waitFor(() => expect(log.recoveryPoint).toBe(rolledTo), { timeout: 5000, interval: 5 });
    log.append(batch(1, 2));
    log.close();
    expect(log.recoveryPoint).toBe(log.logEndOffset);
  });

  it('reports when flush.ms calls for a flush of an idle log', () => {
    const log = PartitionLog.open(tempDir(), config({ flushMs: 50 }));
    expect(log.flushDeadline).toBe(Infinity);
    const t0 = Date.now();
    log.flush(t0);
    log.append(batch(1, 0), t0 + 1);
    expect(log.flushDeadline).toBe(t0 + 50);
    expect(log.flushIfDue(t0 + 49)).toBe(false);
    expect(log.hasUnflushedData).toBe(true);
    expect(log.flushIfDue(t0 + 50)).toBe(true);
    expect(log.hasUnflushedData).toBe(false);
    expect(log.recoveryPoint).toBe(1n);
    expect(log.flushDeadline).toBe(Infinity);
    log.close();
  });

  it('never asks for a flush without flush.ms', () => {
    const log = PartitionLog.open(tempDir(), config());
    log.append(batch(1, 0));
    expect(log.flushDeadline).toBe(Infinity);
    expect(log.flushIfDue(Date.now() + 1e9)).toBe(false);
    log.close();
  });
});

describe('closing', () => {
  it('trims index files to their entries', () => {
    const dir = join(tempDir(), 'i-0');
    const log = PartitionLog.open(dir, config({ indexIntervalBytes: 100 }));
    for (let i = 0; i < 20; i++) log.append(batch(3, i));
    log.flush(); // index entries are written behind the appends; a flush writes them out
    const index = join(dir, '00000000000000000000.index');
    const good = readFileSync(index);
    appendFileSync(index, Buffer.alloc(800));
    appendFileSync(join(dir, '00000000000000000000.timeindex'), Buffer.alloc(1200));
    log.close();
    expect(readFileSync(index).equals(good)).toBe(true);
    expect(statSync(join(dir, '00000000000000000000.timeindex')).size % 12).toBe(0);
    const { log: again, messages } = open(dir, { cleanShutdown: true });
    expect(messages).toEqual([]);
    again.close();
  });
});
