// The broker's dynamic configs (kafka-configs --broker <id> / --broker-defaults): kept in the
// metadata file, layered over the static server.properties, and merged into `config.props` so
// everything that reads broker settings on use (retention, the cleaner, log settings pushed by
// PartitionManager.reconfigureAll) sees the values in effect. The static layer is a copy taken at
// start-up, before any dynamic value is merged in.
import type { BrokerConfig } from '../config/broker-config.js';
import { isDynamicBrokerKey, mergeLayers, type BrokerConfigLayers } from '../config/broker-config-layers.js';
import type { Properties } from '../config/properties.js';
import { DEFAULT_BROKER_ENTITY, type ClusterMetadata } from './metadata/cluster-metadata.js';

export type BrokerEntity = 'broker' | 'default';

export class DynamicBrokerConfig {
  private readonly staticProps: Properties;
  /** Told after the settings in effect changed (the partitions re-read their log settings). */
  onChange: () => void = () => {};

  constructor(
    private readonly config: BrokerConfig,
    private readonly metadata: ClusterMetadata,
  ) {
    this.staticProps = new Map(config.props);
    this.apply();
  }

  private entityName(entity: BrokerEntity): string {
    return entity === 'default' ? DEFAULT_BROKER_ENTITY : String(this.config.nodeId);
  }

  /** Only keys this broker honours count: a metadata file from elsewhere may hold others. */
  configs(entity: BrokerEntity): ReadonlyMap<string, string> {
    return new Map([...this.metadata.brokerConfigs(this.entityName(entity))].filter(([k]) => isDynamicBrokerKey(k)));
  }

  layers(): BrokerConfigLayers {
    return { dynamicBroker: this.configs('broker'), dynamicDefault: this.configs('default'), static: this.staticProps };
  }

  /** Replaces an entity's dynamic configs (already validated), persists them and applies them. */
  set(entity: BrokerEntity, configs: ReadonlyMap<string, string>): void {
    this.metadata.setBrokerConfigs(this.entityName(entity), configs);
    this.apply();
    this.onChange();
  }

  private apply(): void {
    const merged = mergeLayers(this.layers());
    this.config.props.clear();
    for (const [k, v] of merged) this.config.props.set(k, v);
  }
}
