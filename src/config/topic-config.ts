// Topic-level configs: Kafka's names, types, the broker keys each one falls back to, and Kafka's
// default. The effective value of a topic config is the topic's override, else the broker's
// setting of its synonym (dynamic per-broker, dynamic cluster default, static), else the default;
// DescribeConfigs reports which it came from, and its synonyms list follows Kafka's ConfigHelper
// (see configSynonyms in broker-config-layers.ts).
import { brokerSynonyms, configSynonyms, type BrokerConfigLayers, type ConfigSource } from './broker-config-layers.js';
import { validateConfigValue, type ConfigType } from './config-types.js';
import type { Properties } from './properties.js';

export { CONFIG_SOURCE_CODE, type ConfigSource } from './broker-config-layers.js';

interface TopicKey {
  type: ConfigType;
  /** Broker keys that set the default for every topic, most specific first. */
  synonyms: ReadonlyArray<{ key: string; scale?: number }>;
  default: string;
  /** `Value must be at least N` / `no more than N`. */
  min?: number;
  max?: number;
  /** Allowed values (case-sensitive, as Kafka's ValidString / ValidList). */
  oneOf?: readonly string[];
}

const MAX_LONG = '9223372036854775807';

export const TOPIC_CONFIGS: Readonly<Record<string, TopicKey>> = {
  'cleanup.policy': { type: 'list', synonyms: [{ key: 'log.cleanup.policy' }], default: 'delete', oneOf: ['compact', 'delete'] },
  'compression.type': { type: 'string', synonyms: [{ key: 'compression.type' }], default: 'producer', oneOf: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] },
  'compression.gzip.level': { type: 'int', synonyms: [{ key: 'compression.gzip.level' }], default: '-1' },
  'compression.lz4.level': { type: 'int', synonyms: [{ key: 'compression.lz4.level' }], default: '9', min: 1, max: 17 },
  'compression.zstd.level': { type: 'int', synonyms: [{ key: 'compression.zstd.level' }], default: '3', min: -131072, max: 22 },
  'delete.retention.ms': { type: 'long', synonyms: [{ key: 'log.cleaner.delete.retention.ms' }], default: '86400000', min: 0 },
  'file.delete.delay.ms': { type: 'long', synonyms: [{ key: 'log.segment.delete.delay.ms' }], default: '60000', min: 0 },
  'flush.messages': { type: 'long', synonyms: [{ key: 'log.flush.interval.messages' }], default: MAX_LONG, min: 1 },
  'flush.ms': { type: 'long', synonyms: [{ key: 'log.flush.interval.ms' }], default: MAX_LONG, min: 0 },
  'follower.replication.throttled.replicas': { type: 'list', synonyms: [], default: '' },
  'index.interval.bytes': { type: 'int', synonyms: [{ key: 'log.index.interval.bytes' }], default: '4096', min: 0 },
  'leader.replication.throttled.replicas': { type: 'list', synonyms: [], default: '' },
  'local.retention.bytes': { type: 'long', synonyms: [{ key: 'log.local.retention.bytes' }], default: '-2', min: -2 },
  'local.retention.ms': { type: 'long', synonyms: [{ key: 'log.local.retention.ms' }], default: '-2', min: -2 },
  'max.compaction.lag.ms': { type: 'long', synonyms: [{ key: 'log.cleaner.max.compaction.lag.ms' }], default: MAX_LONG, min: 1 },
  'max.message.bytes': { type: 'int', synonyms: [{ key: 'message.max.bytes' }], default: '1048588', min: 0 },
  'message.timestamp.after.max.ms': { type: 'long', synonyms: [{ key: 'log.message.timestamp.after.max.ms' }], default: MAX_LONG, min: 0 },
  'message.timestamp.before.max.ms': { type: 'long', synonyms: [{ key: 'log.message.timestamp.before.max.ms' }], default: MAX_LONG, min: 0 },
  'message.timestamp.type': { type: 'string', synonyms: [{ key: 'log.message.timestamp.type' }], default: 'CreateTime', oneOf: ['CreateTime', 'LogAppendTime'] },
  'min.cleanable.dirty.ratio': { type: 'double', synonyms: [{ key: 'log.cleaner.min.cleanable.ratio' }], default: '0.5', min: 0, max: 1 },
  'min.compaction.lag.ms': { type: 'long', synonyms: [{ key: 'log.cleaner.min.compaction.lag.ms' }], default: '0', min: 0 },
  'min.insync.replicas': { type: 'int', synonyms: [{ key: 'min.insync.replicas' }], default: '1', min: 1 },
  preallocate: { type: 'boolean', synonyms: [{ key: 'log.preallocate' }], default: 'false' },
  'remote.storage.enable': { type: 'boolean', synonyms: [], default: 'false' },
  'retention.bytes': { type: 'long', synonyms: [{ key: 'log.retention.bytes' }], default: '-1' },
  'retention.ms': {
    type: 'long',
    synonyms: [{ key: 'log.retention.ms' }, { key: 'log.retention.minutes', scale: 60_000 }, { key: 'log.retention.hours', scale: 3_600_000 }],
    default: '604800000',
    min: -1,
  },
  'segment.bytes': { type: 'int', synonyms: [{ key: 'log.segment.bytes' }], default: '1073741824', min: 14 },
  'segment.index.bytes': { type: 'int', synonyms: [{ key: 'log.index.size.max.bytes' }], default: '10485760', min: 4 },
  'segment.jitter.ms': { type: 'long', synonyms: [{ key: 'log.roll.jitter.ms' }, { key: 'log.roll.jitter.hours', scale: 3_600_000 }], default: '0', min: 0 },
  'segment.ms': { type: 'long', synonyms: [{ key: 'log.roll.ms' }, { key: 'log.roll.hours', scale: 3_600_000 }], default: '604800000', min: 1 },
  'unclean.leader.election.enable': { type: 'boolean', synonyms: [{ key: 'unclean.leader.election.enable' }], default: 'false' },
};

export interface ResolvedConfig {
  name: string;
  value: string;
  source: ConfigSource;
  /** Where the value could come from, most specific first (DescribeConfigs synonyms). */
  synonyms: Array<{ name: string; value: string; source: ConfigSource }>;
}

export function isTopicConfig(name: string): boolean {
  return Object.hasOwn(TOPIC_CONFIGS, name);
}

/** Topic configs that hold comma-separated lists (the ones APPEND and SUBTRACT work on). */
export function isListTopicConfig(name: string): boolean {
  return TOPIC_CONFIGS[name]?.type === 'list';
}

/** The broker keys DescribeConfigs lists as a topic config's synonyms (Kafka: brokerSynonyms of its broker key). */
export function topicConfigSynonyms(name: string): string[] {
  const primary = TOPIC_CONFIGS[name]?.synonyms[0]?.key;
  return primary === undefined ? [] : brokerSynonyms(primary);
}

/**
 * The topic's effective value and where it came from. `broker` holds every broker key in effect
 * (static and dynamic merged); `layers`, when given, tells the synonyms apart by source, else
 * every broker key counts as static.
 */
export function resolveTopicConfig(name: string, overrides: ReadonlyMap<string, string>, broker: Properties, layers?: BrokerConfigLayers): ResolvedConfig {
  const def = TOPIC_CONFIGS[name]!;
  const own = overrides.get(name);
  let value = own;
  for (const s of def.synonyms) {
    if (value !== undefined) break;
    const v = broker.get(s.key);
    if (v !== undefined) value = s.scale && /^\s*-?\d+\s*$/.test(v) ? String(BigInt(v.trim()) * BigInt(s.scale)) : v;
  }
  value ??= def.default;
  const brokerName = def.synonyms[0]?.key;
  const fromBroker = brokerName === undefined ? [] : configSynonyms(brokerName, topicConfigSynonyms(name), layers ?? { dynamicBroker: new Map(), dynamicDefault: new Map(), static: broker });
  const synonyms = own === undefined ? fromBroker : [{ name, value: own, source: 'DYNAMIC_TOPIC_CONFIG' as const }, ...fromBroker];
  return { name, value, source: synonyms[0]?.source ?? 'DEFAULT_CONFIG', synonyms };
}

export function resolveAllTopicConfigs(overrides: ReadonlyMap<string, string>, broker: Properties, layers?: BrokerConfigLayers): ResolvedConfig[] {
  return Object.keys(TOPIC_CONFIGS).sort().map((n) => resolveTopicConfig(n, overrides, broker, layers));
}

/** Checks a topic config value as Kafka's LogConfig does; returns Kafka's error message or undefined. */
export function validateTopicConfig(name: string, value: string): string | undefined {
  const def = TOPIC_CONFIGS[name];
  if (!def) return `Unknown topic config name: ${name}`;
  return validateConfigValue(name, value, def);
}
