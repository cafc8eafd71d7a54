// zookeeper-server-start: runs the bundled ZooKeeper-protocol server. `zookeeper-start [-daemon]
// [zookeeper.properties]`; no file means ZooKeeper's defaults with ktool's (127.0.0.1:2181, data
// under the temp dir). In the foreground it logs to stdout as ZooKeeper does and stops cleanly on
// SIGINT/SIGTERM. With -daemon it starts a detached copy of itself writing to
// <LOG_DIR>/zookeeper.out and returns once that server accepts connections. Each server registers
// itself for `zookeeper-stop`. A bad config exits 2, as ZooKeeperServerMain does.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readPropertiesFile, type Properties } from '../config/properties.js';
import { KtoolError, UsageError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { unknownKeys, zkConfigFrom, type ZkConfig } from '../zookeeper/server/config.js';
import { ZooKeeperServer } from '../zookeeper/server/server.js';
import { KAFKA_VERSION, VERSION_OPTION, type Command } from './shared/command.js';
import { canConnect, startDaemon } from './shared/daemon.js';
import type { CliIO } from './shared/io.js';
import type { OptionSpec } from './shared/options.js';
import { registerServer, runDir, serverRecord, unregisterServer } from './shared/server-registry.js';

export interface ZookeeperStartOptions {
  daemon: boolean;
  propertiesFile?: string;
}

const OPTIONS: readonly OptionSpec[] = [VERSION_OPTION];
const USAGE = 'USAGE: ktool zookeeper-start [-daemon] [zookeeper.properties]';
const READY_TIMEOUT_MS = 30_000;
const CONFIG_LOGGER = 'org.apache.zookeeper.server.quorum.QuorumPeerConfig';

/** Parses the argument list; returns null for `--version` (already printed). */
export function zookeeperStartOptions(argv: readonly string[], io: Pick<CliIO, 'stdout'>): ZookeeperStartOptions | null {
  const daemon = argv.includes('-daemon');
  const rest = argv.filter((a) => a !== '-daemon');
  if (rest.includes('--help') || rest.includes('-h')) throw new UsageError(USAGE);
  if (rest.includes('--version')) {
    io.stdout.write(`${KAFKA_VERSION}\n`);
    return null;
  }
  if (rest.some((a) => a.startsWith('-'))) throw new UsageError(`Unrecognized option: ${rest.find((a) => a.startsWith('-'))}`);
  if (rest.length > 1) throw new UsageError(`Found non argument parameters: ${rest.slice(1).join(',')}`);
  return { daemon, propertiesFile: rest[0] };
}

/** Reads and validates the config; logs what ZooKeeper logs while doing so. */
export function loadZkConfig(opts: ZookeeperStartOptions, cwd: string, logger: Logger): ZkConfig {
  const log = logger.child(CONFIG_LOGGER);
  let props: Properties = new Map();
  if (opts.propertiesFile !== undefined) {
    const file = resolve(cwd, opts.propertiesFile);
    log.info(`Reading configuration from: ${opts.propertiesFile}`);
    if (!existsSync(file)) throw invalid(logger, `Error processing ${opts.propertiesFile}: ${opts.propertiesFile} file is missing`);
    props = readPropertiesFile(file);
  }
  let config: ZkConfig;
  try {
    config = zkConfigFrom(props);
  } catch (err) {
    throw invalid(logger, (err as Error).message);
  }
  for (const key of unknownKeys(props)) log.warn(`Unknown configuration key ${key} (ignored)`);
  log.info(`clientPortAddress is ${config.clientPortAddress}:${config.clientPort}`);
  log.info('secureClientPort is not set');
  if ([...props.keys()].some((k) => k.startsWith('server.'))) log.warn('Quorum configuration (server.N) ignored: ktool runs one standalone server');
  return config;
}

function invalid(logger: Logger, message: string): KtoolError {
  logger.child('org.apache.zookeeper.server.quorum.QuorumPeerMain').error(`Invalid config, exiting abnormally: ${message}`);
  return new KtoolError('INVALID_ZOOKEEPER_CONFIG', message, { exitCode: 2, reported: true });
}

async function runForeground(opts: ZookeeperStartOptions, io: CliIO): Promise<void> {
  const logger = createLogger('org.apache.zookeeper.server.ZooKeeperServerMain', io.stdout, 'INFO');
  const config = loadZkConfig(opts, io.cwd, logger);
  logger.child('org.apache.zookeeper.server.quorum.QuorumPeerMain').warn('Either no config or no quorum defined in config, running in standalone mode');
  logger.info('Starting server');
  let server: ZooKeeperServer;
  try {
    server = await ZooKeeperServer.start(config, { logger });
  } catch (err) {
    logger.error('Unexpected exception, exiting abnormally', err);
    throw new KtoolError('ZOOKEEPER_START_FAILED', (err as Error).message, { cause: err, reported: true });
  }
  const dir = runDir(io.env);
  registerServer(dir, { pid: process.pid, host: server.host, port: server.port, startedAt: new Date().toISOString(), logFile: io.env.KTOOL_SERVER_OUT }, 'zookeeper');
  let offs: Array<() => void> = [];
  const stop = new Promise<void>((resolveStop) => {
    offs = (['SIGINT', 'SIGTERM'] as const).map((s) => io.onSignal(s, resolveStop));
    void server.closed.then(resolveStop);
  });
  try {
    await stop;
    await server.close();
  } finally {
    for (const off of offs) off();
    unregisterServer(dir, process.pid, 'zookeeper');
  }
  if (server.failure) throw new KtoolError('ZOOKEEPER_FAILED', server.failure.message, { reported: true });
}

async function runDaemon(opts: ZookeeperStartOptions, io: CliIO): Promise<void> {
  // Fail here, in the caller's terminal, on a bad config.
  loadZkConfig(opts, io.cwd, createLogger('org.apache.zookeeper.server.ZooKeeperServerMain', io.stderr, 'ERROR'));
  const args = ['zookeeper-start'];
  if (opts.propertiesFile !== undefined) args.push(resolve(io.cwd, opts.propertiesFile));
  const dir = runDir(io.env);
  await startDaemon(
    {
      args,
      logName: 'zookeeper.out',
      what: 'ZooKeeper server',
      readyMeans: 'accept connections',
      timeoutMs: READY_TIMEOUT_MS,
      ready: async (pid) => {
        const record = serverRecord(dir, pid, 'zookeeper');
        return record !== undefined && (await canConnect(record.host, record.port));
      },
    },
    io,
  );
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const opts = zookeeperStartOptions(argv, io);
  if (!opts) return;
  if (opts.daemon) await runDaemon(opts, io);
  else await runForeground(opts, io);
}

export const zookeeperStartCommand: Command = {
  options: OPTIONS,
  run,
};
