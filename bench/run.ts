// `npm run bench`: start-up, memory and throughput of ktool, each printed beside a reference
// measured in the same run on the same machine (a bare Node process, raw disk and raw loopback
// TCP, kcat). Figures for a JVM Apache Kafka on this 2-core machine are quoted from the project's
// issue for comparison; they are not measured here. Nothing here passes or fails. The storage
// engine's own figures (append/read MB/s, recovery per GiB) come last, from bench/storage.ts.
// Arguments pick sections (default: all): `npm run bench -- start kcat` runs only those two.
// Sections: start (start-up, idle RSS), kcat (produce/consume), list (topics --list),
// console (console-producer/-consumer; the producer in rounds beside kcat -P), storage.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, fsyncSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { ReplayBroker } from './replay-broker.js';
import { storageBench } from './storage.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ktool = join(root, 'bin', 'ktool.js');
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const RECORD_BYTES = 100;
/** console-producer runs, each after a kcat -P run as its reference. */
const CONSOLE_ROUNDS = 3;

const SECTIONS = ['start', 'kcat', 'list', 'console', 'storage'] as const;
const picked = process.argv.slice(2);
for (const p of picked) if (!(SECTIONS as readonly string[]).includes(p)) throw new Error(`unknown bench section ${p}; one of ${SECTIONS.join(', ')}`);
const runs = (section: (typeof SECTIONS)[number]): boolean => picked.length === 0 || picked.includes(section);

const work = mkdtempSync(join(tmpdir(), 'ktool-bench-'));
const recordsFile = join(work, 'records.txt');

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Runs a whole process; `stdinFile` is its standard input as a shell's `< file` gives it. */
function timed(cmd: string, args: string[], opts: { stdinFile?: string; stdoutFile?: string } = {}): { seconds: number; status: number | null; stderr: string } {
  const stdio: Array<'pipe' | 'ignore' | number> = ['ignore', 'ignore', 'pipe'];
  const fds: number[] = [];
  if (opts.stdinFile) fds.push((stdio[0] = openSync(opts.stdinFile, 'r')));
  if (opts.stdoutFile) fds.push((stdio[1] = openSync(opts.stdoutFile, 'w')));
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio, maxBuffer: 1 << 30, timeout: 600_000 });
  for (const fd of fds) closeSync(fd);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, status: r.status, stderr: r.stderr?.toString() ?? '' };
}

/** timed() without blocking this process (whose servers the command talks to). */
function timedAsync(cmd: string, args: string[], opts: { stdoutFile?: string } = {}): Promise<{ seconds: number; status: number | null }> {
  const fd = opts.stdoutFile ? openSync(opts.stdoutFile, 'w') : undefined;
  const start = process.hrtime.bigint();
  const child = spawn(cmd, args, { stdio: ['ignore', fd ?? 'ignore', 'ignore'] });
  return new Promise((resolve) => {
    child.on('close', (status) => {
      if (fd !== undefined) closeSync(fd);
      resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, status });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface RunningBroker {
  child: ChildProcess;
  port: number;
  startupMs: number;
}

async function startBroker(logDir: string, overrides: string[] = []): Promise<RunningBroker> {
  const port = await freePort();
  const t0 = performance.now();
  const args = [ktool, 'server-start', '--override', `listeners=PLAINTEXT://127.0.0.1:${port}`, '--override', `log.dirs=${logDir}`];
  for (const o of overrides) args.push('--override', o);
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  for (;;) {
    if (await canConnect(port)) break;
    if (child.exitCode !== null) throw new Error('broker exited during start-up');
    if (performance.now() - t0 > 30_000) throw new Error('broker did not start within 30 s');
    await sleep(2);
  }
  return { child, port, startupMs: performance.now() - t0 };
}

async function stopBroker(b: RunningBroker): Promise<void> {
  b.child.kill('SIGTERM');
  const deadline = Date.now() + 30_000;
  while (b.child.exitCode === null && b.child.signalCode === null && Date.now() < deadline) await sleep(20);
}

async function bareNode(): Promise<{ startupMs: number; rss: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  while (!(await canConnect(port))) await sleep(2);
  const startupMs = performance.now() - t0;
  await sleep(1000);
  const rss = rssMiB(child.pid!);
  child.kill();
  return { startupMs, rss };
}

function rawDisk(): { writeMBs: number; readMBs: number } {
  const data = readFileSync(recordsFile);
  const file = join(work, 'raw-disk.bin');
  const chunk = 1 << 20;
  let t = performance.now();
  const fd = openSync(file, 'w');
  for (let at = 0; at < data.length; at += chunk) writeSync(fd, data, at, Math.min(chunk, data.length - at));
  fsyncSync(fd);
  closeSync(fd);
  const writeMBs = data.length / 1e6 / ((performance.now() - t) / 1000);
  const buf = Buffer.allocUnsafe(chunk);
  t = performance.now();
  const rfd = openSync(file, 'r');
  while (readSync(rfd, buf, 0, chunk, null) > 0);
  closeSync(rfd);
  const readMBs = statSync(file).size / 1e6 / ((performance.now() - t) / 1000);
  rmSync(file);
  return { writeMBs, readMBs };
}

async function rawLoopback(): Promise<number> {
  const data = readFileSync(recordsFile);
  const server = createServer((s) => s.resume());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const t = performance.now();
  await new Promise<void>((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => s.end(data));
    s.on('close', () => resolve());
  });
  const mbs = data.length / 1e6 / ((performance.now() - t) / 1000);
  server.close();
  return mbs;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const recPerSec = (seconds: number): string => `${fmt(RECORDS / seconds)} rec/s (${fmt((RECORDS * (RECORD_BYTES + 1)) / 1e6 / seconds, 1)} MB/s)`;

async function main(): Promise<void> {
  const line = 'x'.repeat(RECORD_BYTES - 8);
  const out = createWriteStream(recordsFile);
  for (let i = 0; i < RECORDS; i++) out.write(`${String(i).padStart(8, '0')}${line}\n`);
  await new Promise<void>((r) => out.end(r));
  const hasKcat = spawnSync('kcat', ['-V']).status === 0;

  if (runs('start')) await startupSection();
  if (runs('kcat') || runs('list') || runs('console')) {
    if (hasKcat) await throughputSections();
    else console.log('kcat is not installed: throughput rows skipped (apt-get install kcat)');
  }
  if (runs('storage')) await storageBench();
}

async function startupSection(): Promise<void> {
  const base = await bareNode();
  const starts: number[] = [];
  let idleRss = NaN;
  for (let i = 0; i < 3; i++) {
    const dir = join(work, `start-${i}`);
    const b = await startBroker(dir);
    starts.push(b.startupMs);
    if (i === 0) {
      await sleep(1000);
      idleRss = rssMiB(b.child.pid!);
    }
    await stopBroker(b);
  }
  const t1 = new Table({ head: ['start-up and memory', 'ktool broker', 'reference (same run)', 'ratio', 'target', 'JVM Kafka (issue)'] });
  t1.push(['start to accepting connections', `${fmt(median(starts))} ms`, `bare node: ${fmt(base.startupMs)} ms`, `${fmt(median(starts) / base.startupMs, 1)}×`, '≤ 250 ms', '~2,200 ms']);
  t1.push(['idle RSS', `${fmt(idleRss, 1)} MiB`, `bare node: ${fmt(base.rss, 1)} MiB`, `${fmt(idleRss / base.rss, 1)}×`, '≤ 80 MiB', '~315 MiB']);
  console.log(t1.toString());
}

const KCAT_PRODUCE = (bootstrap: string, topic: string): string[] => ['-P', '-b', bootstrap, '-t', topic, '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-l', recordsFile];
/**
 * `steady`: librdkafka stops fetching while kcat's local queue holds queued.min.messages
 * (100,000) and looks again only later, which makes plain `kcat -C` runs here take ~0.85 s or
 * ~1.55 s for the same data, against any broker; a larger threshold takes that out.
 */
const KCAT_CONSUME = (bootstrap: string, topic: string, steady = false): string[] => [
  '-C', '-b', bootstrap, '-t', topic, '-e', '-o', 'beginning', '-q', '-f', '%s\\n',
  ...(steady ? ['-X', 'queued.min.messages=10000000', '-X', 'queued.max.messages.kbytes=2097151'] : []),
];

/**
 * Steady kcat -C (see KCAT_CONSUME) against the ktool broker and against a replay of that
 * broker's own answers (replay-broker.ts, on a broker of its own that advertises the replay's
 * port), in alternating rounds so that the machine's drift affects both alike: the medians of
 * three rounds each.
 */
async function consumeBesideIdeal(bootstrap: string): Promise<{ ktool: number; ideal: number; misses: number }> {
  const port = await freePort();
  const b = await startBroker(join(work, 'replay'), [`advertised.listeners=PLAINTEXT://127.0.0.1:${port}`]);
  const replay = new ReplayBroker(port, b.port);
  const replayed = `127.0.0.1:${port}`;
  try {
    await replay.record();
    await timedAsync('kcat', KCAT_PRODUCE(replayed, 'replay'));
    await timedAsync('kcat', KCAT_CONSUME(replayed, 'replay'), { stdoutFile: '/dev/null' });
    await replay.replay();
    const ktool: number[] = [];
    const ideal: number[] = [];
    for (let i = 0; i < 3; i++) {
      ktool.push((await timedAsync('kcat', KCAT_CONSUME(bootstrap, 'bench', true), { stdoutFile: '/dev/null' })).seconds);
      ideal.push((await timedAsync('kcat', KCAT_CONSUME(replayed, 'replay', true), { stdoutFile: '/dev/null' })).seconds);
    }
    return { ktool: median(ktool), ideal: median(ideal), misses: replay.misses };
  } finally {
    await replay.stop();
    await stopBroker(b);
  }
}

/** kcat's produce and consume (also the reference, and the data, for the console rows), then the tools. */
async function throughputSections(): Promise<void> {
  const b = await startBroker(join(work, 'throughput'));
  const bootstrap = `127.0.0.1:${b.port}`;
  try {
    spawnSync(process.execPath, [ktool, 'topics', '--create', '--topic', 'bench', '--partitions', '1', '--bootstrap-server', bootstrap]);
    const p = timed('kcat', KCAT_PRODUCE(bootstrap, 'bench'));
    const c = { seconds: median([1, 2, 3].map(() => timed('kcat', KCAT_CONSUME(bootstrap, 'bench'), { stdoutFile: '/dev/null' }).seconds)) };
    // console-consumer is compared with steady kcat: the faster of kcat's two modes, not the luck of a run.
    let steadyKcat: number | undefined;
    if (runs('kcat')) {
      const steady = await consumeBesideIdeal(bootstrap);
      steadyKcat = steady.ktool;
      const disk = rawDisk();
      const loop = await rawLoopback();
      const t2 = new Table({ head: [`${fmt(RECORDS)} × ${RECORD_BYTES} B, one partition`, 'ktool broker', 'reference (same run)', 'JVM Kafka (issue)'] });
      t2.push(['produce (kcat -P)', recPerSec(p.seconds), `raw disk write+fsync: ${fmt(disk.writeMBs)} MB/s`, '~1,000,000 rec/s']);
      t2.push(['consume (kcat -C -e), median of 3', recPerSec(c.seconds), `raw loopback TCP: ${fmt(loop)} MB/s; raw disk read: ${fmt(disk.readMBs)} MB/s`, '~1,300,000 rec/s']);
      t2.push([
        'consume, steady kcat (queued.min.messages=10M), median of 3',
        recPerSec(steady.ktool),
        `ideal broker (replay-broker.ts), alternating rounds: ${recPerSec(steady.ideal)}; ktool at ${fmt(steady.ideal / steady.ktool, 2)}×${steady.misses > 0 ? ` (${steady.misses} requests not in the recording)` : ''}`,
        'every broker parks the last Fetch for fetch.wait.max.ms (500 ms)',
      ]);
      console.log(t2.toString());
    }
    if (!runs('list') && !runs('console')) return;
    const t3 = new Table({ head: ['tools (whole processes)', 'ktool', 'kcat (same run)', 'ktool / kcat', 'target'] });
    if (runs('list')) {
      const lists = [1, 2, 3, 4, 5].map(() => timed(process.execPath, [ktool, 'topics', '--list', '--bootstrap-server', bootstrap]).seconds * 1000);
      const kcatL = [1, 2, 3].map(() => timed('kcat', ['-L', '-b', bootstrap]).seconds * 1000);
      t3.push(['topics --list (kcat -L)', `${fmt(median(lists))} ms`, `${fmt(median(kcatL))} ms`, `${fmt(median(lists) / median(kcatL), 1)}×`, '≤ 300 ms (Kafka ~750 ms)']);
    }
    if (runs('console')) {
      // Rounds of kcat -P then console-producer, each into a topic of its own on the same (by then
      // warm) broker: medians, and the spread of the per-round ratios (a shared 2-core machine is noisy).
      // Both read the same file: kcat with -l, console-producer as its standard input (`< file`).
      const rounds = Array.from({ length: CONSOLE_ROUNDS }, (_, i) => {
        for (const t of [`bench-kcat-${i}`, `bench-console-${i}`]) spawnSync(process.execPath, [ktool, 'topics', '--create', '--topic', t, '--partitions', '1', '--bootstrap-server', bootstrap]);
        const k = timed('kcat', KCAT_PRODUCE(bootstrap, `bench-kcat-${i}`));
        const cp = timed(process.execPath, [ktool, 'console-producer', '--topic', `bench-console-${i}`, '--bootstrap-server', bootstrap], { stdinFile: recordsFile });
        return { kcat: k.seconds, tool: cp.seconds, failed: cp.status === 0 ? null : cp.stderr.split('\n')[0] };
      });
      const failed = rounds.find((r) => r.failed !== null)?.failed;
      const ratios = rounds.map((r) => r.kcat / r.tool);
      const spread = `${fmt(median(ratios), 2)}× (${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})`;
      t3.push(['console-producer (stdin → topic)', failed ? `failed: ${failed}` : recPerSec(median(rounds.map((r) => r.tool))), recPerSec(median(rounds.map((r) => r.kcat))), spread, '≥ 0.5×']);
      const cc = timed(process.execPath, [ktool, 'console-consumer', '--topic', 'bench', '--from-beginning', '--max-messages', String(RECORDS), '--bootstrap-server', bootstrap], { stdoutFile: '/dev/null' });
      const kcatSeconds = steadyKcat ?? median([1, 2, 3].map(() => timed('kcat', KCAT_CONSUME(bootstrap, 'bench', true), { stdoutFile: '/dev/null' }).seconds));
      t3.push(['console-consumer (topic → stdout)', cc.status === 0 ? recPerSec(cc.seconds) : `failed: ${cc.stderr.split('\n')[0]}`, `${recPerSec(kcatSeconds)}, steady`, `${fmt(kcatSeconds / cc.seconds, 2)}×`, '≥ 0.5×']);
    }
    console.log(t3.toString());
  } finally {
    await stopBroker(b);
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
