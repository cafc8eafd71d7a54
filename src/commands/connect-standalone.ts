// connect-standalone: `connect-standalone [-daemon] worker.properties [connector.properties|.json ...]`.
// Runs a Kafka Connect standalone worker in this process (src/connect/), logging to stdout as
// Kafka's connect-log4j does, until SIGINT/SIGTERM, when it stops its connectors (tasks flush and
// commit their offsets) and exits 0. Exit codes as Kafka's: usage 1, an error before the worker
// starts 2, a worker or connector that fails to start 3. With -daemon it runs in the background,
// writing to <LOG_DIR>/connectStandalone.out, and returns once the REST API answers.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { request } from 'node:http';
import { readPropertiesFile } from '../config/properties.js';
import { KtoolError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { initializeConnect, type InitializedConnect } from '../connect/connect.js';
import { ConnectRestError } from '../connect/herder-errors.js';
import { javaTrace } from '../connect/error-handling.js';
import { workerConfig } from '../connect/worker-config.js';
import type { TargetState } from '../connect/worker.js';
import type { Command } from './shared/command.js';
import { startDaemon } from './shared/daemon.js';
import type { CliIO } from './shared/io.js';

const USAGE = 'Usage: ConnectStandalone worker.properties [connector1.properties connector2.json ...]';
const READY_TIMEOUT_MS = 90_000;

export interface ConnectorFile {
  name: string;
  config: Record<string, string>;
  initialState?: TargetState;
}

const stringify = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * A connector file: `.json` as `{"name":…,"config":{…},"initial_state":…}` or a flat config map
 * (Kafka 3.7+), anything else as Java properties.
 */
export function readConnectorFile(path: string): ConnectorFile {
  if (path.toLowerCase().endsWith('.json')) {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${path} does not hold a JSON object`);
    const nested = typeof doc.name === 'string' && doc.config !== null && typeof doc.config === 'object';
    const raw = (nested ? doc.config : doc) as Record<string, unknown>;
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) config[k] = stringify(v);
    const name = nested ? (doc.name as string) : config.name ?? '';
    if (nested && config.name !== undefined && config.name !== name) {
      throw new Error(`Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`);
    }
    const initial = nested && typeof doc.initial_state === 'string' ? (doc.initial_state.toUpperCase() as TargetState) : undefined;
    return { name, config: { ...config, name }, initialState: initial };
  }
  const config = Object.fromEntries(readPropertiesFile(path));
  return { name: config.name ?? '', config };
}

function describe(err: unknown): string {
  if (err instanceof ConnectRestError) return err.message;
  return (err as Error)?.message ?? String(err);
}

/** Kafka's error log: the message line, then the exception as a Java stack trace. */
function logError(log: Logger, message: string, err: unknown): void {
  log.error(message, javaTrace(err).trimEnd());
}

async function runForeground(args: readonly string[], io: CliIO): Promise<void> {
  const logger = createLogger('org.apache.kafka.connect.cli.ConnectStandalone', io.stdout, 'INFO');
  const cliLog = logger.child('org.apache.kafka.connect.cli.AbstractConnectCli');
  const standaloneLog = logger.child('org.apache.kafka.connect.cli.ConnectStandalone');
  let connect: InitializedConnect;
  try {
    const workerFile = args[0]!;
    const props = workerFile === '' ? {} : Object.fromEntries(readPropertiesFile(resolve(io.cwd, workerFile)));
    connect = await initializeConnect(props, { logger, env: io.env, cwd: io.cwd, stdin: io.stdin, stdout: io.stdout });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    logError(cliLog, 'Stopping due to error', e.code === 'ENOENT' ? Object.assign(new Error(`${args[0]} (No such file or directory)`), { javaClassName: 'java.nio.file.NoSuchFileException' }) : err);
    throw new KtoolError('CONNECT_FAILED', describe(err), { exitCode: 2, reported: true, cause: err });
  }

  // SIGINT/SIGTERM stop the worker cleanly; registered before connectors start so none is lost.
  let stopRequested: () => void = () => {};
  const stopSignal = new Promise<void>((r) => (stopRequested = r));
  const offs = (['SIGINT', 'SIGTERM'] as const).map((s) => io.onSignal(s, () => stopRequested()));
  try {
    try {
      await connect.start();
    } catch (err) {
      logError(cliLog, 'Failed to start Connect', err);
      await connect.stop();
      throw new KtoolError('CONNECT_START_FAILED', describe(err), { exitCode: 3, reported: true, cause: err });
    }
    for (const file of args.slice(1)) {
      try {
        const c = readConnectorFile(resolve(io.cwd, file));
        const { info } = await connect.herder.putConnectorConfig(c.name, c.config, false, c.initialState);
        standaloneLog.info(`Created connector ${info.name}`);
      } catch (err) {
        standaloneLog.error(`Failed to create connector for ${file}`);
        logError(standaloneLog, 'Stopping after connector error', err);
        await connect.stop();
        throw new KtoolError('CONNECTOR_FAILED', describe(err), { exitCode: 3, reported: true, cause: err });
      }
    }
    await stopSignal;
    await connect.stop();
  } finally {
    for (const off of offs) off();
  }
}

function restAnswers(url: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request(url, { timeout: 1000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('error', () => done(false));
    req.on('timeout', () => {
      req.destroy();
      done(false);
    });
    req.end();
  });
}

/** -daemon: a detached copy of this command, logging to <LOG_DIR>/connectStandalone.out. */
async function runDaemon(args: readonly string[], io: CliIO): Promise<void> {
  const props = Object.fromEntries(readPropertiesFile(resolve(io.cwd, args[0]!)));
  const { listener } = workerConfig(props);
  const host = listener.host === '' || listener.host === '0.0.0.0' ? '127.0.0.1' : listener.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${listener.port}/`;
  await startDaemon(
    {
      args: ['connect-standalone', ...args.map((a) => resolve(io.cwd, a))],
      logName: 'connectStandalone.out',
      what: 'Kafka Connect',
      readyMeans: `answer on ${url}`,
      timeoutMs: READY_TIMEOUT_MS,
      failureExitCode: 2,
      pollMs: 200,
      ready: async () => listener.port !== 0 && (await restAnswers(url)),
    },
    io,
  );
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const daemon = argv.includes('-daemon');
  const args = argv.filter((a) => a !== '-daemon');
  if (args.length < 1 || args.includes('--help')) {
    createLogger('org.apache.kafka.connect.cli.AbstractConnectCli', io.stdout, 'INFO').info(USAGE);
    throw new KtoolError('USAGE', USAGE, { exitCode: 1, reported: true });
  }
  if (daemon) await runDaemon(args, io);
  else await runForeground(args, io);
}

export const connectStandaloneCommand: Command = {
  options: [],
  run,
};
