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

const fileFor = (dir: string, pid: number): string => join(dir, `kafka-server-${pid}.json`);

export function registerServer(dir: string, record: ServerRecord): string {
  mkdirSync(dir, { recursive: true });
  const file = fileFor(dir, record.pid);
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  return file;
}

export function unregisterServer(dir: string, pid: number): void {
  rmSync(fileFor(dir, pid), { force: true });
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
function looksLikeKtool(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server-start');
  } catch {
    return true; // no /proc (macOS, Windows): trust the liveness check
  }
}

/** Live registered brokers; stale files are removed. */
export function runningServers(dir: string): ServerRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: ServerRecord[] = [];
  for (const name of names) {
    const m = /^kafka-server-(\d+)\.json$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let record: ServerRecord | undefined;
    try {
      record = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ServerRecord;
    } catch {
      record = undefined;
    }
    if (record && record.pid === pid && isAlive(pid) && looksLikeKtool(pid)) out.push(record);
    else rmSync(join(dir, name), { force: true });
  }
  return out;
}

/** The record a given process wrote, if it has registered yet. */
export function serverRecord(dir: string, pid: number): ServerRecord | undefined {
  try {
    return JSON.parse(readFileSync(fileFor(dir, pid), 'utf8')) as ServerRecord;
  } catch {
    return undefined;
  }
}
