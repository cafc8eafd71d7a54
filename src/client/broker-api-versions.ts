// What kafka-broker-api-versions asks a cluster, the way Kafka's tool does it with its small
// legacy admin client: Metadata from the first bootstrap address that answers (failing with
// `Request METADATA failed on brokers [...]` when none does), then ApiVersions from every broker
// on a connection of its own. Each broker's answer, or the error it failed with, is kept.
import { ApiVersions, type ApiVersionsResponse } from '../protocol/messages/api-versions.js';
import { Metadata, type MetadataResponse } from '../protocol/messages/metadata.js';
import { KtoolError } from '../errors.js';
import { BrokerConnection, type BrokerAddress } from './broker-connection.js';
import type { ConnectionSettings } from './client-config.js';
import { KafkaProtocolError } from './kafka-errors.js';

export interface BrokerNode {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export type BrokerVersions = { node: BrokerNode; apiKeys: ApiVersionRange[] } | { node: BrokerNode; error: Error };

/** Java's Node.toString (Kafka 4.0 added the fenced flag; metadata nodes are never fenced). */
export function nodeText(node: BrokerNode): string {
  return `${node.host}:${node.port} (id: ${node.id} rack: ${node.rack} isFenced: false)`;
}

const CLIENT_SOFTWARE = { clientSoftwareName: 'ktool', clientSoftwareVersion: '4.0.0' };
const POLL_MS = 50;

export class BrokerApiVersionsClient {
  constructor(private readonly settings: ConnectionSettings) {}

  private open(address: BrokerAddress): Promise<BrokerConnection> {
    const { clientId, tls, sasl, connectTimeoutMs, requestTimeoutMs } = this.settings;
    return BrokerConnection.open(address, { clientId, tls, sasl, connectTimeoutMs, requestTimeoutMs });
  }

  /** Every broker the cluster lists (waiting while it lists none), with its API versions. */
  async listAllBrokerVersionInfo(): Promise<BrokerVersions[]> {
    let nodes = await this.findAllBrokers();
    while (nodes.length === 0) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      nodes = await this.findAllBrokers();
    }
    return Promise.all(nodes.map(async (node) => {
      try {
        return { node, apiKeys: await this.apiVersionsOf(node) };
      } catch (err) {
        return { node, error: err as Error };
      }
    }));
  }

  private async findAllBrokers(): Promise<BrokerNode[]> {
    const bootstrap = this.settings.bootstrap.map((b, i) => ({ ...b, nodeId: -(i + 1) }));
    for (const address of bootstrap) {
      let conn: BrokerConnection | undefined;
      try {
        conn = await this.open(address);
        const res = await conn.request<MetadataResponse>(Metadata, {
          topics: null,
          allowAutoTopicCreation: false,
          includeClusterAuthorizedOperations: false,
          includeTopicAuthorizedOperations: false,
        }, { min: 1 });
        return res.brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port, rack: b.rack })).sort((a, b) => a.id - b.id);
      } catch (err) {
        // Authentication failures end the command at once, as in Kafka.
        if (err instanceof KafkaProtocolError && (err.errorCode === 58 || err.errorCode === 33)) throw err;
      } finally {
        conn?.close();
      }
    }
    const list = bootstrap.map((b) => nodeText({ id: b.nodeId, host: b.host, port: b.port, rack: null })).join(', ');
    throw new KtoolError('METADATA_FAILED', `Request METADATA failed on brokers [${list}]`);
  }

  private async apiVersionsOf(node: BrokerNode): Promise<ApiVersionRange[]> {
    const conn = await this.open({ host: node.host, port: node.port, nodeId: node.id });
    try {
      const res = await conn.request<ApiVersionsResponse>(ApiVersions, CLIENT_SOFTWARE);
      if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode);
      return res.apiKeys.map((k) => ({ apiKey: k.apiKey, minVersion: k.minVersion, maxVersion: k.maxVersion }));
    } finally {
      conn.close();
    }
  }
}
