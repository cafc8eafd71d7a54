// Keeps this broker's topics and ZooKeeper's in step, in both directions:
// - topics written to /brokers/topics by others (kafka-topics --zookeeper) are found through a
//   child watch and get their logs here; partitions added to a topic's assignment through a data
//   watch; config changes through /config/changes notifications;
// - topics created here (CreateTopics, auto-create, internal topics) are written as Kafka 2.8's
//   AdminZkClient writes them (config first, then the assignment with its topic id);
// - as the controller, it adds missing topic ids and partition state znodes (leader = this
//   broker), and carries out deletions marked under /admin/delete_topics.
// Every change runs on the ZooKeeper event queue (ZkBroker.enqueue), one at a time.
import type { Logger } from '../../log.js';
import type { WatchedEvent } from '../../zookeeper/client/zk-client.js';
import { createRecursive, deleteRecursive, isCode } from '../../zookeeper/client/zk-tree.js';
import { CreateMode, EventType } from '../../zookeeper/protocol/constants.js';
import { Err } from '../../zookeeper/protocol/keeper-errors.js';
import { OpCode } from '../../zookeeper/protocol/op-codes.js';
import {
  CONFIG_CHANGE_PREFIX,
  ConfigType,
  ZkPaths,
  decodeConfigChange,
  decodeEntityConfig,
  decodeTopicAssignment,
  deleteTopicPath,
  encodeConfigChange,
  encodeEntityConfig,
  encodePartitionState,
  encodeTopicAssignment,
  partitionStatePath,
  topicConfigPath,
  topicPartitionPath,
  topicPartitionsPath,
  topicPath,
  type TopicAssignment,
} from '../../zookeeper/kafka-znodes.js';
import type { TopicInfo } from '../metadata/cluster-metadata.js';
import { base64ToUuid, uuidToBase64 } from '../metadata/uuid.js';
import type { TopicListener } from '../partitions.js';
import type { BrokerState } from '../state.js';
import type { ZkController } from './zk-controller.js';
import type { ZkSession } from './zk-session.js';

/** Notifications older than this are deleted by the brokers (DynamicConfigManager: 15 minutes). */
const CONFIG_CHANGE_EXPIRATION_MS = 15 * 60 * 1000;

export class ZkTopicWatcher implements TopicListener {
  /** Set while this broker applies a change that came from ZooKeeper, so it is not written back. */
  private applying = false;
  private lastConfigChange = -1;
  /**
   * Topics created here and not yet written to ZooKeeper. A child-watch sync queued before their
   * CreateTopic event must not take them for topics removed from ZooKeeper.
   */
  private readonly unpublished = new Set<string>();

  constructor(
    private readonly session: ZkSession,
    private readonly state: BrokerState,
    private readonly controller: ZkController,
    private readonly enqueue: (what: string, fn: () => Promise<void>) => void,
    private readonly log: Logger,
  ) {}

  // ---- watchers: stable functions, so a path never holds the same watcher twice ----

  private readonly onTopicsChanged = (e: WatchedEvent): void => {
    if (e.type !== EventType.None) this.enqueue('TopicChange', () => this.syncAll('changes'));
  };

  private readonly onTopicChanged = (e: WatchedEvent): void => {
    const topic = e.path.slice(ZkPaths.brokerTopics.length + 1);
    if (e.type === EventType.NodeDataChanged) this.enqueue('PartitionModifications', () => this.syncTopic(topic));
  };

  private readonly onDeletionsChanged = (e: WatchedEvent): void => {
    if (e.type !== EventType.None) this.enqueue('TopicDeletion', () => this.processDeletions());
  };

  private readonly onConfigChanges = (e: WatchedEvent): void => {
    if (e.type !== EventType.None) this.enqueue('ConfigChange', () => this.processConfigChanges());
  };

  // ---- local changes → ZooKeeper ----

  created(topic: TopicInfo): void {
    if (this.applying) return;
    this.unpublished.add(topic.name);
    // Already published when a full sync got there first; if interrupted (ZooKeeper session lost),
    // the full sync after the new session publishes it.
    this.enqueue('CreateTopic', async () => {
      if (this.unpublished.has(topic.name)) await this.publishTopic(topic.name);
    });
  }

  partitionsAdded(topic: TopicInfo): void {
    if (this.applying) return;
    this.enqueue('CreatePartitions', () => this.publishAssignment(topic.name));
  }

  /** AdminZkClient.createTopicWithAssignment: /config/topics/<t>, then /brokers/topics/<t> (with the topic id, as 2.8 brokers write it). */
  private async publishTopic(name: string): Promise<void> {
    const topic = this.state.metadata.get(name);
    if (!topic) {
      this.unpublished.delete(name);
      return;
    }
    await this.writeTopicConfig(name, topic.configs);
    try {
      await this.session.retry((zk) => createRecursive(zk, topicPath(name), encodeTopicAssignment(this.assignmentOf(topic)), { throwIfExists: true }));
    } catch (err) {
      if (!isCode(err, Err.NODEEXISTS)) throw err;
      this.log.warn(`Topic ${name} already exists in ZooKeeper; keeping ZooKeeper's assignment`);
    }
    this.unpublished.delete(name);
    await this.syncTopic(name);
  }

  private async publishAssignment(name: string): Promise<void> {
    const topic = this.state.metadata.get(name);
    if (!topic) return;
    await this.session.retry((zk) => zk.setData(topicPath(name), encodeTopicAssignment(this.assignmentOf(topic)), -1));
    await this.syncTopic(name);
  }

  private assignmentOf(topic: TopicInfo): TopicAssignment {
    const partitions = new Map<number, number[]>();
    for (let p = 0; p < topic.partitions; p++) partitions.set(p, [this.state.nodeId]);
    return { partitions, topicId: uuidToBase64(topic.id) };
  }

  /**
   * A topic's new overrides, as a Kafka 2.x broker handles AlterConfigs (AdminZkClient.changeTopicConfig):
   * /config/topics/<t>, then a config_change_ notification for every broker, then applied here at
   * once (our own notification re-applies the same configs later).
   */
  async changeTopicConfig(name: string, configs: ReadonlyMap<string, string>): Promise<void> {
    await this.writeTopicConfig(name, configs);
    const notification = encodeConfigChange(`${ConfigType.topic}/${name}`);
    await this.session.retry((zk) => createRecursive(zk, CONFIG_CHANGE_PREFIX, notification, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
    this.state.partitions.setTopicConfigs(name, configs);
  }

  /** AdminZkClient.setOrCreateEntityConfigs: setData any version, create on NONODE. */
  private async writeTopicConfig(name: string, configs: ReadonlyMap<string, string>): Promise<void> {
    const path = topicConfigPath(name);
    const data = encodeEntityConfig(configs);
    try {
      await this.session.retry((zk) => zk.setData(path, data, -1));
    } catch (err) {
      if (!isCode(err, Err.NONODE)) throw err;
      await this.session.retry((zk) => createRecursive(zk, path, data));
    }
  }

  // ---- ZooKeeper → this broker ----

  /**
   * Reads /brokers/topics (re-arming the child watch). 'full' (start-up, new session, controller
   * change) applies every topic and publishes the ones only this broker has; 'changes' (the child
   * watch) applies new topics and drops local ones whose znode was removed, since known topics
   * follow their own data watches.
   */
  async syncAll(mode: 'full' | 'changes'): Promise<void> {
    const { children } = await this.session.retry((zk) => zk.getChildren(ZkPaths.brokerTopics, this.onTopicsChanged));
    const inZk = new Set(children);
    for (const name of children.sort()) {
      if (mode === 'full' || !this.state.metadata.get(name)) await this.syncTopic(name);
    }
    for (const t of this.state.metadata.all()) {
      if (inZk.has(t.name)) continue;
      if (mode === 'full') {
        this.log.info(`Registering topic ${t.name}, found in the log dirs, in ZooKeeper`);
        await this.publishTopic(t.name);
      } else if (!this.unpublished.has(t.name)) {
        this.log.info(`Topic ${t.name} was removed from ZooKeeper; deleting its log`);
        this.deleteLocal(t.name);
      }
    }
    if (this.controller.active) await this.processDeletions();
  }

  /** Applies one topic's znodes here, and as controller completes them (topic id, partition states). */
  async syncTopic(name: string): Promise<void> {
    let assignment: TopicAssignment;
    let version: number;
    try {
      const { data, stat } = await this.session.retry((zk) => zk.getData(topicPath(name), this.onTopicChanged));
      assignment = decodeTopicAssignment(name, data);
      version = stat.version;
    } catch (err) {
      if (isCode(err, Err.NONODE)) return;
      if (isCode(err, Err.SESSIONEXPIRED)) throw err; // the new session's full sync reads it again
      this.log.error(`Could not read the assignment of topic ${name}`, err);
      return;
    }
    const count = assignment.partitions.size;
    if (count === 0) return;
    const configs = await this.readTopicConfig(name);
    let local = this.state.metadata.get(name);
    this.applying = true;
    try {
      if (!local) {
        const id = assignment.topicId ? base64ToUuid(assignment.topicId) : undefined;
        local = this.state.partitions.createTopic(name, count, configs, id);
      } else {
        if (count > local.partitions) this.state.partitions.addPartitions(name, count);
        if (!sameConfigs(local.configs, configs)) this.state.partitions.setTopicConfigs(name, configs);
        if (assignment.topicId && assignment.topicId !== uuidToBase64(local.id)) {
          this.log.warn(`Topic ${name} has topic id ${assignment.topicId} in ZooKeeper but ${uuidToBase64(local.id)} in the log dirs; keeping the log dirs' id`);
        }
      }
    } finally {
      this.applying = false;
    }
    if (!this.controller.active) return;
    if (!assignment.topicId) {
      // KafkaController.processTopicIds: the controller adds the id to a znode written without one.
      const data = encodeTopicAssignment({ ...assignment, topicId: uuidToBase64(local.id) });
      await this.controller.fenced([{ type: OpCode.setData, request: { path: topicPath(name), data, version } }]).catch((err: unknown) => {
        if (!isCode(err, Err.BADVERSION)) throw err; // changed meanwhile: its data watch brings us back
      });
    }
    await this.ensurePartitionStates(name, count);
  }

  /** The controller brings new partitions online: leader this broker, ISR [this broker], leader epoch 0. */
  private async ensurePartitionStates(name: string, count: number): Promise<void> {
    // Pipelined: a topic such as __consumer_offsets has 50 partitions.
    const present = await Promise.all(Array.from({ length: count }, (_, p) => this.session.retry((zk) => zk.exists(partitionStatePath(name, p)))));
    const missing = present.flatMap((stat, p) => (stat === null ? [p] : []));
    if (missing.length === 0) return;
    await this.controller.createIfMissing(topicPartitionsPath(name), null);
    for (const p of missing) {
      await this.controller.createIfMissing(topicPartitionPath(name, p), null);
      const state = encodePartitionState({ controllerEpoch: this.controller.epoch, leader: this.state.nodeId, leaderEpoch: 0, isr: [this.state.nodeId] });
      await this.controller.createIfMissing(partitionStatePath(name, p), state);
    }
  }

  private async readTopicConfig(name: string): Promise<Map<string, string>> {
    try {
      const { data } = await this.session.retry((zk) => zk.getData(topicConfigPath(name)));
      return decodeEntityConfig(data, topicConfigPath(name));
    } catch (err) {
      if (isCode(err, Err.NONODE)) return new Map();
      throw err;
    }
  }

  // ---- deletion (controller) ----

  /** TopicDeletionManager, for one broker: delete the log, then the topic's znodes, then the marker. */
  async processDeletions(): Promise<void> {
    if (!this.controller.active) return;
    const { children } = await this.session.retry((zk) => zk.getChildren(ZkPaths.deleteTopics, this.onDeletionsChanged));
    for (const name of children.sort()) {
      const exists = (await this.session.retry((zk) => zk.exists(topicPath(name)))) !== null;
      if (exists && !this.state.config.deleteTopicEnable) {
        this.log.info(`[Controller id=${this.state.nodeId}] Removing ${name} from the admin/delete_topics path since delete topic is disabled`);
      } else if (exists) {
        this.log.info(`[Topic Deletion Manager ${this.state.nodeId}] Handling deletion for topics ${name}`);
        await this.controller.fenced([]).catch(() => undefined); // still the controller? (a stale one must not delete)
        if (!this.controller.active) return;
        this.deleteLocal(name);
        await this.session.retry((zk) => deleteRecursive(zk, topicPath(name)));
        await this.session.retry((zk) => deleteRecursive(zk, topicConfigPath(name)));
        this.log.info(`[Topic Deletion Manager ${this.state.nodeId}] Deletion of topic ${name} successfully completed`);
      }
      await this.session.retry((zk) => zk.delete(deleteTopicPath(name), -1)).catch((err: unknown) => {
        if (!isCode(err, Err.NONODE)) throw err;
      });
    }
  }

  private deleteLocal(name: string): void {
    this.unpublished.delete(name);
    if (!this.state.metadata.get(name)) return;
    this.state.partitions.deleteTopic(name);
    const deleted = new Set([name]);
    for (const notify of this.state.onTopicsDeleted) notify(deleted);
  }

  // ---- config changes ----

  /**
   * DynamicConfigManager: each new config_change_N notification names an entity whose config is
   * reloaded; topic configs are applied to the topic here. Old notifications are purged.
   */
  async processConfigChanges(): Promise<void> {
    const { children } = await this.session.retry((zk) => zk.getChildren(ZkPaths.configChanges, this.onConfigChanges));
    const seq = (n: string): number => Number(n.slice(n.lastIndexOf('_') + 1));
    const now = Date.now();
    for (const child of children.filter((c) => c.startsWith('config_change_')).sort((a, b) => seq(a) - seq(b))) {
      const path = `${ZkPaths.configChanges}/${child}`;
      let got;
      try {
        got = await this.session.retry((zk) => zk.getData(path));
      } catch (err) {
        if (isCode(err, Err.NONODE)) continue;
        throw err;
      }
      if (seq(child) > this.lastConfigChange) {
        this.lastConfigChange = seq(child);
        try {
          const change = decodeConfigChange(got.data, path);
          if (change.entityType === ConfigType.topic) await this.reloadTopicConfig(change.entityName);
          else this.log.debug(`Ignoring a ${change.entityType} config change for ${change.entityName}`);
        } catch (err) {
          this.log.warn(`Skipping config change ${path}: ${(err as Error).message}`);
        }
      }
      if (now - Number(got.stat.ctime) > CONFIG_CHANGE_EXPIRATION_MS) {
        await this.session.retry((zk) => zk.delete(path, -1)).catch(() => undefined);
      }
    }
  }

  private async reloadTopicConfig(name: string): Promise<void> {
    if (!this.state.metadata.get(name)) return;
    const configs = await this.readTopicConfig(name);
    this.log.info(`Processing override for entityPath: topics/${name} with config: ${JSON.stringify(Object.fromEntries(configs))}`);
    this.state.partitions.setTopicConfigs(name, configs);
  }
}

function sameConfigs(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
