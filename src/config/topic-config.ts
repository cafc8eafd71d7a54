// Topic-level configs: Kafka's names, the broker key each one falls back to, and Kafka's default.
// The effective value of a topic config is the topic's override, else the broker's setting of its
// synonym, else the default; DescribeConfigs reports which of the three it came from.
import type { Properties } from './properties.js';

interface TopicKey {
  /** Broker keys that set the default for every topic, most specific first. */
  synonyms: ReadonlyArray<{ key: string; scale?: number }>;
  default: string;
}

const MAX_LONG = '9223372036854775807';

export const TOPIC_CONFIGS: Readonly<Record<string, TopicKey>> = {
  'cleanup.policy': { synonyms: [{ key: 'log.cleanup.policy' }], default: 'delete' },
  'compression.type': { synonyms: [{ key: 'compression.type' }], default: 'producer' },
  'compression.gzip.level': { synonyms: [{ key: 'compression.gzip.level' }], default: '-1' },
  'compression.lz4.level': { synonyms: [{ key: 'compression.lz4.level' }], default: '9' },
  'compression.zstd.level': { synonyms: [{ key: 'compression.zstd.level' }], default: '3' },
  'delete.retention.ms': { synonyms: [{ key: 'log.cleaner.delete.retention.ms' }], default: '86400000' },
  'file.delete.delay.ms': { synonyms: [{ key: 'log.segment.delete.delay.ms' }], default: '60000' },
  'flush.messages': { synonyms: [{ key: 'log.flush.interval.messages' }], default: MAX_LONG },
  'flush.ms': { synonyms: [{ key: 'log.flush.interval.ms' }], default: MAX_LONG },
  'follower.replication.throttled.replicas': { synonyms: [], default: '' },
  'index.interval.bytes': { synonyms: [{ key: 'log.index.interval.bytes' }], default: '4096' },
  'leader.replication.throttled.replicas': { synonyms: [], default: '' },
  'local.retention.bytes': { synonyms: [{ key: 'log.local.retention.bytes' }], default: '-2' },
  'local.retention.ms': { synonyms: [{ key: 'log.local.retention.ms' }], default: '-2' },
  'max.compaction.lag.ms': { synonyms: [{ key: 'log.cleaner.max.compaction.lag.ms' }], default: MAX_LONG },
  'max.message.bytes': { synonyms: [{ key: 'message.max.bytes' }], default: '1048588' },
  'message.timestamp.after.max.ms': { synonyms: [{ key: 'log.message.timestamp.after.max.ms' }], default: MAX_LONG },
  'message.timestamp.before.max.ms': { synonyms: [{ key: 'log.message.timestamp.before.max.ms' }], default: MAX_LONG },
  'message.timestamp.type': { synonyms: [{ key: 'log.message.timestamp.type' }], default: 'CreateTime' },
  'min.cleanable.dirty.ratio': { synonyms: [{ key: 'log.cleaner.min.cleanable.ratio' }], default: '0.5' },
  'min.compaction.lag.ms': { synonyms: [{ key: 'log.cleaner.min.compaction.lag.ms' }], default: '0' },
  'min.insync.replicas': { synonyms: [{ key: 'min.insync.replicas' }], default: '1' },
  preallocate: { synonyms: [{ key: 'log.preallocate' }], default: 'false' },
  'remote.storage.enable': { synonyms: [], default: 'false' },
  'retention.bytes': { synonyms: [{ key: 'log.retention.bytes' }], default: '-1' },
  'retention.ms': {
    synonyms: [{ key: 'log.retention.ms' }, { key: 'log.retention.minutes', scale: 60_000 }, { key: 'log.retention.hours', scale: 3_600_000 }],
    default: '604800000',
  },
  'segment.bytes': { synonyms: [{ key: 'log.segment.bytes' }], default: '1073741824' },
  'segment.index.bytes': { synonyms: [{ key: 'log.index.size.max.bytes' }], default: '10485760' },
  'segment.jitter.ms': { synonyms: [{ key: 'log.roll.jitter.ms' }, { key: 'log.roll.jitter.hours', scale: 3_600_000 }], default: '0' },
  'segment.ms': { synonyms: [{ key: 'log.roll.ms' }, { key: 'log.roll.hours', scale: 3_600_000 }], default: '604800000' },
  'unclean.leader.election.enable': { synonyms: [{ key: 'unclean.leader.election.enable' }], default: 'false' },
};

export type ConfigSource = 'DYNAMIC_TOPIC_CONFIG' | 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG';

/** DescribeConfigs `configSource` codes. */
export const CONFIG_SOURCE_CODE: Record<ConfigSource, number> = {
  DYNAMIC_TOPIC_CONFIG: 1,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
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

export function resolveTopicConfig(name: string, overrides: ReadonlyMap<string, string>, broker: Properties): ResolvedConfig {
  const def = TOPIC_CONFIGS[name]!;
  const synonyms: ResolvedConfig['synonyms'] = [];
  const own = overrides.get(name);
  if (own !== undefined) synonyms.push({ name, value: own, source: 'DYNAMIC_TOPIC_CONFIG' });
  for (const s of def.synonyms) {
    const v = broker.get(s.key);
    if (v === undefined) continue;
    const value = s.scale ? String(BigInt(v.trim()) * BigInt(s.scale)) : v;
    synonyms.push({ name: s.key, value, source: 'STATIC_BROKER_CONFIG' });
  }
  synonyms.push({ name: def.synonyms[0]?.key ?? name, value: def.default, source: 'DEFAULT_CONFIG' });
  const top = synonyms[0]!;
  return { name, value: top.value, source: top.source, synonyms };
}

export function resolveAllTopicConfigs(overrides: ReadonlyMap<string, string>, broker: Properties): ResolvedConfig[] {
  return Object.keys(TOPIC_CONFIGS).sort().map((n) => resolveTopicConfig(n, overrides, broker));
}

/** Checks a topic config value; returns an error message or undefined. */
export function validateTopicConfig(name: string, value: string): string | undefined {
  if (!isTopicConfig(name)) return `Unknown topic config name: ${name}`;
  const def = TOPIC_CONFIGS[name]!.default;
  if (/^-?\d+$/.test(def) && !/^-?\d+$/.test(value.trim())) return `Invalid value ${value} for configuration ${name}: Not a number of type LONG`;
  if (name === 'cleanup.policy' && !value.split(',').every((p) => ['delete', 'compact'].includes(p.trim()))) {
    return `Invalid value ${value} for configuration cleanup.policy: String must be one of: compact, delete`;
  }
  if (name === 'message.timestamp.type' && !['CreateTime', 'LogAppendTime'].includes(value)) {
    return `Invalid value ${value} for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime`;
  }
  if (name === 'compression.type' && !['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'].includes(value)) {
    return `Invalid value ${value} for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer`;
  }
  return undefined;
}
