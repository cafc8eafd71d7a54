// The broker's ZooKeeper session, as Kafka's ZooKeeperClient keeps it: requests that fail with
// ConnectionLoss are retried once the client is connected again, and an expired session is
// replaced by a new one (retrying until ZooKeeper answers), after which the "new session"
// handlers run (re-register the broker, re-elect, re-install watches).
import type { Logger } from '../../log.js';
import { ZkClient, type ZkState } from '../../zookeeper/client/zk-client.js';
import { Err, KeeperError } from '../../zookeeper/protocol/keeper-errors.js';

export interface ZkSessionOptions {
  connectString: string;
  sessionTimeoutMs: number;
  connectionTimeoutMs: number;
  log: Logger;
}

export class ZkSession {
  private closing = false;
  private readonly newSessionHandlers: Array<() => Promise<void>> = [];
  private reinitializing = false;

  private constructor(
    private client_: ZkClient,
    private readonly opts: ZkSessionOptions,
  ) {
    this.watchState(client_);
  }

  static async connect(opts: ZkSessionOptions): Promise<ZkSession> {
    opts.log.info(`[ZooKeeperClient Kafka server] Initializing a new session to ${opts.connectString}.`);
    const client = await ZkClient.connect({ connectString: opts.connectString, sessionTimeoutMs: opts.sessionTimeoutMs, connectTimeoutMs: opts.connectionTimeoutMs, logger: opts.log.child('org.apache.zookeeper.ClientCnxn') });
    opts.log.info('[ZooKeeperClient Kafka server] Connected.');
    return new ZkSession(client, opts);
  }

  get client(): ZkClient {
    return this.client_;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Runs after each session that replaces an expired one is established. */
  onNewSession(handler: () => Promise<void>): void {
    this.newSessionHandlers.push(handler);
  }

  /**
   * Runs `op` against the current client; ConnectionLoss waits for the connection (or a new
   * session) and tries again, as ZooKeeperClient.retryRequestsUntilConnected does.
   */
  async retry<T>(op: (zk: ZkClient) => Promise<T>): Promise<T> {
    for (;;) {
      const client = this.client_;
      try {
        return await op(client);
      } catch (err) {
        if (this.closing || !(err instanceof KeeperError) || err.code !== Err.CONNECTIONLOSS) throw err;
        await this.untilConnected(client);
      }
    }
  }

  private async untilConnected(client: ZkClient): Promise<void> {
    while (!this.closing && client === this.client_ && client.currentState !== 'connected') {
      if (client.currentState === 'expired' || client.currentState === 'closed') return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.client_.close();
  }

  private watchState(client: ZkClient): void {
    client.onState((state: ZkState) => {
      if (state === 'expired' && client === this.client_ && !this.closing) {
        this.opts.log.info('[ZooKeeperClient Kafka server] Session expired.');
        // While a reinitialization runs, its loop sees this expiry and starts over.
        if (!this.reinitializing) {
          this.reinitializing = true;
          void this.reinitialize();
        }
      }
    });
  }

  /** New sessions (and their handlers) until one is live at the end; clears `reinitializing` in the same tick as its last check. */
  private async reinitialize(): Promise<void> {
    try {
      while (!this.closing && this.client_.currentState === 'expired') {
        if (!(await this.newClient())) return;
        for (const handler of this.newSessionHandlers) {
          if (this.closing || this.client_.currentState === 'expired') break;
          try {
            await handler();
          } catch (err) {
            this.opts.log.error('Error while re-initializing after the ZooKeeper session expired', err);
          }
        }
      }
    } finally {
      this.reinitializing = false;
    }
  }

  /** Connects a new session, retrying until ZooKeeper answers; false when closing. */
  private async newClient(): Promise<boolean> {
    for (let attempt = 0; !this.closing; attempt++) {
      this.opts.log.info(`[ZooKeeperClient Kafka server] Initializing a new session to ${this.opts.connectString}.`);
      try {
        const client = await ZkClient.connect({ connectString: this.opts.connectString, sessionTimeoutMs: this.opts.sessionTimeoutMs, connectTimeoutMs: this.opts.connectionTimeoutMs, logger: this.opts.log.child('org.apache.zookeeper.ClientCnxn') });
        if (this.closing) {
          await client.close();
          return false;
        }
        this.client_ = client;
        this.watchState(client);
        return true;
      } catch (err) {
        this.opts.log.warn(`[ZooKeeperClient Kafka server] Unable to re-establish the session: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(1000 * (attempt + 1), 5000)));
      }
    }
    return false;
  }
}
