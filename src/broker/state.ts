// What every handler may read or change: the broker's identity, its config, topic metadata and
// partitions. Handlers receive this object; they never reach for globals.
import type { BrokerConfig } from '../config/broker-config.js';
import type { Logger } from '../log.js';
import type { DynamicBrokerConfig } from './dynamic-config.js';
import type { ClusterMetadata } from './metadata/cluster-metadata.js';
import type { TopicBackend } from './metadata/topic-backend.js';
import type { PartitionManager } from './partitions.js';
import type { RouteTable } from './router.js';

export interface Endpoint {
  host: string;
  port: number;
}

export interface BrokerState {
  readonly nodeId: number;
  readonly clusterId: string;
  /** `config.props` holds the settings in effect: static ones with the dynamic configs merged in. */
  readonly config: BrokerConfig;
  /** Dynamic broker configs (kafka-configs --broker / --broker-defaults) and where each setting comes from. */
  readonly dynamicConfig: DynamicBrokerConfig;
  readonly metadata: ClusterMetadata;
  readonly partitions: PartitionManager;
  readonly log: Logger;
  /** Aborted when the broker shuts down: parked fetches return at once. */
  readonly shutdown: AbortSignal;
  /** The address clients should use for this broker on the given listener. */
  advertised(listenerName: string): Endpoint;
  routes(): RouteTable;
  nextProducerId(): bigint;
  /** Observers told after topics are deleted (the group coordinator drops their offsets). */
  /** Internal topics created with their own settings when a client asks for them by name. */
  readonly internalTopicCreators: Map<string, () => void>;
  readonly onTopicsDeleted: Array<(topics: ReadonlySet<string>) => void>;
  /** Who performs topic deletions: at once locally, or through ZooKeeper's controller (broker/zk). */
  readonly topicBackend: TopicBackend;
}
