// Config and log-dir administration over the wire client: DescribeConfigs (with synonyms),
// IncrementalAlterConfigs, DescribeLogDirs and the cluster's broker ids, sent where the Java admin
// client sends them (a broker's own resources to that broker, everything else to any broker).
// Errors keep the broker's message, as the Java tools print it.
import { DescribeConfigs, type DescribeConfigsResponse } from '../protocol/messages/describe-configs.js';
import { DescribeLogDirs, type DescribeLogDirsResponse } from '../protocol/messages/describe-log-dirs.js';
import { IncrementalAlterConfigs, type IncrementalAlterConfigsResponse } from '../protocol/messages/incremental-alter-configs.js';
import type { BrokerConnection } from './broker-connection.js';
import { KafkaProtocolError } from './kafka-errors.js';
import type { KafkaWireClient } from './wire-client.js';

export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** ConfigEntry.ConfigSource names by DescribeConfigs code. */
export const CONFIG_SOURCE_NAMES = [
  'UNKNOWN', 'DYNAMIC_TOPIC_CONFIG', 'DYNAMIC_BROKER_CONFIG', 'DYNAMIC_DEFAULT_BROKER_CONFIG', 'STATIC_BROKER_CONFIG', 'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG', 'DYNAMIC_CLIENT_METRICS_CONFIG', 'DYNAMIC_GROUP_CONFIG',
] as const;

export function configSourceName(code: number): string {
  return CONFIG_SOURCE_NAMES[code] ?? 'UNKNOWN';
}

export interface ConfigResourceRef {
  type: number;
  name: string;
}

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: string;
}

export interface DescribedConfigEntry {
  name: string;
  value: string | null;
  source: string;
  isSensitive: boolean;
  readOnly: boolean;
  synonyms: ConfigSynonym[];
}

export type AlterOpType = 'SET' | 'DELETE' | 'APPEND' | 'SUBTRACT';
const OP_CODES: Record<AlterOpType, number> = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 };

export interface AlterOp {
  name: string;
  op: AlterOpType;
  value: string | null;
}

export interface LogDirInfo {
  logDir: string;
  /** Error code of the dir (0: fine). */
  errorCode: number;
  partitions: Array<{ topic: string; partition: number; size: bigint; offsetLag: bigint; isFuture: boolean }>;
}

/** A broker resource ("0") lives on that broker; "" (the cluster default) and topics on any. */
function brokerIdOf(resource: ConfigResourceRef): number | undefined {
  if (resource.type !== ResourceType.BROKER && resource.type !== ResourceType.BROKER_LOGGER) return undefined;
  return /^\d+$/.test(resource.name) ? Number(resource.name) : undefined;
}

export class ConfigAdmin {
  constructor(private readonly client: KafkaWireClient) {}

  private async connectionFor(resource: ConfigResourceRef, call: string): Promise<BrokerConnection> {
    const id = brokerIdOf(resource);
    if (id === undefined) return this.client.anyConnection(call);
    const md = await this.client.metadata(call, []);
    return md.brokers.some((b) => b.nodeId === id) ? this.client.connection(id) : this.client.anyConnection(call);
  }

  async describeConfigs(resource: ConfigResourceRef, includeSynonyms: boolean): Promise<DescribedConfigEntry[]> {
    const conn = await this.connectionFor(resource, 'describeConfigs');
    const res = await conn.request<DescribeConfigsResponse>(DescribeConfigs, {
      resources: [{ resourceType: resource.type, resourceName: resource.name, configurationKeys: null }],
      includeSynonyms,
      includeDocumentation: false,
    }, { min: 1 });
    const r = res.results[0];
    if (!r) throw new KafkaProtocolError(-1, 'The broker sent no result for the resource');
    if (r.errorCode !== 0) throw new KafkaProtocolError(r.errorCode, r.errorMessage);
    return r.configs.map((c) => ({
      name: c.name,
      value: c.value,
      source: configSourceName(c.configSource),
      isSensitive: c.isSensitive,
      readOnly: c.readOnly,
      synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: configSourceName(s.source) })),
    }));
  }

  async incrementalAlterConfigs(resource: ConfigResourceRef, ops: readonly AlterOp[], validateOnly = false): Promise<void> {
    const conn = await this.connectionFor(resource, 'incrementalAlterConfigs');
    const res = await conn.request<IncrementalAlterConfigsResponse>(IncrementalAlterConfigs, {
      resources: [{
        resourceType: resource.type,
        resourceName: resource.name,
        configs: ops.map((o) => ({ name: o.name, configOperation: OP_CODES[o.op], value: o.value })),
      }],
      validateOnly,
    });
    const failed = res.responses.find((r) => r.errorCode !== 0);
    if (failed) throw new KafkaProtocolError(failed.errorCode, failed.errorMessage);
  }

  /** Node ids of the cluster's brokers, in the order Metadata lists them. */
  async brokerIds(): Promise<number[]> {
    const md = await this.client.metadata('describeCluster', []);
    return md.brokers.map((b) => b.nodeId);
  }

  /** One broker's log dirs and the replicas in them (all topics). */
  async describeLogDirs(brokerId: number): Promise<LogDirInfo[]> {
    const conn = await this.client.connection(brokerId);
    const res = await conn.request<DescribeLogDirsResponse>(DescribeLogDirs, { topics: null });
    if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode);
    return res.results.map((d) => ({
      logDir: d.logDir,
      errorCode: d.errorCode,
      partitions: d.topics.flatMap((t) => t.partitions.map((p) => ({
        topic: t.name, partition: p.partitionIndex, size: p.partitionSize, offsetLag: p.offsetLag, isFuture: p.isFutureKey,
      }))),
    }));
  }
}
