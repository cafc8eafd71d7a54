// Reopening a partition log: clean reopen, torn and corrupt tails, lost or damaged indexes.
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRecordBatchesSync } from '../../../src/protocol/records/records.js';
import { PartitionLog } from '../../../src/storage/log.js';
import { batch, config, tempDir } from './helpers.js';

const cfg = config({ segmentBytes: 1500, indexIntervalBytes: 200 });

interface Built {
  dir: string;
  batches: Array<{ base: bigint; last: bigint; bytes: Buffer }>;
}

/** A closed log of `n` batches (1-3 records each) over several segments. */
function build(n: number, c = cfg): Built {
  const dir = join(tempDir(), 'orders-eu-0');
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

const segmentFiles = (dir: string, suffix: string): string[] => readdirSync(dir).filter((f) => f.endsWith(suffix)).sort();

function readAll(log: PartitionLog): Buffer {
  return log.read(log.logStartOffset, 1 << 24);
}

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
}

describe('reopening a log', () => {
  it('keeps everything after a clean close, and continues the offsets', () => {
    const { dir, batches } = build(60);
    const before = snapshot(dir);
    const messages: string[] = [];
    const log = PartitionLog.open(dir, cfg, (m) => messages.push(m));
    expect(messages).toEqual([]);
    expect(log.logEndOffset).toBe(batches.at(-1)!.last + 1n);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(3);
    expect(readAll(log).equals(Buffer.concat(batches.map((b) => b.bytes)))).toBe(true);
    expect(log.sizeInBytes).toBe(batches.reduce((n, b) => n + b.bytes.length, 0));
    // Index files of sealed segments are left as they were.
    const activeStem = log.segmentBaseOffsets.at(-1)!.toString().padStart(20, '0');
    for (const [name, bytes] of before) {
      if (!name.startsWith(activeStem)) expect(readFileSync(join(dir, name)).equals(bytes), name).toBe(true);
    }
    const next = log.append(batch(2, 'after'));
    expect(next.baseOffset).toBe(batches.at(-1)!.last + 1n);
    log.close();
  });

  it('recovers every earlier batch when the last batch is cut at any byte', () => {
    const { dir, batches } = build(14);
    const lastLog = segmentFiles(dir, '.log').at(-1)!;
    const fileSize = statSync(join(dir, lastLog)).size;
    const last = batches.at(-1)!;
    const start = fileSize - last.bytes.length;
    expect(start).toBeGreaterThan(0); // the last segment holds earlier batches too
    const earlier = Buffer.concat(batches.slice(0, -1).map((b) => b.bytes));
    for (let cut = start; cut < fileSize; cut++) {
      const copy = join(tempDir(), 'orders-eu-0');
      cpSync(dir, copy, { recursive: true });
      truncateSync(join(copy, lastLog), cut);
      const messages: string[] = [];
      const log = PartitionLog.open(copy, cfg, (m) => messages.push(m));
      expect(log.logEndOffset, `cut at ${cut}`).toBe(last.base);
      expect(readAll(log).equals(earlier), `cut at ${cut}`).toBe(true);
      if (cut > start) {
        expect(messages.join('\n')).toMatch(/Truncating .*00\.log from \d+ to \d+ bytes/);
        expect(statSync(join(copy, lastLog)).size).toBe(start);
      }
      const info = log.append(batch(1, 'new'));
      expect(info.baseOffset).toBe(last.base);
      log.close();
      rmSync(copy, { recursive: true });
    }
  });

  it('recovers when the only batch of the last segment is torn', () => {
    const dir = join(tempDir(), 'p-0');
    let log = PartitionLog.open(dir, config({ segmentBytes: 400 }));
    const appended: Buffer[] = [];
    while (log.segmentBaseOffsets.length < 3) {
      const b = batch(2, appended.length, { valueSize: 30 });
      log.append(b);
      appended.push(b);
    }
    const lastBase = log.segmentBaseOffsets.at(-1)!;
    log.close();
    const lastLog = segmentFiles(dir, '.log').at(-1)!;
    expect(statSync(join(dir, lastLog)).size).toBe(appended.at(-1)!.length);
    truncateSync(join(dir, lastLog), 30);
    log = PartitionLog.open(dir, config({ segmentBytes: 400 }));
    expect(log.logEndOffset).toBe(lastBase);
    expect(readAll(log).equals(Buffer.concat(appended.slice(0, -1)))).toBe(true);
    expect(log.append(batch(1, 'x')).baseOffset).toBe(lastBase);
    log.close();
  });

  it('cuts garbage appended to the tail', () => {
    const { dir, batches } = build(10);
    const lastLog = join(dir, segmentFiles(dir, '.log').at(-1)!);
    const size = statSync(lastLog).size;
    for (const garbage of [Buffer.from('garbage!'), Buffer.alloc(100, 0), Buffer.alloc(5000, 0xab)]) {
      appendFileSync(lastLog, garbage);
      const messages: string[] = [];
      const log = PartitionLog.open(dir, cfg, (m) => messages.push(m));
      expect(messages).toHaveLength(1);
      expect(statSync(lastLog).size).toBe(size);
      expect(log.logEndOffset).toBe(batches.at(-1)!.last + 1n);
      log.close();
    }
  });

  it('cuts a complete batch with a bad CRC and everything after it', () => {
    const { dir, batches } = build(10);
    const lastLog = join(dir, segmentFiles(dir, '.log').at(-1)!);
    const bytes = readFileSync(lastLog);
    const lastStart = bytes.length - batches.at(-1)!.bytes.length;
    const prevStart = lastStart - batches.at(-2)!.bytes.length;
    bytes[prevStart + 70] ^= 0x40;
    writeFileSync(lastLog, bytes);
    const messages: string[] = [];
    const log = PartitionLog.open(dir, cfg, (m) => messages.push(m));
    expect(messages.join()).toMatch(/CRC/);
    expect(log.logEndOffset).toBe(batches.at(-2)!.base);
    log.close();
  });

  it('rebuilds deleted indexes of sealed and active segments, byte for byte', () => {
    const { dir } = build(40);
    const first = segmentFiles(dir, '.index')[0]!;
    const last = segmentFiles(dir, '.index').at(-1)!;
    const originals = snapshot(dir);
    expect(originals.get(first)!.length).toBeGreaterThan(0);
    for (const f of [first, first.replace('.index', '.timeindex'), last, last.replace('.index', '.timeindex')]) unlinkSync(join(dir, f));
    const messages: string[] = [];
    const log = PartitionLog.open(dir, cfg, (m) => messages.push(m));
    expect(messages.join()).toMatch(/Rebuilding the indexes of segment .*00\.log: missing/);
    expect(readFileSync(join(dir, first)).equals(originals.get(first)!)).toBe(true);
    expect(readFileSync(join(dir, first.replace('.index', '.timeindex'))).equals(originals.get(first.replace('.index', '.timeindex'))!)).toBe(true);
    // The active segment's rebuilt index holds the interval entries (its close-time time-index
    // entry comes back at the next close).
    expect(readFileSync(join(dir, last)).equals(originals.get(last)!)).toBe(true);
    log.close();
    expect(readFileSync(join(dir, last.replace('.index', '.timeindex'))).equals(originals.get(last.replace('.index', '.timeindex'))!)).toBe(true);
  });

  it('rebuilds damaged indexes of a sealed segment', () => {
    const { dir, batches } = build(40);
    const first = join(dir, segmentFiles(dir, '.index')[0]!);
    const good = readFileSync(first);
    const damages: Array<[string, Buffer]> = [
      ['odd size', Buffer.concat([good, Buffer.from([1, 2, 3])])],
      ['zero-filled tail', Buffer.concat([good, Buffer.alloc(64)])],
      ['garbage', Buffer.alloc(good.length, 0x7f)],
      ['wrong position', (() => { const b = Buffer.from(good); b.writeInt32BE(b.readInt32BE(b.length - 4) - 1, b.length - 4); return b; })()],
    ];
    for (const [what, bytes] of damages) {
      writeFileSync(first, bytes);
      const messages: string[] = [];
      const log = PartitionLog.open(dir, cfg, (m) => messages.push(m));
      expect(messages.join(), what).toMatch(/Rebuilding the indexes/);
      expect(readFileSync(first).equals(good), what).toBe(true);
      for (const b of batches) expect(log.read(b.last, 1, true).equals(b.bytes), what).toBe(true);
      log.close();
    }
  });

  it('keeps serving reads and decodes after recovery', () => {
    const { dir, batches } = build(25);
    truncateSync(join(dir, segmentFiles(dir, '.log').at(-1)!), statSync(join(dir, segmentFiles(dir, '.log').at(-1)!)).size - 1);
    const log = PartitionLog.open(dir, cfg);
    const records = decodeRecordBatchesSync(readAll(log)).flatMap((b) => b.records);
    expect(records.length).toBe(batches.slice(0, -1).reduce((n, b) => n + Number(b.last - b.base + 1n), 0));
    log.close();
  });
});
