// A Java consumer's properties (consumer.config, --consumer-property, Connect's consumer.*) as the
// settings of ktool's consumers, with the Java client's defaults and its error text for bad values.
import type { Properties } from '../config/properties.js';
import { KtoolError } from '../errors.js';

export function intProperty(props: Properties, key: string, fallback: number): number {
  const v = props.get(key);
  const n = v === undefined ? fallback : Number(v.trim());
  if (!Number.isInteger(n)) throw new KtoolError('INVALID_CONFIG', `Invalid value ${v} for configuration ${key}: Not a number of type INT`);
  return n;
}

export function booleanProperty(props: Properties, key: string, fallback: boolean): boolean {
  return (props.get(key) ?? String(fallback)).trim().toLowerCase() === 'true';
}

/** fetch.max.wait.ms, fetch.min.bytes, fetch.max.bytes, max.partition.fetch.bytes. */
export function fetchLimits(props: Properties): { maxWaitMs: number; minBytes: number; maxBytes: number; partitionMaxBytes: number } {
  return {
    maxWaitMs: intProperty(props, 'fetch.max.wait.ms', 500),
    minBytes: intProperty(props, 'fetch.min.bytes', 1),
    maxBytes: intProperty(props, 'fetch.max.bytes', 52428800),
    partitionMaxBytes: intProperty(props, 'max.partition.fetch.bytes', 1048576),
  };
}

/** How a group member behaves: timeouts, heartbeats, commits and metadata refresh. */
export function membershipSettings(props: Properties) {
  return {
    groupInstanceId: props.get('group.instance.id')?.trim() || null,
    sessionTimeoutMs: intProperty(props, 'session.timeout.ms', 45000),
    rebalanceTimeoutMs: intProperty(props, 'max.poll.interval.ms', 300000),
    heartbeatIntervalMs: intProperty(props, 'heartbeat.interval.ms', 3000),
    autoCommitIntervalMs: intProperty(props, 'auto.commit.interval.ms', 5000),
    metadataMaxAgeMs: intProperty(props, 'metadata.max.age.ms', 300000),
    allowAutoCreateTopics: booleanProperty(props, 'allow.auto.create.topics', true),
    excludeInternalTopics: booleanProperty(props, 'exclude.internal.topics', true),
  };
}
