// The ZooKeeper layout of a Kafka 2.x cluster (Kafka 2.8's ZkData, reference KAFKA-ZNODES.md):
// every path Kafka uses and the JSON it writes there, with encoders that produce Kafka 2.8's key
// order (Scala 2.13 builds) and tolerant decoders that, like Kafka's, look keys up by name and
// ignore the version where Kafka does. Numbers Kafka writes as strings (timestamps, producer id
// blocks, /cluster/id's version) stay strings. Shared by the broker's ZooKeeper mode and
// `topics --zookeeper`; nothing here does I/O.

// ---- paths ----

export const ZkPaths = {
  admin: '/admin',
  deleteTopics: '/admin/delete_topics',
  reassignPartitions: '/admin/reassign_partitions',
  preferredReplicaElection: '/admin/preferred_replica_election',
  brokers: '/brokers',
  brokerIds: '/brokers/ids',
  brokerTopics: '/brokers/topics',
  brokerSequenceId: '/brokers/seqid',
  cluster: '/cluster',
  clusterId: '/cluster/id',
  config: '/config',
  configChanges: '/config/changes',
  consumers: '/consumers',
  controller: '/controller',
  controllerEpoch: '/controller_epoch',
  feature: '/feature',
  isrChangeNotification: '/isr_change_notification',
  latestProducerIdBlock: '/latest_producer_id_block',
  logDirEventNotification: '/log_dir_event_notification',
} as const;

export const brokerIdPath = (id: number): string => `${ZkPaths.brokerIds}/${id}`;
export const topicPath = (topic: string): string => `${ZkPaths.brokerTopics}/${topic}`;
export const topicPartitionsPath = (topic: string): string => `${topicPath(topic)}/partitions`;
export const topicPartitionPath = (topic: string, partition: number): string => `${topicPartitionsPath(topic)}/${partition}`;
export const partitionStatePath = (topic: string, partition: number): string => `${topicPartitionPath(topic, partition)}/state`;
export const deleteTopicPath = (topic: string): string => `${ZkPaths.deleteTopics}/${topic}`;

/** Config entity types under /config (ConfigType). */
export const ConfigType = { topic: 'topics', client: 'clients', user: 'users', broker: 'brokers', ip: 'ips' } as const;
export type ConfigEntityType = (typeof ConfigType)[keyof typeof ConfigType];

export const configTypePath = (type: ConfigEntityType | string): string => `${ZkPaths.config}/${type}`;
/**
 * `/config/<type>/<name>`. The name is used as given: Kafka sanitizes user and client names
 * (sanitize() below) but not topic names or broker ids (the broker default is `<default>`).
 */
export const configEntityPath = (type: ConfigEntityType | string, name: string): string => `${configTypePath(type)}/${name}`;
/** The broker-default entity name under /config/brokers. */
export const DEFAULT_BROKER_ENTITY = '<default>';
export const topicConfigPath = (topic: string): string => configEntityPath(ConfigType.topic, topic);

/** The prefix of a config change notification (created PERSISTENT_SEQUENTIAL). */
export const CONFIG_CHANGE_PREFIX = `${ZkPaths.configChanges}/config_change_`;
export const ISR_CHANGE_PREFIX = `${ZkPaths.isrChangeNotification}/isr_change_`;
export const LOG_DIR_EVENT_PREFIX = `${ZkPaths.logDirEventNotification}/log_dir_event_`;

/**
 * The paths every 2.8 broker creates at start-up (ZkData.PersistentZkPaths), in its order, each
 * with null data and its missing parents. [2.4] has no /config/ips.
 */
export const PERSISTENT_ZK_PATHS: readonly string[] = [
  ZkPaths.consumers,
  ZkPaths.brokerIds,
  ZkPaths.brokerTopics,
  ZkPaths.configChanges,
  ZkPaths.deleteTopics,
  ZkPaths.brokerSequenceId,
  ZkPaths.isrChangeNotification,
  ZkPaths.latestProducerIdBlock,
  ZkPaths.logDirEventNotification,
  configTypePath(ConfigType.topic),
  configTypePath(ConfigType.client),
  configTypePath(ConfigType.user),
  configTypePath(ConfigType.broker),
  configTypePath(ConfigType.ip),
];

/** Kafka's Sanitizer: URL-encoding as Java's URLEncoder does, with `*` and space percent-encoded. */
export function sanitize(name: string): string {
  let out = '';
  for (const ch of name) {
    if (/[A-Za-z0-9._-]/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function desanitize(name: string): string {
  return decodeURIComponent(name);
}

// ---- JSON helpers ----

export class ZnodeFormatError extends Error {
  constructor(path: string, why: string) {
    super(`Invalid znode data at ${path}: ${why}`);
  }
}

type Json = Record<string, unknown>;

function parse(path: string, data: Buffer | null): Json {
  if (data === null || data.length === 0) throw new ZnodeFormatError(path, 'no data');
  let v: unknown;
  try {
    v = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw new ZnodeFormatError(path, (err as Error).message);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ZnodeFormatError(path, 'not a JSON object');
  return v as Json;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

function int(path: string, o: Json, key: string, fallback?: number): number {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ZnodeFormatError(path, `${key} is not an integer`);
  return n;
}

function intArray(path: string, v: unknown, what: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw new ZnodeFormatError(path, `${what} is not a list of integers`);
  return v as number[];
}

// ---- /brokers/ids/<id> ----

export interface BrokerEndpoint {
  listenerName: string;
  host: string;
  port: number;
  securityProtocol: string;
}

export interface BrokerRegistration {
  id: number;
  endpoints: BrokerEndpoint[];
  /** `com.sun.management.jmxremote.port`, or -1. */
  jmxPort: number;
  /** Epoch ms (a string in the JSON). */
  timestamp: string;
  rack?: string;
  /** v5: supported features, `{}` in Kafka 2.8. */
  features?: Record<string, { min_version: number; max_version: number }>;
  /** The registration's version: 5 (IBP ≥ 2.7) or 4. */
  version?: number;
}

function endpointString(e: BrokerEndpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.listenerName}://${host}:${e.port}`;
}

/** Parses `NAME://host:port` (host may be empty or a bracketed IPv6 address). */
export function parseEndpoint(s: string, protocolMap: Record<string, string> = {}): BrokerEndpoint {
  const m = /^([^:]+):\/\/\[?([^\]]*?)\]?:(-?\d+)$/.exec(s);
  if (!m) throw new Error(`Unable to parse ${s} to a broker endpoint`);
  const listenerName = m[1]!;
  return { listenerName, host: m[2]!, port: Number(m[3]), securityProtocol: protocolMap[listenerName] ?? listenerName };
}

/** BrokerIdZNode.encode: v5 by default (Kafka 2.8), v4 as Kafka 2.4 writes it. */
export function encodeBrokerRegistration(b: BrokerRegistration): Buffer {
  const version = b.version ?? 5;
  const plain = b.endpoints.find((e) => e.securityProtocol === 'PLAINTEXT');
  const protocolMap = Object.fromEntries(b.endpoints.map((e) => [e.listenerName, e.securityProtocol]));
  const endpoints = b.endpoints.map(endpointString);
  const host = plain ? plain.host : null;
  const port = plain ? plain.port : -1;
  const rack = b.rack === undefined ? {} : { rack: b.rack };
  if (version >= 5) {
    return json({ features: b.features ?? {}, listener_security_protocol_map: protocolMap, endpoints, ...rack, jmx_port: b.jmxPort, port, host, version, timestamp: b.timestamp });
  }
  return json({ listener_security_protocol_map: protocolMap, endpoints, ...rack, jmx_port: b.jmxPort, host, timestamp: b.timestamp, port, version });
}

export function decodeBrokerRegistration(id: number, data: Buffer | null, path = brokerIdPath(id)): BrokerRegistration {
  const o = parse(path, data);
  const version = int(path, o, 'version');
  const protocolMap = (o['listener_security_protocol_map'] as Record<string, string> | undefined) ?? {};
  let endpoints: BrokerEndpoint[];
  if (Array.isArray(o['endpoints'])) {
    endpoints = (o['endpoints'] as string[]).map((s) => parseEndpoint(s, protocolMap));
  } else {
    // v1: only host and port, implicitly PLAINTEXT.
    endpoints = [{ listenerName: 'PLAINTEXT', host: String(o['host']), port: int(path, o, 'port'), securityProtocol: 'PLAINTEXT' }];
  }
  const reg: BrokerRegistration = { id, endpoints, jmxPort: int(path, o, 'jmx_port', -1), timestamp: String(o['timestamp'] ?? ''), version };
  if (typeof o['rack'] === 'string') reg.rack = o['rack'];
  if (o['features'] && typeof o['features'] === 'object') reg.features = o['features'] as BrokerRegistration['features'];
  return reg;
}

// ---- /brokers/topics/<t> ----

export interface TopicAssignment {
  /** partition → replica broker ids; the first is the preferred leader. */
  partitions: Map<number, number[]>;
  /** Kafka's base64url topic id (22 chars); absent when `kafka-topics --zookeeper` wrote the node. */
  topicId?: string;
  addingReplicas?: Map<number, number[]>;
  removingReplicas?: Map<number, number[]>;
  version?: number;
}

function replicaObject(m: Map<number, number[]> | undefined): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [p, r] of [...(m ?? new Map<number, number[]>())].sort((a, b) => a[0] - b[0])) out[String(p)] = r;
  return out;
}

function replicaMap(path: string, v: unknown, what: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (v === undefined || v === null) return out;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ZnodeFormatError(path, `${what} is not an object`);
  for (const [k, r] of Object.entries(v as Json)) {
    const p = Number(k);
    if (!Number.isInteger(p) || p < 0) throw new ZnodeFormatError(path, `bad partition ${k} in ${what}`);
    out.set(p, intArray(path, r, `${what}.${k}`));
  }
  return out;
}

/** TopicZNode.encode: v3 (2.8; topic_id when known) or v2 as Kafka 2.4 writes it. */
export function encodeTopicAssignment(t: TopicAssignment): Buffer {
  const version = t.version ?? 3;
  const partitions = replicaObject(t.partitions);
  const adding_replicas = replicaObject(t.addingReplicas);
  const removing_replicas = replicaObject(t.removingReplicas);
  if (version >= 3) {
    const id = t.topicId === undefined ? {} : { topic_id: t.topicId };
    return json({ partitions, ...id, adding_replicas, removing_replicas, version });
  }
  return json({ version, partitions, adding_replicas, removing_replicas });
}

export function decodeTopicAssignment(topic: string, data: Buffer | null, path = topicPath(topic)): TopicAssignment {
  const o = parse(path, data);
  const t: TopicAssignment = {
    partitions: replicaMap(path, o['partitions'], 'partitions'),
    addingReplicas: replicaMap(path, o['adding_replicas'], 'adding_replicas'),
    removingReplicas: replicaMap(path, o['removing_replicas'], 'removing_replicas'),
    version: int(path, o, 'version', 1),
  };
  if (typeof o['topic_id'] === 'string') t.topicId = o['topic_id'];
  return t;
}

// ---- /brokers/topics/<t>/partitions/<p>/state ----

export interface PartitionState {
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
}

export function encodePartitionState(s: PartitionState): Buffer {
  return json({ controller_epoch: s.controllerEpoch, leader: s.leader, version: 1, leader_epoch: s.leaderEpoch, isr: s.isr });
}

export function decodePartitionState(data: Buffer | null, path = 'partition state'): PartitionState {
  const o = parse(path, data);
  return { controllerEpoch: int(path, o, 'controller_epoch'), leader: int(path, o, 'leader'), leaderEpoch: int(path, o, 'leader_epoch'), isr: intArray(path, o['isr'], 'isr') };
}

// ---- /cluster/id, /controller, /controller_epoch, /feature ----

export function encodeClusterId(id: string): Buffer {
  return json({ version: '1', id });
}

export function decodeClusterId(data: Buffer | null): string {
  const o = parse(ZkPaths.clusterId, data);
  if (typeof o['id'] !== 'string') throw new ZnodeFormatError(ZkPaths.clusterId, 'no id');
  return o['id'];
}

export interface ControllerInfo {
  brokerId: number;
  /** Epoch ms (a string in the JSON). */
  timestamp: string;
}

export function encodeController(c: ControllerInfo): Buffer {
  return json({ version: 1, brokerid: c.brokerId, timestamp: c.timestamp });
}

export function decodeController(data: Buffer | null): ControllerInfo {
  // Very old controllers wrote the bare broker id.
  const text = data?.toString('utf8').trim() ?? '';
  if (/^-?\d+$/.test(text)) return { brokerId: Number(text), timestamp: '' };
  const o = parse(ZkPaths.controller, data);
  return { brokerId: int(ZkPaths.controller, o, 'brokerid'), timestamp: String(o['timestamp'] ?? '') };
}

/** /controller_epoch is plain decimal text, not JSON. */
export function encodeControllerEpoch(epoch: number): Buffer {
  return Buffer.from(String(epoch), 'utf8');
}

export function decodeControllerEpoch(data: Buffer | null): number {
  const n = Number(data?.toString('utf8').trim());
  if (!Number.isInteger(n)) throw new ZnodeFormatError(ZkPaths.controllerEpoch, 'not an integer');
  return n;
}

export interface FeatureZNode {
  features: Record<string, { min_version_level: number; max_version_level: number }>;
  /** 1 enabled, 0 disabled. */
  status: number;
}

export function encodeFeature(f: FeatureZNode): Buffer {
  return json({ features: f.features, version: 1, status: f.status });
}

export function decodeFeature(data: Buffer | null): FeatureZNode {
  const o = parse(ZkPaths.feature, data);
  return { features: (o['features'] as FeatureZNode['features'] | undefined) ?? {}, status: int(ZkPaths.feature, o, 'status') };
}

// ---- /config ----

/** `{"version":1,"config":{...}}`, every value a string; used for every config entity. */
export function encodeEntityConfig(config: ReadonlyMap<string, string> | Record<string, string>): Buffer {
  const entries = config instanceof Map ? Object.fromEntries(config) : config;
  return json({ version: 1, config: entries });
}

export function decodeEntityConfig(data: Buffer | null, path = 'config entity'): Map<string, string> {
  if (data === null || data.length === 0) return new Map();
  const o = parse(path, data);
  const config = (o['config'] ?? {}) as Json;
  return new Map(Object.entries(config).map(([k, v]) => [k, String(v)]));
}

/** A config change notification: `{"version":2,"entity_path":"topics/<t>"}`. */
export function encodeConfigChange(entityPath: string): Buffer {
  return json({ version: 2, entity_path: entityPath });
}

/** The changed entity (type and sanitized name). Version 1 notifications name them separately. */
export function decodeConfigChange(data: Buffer | null, path: string = ZkPaths.configChanges): { entityType: string; entityName: string } {
  const o = parse(path, data);
  const version = int(path, o, 'version');
  if (version === 1) return { entityType: String(o['entity_type']), entityName: String(o['entity_name']) };
  const entityPath = String(o['entity_path'] ?? '');
  const slash = entityPath.indexOf('/');
  if (slash <= 0) throw new ZnodeFormatError(path, `bad entity_path ${entityPath}`);
  return { entityType: entityPath.slice(0, slash), entityName: entityPath.slice(slash + 1) };
}

// ---- /admin ----

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export function encodeReassignment(parts: (TopicPartitionRef & { replicas: number[] })[]): Buffer {
  return json({ version: 1, partitions: parts.map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas })) });
}

export function decodeReassignment(data: Buffer | null): (TopicPartitionRef & { replicas: number[] })[] {
  const o = parse(ZkPaths.reassignPartitions, data);
  return ((o['partitions'] ?? []) as Json[]).map((p) => ({ topic: String(p['topic']), partition: Number(p['partition']), replicas: intArray(ZkPaths.reassignPartitions, p['replicas'], 'replicas') }));
}

/** /admin/preferred_replica_election and /isr_change_notification/isr_change_N share this shape. */
export function encodePartitionList(parts: TopicPartitionRef[]): Buffer {
  return json({ version: 1, partitions: parts.map((p) => ({ topic: p.topic, partition: p.partition })) });
}

export function decodePartitionList(data: Buffer | null, path: string = ZkPaths.preferredReplicaElection): TopicPartitionRef[] {
  const o = parse(path, data);
  return ((o['partitions'] ?? []) as Json[]).map((p) => ({ topic: String(p['topic']), partition: Number(p['partition']) }));
}

// ---- notifications and sequences ----

/** log_dir_event_N: event 1 = a log dir failed. */
export function encodeLogDirEvent(brokerId: number, event = 1): Buffer {
  return json({ version: 1, broker: brokerId, event });
}

export function decodeLogDirEvent(data: Buffer | null): { brokerId: number; event: number } {
  const o = parse(ZkPaths.logDirEventNotification, data);
  return { brokerId: int(ZkPaths.logDirEventNotification, o, 'broker'), event: int(ZkPaths.logDirEventNotification, o, 'event') };
}

export interface ProducerIdBlock {
  brokerId: number;
  /** Inclusive bounds, as strings in the JSON because they are longs. */
  blockStart: bigint;
  blockEnd: bigint;
}

/** Kafka 2.x hands out producer ids 1000 at a time (ProducerIdManager.PidBlockSize). */
export const PRODUCER_ID_BLOCK_SIZE = 1000n;

export function encodeProducerIdBlock(b: ProducerIdBlock): Buffer {
  return json({ version: 1, broker: b.brokerId, block_start: String(b.blockStart), block_end: String(b.blockEnd) });
}

export function decodeProducerIdBlock(data: Buffer | null): ProducerIdBlock {
  const path = ZkPaths.latestProducerIdBlock;
  const o = parse(path, data);
  return { brokerId: int(path, o, 'broker'), blockStart: BigInt(String(o['block_start'])), blockEnd: BigInt(String(o['block_end'])) };
}

/** The block after `previous` (or the first one, 0–999, when the node has no data yet). */
export function nextProducerIdBlock(brokerId: number, previous: ProducerIdBlock | undefined): ProducerIdBlock {
  const start = previous ? previous.blockEnd + 1n : 0n;
  return { brokerId, blockStart: start, blockEnd: start + PRODUCER_ID_BLOCK_SIZE - 1n };
}

/** A broker id generated from /brokers/seqid: its Stat.version plus reserved.broker.max.id. */
export function generatedBrokerId(seqidVersion: number, reservedBrokerMaxId = 1000): number {
  return seqidVersion + reservedBrokerMaxId;
}
