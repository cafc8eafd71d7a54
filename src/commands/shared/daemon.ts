// `-daemon` for the long-running commands (server-start, zookeeper-start, connect-standalone), as
// Kafka's scripts do it: a detached copy of the command writing to <LOG_DIR>/<name>.out, and the
// caller returns once that copy serves (or fails with the log's tail when it dies while starting).
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KtoolError } from '../../errors.js';
import type { CliIO } from './io.js';
import { isAlive } from './server-registry.js';

export interface DaemonSpec {
  /** The ktool subcommand and its arguments for the child; paths must already be absolute. */
  readonly args: readonly string[];
  /** Kafka's log file name under LOG_DIR: kafkaServer.out, zookeeper.out, connectStandalone.out. */
  readonly logName: string;
  /** How errors name the process: `Kafka server`, `ZooKeeper server`, `Kafka Connect`. */
  readonly what: string;
  /** What the wait is for, in the timeout message: `accept connections`. */
  readonly readyMeans: string;
  /** True once the child serves. */
  ready(pid: number): Promise<boolean>;
  readonly timeoutMs: number;
  /** The exit code when the child fails to start. */
  readonly failureExitCode?: number;
  readonly pollMs?: number;
}

export async function startDaemon(spec: DaemonSpec, io: CliIO): Promise<void> {
  const logDir = resolve(io.cwd, io.env.LOG_DIR ?? 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, spec.logName);
  const fd = openSync(logFile, 'a');
  const { spawn } = await import('node:child_process'); // only -daemon needs it: kept off the start path
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'ktool.js'), ...spec.args], {
    cwd: io.cwd,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...io.env, KTOOL_SERVER_OUT: logFile },
    windowsHide: true,
  });
  closeSync(fd);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.unref();

  const failed = (message: string, code: string): KtoolError =>
    new KtoolError(code, message, spec.failureExitCode === undefined ? {} : { exitCode: spec.failureExitCode });
  const deadline = Date.now() + spec.timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined || child.pid === undefined || !isAlive(child.pid)) {
      throw failed(`${spec.what} exited during startup (exit code ${exited ?? 'unknown'}); see ${logFile}:\n${tail(logFile)}`, 'DAEMON_START_FAILED');
    }
    if (await spec.ready(child.pid)) return;
    await new Promise((r) => setTimeout(r, spec.pollMs ?? 100));
  }
  child.kill('SIGTERM');
  throw failed(`${spec.what} did not ${spec.readyMeans} within ${spec.timeoutMs / 1000} s; see ${logFile}`, 'DAEMON_START_TIMEOUT');
}

/** True when something accepts a TCP connection at host:port (a wildcard host means loopback). */
export function canConnect(host: string, port: number): Promise<boolean> {
  const target = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return new Promise((done) => {
    const socket = connect({ host: target, port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** The directory holding bin/ktool.js, found by walking up from this module (src/ or dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'bin', 'ktool.js')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new KtoolError('NO_BIN', 'Cannot find bin/ktool.js to start the daemon');
    dir = up;
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '';
  }
}
