// Where a broker setting comes from, in Kafka's order of precedence: a dynamic config for this
// broker, a dynamic cluster-wide default, the static server.properties (+ --override), then
// Kafka's built-in default. Also which broker keys this broker accepts as dynamic configs: only
// those it reads again whenever it uses them (retention, compaction, log roll and flush settings),
// so an accepted change always takes effect without a restart.
import { BROKER_KEYS } from './broker-config.js';
import { validateConfigValue, type ValueRule } from './config-types.js';
import type { Properties } from './properties.js';
import { TOPIC_CONFIGS } from './topic-config.js';

export type ConfigSource = 'DYNAMIC_TOPIC_CONFIG' | 'DYNAMIC_BROKER_CONFIG' | 'DYNAMIC_DEFAULT_BROKER_CONFIG' | 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG';

/** DescribeConfigs `configSource` codes. */
export const CONFIG_SOURCE_CODE: Record<ConfigSource, number> = {
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
};

export interface BrokerConfigLayers {
  readonly dynamicBroker: ReadonlyMap<string, string>;
  readonly dynamicDefault: ReadonlyMap<string, string>;
  readonly static: Properties;
}

/** Kafka's defaults where they differ from what the broker falls back to internally (null: Kafka has none). */
const KAFKA_DEFAULT_OVERRIDES: Readonly<Record<string, string | null>> = {
  'log.retention.ms': null,
  'log.retention.minutes': null,
  'log.roll.ms': null,
  'log.roll.jitter.ms': null,
  'log.roll.jitter.hours': '0',
  'log.flush.interval.ms': null,
  'log.flush.interval.messages': '9223372036854775807',
  'log.flush.scheduler.interval.ms': '9223372036854775807',
};

/** Kafka's default of a broker key as ConfigDef prints it; undefined when it has none. */
export function kafkaDefault(key: string): string | undefined {
  if (Object.hasOwn(KAFKA_DEFAULT_OVERRIDES, key)) return KAFKA_DEFAULT_OVERRIDES[key] ?? undefined;
  const known = BROKER_KEYS[key]?.default;
  if (known != null) return known;
  for (const t of Object.values(TOPIC_CONFIGS)) if (t.synonyms[0]?.key === key) return t.default;
  return undefined;
}

/** DynamicBrokerConfig.brokerConfigSynonyms: the keys that set the same thing, most specific first. */
export function brokerSynonyms(name: string): string[] {
  const groups = [
    ['log.roll.ms', 'log.roll.hours'],
    ['log.roll.jitter.ms', 'log.roll.jitter.hours'],
    ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
  ];
  if (name === 'log.flush.interval.ms') return ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'];
  return groups.find((g) => g.includes(name)) ?? [name];
}

export interface Synonym {
  name: string;
  value: string;
  source: ConfigSource;
}

/**
 * ConfigHelper.configSynonyms: every layer's value of each synonym, layer by layer, then the
 * leading entries for other keys dropped (so `log.retention.hours` alone is no synonym of
 * `log.retention.ms`).
 */
export function configSynonyms(name: string, names: readonly string[], layers: BrokerConfigLayers): Synonym[] {
  const all: Synonym[] = [];
  const add = (get: (k: string) => string | undefined, source: ConfigSource): void => {
    for (const n of names) {
      const value = get(n);
      if (value !== undefined) all.push({ name: n, value, source });
    }
  };
  add((k) => layers.dynamicBroker.get(k), 'DYNAMIC_BROKER_CONFIG');
  add((k) => layers.dynamicDefault.get(k), 'DYNAMIC_DEFAULT_BROKER_CONFIG');
  add((k) => layers.static.get(k), 'STATIC_BROKER_CONFIG');
  add(kafkaDefault, 'DEFAULT_CONFIG');
  const first = all.findIndex((s) => s.name === name);
  return first < 0 ? [] : all.slice(first);
}

/** Static, then cluster defaults, then this broker's own: the settings in effect. */
export function mergeLayers(layers: BrokerConfigLayers): Map<string, string> {
  return new Map([...layers.static, ...layers.dynamicDefault, ...layers.dynamicBroker]);
}

// ---- dynamic broker configs ----

/** Topic configs whose broker synonyms the broker re-reads on use (retention, cleaner) or pushes to open logs. */
const DYNAMIC_VIA_TOPIC = [
  'retention.ms', 'retention.bytes', 'cleanup.policy', 'delete.retention.ms', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms',
  'max.compaction.lag.ms', 'file.delete.delay.ms', 'segment.bytes', 'segment.ms', 'index.interval.bytes', 'segment.index.bytes',
  'max.message.bytes', 'message.timestamp.type', 'flush.messages', 'flush.ms',
];

let dynamicRules: Map<string, ValueRule> | undefined;

/** Broker keys accepted as dynamic configs, with their value rules. */
export function dynamicBrokerKeys(): ReadonlyMap<string, ValueRule> {
  if (!dynamicRules) {
    dynamicRules = new Map();
    for (const topicName of DYNAMIC_VIA_TOPIC) {
      const t = TOPIC_CONFIGS[topicName]!;
      for (const s of t.synonyms) {
        // The hours/minutes variants are INTs without the millisecond key's bounds.
        dynamicRules.set(s.key, s.scale ? { type: 'int' } : { type: t.type, min: t.min, max: t.max, oneOf: t.oneOf });
      }
    }
  }
  return dynamicRules;
}

export function isDynamicBrokerKey(name: string): boolean {
  return dynamicBrokerKeys().has(name);
}

/** A dynamic broker config's problem, as Kafka words it; undefined when it is fine. */
export function validateDynamicBrokerConfig(name: string, value: string): string | undefined {
  const rule = dynamicBrokerKeys().get(name);
  if (!rule) return `Cannot update these configs dynamically: Set(${name})`;
  return validateConfigValue(name, value, rule);
}
