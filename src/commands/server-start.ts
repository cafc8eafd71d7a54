// kafka-server-start: runs the bundled broker. `server-start [-daemon] [server.properties]
// [--override k=v]...`; unlike Kafka, no file means built-in defaults (so `npm start` just works).
// In the foreground it logs to stdout and stops cleanly on SIGINT/SIGTERM. With -daemon it starts
// a detached copy of itself writing to <LOG_DIR>/kafkaServer.out and returns once that broker
// accepts connections. Each broker registers itself for `server-stop`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBroker } from '../broker/index.js';
import { loadBrokerConfig, type BrokerConfig } from '../config/broker-config.js';
import { parseKeyValueList } from '../config/properties.js';
import { KtoolError, UsageError } from '../errors.js';
import { createLogger, formatLogLine } from '../log.js';
import { KAFKA_VERSION, VERSION_OPTION, type Command } from './shared/command.js';
import { canConnect, startDaemon } from './shared/daemon.js';
import type { CliIO } from './shared/io.js';
import { parseArgs, type OptionSpec } from './shared/options.js';
import { registerServer, runDir, serverRecord, unregisterServer } from './shared/server-registry.js';

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

async function runDaemon(opts: ServerStartOptions, io: CliIO): Promise<void> {
  loadConfig(opts, io.cwd); // fail here, in the caller's terminal, on a bad config
  const args = ['server-start'];
  if (opts.propertiesFile !== undefined) args.push(resolve(io.cwd, opts.propertiesFile));
  for (const o of opts.overrides) args.push('--override', o);
  const dir = runDir(io.env);
  await startDaemon(
    {
      args,
      logName: 'kafkaServer.out',
      what: 'Kafka server',
      readyMeans: 'accept connections',
      timeoutMs: READY_TIMEOUT_MS,
      ready: async (pid) => {
        const record = serverRecord(dir, pid);
        return record !== undefined && (await canConnect(record.host, record.port));
      },
    },
    io,
  );
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
