// Controller election through /controller and /controller_epoch (KafkaController.elect,
// KafkaZkClient.registerControllerAndIncrementControllerEpoch), and the controller's fenced
// writes: every write is a multi whose first op checks /controller_epoch's zkVersion, so a
// controller that lost its place cannot change anything.
import type { Logger } from '../../log.js';
import { MultiKeeperError, type MultiOp, type MultiResult, type Watcher } from '../../zookeeper/client/zk-client.js';
import { isCode } from '../../zookeeper/client/zk-tree.js';
import { CreateMode, Ids } from '../../zookeeper/protocol/constants.js';
import { Err } from '../../zookeeper/protocol/keeper-errors.js';
import { OpCode } from '../../zookeeper/protocol/op-codes.js';
import { ZkPaths, decodeController, decodeControllerEpoch, encodeController, encodeControllerEpoch, encodeFeature } from '../../zookeeper/kafka-znodes.js';
import type { ZkSession } from './zk-session.js';

export class ZkController {
  /** The epoch this broker won, and /controller_epoch's zkVersion after winning (for fencing). */
  epoch = 0;
  epochZkVersion = 0;
  active = false;

  constructor(
    private readonly session: ZkSession,
    private readonly brokerId: number,
    private readonly log: Logger,
    private readonly zkLog: Logger,
  ) {}

  private get prefix(): string {
    return `[Controller id=${this.brokerId}]`;
  }

  /**
   * One election round. `watcher` goes on /controller (exists), so its deletion starts the next
   * round. Returns whether this broker is (now) the controller.
   */
  async elect(watcher: Watcher): Promise<boolean> {
    const zk = this.session.client;
    const current = await this.session.retry((c) => c.exists(ZkPaths.controller, watcher));
    if (current !== null) {
      const owner = await this.readController();
      this.active = owner === this.brokerId && current.ephemeralOwner === zk.sessionId;
      if (!this.active) this.log.debug(`${this.prefix} Broker ${owner} has been elected as the controller, so stopping the election process.`);
      return this.active;
    }
    const { epoch, zkVersion } = await this.readOrCreateEpoch();
    const next = epoch + 1;
    try {
      const results = await this.session.retry((c) =>
        c.multi([
          { type: OpCode.create, request: { path: ZkPaths.controller, data: encodeController({ brokerId: this.brokerId, timestamp: String(Date.now()) }), acl: Ids.OPEN_ACL_UNSAFE, flags: CreateMode.EPHEMERAL } },
          { type: OpCode.setData, request: { path: ZkPaths.controllerEpoch, data: encodeControllerEpoch(next), version: zkVersion } },
        ]),
      );
      this.epoch = next;
      this.epochZkVersion = (results[1]!.response as { stat: { version: number } }).stat.version;
    } catch (err) {
      if (!isCode(err, Err.NODEEXISTS) && !isCode(err, Err.BADVERSION)) throw err;
      // Lost, unless a retried request of ours won (the node names us with the new epoch).
      const owner = await this.readController().catch(() => -1);
      const now = await this.readOrCreateEpoch();
      if (owner !== this.brokerId || now.epoch !== next) {
        this.active = false;
        this.log.debug(`${this.prefix} Broker ${owner} was elected as controller instead of broker ${this.brokerId}`);
        return false;
      }
      this.epoch = next;
      this.epochZkVersion = now.zkVersion;
    }
    this.active = true;
    this.log.info(`${this.prefix} ${this.brokerId} successfully elected as the controller. Epoch incremented to ${this.epoch} and epoch zk version is now ${this.epochZkVersion}`);
    await this.enableFeatures();
    return true;
  }

  private async readController(): Promise<number> {
    const { data } = await this.session.retry((c) => c.getData(ZkPaths.controller));
    return decodeController(data).brokerId;
  }

  private async readOrCreateEpoch(): Promise<{ epoch: number; zkVersion: number }> {
    try {
      const { data, stat } = await this.session.retry((c) => c.getData(ZkPaths.controllerEpoch));
      return { epoch: decodeControllerEpoch(data), zkVersion: stat.version };
    } catch (err) {
      if (!isCode(err, Err.NONODE)) throw err;
    }
    try {
      await this.session.retry((c) => c.create(ZkPaths.controllerEpoch, encodeControllerEpoch(0)));
      this.zkLog.info('Successfully created /controller_epoch with initial epoch 0');
      return { epoch: 0, zkVersion: 0 };
    } catch (err) {
      if (!isCode(err, Err.NODEEXISTS)) throw err;
      return this.readOrCreateEpoch();
    }
  }

  /** Kafka 2.8's controller creates /feature (no finalized features, status enabled) when missing. */
  private async enableFeatures(): Promise<void> {
    try {
      await this.session.retry((c) => c.create(ZkPaths.feature, encodeFeature({ features: {}, status: 1 })));
    } catch (err) {
      if (!isCode(err, Err.NODEEXISTS)) throw err;
    }
  }

  /** Runs `ops` after a check of /controller_epoch's version; returns their results. */
  async fenced(ops: MultiOp[]): Promise<MultiResult[]> {
    const check: MultiOp = { type: OpCode.check, request: { path: ZkPaths.controllerEpoch, version: this.epochZkVersion } };
    try {
      return (await this.session.retry((c) => c.multi([check, ...ops]))).slice(1);
    } catch (err) {
      if (err instanceof MultiKeeperError && err.results[0]?.err === Err.BADVERSION) {
        this.active = false;
        this.log.warn(`${this.prefix} Controller moved to another broker (controller epoch zkVersion changed); resigning.`);
      }
      throw err;
    }
  }

  /** A fenced create; an existing node is fine. */
  async createIfMissing(path: string, data: Buffer | null): Promise<void> {
    try {
      await this.fenced([{ type: OpCode.create, request: { path, data, acl: Ids.OPEN_ACL_UNSAFE, flags: CreateMode.PERSISTENT } }]);
    } catch (err) {
      if (!isCode(err, Err.NODEEXISTS)) throw err;
    }
  }
}
