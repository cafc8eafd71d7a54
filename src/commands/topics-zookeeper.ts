// `kafka-topics --zookeeper` as Kafka 2.8's TopicCommand.ZookeeperTopicService ran it: the tool
// reads and writes the cluster's znodes itself (src/zookeeper/admin-zk-client.ts) and prints what
// 2.8 printed (`- marked for deletion`, `MarkedForDeletion: true`, `Adding partitions succeeded!`,
// the deletion notes). Describe lines share their layout with the admin-client path.
import { KtoolError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { ZERO_UUID } from '../protocol/codec.js';
import { validateTopicConfig } from '../config/topic-config.js';
import { ZkClient, ZkConnectTimeoutError } from '../zookeeper/client/zk-client.js';
import { AdminZkClient, hasCollisionChars } from '../zookeeper/admin-zk-client.js';
import { Err, KeeperError } from '../zookeeper/protocol/keeper-errors.js';
import { AdminError, assignReplicasToBrokers, type BrokerMetadata } from '../zookeeper/replica-assignment.js';
import type { TopicAssignment } from '../zookeeper/kafka-znodes.js';
import { javaClassOf, messageOf } from './shared/client-setup.js';
import type { CliIO } from './shared/io.js';
import { COLLISION_WARNING, describeTopicLines, parseReplicaAssignment, parseTopicConfigs, selectTopics, type TopicsOptions } from './topics.js';

/** Kafka 2.8's internal topics (Topic.isInternal). */
const INTERNAL_2X = new Set(['__consumer_offsets', '__transaction_state']);
const errors = 'org.apache.kafka.common.errors.';
/** TopicCommand's ZooKeeper session and connection timeouts. */
const ZK_TIMEOUT_MS = 30_000;

/** Runs the command against `opts.zookeeper`; failures end as Kafka's did (stdout line + ERROR log, exit 1). */
export async function runZookeeperTopicCommand(opts: TopicsOptions, io: CliIO): Promise<void> {
  const logger = createLogger('kafka.admin.TopicCommand$', io.stderr, 'WARN');
  let zk: ZkClient;
  try {
    zk = await ZkClient.connect({ connectString: opts.zookeeper!, sessionTimeoutMs: ZK_TIMEOUT_MS, connectTimeoutMs: ZK_TIMEOUT_MS });
  } catch (err) {
    // Opening the session happens before TopicCommand's try block: an uncaught exception.
    const cls = err instanceof ZkConnectTimeoutError ? 'kafka.zookeeper.ZooKeeperClientTimeoutException' : 'java.lang.IllegalArgumentException';
    throw new KtoolError('ZK_CONNECT', `Exception in thread "main" ${cls}: ${messageOf(err)}`, { cause: err });
  }
  try {
    await new ZookeeperTopicService(new AdminZkClient(zk), io, logger).run(opts);
  } catch (err) {
    io.stdout.write(`Error while executing topic command : ${messageOf(err)}\n`);
    logger.error(`${zkJavaClassOf(err)}: ${messageOf(err)}`);
    throw new KtoolError('TOPIC_COMMAND_FAILED', messageOf(err), { reported: true, cause: err });
  } finally {
    await zk.close();
  }
}

const KEEPER_CLASSES: Record<number, string> = {
  [Err.NONODE]: 'NoNode', [Err.NODEEXISTS]: 'NodeExists', [Err.NOAUTH]: 'NoAuth', [Err.BADVERSION]: 'BadVersion',
  [Err.CONNECTIONLOSS]: 'ConnectionLoss', [Err.SESSIONEXPIRED]: 'SessionExpired', [Err.NOTEMPTY]: 'NotEmpty',
};

function zkJavaClassOf(err: unknown): string {
  if (err instanceof KeeperError) return `org.apache.zookeeper.KeeperException$${KEEPER_CLASSES[err.code] ?? 'SystemError'}Exception`;
  return javaClassOf(err);
}

/** UUID text form of a base64url topic id, as TopicInfo carries ids. */
function uuidOf(base64: string | undefined): string {
  if (base64 === undefined) return ZERO_UUID;
  const hex = Buffer.from(base64, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The iteration order of Java's hash maps, which is the order 2.8's tool printed configs in (a
 * HashMap of ConfigEntry by name) and wrote them in (java.util.Properties, a ConcurrentHashMap
 * since Java 9): by hash bucket, then insertion order. They differ only in when the table grows.
 */
export function javaHashOrder<V>(entries: ReadonlyMap<string, V>, kind: 'HashMap' | 'Properties'): Map<string, V> {
  let n = 16;
  while (kind === 'HashMap' ? entries.size > n * 0.75 : entries.size >= n * 0.75) n *= 2;
  const bucket = (k: string): number => {
    let h = 0;
    for (let i = 0; i < k.length; i++) h = (Math.imul(h, 31) + k.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (n - 1);
  };
  const keyed = [...entries].map(([k, v], i) => ({ k, v, b: bucket(k), i }));
  keyed.sort((a, b) => a.b - b.b || a.i - b.i);
  return new Map(keyed.map((e) => [e.k, e.v]));
}

class ZookeeperTopicService {
  constructor(
    private readonly admin: AdminZkClient,
    private readonly io: CliIO,
    private readonly logger: Logger,
  ) {}

  private print(line: string): void {
    this.io.stdout.write(`${line}\n`);
  }

  async run(opts: TopicsOptions): Promise<void> {
    switch (opts.action) {
      case 'create': return this.create(opts);
      case 'list': return this.list(opts);
      case 'describe': return this.describe(opts);
      case 'alter': return this.alter(opts);
      case 'delete': return this.delete(opts);
    }
  }

  private async topics(opts: TopicsOptions): Promise<string[]> {
    const all = selectTopics(await this.admin.allTopics(), opts.topic, false);
    return opts.excludeInternal ? all.filter((t) => !INTERNAL_2X.has(t)) : all;
  }

  /** 2.8's wording: the name as given, no Optional[...]. */
  private ensureTopicExists(found: readonly string[], opts: TopicsOptions): void {
    if (opts.topic !== undefined && !opts.ifExists && found.length === 0) {
      throw new AdminError('java.lang.IllegalArgumentException', `Topic '${opts.topic}' does not exist as expected`);
    }
  }

  /** parseTopicConfigsToBeAdded: names and values checked (LogConfig.validate), Properties order. */
  private configsToAdd(opts: TopicsOptions): Map<string, string> {
    const configs = parseTopicConfigs(opts.configs);
    for (const [k, v] of configs) {
      const problem = validateTopicConfig(k, v);
      if (problem) throw new AdminError('org.apache.kafka.common.config.ConfigException', problem);
    }
    const mfv = configs.get('message.format.version');
    if (mfv !== undefined) {
      this.print(`WARNING: The configuration message.format.version=${mfv} is specified. This configuration will be ignored if the version is newer than the inter.broker.protocol.version specified in the broker.`);
    }
    return javaHashOrder(configs, 'Properties');
  }

  private async create(opts: TopicsOptions): Promise<void> {
    const name = opts.topic!;
    const configs = this.configsToAdd(opts);
    const assignment = opts.replicaAssignment === undefined || opts.replicaAssignment === '' ? undefined : parseReplicaAssignment(opts.replicaAssignment);
    if (hasCollisionChars(name)) this.print(COLLISION_WARNING);
    try {
      let replicas: Map<number, number[]>;
      if (assignment) {
        replicas = new Map(assignment.map((r, p) => [p, r]));
      } else {
        const brokers = await this.admin.brokerMetadatas(!opts.disableRackAware);
        replicas = assignReplicasToBrokers(brokers, opts.partitions!, opts.replicationFactor!);
      }
      await this.admin.createTopic(name, configs, replicas);
    } catch (err) {
      if (opts.ifNotExists && err instanceof AdminError && err.javaClass === `${errors}TopicExistsException`) return;
      throw err;
    }
    this.print(`Created topic ${name}.`);
  }

  private async list(opts: TopicsOptions): Promise<void> {
    for (const topic of await this.topics(opts)) {
      this.print((await this.admin.isMarkedForDeletion(topic)) ? `${topic} - marked for deletion` : topic);
    }
  }

  private async describe(opts: TopicsOptions): Promise<void> {
    const topics = await this.topics(opts);
    this.ensureTopicExists(topics, opts);
    const live = new Set((await this.admin.brokers()).map((b) => b.id));
    const anyReport = opts.underReplicated || opts.unavailable;
    for (const topic of topics) {
      const assignment = await this.admin.assignment(topic);
      if (!assignment || assignment.partitions.size === 0) {
        this.print(`Topic ${topic} doesn't exist!`);
        continue;
      }
      const marked = await this.admin.isMarkedForDeletion(topic);
      // Configs are read only when the topic line can be printed, as 2.8 did.
      const configs = anyReport ? new Map<string, string>() : await this.admin.topicConfig(topic);
      const partitions = [];
      for (const [partition, replicas] of [...assignment.partitions].sort((a, b) => a[0] - b[0])) {
        const state = opts.topicsWithOverrides ? undefined : await this.admin.partitionState(topic, partition);
        const leader = state === undefined || state.leader === -1 ? -1 : state.leader;
        partitions.push({ partition, leader, replicas, isr: state?.isr ?? [] });
      }
      const entries = [...javaHashOrder(configs, 'HashMap')].map(([name, value]) => ({ name, value, isDefault: false }));
      const info = { name: topic, topicId: uuidOf(assignment.topicId), isInternal: INTERNAL_2X.has(topic), partitions };
      this.io.stdout.write(describeTopicLines(info, entries, live, opts, { elr: false, markedForDeletion: marked }));
    }
  }

  private async alter(opts: TopicsOptions): Promise<void> {
    const topics = await this.topics(opts);
    const toAdd = this.configsToAdd(opts);
    const toDelete = opts.deleteConfigs.map((c) => c.trim());
    for (const name of toDelete) {
      const problem = validateTopicConfig(name, '');
      if (problem?.startsWith('Unknown topic config name')) throw new AdminError('org.apache.kafka.common.errors.InvalidConfigurationException', problem);
    }
    const manual = opts.replicaAssignment === undefined || opts.replicaAssignment === '' ? undefined : parseReplicaAssignment(opts.replicaAssignment);
    this.ensureTopicExists(topics, opts);
    for (const topic of topics) {
      if (opts.configs.length > 0 || opts.deleteConfigs.length > 0) {
        this.print('WARNING: Altering topic configuration from this script has been deprecated and may be removed in future releases.');
        this.print('         Going forward, please use kafka-configs.sh for this functionality');
        const configs = await this.admin.topicConfig(topic);
        for (const [k, v] of toAdd) configs.set(k, v);
        for (const k of toDelete) configs.delete(k);
        await this.admin.changeTopicConfig(topic, javaHashOrder(configs, 'Properties'));
        this.print(`Updated config for topic ${topic}.`);
      }
      if (opts.partitions !== undefined) {
        if (INTERNAL_2X.has(topic)) throw new AdminError('java.lang.IllegalArgumentException', `The number of partitions for the internal topic ${topic} cannot be changed.`);
        this.print('WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected');
        const existing = await this.admin.assignment(topic);
        if (!existing || existing.partitions.size === 0) throw new AdminError(`${errors}InvalidTopicException`, `The topic ${topic} does not exist`);
        const brokers = await this.admin.brokerMetadatas(true);
        const added = newPartitions(topic, existing, brokers, opts.partitions, manual?.slice(existing.partitions.size));
        await this.admin.writeAssignment(topic, existing, new Map([...existing.partitions, ...added]));
        this.print('Adding partitions succeeded!');
      }
    }
  }

  private async delete(opts: TopicsOptions): Promise<void> {
    const topics = await this.topics(opts);
    this.ensureTopicExists(topics, opts);
    for (const topic of topics) {
      if (INTERNAL_2X.has(topic)) throw new AdminError('kafka.admin.AdminOperationException', `Topic ${topic} is a kafka internal topic and is not allowed to be marked for deletion.`);
      try {
        await this.admin.markForDeletion(topic);
      } catch (err) {
        if (err instanceof KeeperError && err.code === Err.NODEEXISTS) {
          this.print(`Topic ${topic} is already marked for deletion.`);
          continue;
        }
        this.logger.debug(messageOf(err));
        throw new AdminError('kafka.admin.AdminOperationException', `Error while deleting topic ${topic}`);
      }
      this.print(`Topic ${topic} is marked for deletion.`);
      this.print('Note: This will have no impact if delete.topic.enable is not set to true.');
    }
  }
}

/** AdminZkClient.createNewPartitionsAssignment: checks, then a manual or computed assignment. */
function newPartitions(topic: string, existing: TopicAssignment, brokers: readonly BrokerMetadata[], total: number, manual: number[][] | undefined): Map<number, number[]> {
  const p0 = existing.partitions.get(0);
  if (!p0) throw new AdminError('kafka.admin.AdminOperationException', `Unexpected existing replica assignment for topic '${topic}', partition id 0 is missing.`);
  const current = existing.partitions.size;
  if (total - current <= 0) {
    throw new AdminError(`${errors}InvalidPartitionsException`, `The number of partitions for a topic can only be increased. Topic ${topic} currently has ${current} partitions, ${total} would not be an increase.`);
  }
  if (manual && manual.length > 0) {
    const ids = brokers.map((b) => b.id);
    const out = new Map<number, number[]>();
    manual.forEach((replicas, i) => {
      const p = current + i;
      if (replicas.length === 0) throw new AdminError(`${errors}InvalidReplicaAssignmentException`, `Cannot have replication factor of 0 for partition id ${p}.`);
      if (!replicas.every((b) => ids.includes(b))) {
        throw new AdminError(`${errors}BrokerNotAvailableException`, `Some brokers specified for partition id ${p} are not available. Specified brokers: ${replicas.join(', ')}, available brokers: ${ids.join(', ')}.`);
      }
      out.set(p, replicas);
    });
    const bad = [...out].filter(([, r]) => r.length !== p0.length);
    if (bad.length > 0) {
      throw new AdminError(`${errors}InvalidReplicaAssignmentException`, `Inconsistent replication factor between partitions, partition 0 has ${p0.length} while partitions [${bad.map(([p]) => p).join(', ')}] have replication factors [${bad.map(([, r]) => r.length).join(', ')}], respectively.`);
    }
    return out;
  }
  const start = Math.max(0, brokers.findIndex((b) => b.id >= p0[0]!));
  return assignReplicasToBrokers(brokers, total - current, p0.length, { fixedStartIndex: start, startPartitionId: current });
}
