// Where running ktool brokers announce themselves, so `server-stop` can find them on any OS
// (Kafka's stop script greps `ps`, which does not exist on Windows). Each broker process writes
// `<run dir>/kafka-server-<pid>.json` once it listens and removes it when it stops; a file whose
// process is gone (or is no longer a ktool broker) is stale and gets cleaned up by readers.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerRecord {
  pid: number;
  host: string;
  port: number;
  startedAt: string;
  /** kafkaServer.out of a -daemon start. */
  logFile?: string;
}

/** KTOOL_RUN_DIR, else a per-user directory under the OS temp dir. */
export function runDir(env: NodeJS.ProcessEnv): string {
  if (env.KTOOL_RUN_DIR) return env.KTOOL_RUN_DIR;
  const user = env.USER ?? env.USERNAME ?? 'user';
  return join(tmpdir(), `ktool-${user.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
}

/** Which kind of server a record is for: `server-stop` and `zookeeper-stop` each see their own. */
export type ServerKind = 'kafka' | 'zookeeper';

const fileFor = (dir: string, pid: number, kind: ServerKind = 'kafka'): string => join(dir, `${kind}-server-${pid}.json`);

export function registerServer(dir: string, record: ServerRecord, kind: ServerKind = 'kafka'): string {
  mkdirSync(dir, { recursive: true });
  const file = fileFor(dir, record.pid, kind);
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  return file;
}

export function unregisterServer(dir: string, pid: number, kind: ServerKind = 'kafka'): void {
  rmSync(fileFor(dir, pid, kind), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** On Linux, a reused pid that now runs something else is not our broker. */
function looksLikeKtool(pid: number, kind: ServerKind): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return kind === 'zookeeper' ? cmdline.includes('zookeeper-start') || cmdline.includes('zookeeper-server-start') : cmdline.includes('server-start');
  } catch {
    return true; // no /proc (macOS, Windows): trust the liveness check
  }
}

/** Live registered brokers; stale files are removed. */
export function runningServers(dir: string, kind: ServerKind = 'kafka'): ServerRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: ServerRecord[] = [];
  for (const name of names) {
    const m = new RegExp(`^${kind}-server-(\\d+)\\.json$`).exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let record: ServerRecord | undefined;
    try {
      record = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ServerRecord;
    } catch {
      record = undefined;
    }
    if (record && record.pid === pid && isAlive(pid) && looksLikeKtool(pid, kind)) out.push(record);
    else rmSync(join(dir, name), { force: true });
  }
  return out;
}

/** The record a given process wrote, if it has registered yet. */
export function serverRecord(dir: string, pid: number, kind: ServerKind = 'kafka'): ServerRecord | undefined {
  try {
    return JSON.parse(readFileSync(fileFor(dir, pid, kind), 'utf8')) as ServerRecord;
  } catch {
    return undefined;
  }
}
