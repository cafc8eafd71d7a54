// Crash safety end to end: the broker runs as a child process, kcat produces to it with acks=all,
// and the broker is killed with SIGKILL at a random moment, round after round (now and then while
// it is still recovering from the previous kill). After the last round every record kcat saw
// acknowledged must be at the offset it was acknowledged with, and the partition must hold
// offsets 0..n-1 exactly once each: no gap, no duplicate, nothing torn.
//
// SIGKILL loses nothing the kernel accepted, so acks=all (written to the page cache) must survive
// it; what is in flight at the kill may or may not be there. Set CRASH_SEED to replay a run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runKtool, runProcess } from '../helpers/run-process.js';
import { tempDir } from '../helpers/start-broker.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const hasKcat = spawnSync('kcat', ['-V']).status === 0;
const TOPIC = 'crash';
/** Small segments, so that rounds roll, fsync in the background and recover across segments. */
const BROKER_OVERRIDES = ['log.segment.bytes=65536', 'num.partitions=1', 'log.flush.offset.checkpoint.interval.ms=200'];

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterEach(() => {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with CRASH_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function track(child: ChildProcess): Promise<void> {
  children.add(child);
  return new Promise((resolve) => {
    child.once('exit', () => {
      children.delete(child);
      resolve();
    });
  });
}

interface BrokerChild {
  child: ChildProcess;
  exited: Promise<void>;
  /** Resolves with the port once the broker listens; rejects if it exits first. */
  ready: Promise<number>;
}

function spawnBroker(dir: string): BrokerChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/helpers/broker-process.ts'), dir, ...BROKER_OVERRIDES], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = track(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`broker exited before it was ready: ${stderr.slice(-2000)}`)));
  });
  ready.catch(() => {});
  return { child, exited, ready };
}

async function kill(b: BrokerChild): Promise<void> {
  b.child.kill('SIGKILL');
  await b.exited;
}

interface Ack {
  value: string;
  offset: number;
}

/**
 * Produces numbered records with kcat until `killAfterMs`, then SIGKILLs the broker (and kcat).
 * Returns the records kcat reported delivered, with their offsets. kcat reports deliveries in
 * the order it read its input (one partition, one request in flight), failures included.
 */
async function produceUntilKilled(broker: BrokerChild, port: number, round: number, killAfterMs: number): Promise<{ acks: Ack[]; sent: number }> {
  const kcat = spawn('kcat', ['-P', '-b', `127.0.0.1:${port}`, '-t', TOPIC, '-p', '0', '-X', 'acks=all', '-X', 'max.in.flight=1', '-X', 'linger.ms=2', '-vvv'], { stdio: ['pipe', 'ignore', 'pipe'] });
  const kcatExited = track(kcat);
  kcat.stdin!.on('error', () => {});
  const reports: Array<number | null> = [];
  let pending = '';
  kcat.stderr!.on('data', (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const ok = /^% Message delivered to partition 0 \(offset (\d+)\)/.exec(line);
      if (ok) reports.push(Number(ok[1]));
      else if (/^% Delivery failed/.test(line)) reports.push(null);
    }
  });
  const sent: string[] = [];
  let producing = true;
  const writer = (async () => {
    while (producing && kcat.exitCode === null) {
      let chunk = '';
      for (let i = 0; i < 40; i++) {
        const value = `r${round}-${String(sent.length).padStart(6, '0')}-${'x'.repeat(60)}`;
        sent.push(value);
        chunk += `${value}\n`;
      }
      kcat.stdin!.write(chunk);
      await sleep(3);
    }
  })();
  await sleep(killAfterMs);
  producing = false;
  await kill(broker);
  await writer;
  // Let kcat print what it knows, then stop it (it may retry forever otherwise).
  await sleep(300);
  kcat.kill('SIGKILL');
  await kcatExited;
  const acks: Ack[] = [];
  reports.forEach((offset, i) => {
    if (offset !== null) acks.push({ value: sent[i]!, offset });
  });
  return { acks, sent: sent.length };
}

describe.skipIf(!hasKcat)('SIGKILL while kcat produces with acks=all', () => {
  it('keeps every acknowledged record at its offset, with no gap or duplicate, over several rounds', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const where = `(CRASH_SEED=${seed})`;
    const dir = tempDir('ktool-crash-');
    dirs.push(dir);
    const acked: Ack[] = [];
    let rounds = 0;
    let killsDuringStartup = 0;
    let sent = 0;
    const started = Date.now();
    while (rounds < 6 && Date.now() - started < 35_000) {
      rounds++;
      const broker = spawnBroker(dir);
      if (rounds > 1 && random() < 0.25) {
        // Kill it while it starts (recovering from the previous kill) or just after.
        await sleep(200 + random() * 900);
        await kill(broker);
        killsDuringStartup++;
        continue;
      }
      const port = await broker.ready;
      if (rounds === 1) {
        const created = await runKtool(['topics', '--create', '--topic', TOPIC, '--partitions', '1', '--bootstrap-server', `127.0.0.1:${port}`], { timeoutMs: 20_000 });
        expect(created.code, created.stderr).toBe(0);
      }
      const round = await produceUntilKilled(broker, port, rounds, 300 + random() * 1200);
      sent += round.sent;
      // Within a round acknowledgements come in offset order.
      for (let i = 1; i < round.acks.length; i++) expect(round.acks[i]!.offset, where).toBeGreaterThan(round.acks[i - 1]!.offset);
      // A round appends after everything acknowledged before.
      if (acked.length > 0 && round.acks.length > 0) expect(round.acks[0]!.offset, where).toBeGreaterThan(acked.at(-1)!.offset);
      acked.push(...round.acks);
    }

    // Restart once more and read everything back with kcat.
    const last = spawnBroker(dir);
    const port = await last.ready;
    const read = await runProcess('kcat', ['-C', '-b', `127.0.0.1:${port}`, '-t', TOPIC, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %s\\n'], { timeoutMs: 30_000 });
    expect(read.code, read.stderr).toBe(0);
    await kill(last);
    const log = read.stdout.split('\n').filter(Boolean).map((line) => {
      const [offset, value] = line.split(' ');
      return { offset: Number(offset), value: value! };
    });
    // Offsets 0..n-1, each exactly once.
    expect(log.map((r) => r.offset), where).toEqual(log.map((_, i) => i));
    // Every acknowledged record is at its acknowledged offset.
    const byOffset = new Map(log.map((r) => [r.offset, r.value]));
    const missing = acked.filter((a) => byOffset.get(a.offset) !== a.value);
    expect(missing.slice(0, 5), where).toEqual([]);
    // Records of a round appear in the order they were sent.
    const order = log.map((r) => r.value);
    expect(order, where).toEqual([...order].sort());
    expect(acked.length, `${where} nothing was acknowledged`).toBeGreaterThan(100);
    console.log(`crash test ${where}: ${rounds} rounds (${killsDuringStartup} killed while starting), ${sent} records sent, ${acked.length} acknowledged, ${log.length} in the log`);
  }, 60_000);
});
