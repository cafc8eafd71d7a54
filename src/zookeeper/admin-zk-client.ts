// What Kafka 2.8's KafkaZkClient and AdminZkClient do for `kafka-topics --zookeeper`, over our
// ZooKeeper client: read brokers, topics, assignments, partition states and topic configs, and
// write a new topic (config first, then the assignment), added partitions, config changes (with
// their change notification) and deletion markers. The controller does the rest.
import { Err, KeeperError } from './protocol/keeper-errors.js';
import { CreateMode } from './protocol/constants.js';
import { parentOf } from './protocol/paths.js';
import type { ZkClient } from './client/zk-client.js';
import {
  CONFIG_CHANGE_PREFIX, ConfigType, ZkPaths, decodeBrokerRegistration, decodeEntityConfig, decodePartitionState, decodeTopicAssignment,
  deleteTopicPath, encodeConfigChange, encodeEntityConfig, encodeTopicAssignment, partitionStatePath, topicConfigPath, topicPath,
  type PartitionState, type TopicAssignment,
} from './kafka-znodes.js';
import { AdminError, type BrokerMetadata } from './replica-assignment.js';

const errors = 'org.apache.kafka.common.errors.';
const isCode = (e: unknown, code: number): boolean => e instanceof KeeperError && e.code === code;

/** Topic.validate (Kafka 2.8's wording). */
export function validateTopicName(topic: string): void {
  const invalid = (m: string): AdminError => new AdminError(`${errors}InvalidTopicException`, m);
  if (topic === '') throw invalid("Topic name is illegal, it can't be empty");
  if (topic === '.' || topic === '..') throw invalid('Topic name cannot be "." or ".."');
  if (topic.length > 249) throw invalid(`Topic name is illegal, it can't be longer than 249 characters, topic name: ${topic}`);
  if (!/^[a-zA-Z0-9._-]+$/.test(topic)) throw invalid(`Topic name "${topic}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`);
}

export const hasCollisionChars = (topic: string): boolean => /[._]/.test(topic);
const collides = (a: string, b: string): boolean => a.replace(/\./g, '_') === b.replace(/\./g, '_');

export class AdminZkClient {
  constructor(readonly zk: ZkClient) {}

  /** getChildren /brokers/topics (none when the cluster never started). */
  async allTopics(): Promise<string[]> {
    return this.children(ZkPaths.brokerTopics);
  }

  async isMarkedForDeletion(topic: string): Promise<boolean> {
    return (await this.zk.exists(deleteTopicPath(topic))) !== null;
  }

  async topicExists(topic: string): Promise<boolean> {
    return (await this.zk.exists(topicPath(topic))) !== null;
  }

  /** The registered brokers sorted by id (getAllBrokersInCluster); one that leaves meanwhile is skipped. */
  async brokers(): Promise<{ id: number; rack?: string }[]> {
    const out: { id: number; rack?: string }[] = [];
    for (const name of await this.children(ZkPaths.brokerIds)) {
      const id = Number(name);
      const node = await this.data(`${ZkPaths.brokerIds}/${name}`);
      if (node === undefined || !Number.isInteger(id)) continue;
      const reg = decodeBrokerRegistration(id, node);
      out.push(reg.rack === undefined ? { id } : { id, rack: reg.rack });
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /**
   * AdminZkClient.getBrokerMetadatas: racks are used only when every broker has one; with some
   * racks missing, rack-aware mode fails (unless disabled).
   */
  async brokerMetadatas(rackAware: boolean): Promise<BrokerMetadata[]> {
    const brokers = await this.brokers();
    const withRack = brokers.filter((b) => b.rack !== undefined).length;
    if (rackAware && withRack > 0 && withRack < brokers.length) {
      throw new AdminError('kafka.admin.AdminOperationException', 'Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.');
    }
    return rackAware ? brokers : brokers.map((b) => ({ id: b.id }));
  }

  async assignment(topic: string): Promise<TopicAssignment | undefined> {
    const data = await this.data(topicPath(topic));
    return data === undefined ? undefined : decodeTopicAssignment(topic, data);
  }

  async partitionState(topic: string, partition: number): Promise<PartitionState | undefined> {
    const data = await this.data(partitionStatePath(topic, partition));
    return data === undefined || data === null ? undefined : decodePartitionState(data, partitionStatePath(topic, partition));
  }

  /** The topic's overrides in the order of its znode (none when it has no config node). */
  async topicConfig(topic: string): Promise<Map<string, string>> {
    const data = await this.data(topicConfigPath(topic));
    return data === undefined ? new Map() : decodeEntityConfig(data, topicConfigPath(topic));
  }

  /** AdminZkClient.validateTopicCreate, then the config node, then the assignment node. */
  async createTopic(topic: string, configs: ReadonlyMap<string, string>, assignment: ReadonlyMap<number, number[]>): Promise<void> {
    validateTopicName(topic);
    if (await this.isMarkedForDeletion(topic)) throw new AdminError(`${errors}TopicExistsException`, `Topic '${topic}' is marked for deletion.`);
    if (await this.topicExists(topic)) throw new AdminError(`${errors}TopicExistsException`, `Topic '${topic}' already exists.`);
    if (hasCollisionChars(topic)) {
      const all = await this.allTopics();
      if (all.includes(topic)) throw new AdminError(`${errors}TopicExistsException`, `Topic '${topic}' already exists.`);
      const colliding = all.filter((t) => collides(topic, t));
      if (colliding.length > 0) throw new AdminError(`${errors}InvalidTopicException`, `Topic '${topic}' collides with existing topics: ${colliding.join(', ')}`);
    }
    const sizes = new Set([...assignment.values()].map((r) => r.length));
    if (sizes.size !== 1) throw new AdminError(`${errors}InvalidReplicaAssignmentException`, 'All partitions should have the same number of replicas');
    await this.setOrCreate(topicConfigPath(topic), encodeEntityConfig(configs));
    try {
      await this.createRecursive(topicPath(topic), encodeTopicAssignment({ partitions: new Map(assignment) }));
    } catch (e) {
      if (isCode(e, Err.NODEEXISTS)) throw new AdminError(`${errors}TopicExistsException`, `Topic '${topic}' already exists.`);
      throw e;
    }
  }

  /** Rewrites the assignment with the new partitions, keeping the topic id (setTopicAssignment). */
  async writeAssignment(topic: string, current: TopicAssignment, partitions: ReadonlyMap<number, number[]>): Promise<void> {
    await this.zk.setData(topicPath(topic), encodeTopicAssignment({ partitions: new Map(partitions), topicId: current.topicId }));
  }

  /** AdminZkClient.changeTopicConfig: the entity node, then a change notification for the brokers. */
  async changeTopicConfig(topic: string, configs: ReadonlyMap<string, string>): Promise<void> {
    await this.setOrCreate(topicConfigPath(topic), encodeEntityConfig(configs));
    await this.createRecursive(CONFIG_CHANGE_PREFIX, encodeConfigChange(`${ConfigType.topic}/${topic}`), CreateMode.PERSISTENT_SEQUENTIAL);
  }

  /** createDeleteTopicPath: NODEEXISTS propagates (the topic is already marked). */
  async markForDeletion(topic: string): Promise<void> {
    await this.createRecursive(deleteTopicPath(topic), null);
  }

  private async children(path: string): Promise<string[]> {
    try {
      return (await this.zk.getChildren(path)).children;
    } catch (e) {
      if (isCode(e, Err.NONODE)) return [];
      throw e;
    }
  }

  /** The node's data (null for a node without data), or undefined when there is no node. */
  private async data(path: string): Promise<Buffer | null | undefined> {
    try {
      return (await this.zk.getData(path)).data;
    } catch (e) {
      if (isCode(e, Err.NONODE)) return undefined;
      throw e;
    }
  }

  /** setData with any version; NONODE ⇒ create it (and its parents). */
  private async setOrCreate(path: string, data: Buffer): Promise<void> {
    try {
      await this.zk.setData(path, data, -1);
    } catch (e) {
      if (!isCode(e, Err.NONODE)) throw e;
      await this.createRecursive(path, data);
    }
  }

  /** KafkaZkClient.createRecursive: missing parents get null data; a parent created meanwhile is fine. */
  private async createRecursive(path: string, data: Buffer | null, mode: number = CreateMode.PERSISTENT): Promise<string> {
    try {
      return await this.zk.create(path, data, { mode });
    } catch (e) {
      if (!isCode(e, Err.NONODE)) throw e;
      await this.createParents(parentOf(path));
      return this.zk.create(path, data, { mode });
    }
  }

  private async createParents(path: string): Promise<void> {
    if (path === '/') return;
    try {
      await this.zk.create(path, null);
    } catch (e) {
      if (isCode(e, Err.NODEEXISTS)) return;
      if (!isCode(e, Err.NONODE)) throw e;
      await this.createParents(parentOf(path));
      await this.createParents(path);
    }
  }
}
