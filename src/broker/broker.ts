// The bundled broker: a single combined node (like KRaft's broker,controller) that leads every
// partition. Starting it formats empty log dirs, loads topic metadata, opens every partition log
// (recovering torn tails), then opens the listeners.
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { BrokerConfig, Listener, SecurityProtocol } from '../config/broker-config.js';
import { silentLogger, type Logger } from '../log.js';
import { LogMaintenance } from './log-maintenance.js';
import { ClusterMetadata } from './metadata/cluster-metadata.js';
import { prepareLogDirs } from './meta-properties.js';
import { Connection, type ConnectionStats } from './network/connection.js';
import { PartitionManager } from './partitions.js';
import { RouteTable } from './router.js';
import type { BrokerState, Endpoint } from './state.js';
import { localTopicBackend } from './metadata/topic-backend.js';
import type { ZkBroker } from './zk/zk-broker.js';
import { apiVersionsRoute } from './handlers/api-versions.js';
import { createPartitionsRoute, createTopicsRoute, deleteTopicsRoute } from './handlers/admin.js';
import { alterConfigsRoute, incrementalAlterConfigsRoute } from './handlers/alter-configs.js';
import { describeConfigsRoute } from './handlers/describe-configs.js';
import { describeLogDirsRoute } from './handlers/describe-log-dirs.js';
import { DynamicBrokerConfig } from './dynamic-config.js';
import { deleteRecordsRoute } from './handlers/delete-records.js';
import { describeClusterRoute, metadataRoute } from './handlers/metadata.js';
import { fetchRoute } from './handlers/fetch.js';
import { initProducerIdRoute } from './handlers/init-producer-id.js';
import { listOffsetsRoute } from './handlers/list-offsets.js';
import { produceRoute } from './handlers/produce.js';
import { groupRoutes } from './handlers/groups.js';
import { saslRoutes } from './handlers/sasl.js';
import { scramCredentialRoutes } from './handlers/scram-credentials.js';
import { listenerSecurity } from './network/listener-security.js';
import { OFFSETS_TOPIC, startGroupCoordinator } from './groups/index.js';

export interface BoundListener {
  name: string;
  host: string;
  port: number;
  securityProtocol: SecurityProtocol;
}

export class Broker {
  private readonly servers: Server[] = [];
  private readonly connections = new Set<Connection>();
  private closing: Promise<void> | undefined;
  private resolveClosed!: () => void;
  /** Resolves once the broker has shut down, whoever asked. */
  readonly closed = new Promise<void>((r) => (this.resolveClosed = r));
  readonly listeners: BoundListener[] = [];
  readonly stats: ConnectionStats = { closedForProtocolErrors: 0 };
  private connectionCount = 0;

  private constructor(
    readonly config: BrokerConfig,
    readonly state: BrokerState,
    private readonly log: Logger,
    private readonly abort: AbortController,
    private readonly maintenance: LogMaintenance,
    /** ZooKeeper mode (zookeeper.connect), else undefined. */
    readonly zk?: ZkBroker,
  ) {}

  /** First listener's address. */
  get host(): string {
    return this.listeners[0]!.host;
  }

  get port(): number {
    return this.listeners[0]!.port;
  }

  get clusterId(): string {
    return this.state.clusterId;
  }

  static async start(config: BrokerConfig, log: Logger = silentLogger): Promise<Broker> {
    const server = log.child(`kafka.server.KafkaRaftServer`);
    const started = Date.now();
    // ZooKeeper mode is loaded only when configured: the default start-up path never imports it.
    const zk = config.props.get('zookeeper.connect')?.trim() ? await (await import('./zk/zk-broker.js')).ZkBroker.connect(config, log) : undefined;
    let prepared: ReturnType<typeof prepareLogDirs>;
    try {
      prepared = prepareLogDirs(config.logDirs, config.nodeId, zk?.clusterId);
    } catch (err) {
      await zk?.close();
      throw err;
    }
    const { clusterId, formatted } = prepared;
    for (const dir of formatted) log.child('kafka.tools.StorageTool').info(`Formatting data directory ${dir} with cluster id ${clusterId}.`);
    for (const key of config.unknownKeys) log.child('kafka.server.KafkaConfig').warn(`These configurations '${key}' were supplied but are not used yet.`);

    const metadata = ClusterMetadata.load(config.logDirs[0]!);
    // Before the logs open, so they start with the dynamic broker configs in effect.
    const dynamicConfig = new DynamicBrokerConfig(config, metadata);
    const maintenance = new LogMaintenance(config, log.child('kafka.log.LogManager'));
    maintenance.prepare();
    const partitions = new PartitionManager(config.logDirs, metadata, config.props, log.child('kafka.log.LogManager'), (dir) => maintenance.openOptions(dir));
    partitions.loadAll();
    dynamicConfig.onChange = () => partitions.reconfigureAll();

    let broker!: Broker;
    let routes!: RouteTable;
    let producerId = BigInt(Date.now()) * 1000n;
    const abort = new AbortController();
    const onTopicsDeleted: BrokerState['onTopicsDeleted'] = [];
    const state: BrokerState = {
      nodeId: config.nodeId,
      clusterId,
      config,
      dynamicConfig,
      metadata,
      partitions,
      log: log.child('kafka.server.KafkaApis'),
      shutdown: abort.signal,
      advertised: (name) => broker.advertisedEndpoint(name),
      routes: () => routes,
      nextProducerId: () => producerId++,
      internalTopicCreators: new Map(),
      onTopicsDeleted,
      topicBackend: zk ?? localTopicBackend(partitions, onTopicsDeleted, log.child('kafka.server.KafkaApis')),
    };
    // Replays __consumer_offsets; stops (timers cleared, parked joins answered) on shutdown.
    const groups = startGroupCoordinator(state);
    state.internalTopicCreators.set(OFFSETS_TOPIC, () => groups.offsetsTopic.ensureTopic());
    state.onTopicsDeleted.push((topics) => groups.coordinator.offsets.removeTopicOffsets(topics));
    routes = new RouteTable([
      produceRoute(state),
      fetchRoute(state),
      listOffsetsRoute(state),
      metadataRoute(state),
      apiVersionsRoute(state),
      createTopicsRoute(state),
      deleteTopicsRoute(state),
      initProducerIdRoute(state),
      describeConfigsRoute(state),
      createPartitionsRoute(state),
      describeClusterRoute(state),
      deleteRecordsRoute(state),
      alterConfigsRoute(state),
      incrementalAlterConfigsRoute(state),
      describeLogDirsRoute(state),
      ...saslRoutes(),
      ...scramCredentialRoutes(state),
      ...groupRoutes(state, groups),
    ]);
    maintenance.start(state);
    broker = new Broker(config, state, log, abort, maintenance, zk);
    try {
      for (const l of config.listeners) await broker.listen(l, routes);
      await zk?.start(state);
    } catch (err) {
      await broker.close();
      throw err;
    }
    const where = broker.listeners.map((l) => `${l.name}://${l.host}:${l.port}`).join(',');
    server.info(`[KafkaRaftServer nodeId=${config.nodeId}] Kafka Server started, listening on ${where} (cluster id ${clusterId}, ${Date.now() - started} ms)`);
    return broker;
  }

  private listen(l: Listener, routes: RouteTable): Promise<void> {
    const net = this.log.child('kafka.network.SocketServer');
    const security = listenerSecurity(l, this.config.props, (user, mechanism) => this.state.metadata.scramCredential(user, mechanism));
    const accept = (socket: Socket): void => {
      if (this.closing) {
        socket.destroy();
        return;
      }
      const id = `${l.name}-${++this.connectionCount}`;
      const conn = new Connection(socket, id, l.name, routes, this.config.socketRequestMaxBytes, net, this.stats, security.sasl);
      this.connections.add(conn);
      socket.on('close', () => this.connections.delete(conn));
    };
    let server: Server;
    if (security.tls) {
      const tls = createTlsServer({ ...security.tls, noDelay: true }, accept);
      // A failed handshake (a plaintext client, an untrusted certificate) is that client's problem alone.
      tls.on('tlsClientError', (err, socket) => {
        net.info(`Failed authentication with ${socket.remoteAddress ?? 'unknown'} (SSL handshake failed: ${err.message})`);
        socket.destroy();
      });
      server = tls;
    } else {
      server = createServer({ noDelay: true }, accept);
    }
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const host = l.host === '' ? undefined : l.host;
      server.listen({ host, port: l.port }, () => {
        server.off('error', reject);
        server.on('error', (err) => net.error(`Listener ${l.name} failed`, err));
        const addr = server.address();
        const port = typeof addr === 'object' && addr ? addr.port : l.port;
        this.listeners.push({ name: l.name, host: l.host === '' ? '0.0.0.0' : l.host, port, securityProtocol: l.securityProtocol });
        net.info(`Awaiting socket connections on ${l.host === '' ? '0.0.0.0' : l.host}:${port}.`);
        resolve();
      });
    });
  }

  /** The advertised address on a listener; port 0 in the config means the port actually bound. */
  advertisedEndpoint(listenerName: string): Endpoint {
    const bound = this.listeners.find((l) => l.name === listenerName) ?? this.listeners[0]!;
    const adv = this.config.advertisedListeners.find((l) => l.name === bound.name);
    const host = adv && adv.host !== '' ? adv.host : bound.host === '0.0.0.0' || bound.host === '::' ? '127.0.0.1' : bound.host;
    const port = adv && adv.port !== 0 ? adv.port : bound.port;
    return { host, port };
  }

  /** Stops accepting, closes connections, releases parked fetches, then flushes and closes logs. */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const log = this.log.child('kafka.server.KafkaRaftServer');
    log.info(`[KafkaRaftServer nodeId=${this.config.nodeId}] shutting down`);
    this.abort.abort();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))).concat(this.closeConnections()));
    // Ends the ZooKeeper session (our ephemerals go at once) before the logs it may touch close.
    await this.zk?.close().catch((err: unknown) => log.warn('Error closing the ZooKeeper session', err));
    this.maintenance.shutdown();
    this.state.partitions.closeAll();
    log.info(`[KafkaRaftServer nodeId=${this.config.nodeId}] shut down completed`);
    this.resolveClosed();
  }

  private async closeConnections(): Promise<void> {
    for (const c of this.connections) c.close();
    this.connections.clear();
  }
}
