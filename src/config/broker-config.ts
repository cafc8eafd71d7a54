// The bundled broker's configuration: Kafka's key names and defaults, read from a Java
// .properties file plus `--override key=value`. One deliberate difference from Kafka: the default
// listener is PLAINTEXT://127.0.0.1:9092, so a broker started without a config is not reachable
// from other machines.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPropertiesFile, type Properties } from './properties.js';

type Kind = 'string' | 'int' | 'long' | 'bool' | 'list';

interface KeyDef {
  kind: Kind;
  default: string | null;
}

/** Every key the broker understands, with Kafka's default. Keys Kafka knows but we ignore are listed as accepted. */
export const BROKER_KEYS: Readonly<Record<string, KeyDef>> = {
  'node.id': { kind: 'int', default: null },
  'broker.id': { kind: 'int', default: null },
  'process.roles': { kind: 'list', default: 'broker,controller' },
  listeners: { kind: 'list', default: 'PLAINTEXT://127.0.0.1:9092' },
  'advertised.listeners': { kind: 'list', default: null },
  'listener.security.protocol.map': { kind: 'list', default: 'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT' },
  'inter.broker.listener.name': { kind: 'string', default: null },
  'controller.listener.names': { kind: 'list', default: null },
  'controller.quorum.voters': { kind: 'list', default: null },
  'controller.quorum.bootstrap.servers': { kind: 'list', default: null },
  'log.dirs': { kind: 'list', default: null },
  'log.dir': { kind: 'string', default: join(tmpdir(), 'kafka-logs') },
  'num.partitions': { kind: 'int', default: '1' },
  'default.replication.factor': { kind: 'int', default: '1' },
  'auto.create.topics.enable': { kind: 'bool', default: 'true' },
  'delete.topic.enable': { kind: 'bool', default: 'true' },
  'socket.request.max.bytes': { kind: 'int', default: '104857600' },
  'socket.send.buffer.bytes': { kind: 'int', default: '102400' },
  'socket.receive.buffer.bytes': { kind: 'int', default: '102400' },
  'message.max.bytes': { kind: 'int', default: '1048588' },
  'log.segment.bytes': { kind: 'int', default: '1073741824' },
  'log.roll.ms': { kind: 'long', default: null },
  'log.roll.hours': { kind: 'int', default: '168' },
  'log.index.interval.bytes': { kind: 'int', default: '4096' },
  'log.index.size.max.bytes': { kind: 'int', default: '10485760' },
  'log.message.timestamp.type': { kind: 'string', default: 'CreateTime' },
  'log.flush.interval.messages': { kind: 'long', default: null },
  'log.flush.interval.ms': { kind: 'long', default: null },
  'log.flush.scheduler.interval.ms': { kind: 'long', default: null },
  'log.retention.ms': { kind: 'long', default: null },
  'log.retention.minutes': { kind: 'int', default: null },
  'log.retention.hours': { kind: 'int', default: '168' },
  'log.retention.bytes': { kind: 'long', default: '-1' },
  'log.retention.check.interval.ms': { kind: 'long', default: '300000' },
  'log.cleanup.policy': { kind: 'list', default: 'delete' },
  'producer.id.expiration.ms': { kind: 'int', default: '86400000' },
  'producer.id.expiration.check.interval.ms': { kind: 'int', default: '600000' },
  'offsets.topic.num.partitions': { kind: 'int', default: '50' },
  'offsets.topic.replication.factor': { kind: 'int', default: '3' },
  'transaction.state.log.replication.factor': { kind: 'int', default: '3' },
  'transaction.state.log.min.isr': { kind: 'int', default: '2' },
  'group.initial.rebalance.delay.ms': { kind: 'int', default: '3000' },
  'group.min.session.timeout.ms': { kind: 'int', default: '6000' },
  'group.max.session.timeout.ms': { kind: 'int', default: '1800000' },
  'group.max.size': { kind: 'int', default: '2147483647' },
  'offsets.topic.segment.bytes': { kind: 'int', default: '104857600' },
  'offsets.topic.compression.codec': { kind: 'int', default: '0' },
  'offsets.load.buffer.size': { kind: 'int', default: '5242880' },
  'offsets.commit.timeout.ms': { kind: 'int', default: '5000' },
  'offsets.retention.minutes': { kind: 'int', default: '10080' },
  'offsets.retention.check.interval.ms': { kind: 'long', default: '600000' },
  'offset.metadata.max.bytes': { kind: 'int', default: '4096' },
  'num.network.threads': { kind: 'int', default: '3' },
  'num.io.threads': { kind: 'int', default: '8' },
  'num.recovery.threads.per.data.dir': { kind: 'int', default: '1' },
  'zookeeper.connect': { kind: 'string', default: null },
  'zookeeper.connection.timeout.ms': { kind: 'int', default: null },
  'zookeeper.session.timeout.ms': { kind: 'int', default: '18000' },
  'zookeeper.max.in.flight.requests': { kind: 'int', default: '10' },
  'zookeeper.set.acl': { kind: 'bool', default: 'false' },
  'share.coordinator.state.topic.replication.factor': { kind: 'int', default: '3' },
  'share.coordinator.state.topic.min.isr': { kind: 'int', default: '2' },
  'min.insync.replicas': { kind: 'int', default: '1' },
  'unclean.leader.election.enable': { kind: 'bool', default: 'false' },
  'compression.type': { kind: 'string', default: 'producer' },
};

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
const SECURITY_PROTOCOLS: readonly string[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];

export interface Listener {
  name: string;
  host: string;
  port: number;
  /** From listener.security.protocol.map (set by brokerConfigFrom; PLAINTEXT until then). */
  securityProtocol: SecurityProtocol;
}

export interface BrokerConfig {
  nodeId: number;
  listeners: Listener[];
  advertisedListeners: Listener[];
  logDirs: string[];
  numPartitions: number;
  defaultReplicationFactor: number;
  autoCreateTopics: boolean;
  deleteTopicEnable: boolean;
  socketRequestMaxBytes: number;
  /** Every key as given (file < overrides), for DescribeConfigs and topic-config defaults. */
  props: Properties;
  /** Keys from the file or overrides that the broker does not know. */
  unknownKeys: string[];
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_ERROR';
}

/** The effective string value of a key: given, else Kafka's default (or undefined). */
export function brokerValue(props: Properties, key: string): string | undefined {
  return props.get(key) ?? BROKER_KEYS[key]?.default ?? undefined;
}

function intValue(props: Properties, key: string): number {
  const raw = brokerValue(props, key);
  const n = raw === undefined ? NaN : Number(raw.trim());
  if (!Number.isSafeInteger(n)) throw new ConfigError(`Invalid value ${raw} for configuration ${key}: Not a number of type INT`);
  return n;
}

function boolValue(props: Properties, key: string): boolean {
  const raw = (brokerValue(props, key) ?? '').trim().toLowerCase();
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(`Invalid value ${raw} for configuration ${key}: Expected value to be either true or false`);
  return raw === 'true';
}

function listValue(props: Properties, key: string): string[] {
  const raw = brokerValue(props, key);
  if (raw === undefined) return [];
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** `NAME://host:port`; an empty host means every interface, as in Kafka. */
export function parseListener(spec: string): Listener {
  const m = /^([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:]*):(\d+)$/.exec(spec.trim());
  if (!m) throw new ConfigError(`Unable to parse ${spec} to a broker endpoint`);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigError(`Invalid port in listener ${spec}`);
  return { name: m[1]!.toUpperCase(), host: m[2]!.replace(/^\[|\]$/g, ''), port, securityProtocol: 'PLAINTEXT' };
}

/** listener.security.protocol.map: listener name → security protocol. */
export function securityProtocolMap(props: Properties): Map<string, SecurityProtocol> {
  const map = new Map<string, SecurityProtocol>();
  for (const entry of listValue(props, 'listener.security.protocol.map')) {
    const [name, protocol] = entry.split(':').map((x) => x.trim().toUpperCase());
    if (!name || !protocol || !SECURITY_PROTOCOLS.includes(protocol)) throw new ConfigError(`Invalid value ${entry} in listener.security.protocol.map: expected NAME:PROTOCOL, PROTOCOL one of ${SECURITY_PROTOCOLS.join(', ')}`);
    map.set(name, protocol as SecurityProtocol);
  }
  return map;
}

function withProtocol(l: Listener, map: ReadonlyMap<string, SecurityProtocol>): Listener {
  const securityProtocol = map.get(l.name);
  if (securityProtocol === undefined) throw new ConfigError(`No security protocol defined for listener ${l.name}`);
  return { ...l, securityProtocol };
}

export function brokerConfigFrom(props: Properties): BrokerConfig {
  const unknownKeys = [...props.keys()].filter((k) => !(k in BROKER_KEYS) && !k.startsWith('log.') && !k.startsWith('listener.name.') && !k.includes('.listener.') && !k.startsWith('ssl.') && !k.startsWith('sasl.'));
  const nodeIdRaw = props.get('node.id') ?? props.get('broker.id') ?? '0';
  const nodeId = Number(nodeIdRaw.trim());
  if (!Number.isInteger(nodeId) || nodeId < 0) throw new ConfigError(`Invalid value ${nodeIdRaw} for configuration node.id`);

  // Controller listeners belong to KRaft's quorum, which the combined single node does not need.
  const controllerNames = new Set(listValue(props, 'controller.listener.names').map((n) => n.toUpperCase()));
  const protocols = securityProtocolMap(props);
  const listeners = listValue(props, 'listeners').map(parseListener).filter((l) => !controllerNames.has(l.name)).map((l) => withProtocol(l, protocols));
  if (listeners.length === 0) throw new ConfigError('listeners must contain at least one client listener');
  const names = new Set<string>();
  for (const l of listeners) {
    if (names.has(l.name)) throw new ConfigError(`Each listener must have a different name, listeners: ${brokerValue(props, 'listeners')}`);
    names.add(l.name);
  }
  const advertised = listValue(props, 'advertised.listeners').map(parseListener).filter((l) => !controllerNames.has(l.name)).map((l) => withProtocol(l, protocols));

  const logDirs = listValue(props, 'log.dirs');
  return {
    nodeId,
    listeners,
    advertisedListeners: advertised.length > 0 ? advertised : listeners,
    logDirs: logDirs.length > 0 ? logDirs : [brokerValue(props, 'log.dir')!],
    numPartitions: intValue(props, 'num.partitions'),
    defaultReplicationFactor: intValue(props, 'default.replication.factor'),
    autoCreateTopics: boolValue(props, 'auto.create.topics.enable'),
    deleteTopicEnable: boolValue(props, 'delete.topic.enable'),
    socketRequestMaxBytes: intValue(props, 'socket.request.max.bytes'),
    props,
    unknownKeys,
  };
}

/** Reads `file` (if any), applies the overrides on top, and validates. */
export function loadBrokerConfig(file: string | undefined, overrides: Properties): BrokerConfig {
  const props: Properties = new Map();
  if (file !== undefined) {
    let fromFile: Properties;
    try {
      fromFile = readPropertiesFile(file);
    } catch (err) {
      throw new ConfigError(`Unable to read config file ${file}: ${(err as Error).message}`);
    }
    for (const [k, v] of fromFile) props.set(k, v);
  }
  for (const [k, v] of overrides) props.set(k, v);
  return brokerConfigFrom(props);
}
