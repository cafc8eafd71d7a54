// Starting and stopping a standalone Connect worker (Kafka's AbstractConnectCli + Connect): scan
// plugins, read the worker config, ask the cluster for its id, bind the REST server, then start
// the offsets store, worker and herder, logging the lines Kafka logs at each step. The two
// failure kinds stay apart because the command exits differently for them: `initialize` failing
// is "Stopping due to error" (exit 2), `start` failing is "Failed to start Connect" (exit 3).
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../log.js';
import { connectionSettings } from '../client/client-config.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { ConnectException } from './api.js';
import { StandaloneHerder } from './herder.js';
import { FileOffsetStore } from './offset-store.js';
import { PluginRegistry } from './plugins.js';
import { startRestServer, type RestServer } from './rest/server.js';
import { ActiveTopics, Worker } from './worker.js';
import { adminProperties, workerConfig, type WorkerConfig } from './worker-config.js';

export interface ConnectOptions {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: Readable;
  stdout: Writable;
}

export interface InitializedConnect {
  config: WorkerConfig;
  herder: StandaloneHerder;
  rest: RestServer;
  /** The REST URL clients use, e.g. http://127.0.0.1:8083/. */
  restUrl: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Asks the cluster for its id (Kafka's ConnectUtils.lookupKafkaClusterId). */
async function lookupClusterId(config: WorkerConfig, env: NodeJS.ProcessEnv, log: Logger): Promise<string> {
  log.info('Creating Kafka admin client');
  const client = new KafkaWireClient(connectionSettings(config.bootstrapServers, adminProperties(config), env, 'connect-cluster-id-lookup'), { logger: log });
  try {
    const res = await client.metadata('describeCluster', []);
    return res.clusterId ?? '';
  } catch (err) {
    throw new ConnectException("Failed to connect to and describe Kafka cluster. Check worker's broker connection and security properties.", { cause: err });
  } finally {
    client.close();
  }
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export async function initializeConnect(workerProps: Readonly<Record<string, string>>, opts: ConnectOptions): Promise<InitializedConnect> {
  const { logger, env, cwd } = opts;
  const cli = logger.child('org.apache.kafka.connect.cli.AbstractConnectCli');
  cli.info('Kafka Connect worker initializing ...');
  const initStart = Date.now();
  cli.info('Scanning for plugin classes. This might take a moment ...');
  const plugins = new PluginRegistry(logger.child('org.apache.kafka.connect.runtime.isolation.PluginScanner'));
  const config = workerConfig(workerProps);
  await plugins.loadPluginPath(config.pluginPath, cwd);
  const clusterId = await lookupClusterId(config, env, logger.child('org.apache.kafka.connect.runtime.WorkerConfig'));
  cli.debug(`Kafka cluster ID: ${clusterId}`);

  const restLog = logger.child('org.apache.kafka.connect.runtime.rest.RestServer');
  restLog.info('Initializing REST server');
  let rest: RestServer;
  try {
    rest = await startRestServer(config.listener.host, config.listener.port, logger);
  } catch (err) {
    throw new ConnectException('Unable to initialize REST server', { cause: err });
  }
  const boundHost = config.listener.host === '' ? hostname() : rest.host;
  const listenUrl = `http://${urlHost(boundHost)}:${rest.port}/`;
  const advertisedHost = config.advertisedHost ?? boundHost;
  const advertisedPort = config.advertisedPort ?? rest.port;
  const advertisedUrl = `http://${urlHost(advertisedHost)}:${advertisedPort}/`;
  restLog.info(`REST server listening at ${listenUrl}, advertising URL ${advertisedUrl}`);
  const workerId = `${advertisedHost}:${advertisedPort}`;

  const offsets = new FileOffsetStore(resolve(cwd, config.offsetsFile));
  const activeTopics = new ActiveTopics();
  const worker = new Worker({ config, plugins, offsets, logger, env, stdin: opts.stdin, stdout: opts.stdout, cwd, activeTopics });
  const herder = new StandaloneHerder(worker, plugins, offsets, activeTopics, workerId, clusterId, logger, env);
  cli.info(`Kafka Connect worker initialization took ${Date.now() - initStart}ms`);

  const connectLog = logger.child('org.apache.kafka.connect.runtime.Connect');
  const herderLog = logger.child('org.apache.kafka.connect.runtime.standalone.StandaloneHerder');
  const workerLog = logger.child('org.apache.kafka.connect.runtime.Worker');
  const storeLog = logger.child('org.apache.kafka.connect.storage.FileOffsetBackingStore');
  let stopped = false;
  return {
    config,
    herder,
    rest,
    restUrl: `http://${urlHost(rest.host === '0.0.0.0' || rest.host === '::' ? '127.0.0.1' : rest.host)}:${rest.port}/`,
    async start() {
      connectLog.info('Kafka Connect starting');
      herderLog.info('Herder starting');
      workerLog.info('Worker starting');
      storeLog.info(`Starting FileOffsetBackingStore with file ${offsets.path}`);
      offsets.load();
      workerLog.info('Worker started');
      herderLog.info('Herder started');
      restLog.info('Initializing REST resources');
      rest.ready({ herder, plugins });
      restLog.info('REST resources initialized; server is started and ready to handle requests');
      connectLog.info('Kafka Connect started');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      connectLog.info('Kafka Connect stopping');
      restLog.info('Stopping REST server');
      await rest.close();
      restLog.info('REST server stopped');
      herderLog.info('Herder stopping');
      await herder.stopAll();
      workerLog.info('Worker stopping');
      storeLog.info('Stopped FileOffsetBackingStore');
      workerLog.info('Worker stopped');
      herderLog.info('Herder stopped');
      connectLog.info('Kafka Connect stopped');
    },
  };
}
