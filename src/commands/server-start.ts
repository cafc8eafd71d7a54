// kafka-server-start: runs the bundled broker. `server-start [-daemon] [server.properties]
// [--override k=v]...`; unlike Kafka, no file means built-in defaults (so `npm start` just works).
// In the foreground it logs to stdout and stops cleanly on SIGINT/SIGTERM. With -daemon it starts
// a detached copy of itself writing to <LOG_DIR>/kafkaServer.out and returns once that broker
// accepts connections. Each broker registers itself for `server-stop`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker } from '../broker/index.js';
import { loadBrokerConfig, type BrokerConfig } from '../config/broker-config.js';
import { parseKeyValueList } from '../config/properties.js';
import { KtoolError, UsageError } from '../errors.js';
import { createLogger, formatLogLine } from '../log.js';
import { KAFKA_VERSION, VERSION_OPTION, type Command } from './shared/command.js';
import type { CliIO } from './shared/io.js';
import { parseArgs, type OptionSpec } from './shared/options.js';
import { isAlive, registerServer, runDir, serverRecord, unregisterServer } from './shared/server-registry.js';

export interface ServerStartOptions {
  daemon: boolean;
  propertiesFile?: string;
  overrides: string[];
}

const OPTIONS: readonly OptionSpec[] = [
  { name: 'override', arg: 'required', multiple: true, describedAs: 'property=value', description: 'A property that overrides the value from server.properties (repeatable).' },
  VERSION_OPTION,
];

const USAGE = 'USAGE: ktool server-start [-daemon] [server.properties] [--override property=value]*';
const READY_TIMEOUT_MS = 30_000;

/** Parses the argument list; returns null for `--version` (already printed). */
export function serverStartOptions(argv: readonly string[], io: Pick<CliIO, 'stdout'>): ServerStartOptions | null {
  const daemon = argv.includes('-daemon');
  const rest = argv.filter((a) => a !== '-daemon');
  if (rest.includes('--help')) throw new UsageError(USAGE);
  if (rest.includes('--version')) {
    io.stdout.write(`${KAFKA_VERSION}\n`);
    return null;
  }
  // As in Kafka, the first argument is the properties file; ktool also runs without one.
  const propertiesFile = rest.length > 0 && !rest[0]!.startsWith('-') ? rest[0] : undefined;
  const args = parseArgs(OPTIONS, propertiesFile === undefined ? rest : rest.slice(1));
  if (args.positionals.length > 0) throw new UsageError(`Found non argument parameters: ${args.positionals.join(',')}`);
  return { daemon, propertiesFile, overrides: [...args.values('override')] };
}

function loadConfig(opts: ServerStartOptions, cwd: string): BrokerConfig {
  const file = opts.propertiesFile === undefined ? undefined : resolve(cwd, opts.propertiesFile);
  if (file !== undefined && !existsSync(file)) throw new KtoolError('CONFIG_FILE', `${opts.propertiesFile} (No such file or directory)`);
  try {
    return loadBrokerConfig(file, parseKeyValueList(opts.overrides));
  } catch (err) {
    throw new KtoolError('INVALID_BROKER_CONFIG', (err as Error).message, { cause: err });
  }
}

async function runForeground(opts: ServerStartOptions, io: CliIO): Promise<void> {
  const config = loadConfig(opts, io.cwd);
  const logger = createLogger('kafka.Kafka', io.stdout, 'INFO');
  let broker;
  try {
    broker = await startBroker(config, { logger });
  } catch (err) {
    io.stderr.write(formatLogLine('ERROR', 'Exiting Kafka due to fatal exception during startup.', 'kafka.Kafka$'));
    throw new KtoolError('BROKER_START_FAILED', (err as Error).message, { cause: err });
  }
  const dir = runDir(io.env);
  registerServer(dir, { pid: process.pid, host: broker.host, port: broker.port, startedAt: new Date().toISOString(), logFile: io.env.KTOOL_SERVER_OUT });
  // SIGINT/SIGTERM stop the broker cleanly; the exit status stays 0, as for a clean shutdown.
  let offs: Array<() => void> = [];
  const stop = new Promise<void>((resolveStop) => {
    offs = (['SIGINT', 'SIGTERM'] as const).map((s) => io.onSignal(s, resolveStop));
    void broker.closed.then(resolveStop);
  });
  try {
    await stop;
    await broker.close();
  } finally {
    for (const off of offs) off();
    unregisterServer(dir, process.pid);
  }
}

/** The directory holding bin/ktool.js, found by walking up from this module (src/ or dist/src/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'bin', 'ktool.js')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new KtoolError('NO_BIN', 'Cannot find bin/ktool.js to start the daemon');
    dir = up;
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
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

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '';
  }
}

async function runDaemon(opts: ServerStartOptions, io: CliIO): Promise<void> {
  loadConfig(opts, io.cwd); // fail here, in the caller's terminal, on a bad config
  const logDir = resolve(io.cwd, io.env.LOG_DIR ?? 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'kafkaServer.out');
  const fd = openSync(logFile, 'a');
  const args = [join(packageRoot(), 'bin', 'ktool.js'), 'server-start'];
  if (opts.propertiesFile !== undefined) args.push(resolve(io.cwd, opts.propertiesFile));
  for (const o of opts.overrides) args.push('--override', o);
  const child = spawn(process.execPath, args, {
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

  const dir = runDir(io.env);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined || (child.pid !== undefined && !isAlive(child.pid))) {
      throw new KtoolError('BROKER_START_FAILED', `Kafka server exited during startup (exit code ${exited ?? 'unknown'}); see ${logFile}:\n${tail(logFile)}`);
    }
    const record = child.pid === undefined ? undefined : serverRecord(dir, child.pid);
    if (record && (await canConnect(record.host, record.port))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new KtoolError('BROKER_START_TIMEOUT', `Kafka server did not accept connections within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const opts = serverStartOptions(argv, io);
  if (!opts) return;
  if (opts.daemon) await runDaemon(opts, io);
  else await runForeground(opts, io);
}

export const serverStartCommand: Command = {
  options: OPTIONS,
  run,
};
