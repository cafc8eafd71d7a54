// The storage engine alone (no network): PartitionLog append and read throughput for 100 B and
// 1 KiB records in large uncompressed batches, each beside a raw sequential write/read of the same
// bytes with plain fs calls in the same run, and the time an unclean start takes to recover a
// log, per GiB. Part of `npm run bench`; alone: `node dist/bench/storage.js`. Nothing passes or
// fails.
//
// What each row measures:
//   append   PartitionLog.append of one batch at a time (CRC-32C check, offsets stamped, one
//            positional write), then flush() (fsync); raw: writeSync of the same batches, fsync.
//   read     PartitionLog.read in 1 MiB fetches from offset 0 to the end (page cache warm, as
//            right after writing); raw: readSync of the file in 1 MiB reads.
//   recovery PartitionLog.open with no clean-shutdown marker and no recovery point: every batch
//            is read and its CRC checked, indexes rebuilt; raw: reading the same files. A clean
//            open (marker present) is shown beside it.
// Each figure is the median of three runs (fsync timings on a shared disk vary a lot).
// BENCH_STORAGE_MB sets the data written per case (default 256) and the recovery log size
// (default 4× that).
import { closeSync, fsyncSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { encodeRecordBatchSync } from '../src/protocol/records/records.js';
import { DEFAULT_LOG_CONFIG, PartitionLog, type LogConfig } from '../src/storage/log.js';

const MB = 1e6;
const MIB = 1 << 20;
const GIB = 1 << 30;
const DATA_MB = Number(process.env.BENCH_STORAGE_MB ?? 256);
const BATCH_BYTES = 512 * 1024;
const READ_CHUNK = MIB;

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One uncompressed batch of about BATCH_BYTES holding `recordBytes`-byte values. */
function bigBatch(recordBytes: number): Buffer {
  const count = Math.max(1, Math.floor(BATCH_BYTES / (recordBytes + 8)));
  const value = Buffer.alloc(recordBytes, 'x');
  const records = Array.from({ length: count }, (_, i) => ({ key: null, value, timestamp: 1_700_000_000_000 + i }));
  return encodeRecordBatchSync({ records });
}

const config = (overrides: Partial<LogConfig> = {}): LogConfig => ({ ...DEFAULT_LOG_CONFIG, maxMessageBytes: 4 * BATCH_BYTES, ...overrides });

const RUNS = 3;

/** Median wall time of RUNS runs of `fn`, in seconds; `between` runs after each (clean-up). */
function seconds(fn: () => void, between: () => void = () => {}): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    (globalThis as { gc?: () => void }).gc?.(); // `npm run bench` exposes it: less GC noise in the timings
    const t = performance.now();
    fn();
    times.push((performance.now() - t) / 1000);
    between();
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

interface Case {
  recordBytes: number;
  appendMBs: number;
  rawWriteMBs: number;
  readMBs: number;
  rawReadMBs: number;
  bytes: number;
}

function measureCase(work: string, recordBytes: number): Case {
  const batch = bigBatch(recordBytes);
  const batches = Math.max(1, Math.round((DATA_MB * MB) / batch.length));
  const bytes = batches * batch.length;

  // Raw reference first: the same bytes, sequential writes, one fsync.
  const rawPath = join(work, `raw-${recordBytes}.bin`);
  const rawWrite = seconds(
    () => {
      const fd = openSync(rawPath, 'w');
      for (let i = 0, pos = 0; i < batches; i++, pos += batch.length) writeSync(fd, batch, 0, batch.length, pos);
      fsyncSync(fd);
      closeSync(fd);
    },
    () => rmSync(rawPath),
  );
  const fd = openSync(rawPath, 'w');
  for (let i = 0, pos = 0; i < batches; i++, pos += batch.length) writeSync(fd, batch, 0, batch.length, pos);
  closeSync(fd);
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  const rawRead = seconds(() => {
    const fd = openSync(rawPath, 'r');
    let pos = 0;
    for (let n; (n = readSync(fd, buf, 0, READ_CHUNK, pos)) > 0; ) pos += n;
    closeSync(fd);
  });
  rmSync(rawPath);

  const dir = join(work, `append-${recordBytes}-0`);
  let log!: PartitionLog;
  const append = seconds(
    () => {
      log = PartitionLog.open(dir, config());
      for (let i = 0; i < batches; i++) log.append(batch, 1_700_000_000_000);
      log.flush();
    },
    () => log.delete(),
  );
  log = PartitionLog.open(dir, config());
  for (let i = 0; i < batches; i++) log.append(batch, 1_700_000_000_000);
  let total = 0;
  const read = seconds(() => {
    total = 0;
    let offset = 0n;
    const end = log.logEndOffset;
    while (offset < end) {
      const chunk = log.read(offset, READ_CHUNK, true);
      total += chunk.length;
      // Next fetch offset: one past the last batch in the chunk (batches are whole).
      let at = 0;
      let last = offset;
      while (at < chunk.length) {
        last = chunk.readBigInt64BE(at) + BigInt(chunk.readInt32BE(at + 23));
        at += chunk.readInt32BE(at + 8) + 12;
      }
      offset = last + 1n;
    }
  });
  log.close();
  rmSync(dir, { recursive: true, force: true });
  if (total !== bytes) throw new Error(`read ${total} bytes of ${bytes}`);
  return { recordBytes, bytes, appendMBs: bytes / MB / append, rawWriteMBs: bytes / MB / rawWrite, readMBs: bytes / MB / read, rawReadMBs: bytes / MB / rawRead };
}

interface Recovery {
  bytes: number;
  segments: number;
  uncleanMs: number;
  cleanMs: number;
  rawReadMs: number;
}

function measureRecovery(work: string): Recovery {
  const dir = join(work, 'recovery-0');
  const batch = bigBatch(1024);
  const target = 4 * DATA_MB * MB;
  // 256 MiB segments, so recovery walks several of them as it would in a long-lived log.
  const c = config({ segmentBytes: 256 * MIB });
  let log = PartitionLog.open(dir, c);
  while (log.sizeInBytes < target) log.append(batch, 1_700_000_000_000);
  log.close();
  const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
  const bytes = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  const rawReadMs = seconds(() => {
    for (const f of files) {
      const fd = openSync(join(dir, f), 'r');
      let pos = 0;
      for (let n; (n = readSync(fd, buf, 0, READ_CHUNK, pos)) > 0; ) pos += n;
      closeSync(fd);
    }
  }) * 1000;
  // Unclean: no marker, no recovery point, so every segment is checked batch by batch.
  const uncleanMs = seconds(
    () => {
      log = PartitionLog.open(dir, c, () => {}, { cleanShutdown: false });
    },
    () => log.close(),
  ) * 1000;
  const cleanMs = seconds(
    () => {
      log = PartitionLog.open(dir, c, () => {}, { cleanShutdown: true });
    },
    () => log.close(),
  ) * 1000;
  rmSync(dir, { recursive: true, force: true });
  return { bytes, segments: files.length, uncleanMs, cleanMs, rawReadMs };
}

/** Runs the storage benchmarks and prints their tables. */
export async function storageBench(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ktool-bench-storage-'));
  try {
    const cases = [measureCase(work, 100), measureCase(work, 1024)];
    const t1 = new Table({ head: ['PartitionLog, one partition, ~512 KiB batches', 'ktool storage', 'raw fs, same bytes (same run)', 'ratio'] });
    for (const c of cases) {
      const label = `${c.recordBytes === 1024 ? '1 KiB' : `${c.recordBytes} B`} records, ${fmt(c.bytes / MB)} MB`;
      t1.push([`append + fsync: ${label}`, `${fmt(c.appendMBs)} MB/s`, `write + fsync: ${fmt(c.rawWriteMBs)} MB/s`, `${fmt(c.appendMBs / c.rawWriteMBs, 2)}×`]);
      t1.push([`read (1 MiB fetches): ${label}`, `${fmt(c.readMBs)} MB/s`, `sequential read: ${fmt(c.rawReadMBs)} MB/s`, `${fmt(c.readMBs / c.rawReadMBs, 2)}×`]);
    }
    console.log(t1.toString());
    const r = measureRecovery(work);
    const gib = r.bytes / GIB;
    const t2 = new Table({ head: [`start-up of a ${fmt(r.bytes / MB)} MB log (${r.segments} segments, 1 KiB records)`, 'time', 'per GiB', 'raw read of the files (same run)'] });
    t2.push(['unclean (no marker): every batch read, CRC-checked, indexes rebuilt', `${fmt(r.uncleanMs)} ms`, `${fmt(r.uncleanMs / gib)} ms/GiB`, `${fmt(r.rawReadMs / gib)} ms/GiB`]);
    t2.push(['clean (marker present): indexes loaded, last batch checked', `${fmt(r.cleanMs, 1)} ms`, `${fmt(r.cleanMs / gib, 1)} ms/GiB`, '']);
    console.log(t2.toString());
    console.log('Reads and recovery run against a warm page cache (the data was just written); a cold start reads from the disk instead.');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  storageBench().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
