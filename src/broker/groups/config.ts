// The group coordinator's settings, read once from the broker's properties with Kafka's key names
// and defaults (the defaults live in BROKER_KEYS).
import { brokerValue, ConfigError } from '../../config/broker-config.js';
import type { Properties } from '../../config/properties.js';

export interface GroupConfig {
  /** `group.initial.rebalance.delay.ms`: how long the first rebalance of an empty group waits for more members. */
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  maxSize: number;
  offsetsTopicPartitions: number;
  offsetsTopicSegmentBytes: number;
  /** `offsets.topic.compression.codec` as Kafka's codec id (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  offsetsTopicCompressionCodec: number;
  offsetsLoadBufferSize: number;
  offsetsRetentionMs: number;
  offsetsRetentionCheckIntervalMs: number;
  offsetMetadataMaxBytes: number;
  /** Kafka's fixed timeout for a new member whose JoinGroup waits in a rebalance (5 minutes). */
  newMemberJoinTimeoutMs: number;
}

function num(props: Properties, key: string, min: number): number {
  const raw = brokerValue(props, key);
  const n = raw === undefined ? NaN : Number(raw.trim());
  if (!Number.isSafeInteger(n)) throw new ConfigError(`Invalid value ${raw} for configuration ${key}: Not a number of type INT`);
  if (n < min) throw new ConfigError(`Invalid value ${n} for configuration ${key}: Value must be at least ${min}`);
  return n;
}

export function groupConfigFrom(props: Properties): GroupConfig {
  const config: GroupConfig = {
    initialRebalanceDelayMs: num(props, 'group.initial.rebalance.delay.ms', 0),
    minSessionTimeoutMs: num(props, 'group.min.session.timeout.ms', 0),
    maxSessionTimeoutMs: num(props, 'group.max.session.timeout.ms', 0),
    maxSize: num(props, 'group.max.size', 1),
    offsetsTopicPartitions: num(props, 'offsets.topic.num.partitions', 1),
    offsetsTopicSegmentBytes: num(props, 'offsets.topic.segment.bytes', 1),
    offsetsTopicCompressionCodec: num(props, 'offsets.topic.compression.codec', 0),
    offsetsLoadBufferSize: num(props, 'offsets.load.buffer.size', 1),
    offsetsRetentionMs: num(props, 'offsets.retention.minutes', 1) * 60_000,
    offsetsRetentionCheckIntervalMs: num(props, 'offsets.retention.check.interval.ms', 1),
    offsetMetadataMaxBytes: num(props, 'offset.metadata.max.bytes', 0),
    newMemberJoinTimeoutMs: 5 * 60_000,
  };
  if (config.offsetsTopicCompressionCodec > 4) throw new ConfigError(`Invalid value ${config.offsetsTopicCompressionCodec} for configuration offsets.topic.compression.codec`);
  return config;
}
