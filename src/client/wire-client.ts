// A small Kafka client over src/protocol for what kafkajs cannot do (Metadata v10+ topic ids,
// broker error messages, fast partition reads). It keeps one connection per broker node, learns
// node addresses and the controller from Metadata, and retries an unreachable cluster the way
// the Java admin client does: until default.api.timeout.ms, then "Timed out waiting for a node
// assignment".
import { ZERO_UUID } from '../protocol/codec.js';
import { Metadata, type MetadataResponse } from '../protocol/messages/metadata.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { KtoolError } from '../errors.js';
import { BrokerConnection, NetworkError, type BrokerAddress } from './broker-connection.js';
import type { ConnectionSettings } from './client-config.js';

export interface WireClientOptions {
  /** Prefix of client log lines, e.g. `[AdminClient clientId=adminclient-1] `. */
  logPrefix?: string;
  logger?: Logger;
}

/** Java's `org.apache.kafka.common.errors.TimeoutException` as the tools print it. */
export class KafkaTimeoutError extends KtoolError {
  readonly javaClass = 'org.apache.kafka.common.errors.TimeoutException';
  constructor(message: string) {
    super('KAFKA_TIMEOUT', message);
    this.name = 'KafkaTimeoutError';
  }
}

/** Waits `ms`, or less if the signal fires. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export class KafkaWireClient {
  private readonly nodes = new Map<number, BrokerAddress>();
  private readonly connections = new Map<number, Promise<BrokerConnection>>();
  private controllerId = -1;
  /** Node ids of the dedicated group-coordinator connections (kept out of `anyConnection`). */
  private readonly coordinatorIds = new Set<number>();
  private closed = false;
  /** Aborts connection attempts and backoff waits when the client closes. */
  private readonly abort = new AbortController();
  private readonly log: Logger;

  constructor(
    readonly settings: ConnectionSettings,
    private readonly opts: WireClientOptions = {},
  ) {
    this.log = (opts.logger ?? silentLogger).child('org.apache.kafka.clients.NetworkClient');
    settings.bootstrap.forEach((b, i) => this.nodes.set(-(i + 1), { ...b, nodeId: -(i + 1) }));
  }

  /** A connection to node `nodeId` (a broker id from Metadata, or a negative bootstrap id). */
  connection(nodeId: number): Promise<BrokerConnection> {
    if (this.closed) return Promise.reject(new KtoolError('CLIENT_CLOSED', 'The client is closed'));
    const existing = this.connections.get(nodeId);
    if (existing) {
      return existing.then((c) => (c.isOpen ? c : this.reconnect(nodeId)), () => this.reconnect(nodeId));
    }
    return this.reconnect(nodeId);
  }

  private reconnect(nodeId: number): Promise<BrokerConnection> {
    const address = this.nodes.get(nodeId);
    if (!address) return Promise.reject(new KtoolError('UNKNOWN_NODE', `Unknown broker node ${nodeId}`));
    const { clientId, tls, sasl, connectTimeoutMs, requestTimeoutMs } = this.settings;
    const opening = BrokerConnection.open(address, { clientId, tls, sasl, connectTimeoutMs, requestTimeoutMs }, this.abort.signal);
    this.connections.set(nodeId, opening);
    opening.catch(() => {
      if (this.connections.get(nodeId) === opening) this.connections.delete(nodeId);
    });
    return opening;
  }

  /**
   * Any working connection: an open one if there is one, else each known node in turn, retried
   * with backoff until default.api.timeout.ms. `call` names the operation in the timeout message.
   */
  async anyConnection(call: string, deadline = Date.now() + this.settings.apiTimeoutMs): Promise<BrokerConnection> {
    let backoff = Math.max(this.settings.retryBackoffMs, 50);
    for (;;) {
      for (const [nodeId, pending] of this.connections) {
        if (this.coordinatorIds.has(nodeId)) continue;
        const conn = await pending.catch(() => undefined);
        if (conn?.isOpen && this.nodes.has(nodeId)) return conn;
      }
      const ids = [...this.nodes.keys()].filter((id) => !this.coordinatorIds.has(id)).sort((a, b) => (a >= 0) === (b >= 0) ? a - b : a >= 0 ? -1 : 1);
      for (const nodeId of ids) {
        try {
          return await this.connection(nodeId);
        } catch (err) {
          if (!(err instanceof NetworkError)) throw err;
          if (this.closed) throw new KtoolError('CLIENT_CLOSED', 'The client is closed');
          const { host, port } = this.nodes.get(nodeId)!;
          this.log.warn(`${this.opts.logPrefix ?? ''}Connection to node ${nodeId} (${host}:${port}) could not be established. Node may not be available.`);
        }
      }
      if (this.closed) throw new KtoolError('CLIENT_CLOSED', 'The client is closed');
      if (Date.now() + backoff >= deadline) throw new KafkaTimeoutError(`Timed out waiting for a node assignment. Call: ${call}`);
      await sleep(backoff, this.abort.signal);
      backoff = Math.min(backoff * 2, 1000);
    }
  }

  /**
   * Metadata for `topics` (null = all), from any broker; remembers broker addresses and the
   * controller. Topic ids are requested when the broker supports Metadata v10+.
   */
  async metadata(call: string, topics: readonly string[] | null, allowAutoTopicCreation = false): Promise<MetadataResponse> {
    const deadline = Date.now() + this.settings.apiTimeoutMs;
    for (;;) {
      const conn = await this.anyConnection(call, deadline);
      try {
        const res = await conn.request<MetadataResponse>(Metadata, {
          topics: topics === null ? null : topics.map((name) => ({ topicId: ZERO_UUID, name })),
          allowAutoTopicCreation,
          includeClusterAuthorizedOperations: false,
          includeTopicAuthorizedOperations: false,
        }, { min: 1 });
        this.learn(res);
        return res;
      } catch (err) {
        // A connection lost mid-request is retried on another (or a new) connection.
        if (!(err instanceof NetworkError) || this.closed || Date.now() >= deadline) throw err;
        await sleep(this.settings.retryBackoffMs, this.abort.signal);
      }
    }
  }

  private learn(res: MetadataResponse): void {
    for (const b of res.brokers) {
      const known = this.nodes.get(b.nodeId);
      if (!known || known.host !== b.host || known.port !== b.port) {
        this.nodes.set(b.nodeId, { host: b.host, port: b.port, nodeId: b.nodeId });
        if (known) this.connections.get(b.nodeId)?.then((c) => c.close(), () => {});
        this.connections.delete(b.nodeId);
      }
    }
    this.controllerId = res.controllerId;
  }

  /**
   * A connection to a broker named by a response (FindCoordinator), learning its address if
   * Metadata has not mentioned it yet.
   */
  connectTo(node: BrokerAddress): Promise<BrokerConnection> {
    this.remember(node.nodeId, node);
    return this.connection(node.nodeId);
  }

  /**
   * A second connection to the group coordinator, used only for group membership, as the Java
   * consumer keeps one (node id 2147483647 - id): a JoinGroup can wait minutes for a rebalance, and
   * responses come back in order, so on a shared connection it would hold up every fetch.
   */
  coordinatorConnection(node: BrokerAddress): Promise<BrokerConnection> {
    const id = 2147483647 - node.nodeId;
    this.coordinatorIds.add(id);
    this.remember(id, node);
    return this.connection(id);
  }

  private remember(id: number, node: BrokerAddress): void {
    const known = this.nodes.get(id);
    if (known && known.host === node.host && known.port === node.port) return;
    this.nodes.set(id, { host: node.host, port: node.port, nodeId: node.nodeId });
    if (known) this.connections.get(id)?.then((c) => c.close(), () => {});
    this.connections.delete(id);
  }

  /** The controller (admin writes go there); any broker when the cluster names none. */
  async controller(call: string): Promise<BrokerConnection> {
    if (this.controllerId < 0) await this.metadata(call, []);
    if (this.controllerId >= 0 && this.nodes.has(this.controllerId)) return this.connection(this.controllerId);
    return this.anyConnection(call);
  }

  /** Forget the controller, after a NOT_CONTROLLER answer. */
  invalidateController(): void {
    this.controllerId = -1;
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    for (const pending of this.connections.values()) pending.then((c) => c.close(), () => {});
    this.connections.clear();
  }
}
