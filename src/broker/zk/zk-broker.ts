// The broker's ZooKeeper mode (zookeeper.connect set), as a Kafka 2.8 broker runs it: connect
// (creating the chroot), create the persistent paths, adopt or create /cluster/id, register
// /brokers/ids/<id>, take part in controller election, and keep topics in step with
// /brokers/topics (zk-topic-watcher.ts). ZooKeeper events and the changes they cause run one at a
// time on an event queue, like Kafka's controller event thread. When the session expires a new
// one is made and the broker registers and runs for controller again.
import { brokerValue, type BrokerConfig } from '../../config/broker-config.js';
import type { Logger } from '../../log.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { WatchedEvent } from '../../zookeeper/client/zk-client.js';
import { createRecursive, isCode } from '../../zookeeper/client/zk-tree.js';
import { EventType } from '../../zookeeper/protocol/constants.js';
import { Err, KeeperError } from '../../zookeeper/protocol/keeper-errors.js';
import { deleteTopicPath, type BrokerEndpoint } from '../../zookeeper/kafka-znodes.js';
import { readMetaProperties } from '../meta-properties.js';
import type { TopicBackend, TopicDeleteOutcome } from '../metadata/topic-backend.js';
import { randomUuid, uuidToBase64 } from '../metadata/uuid.js';
import type { BrokerState } from '../state.js';
import { ZkController } from './zk-controller.js';
import { createTopLevelPaths, ensureChroot, getOrCreateClusterId, registerBroker, type Registration } from './zk-registration.js';
import { ZkSession } from './zk-session.js';
import { ZkTopicWatcher } from './zk-topic-watcher.js';

/** zookeeper.* settings with Kafka 2.8's defaults (the connection timeout defaults to the session timeout). */
export function zkSettings(config: BrokerConfig): { connect: string; sessionTimeoutMs: number; connectionTimeoutMs: number } | undefined {
  const connect = config.props.get('zookeeper.connect')?.trim();
  if (!connect) return undefined;
  const sessionTimeoutMs = Number(brokerValue(config.props, 'zookeeper.session.timeout.ms'));
  const connectionTimeoutMs = Number(brokerValue(config.props, 'zookeeper.connection.timeout.ms') ?? sessionTimeoutMs);
  return { connect, sessionTimeoutMs, connectionTimeoutMs };
}

export class ZkBroker implements TopicBackend {
  private queue: Promise<void> = Promise.resolve();
  private closing = false;
  private state!: BrokerState;
  private controller!: ZkController;
  private topics!: ZkTopicWatcher;
  private registration: Registration | undefined;

  private constructor(
    private readonly session: ZkSession,
    readonly clusterId: string,
    private readonly config: BrokerConfig,
    private readonly log: Logger,
  ) {}

  /** Start-up before the logs are opened: session, persistent paths, cluster id. */
  static async connect(config: BrokerConfig, log: Logger): Promise<ZkBroker> {
    const settings = zkSettings(config)!;
    if (brokerValue(config.props, 'zookeeper.set.acl')?.trim().toLowerCase() === 'true') {
      // Kafka refuses secure ACLs without an authenticated ZooKeeper session (SASL or TLS), which ktool does not have.
      throw new Error('zookeeper.set.acl is true, but ZooKeeper client authentication (SASL or TLS) is not configured, and the ktool broker supports neither');
    }
    const serverLog = log.child('kafka.server.KafkaServer');
    serverLog.info(`Connecting to zookeeper on ${settings.connect}`);
    await ensureChroot(settings.connect, settings.sessionTimeoutMs, settings.connectionTimeoutMs, serverLog);
    const session = await ZkSession.connect({ connectString: settings.connect, sessionTimeoutMs: settings.sessionTimeoutMs, connectionTimeoutMs: settings.connectionTimeoutMs, log: log.child('kafka.zookeeper.ZooKeeperClient') });
    try {
      await createTopLevelPaths(session);
      const local = config.logDirs.map((d) => readMetaProperties(d)).find((m) => m !== undefined)?.clusterId;
      // A ktool data dir keeps its cluster id in a fresh ZooKeeper; otherwise a new one, as Kafka makes.
      const clusterId = await getOrCreateClusterId(session, local ?? uuidToBase64(randomUuid()));
      serverLog.info(`Cluster ID = ${clusterId}`);
      return new ZkBroker(session, clusterId, config, log);
    } catch (err) {
      await session.close();
      throw err;
    }
  }

  /** Start-up once the listeners are bound: registration, election, topics, config changes. */
  async start(state: BrokerState): Promise<void> {
    this.state = state;
    this.controller = new ZkController(this.session, state.nodeId, this.log.child('kafka.controller.KafkaController'), this.log.child('kafka.zk.KafkaZkClient'));
    this.topics = new ZkTopicWatcher(this.session, state, this.controller, (what, fn) => this.enqueue(what, fn), this.log.child('kafka.controller.KafkaController'));
    state.partitions.topicListeners.push(this.topics);
    this.registration = await registerBroker(this.session, state.nodeId, this.endpoints(), this.log.child('kafka.zk.KafkaZkClient'));
    this.session.onNewSession(() => this.afterNewSession());
    this.enqueue('Startup', () => this.electAndSync());
    this.enqueue('ConfigChange', () => this.topics.processConfigChanges());
    await this.idle();
    this.log.child('kafka.server.KafkaServer').info(`[KafkaServer id=${state.nodeId}] started`);
  }

  /** The broker epoch (czxid of the registration). */
  get brokerEpoch(): bigint | undefined {
    return this.registration?.brokerEpoch;
  }

  /** The current session's id and password (tools and tests can resume or end it). */
  get sessionCredentials(): { id: bigint; passwd: Buffer } {
    return { id: this.session.client.sessionId, passwd: this.session.client.sessionPasswd };
  }

  get isController(): boolean {
    return this.controller?.active ?? false;
  }

  /** Resolves once every queued ZooKeeper event has been handled. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }

  /** DeleteTopics in ZooKeeper mode: mark each topic, then wait (up to the request's timeout) for the controller. */
  async deleteTopics(names: readonly string[], timeoutMs: number): Promise<Map<string, TopicDeleteOutcome>> {
    const outcomes = new Map<string, TopicDeleteOutcome>();
    for (const name of names) {
      try {
        await this.session.retry((zk) => createRecursive(zk, deleteTopicPath(name), null));
      } catch (err) {
        outcomes.set(name, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: (err as Error).message });
      }
    }
    // Done when the log is gone here and the controller has removed the marker (its last step).
    const deadline = Date.now() + Math.max(0, timeoutMs);
    for (const name of names) {
      while (!outcomes.has(name) && !this.closing && Date.now() < deadline) {
        if (this.state.metadata.get(name) === undefined && (await this.session.client.exists(deleteTopicPath(name)).catch(() => undefined)) === null) {
          outcomes.set(name, { errorCode: 0, errorMessage: null });
        } else {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      if (!outcomes.has(name)) outcomes.set(name, { errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: null });
    }
    return outcomes;
  }

  /** AlterConfigs of a topic in ZooKeeper mode: written to ZooKeeper with a change notification, as Kafka 2.x does. */
  alterTopicConfigs(name: string, configs: ReadonlyMap<string, string>): Promise<void> {
    return this.topics.changeTopicConfig(name, configs);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    // Closing the session removes /brokers/ids/<id> and /controller at once (no waiting for expiry).
    await this.session.close();
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, 5000))]);
  }

  private readonly onControllerChange = (e: WatchedEvent): void => {
    if (e.type !== EventType.None) this.enqueue('ControllerChange', () => this.electAndSync());
  };

  private async electAndSync(): Promise<void> {
    await this.controller.elect(this.onControllerChange);
    await this.topics.syncAll('full');
  }

  /** After an expired session: register again (replacing our old node if it lingers), then elect and resync. */
  private async afterNewSession(): Promise<void> {
    const log = this.log.child('kafka.zk.KafkaZkClient');
    const client = this.session.client;
    for (let attempt = 1; !this.closing; attempt++) {
      // This session expired too: the next one runs this handler again.
      if (client !== this.session.client || client.currentState === 'expired' || client.currentState === 'closed') return;
      try {
        this.registration = await registerBroker(this.session, this.state.nodeId, this.endpoints(), log, this.registration?.sessionId);
        break;
      } catch (err) {
        log.error(`Error while re-registering broker ${this.state.nodeId} (attempt ${attempt})`, err);
        await new Promise((r) => setTimeout(r, Math.min(1000 * attempt, 5000)));
      }
    }
    this.controller.active = false;
    this.enqueue('RegisterBrokerAndReelect', () => this.electAndSync());
    this.enqueue('ConfigChange', () => this.topics.processConfigChanges());
  }

  private enqueue(what: string, fn: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.closing) return;
      try {
        await fn();
      } catch (err) {
        if (this.closing || (err instanceof KeeperError && (err.code === Err.SESSIONEXPIRED || isCode(err, Err.CONNECTIONLOSS)))) {
          this.log.debug(`${what} interrupted by the ZooKeeper session: ${(err as Error).message}`);
          return;
        }
        this.log.child('kafka.controller.KafkaController').error(`Error processing event ${what}`, err);
      }
    });
  }

  /** Every listener's advertised address, with its security protocol. */
  private endpoints(): BrokerEndpoint[] {
    return this.config.listeners.map((l) => {
      const adv = this.state.advertised(l.name);
      return { listenerName: l.name, host: adv.host, port: adv.port, securityProtocol: l.securityProtocol };
    });
  }
}
