// Topic administration over the wire client: the calls kafka-topics makes (list, describe with
// topic ids and configs, create, delete, add partitions). Errors keep the broker's own message,
// which the Java tools print verbatim and kafkajs would drop.
import { CreatePartitions, type CreatePartitionsResponse } from '../protocol/messages/create-partitions.js';
import { CreateTopics, type CreateTopicsResponse } from '../protocol/messages/create-topics.js';
import { DeleteTopics, type DeleteTopicsResponse } from '../protocol/messages/delete-topics.js';
import { DescribeConfigs, type DescribeConfigsResponse } from '../protocol/messages/describe-configs.js';
import { ZERO_UUID } from '../protocol/codec.js';
import type { BrokerConnection } from './broker-connection.js';
import { ErrorCode, KafkaProtocolError } from './kafka-errors.js';
import type { KafkaWireClient } from './wire-client.js';

export interface PartitionInfo {
  partition: number;
  /** -1 when there is no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicInfo {
  name: string;
  /** Kafka's UUID string form (with dashes); the zero UUID when the broker has no topic ids. */
  topicId: string;
  isInternal: boolean;
  partitions: PartitionInfo[];
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  isDefault: boolean;
}

export interface NewTopic {
  name: string;
  /** Undefined: the broker's num.partitions (needs CreateTopics v4+). */
  partitions?: number;
  replicationFactor?: number;
  /** Replica broker ids per partition, instead of partitions/replicationFactor. */
  assignment?: number[][];
  configs: ReadonlyMap<string, string>;
}

const TOPIC_RESOURCE = 2;
const DEFAULT_CONFIG_SOURCE = 5;

/** Kafka's internal topic names (Topic.isInternal). */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

export class TopicAdmin {
  constructor(private readonly client: KafkaWireClient) {}

  /** Every topic name, internal ones only when asked (ListTopicsOptions.listInternal). */
  async listTopics(listInternal: boolean): Promise<string[]> {
    const res = await this.client.metadata('listTopics', null);
    return res.topics
      .filter((t) => t.errorCode === 0 && t.name !== null && (listInternal || !t.isInternal))
      .map((t) => t.name!);
  }

  /** Metadata of the named topics; a missing one fails the call, as describeTopics does. */
  async describeTopics(names: readonly string[]): Promise<{ topics: TopicInfo[]; liveBrokers: Set<number> }> {
    const res = await this.client.metadata('describeTopics', names);
    const topics: TopicInfo[] = [];
    for (const t of res.topics) {
      if (t.errorCode !== 0) throw new KafkaProtocolError(t.errorCode);
      topics.push({
        name: t.name!,
        topicId: t.topicId,
        isInternal: t.isInternal,
        partitions: t.partitions
          .map((p) => ({ partition: p.partitionIndex, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes }))
          .sort((a, b) => a.partition - b.partition),
      });
    }
    return { topics, liveBrokers: new Set(res.brokers.map((b) => b.nodeId)) };
  }

  /** Topic configs in broker order; `isDefault` when the source is DEFAULT_CONFIG. */
  async describeTopicConfigs(names: readonly string[]): Promise<Map<string, ConfigEntry[]>> {
    const out = new Map<string, ConfigEntry[]>();
    if (names.length === 0) return out;
    const conn = await this.client.anyConnection('describeConfigs');
    const res = await conn.request<DescribeConfigsResponse>(DescribeConfigs, {
      resources: names.map((resourceName) => ({ resourceType: TOPIC_RESOURCE, resourceName, configurationKeys: null })),
      includeSynonyms: false,
      includeDocumentation: false,
    });
    for (const r of res.results) {
      if (r.errorCode !== 0) throw new KafkaProtocolError(r.errorCode, r.errorMessage);
      out.set(r.resourceName, r.configs.map((c) => ({ name: c.name, value: c.value, isDefault: c.configSource === DEFAULT_CONFIG_SOURCE })));
    }
    return out;
  }

  async createTopic(topic: NewTopic): Promise<void> {
    const timeoutMs = this.client.settings.requestTimeoutMs;
    const res = await this.onController('createTopics', (conn) => conn.request<CreateTopicsResponse>(CreateTopics, {
      topics: [{
        name: topic.name,
        numPartitions: topic.assignment ? -1 : topic.partitions ?? -1,
        replicationFactor: topic.assignment ? -1 : topic.replicationFactor ?? -1,
        assignments: (topic.assignment ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
        configs: [...topic.configs].map(([name, value]) => ({ name, value })),
      }],
      timeoutMs,
      validateOnly: false,
    }, { min: topic.assignment || (topic.partitions !== undefined && topic.replicationFactor !== undefined) ? 0 : 4, timeoutMs: timeoutMs + 5000 }), (r) => r.topics);
    const result = res.topics[0];
    if (result && result.errorCode !== 0) throw new KafkaProtocolError(result.errorCode, result.errorMessage);
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const timeoutMs = this.client.settings.requestTimeoutMs;
    const res = await this.onController('deleteTopics', (conn) => conn.request<DeleteTopicsResponse>(DeleteTopics, {
      topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
      topicNames: [...names],
      timeoutMs,
    }, { timeoutMs: timeoutMs + 5000 }), (r) => r.responses);
    const failed = res.responses.find((r) => r.errorCode !== 0);
    if (failed) throw new KafkaProtocolError(failed.errorCode, failed.errorMessage);
  }

  /** Raises each topic's partition count to `count` (new replicas per `assignment` if given). */
  async createPartitions(names: readonly string[], count: number, assignment?: number[][]): Promise<void> {
    if (names.length === 0) return;
    const timeoutMs = this.client.settings.requestTimeoutMs;
    const res = await this.onController('createPartitions', (conn) => conn.request<CreatePartitionsResponse>(CreatePartitions, {
      topics: names.map((name) => ({ name, count, assignments: assignment ? assignment.map((brokerIds) => ({ brokerIds })) : null })),
      timeoutMs,
      validateOnly: false,
    }, { timeoutMs: timeoutMs + 5000 }), (r) => r.results);
    const failed = res.results.find((r) => r.errorCode !== 0);
    if (failed) throw new KafkaProtocolError(failed.errorCode, failed.errorMessage);
  }

  /** Sends to the controller, following it once if the broker says it is not the controller. */
  private async onController<R>(call: string, send: (conn: BrokerConnection) => Promise<R>, results: (r: R) => Array<{ errorCode: number }>): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const res = await send(await this.client.controller(call));
      if (attempt < 3 && results(res).some((r) => r.errorCode === ErrorCode.NOT_CONTROLLER)) {
        this.client.invalidateController();
        continue;
      }
      return res;
    }
  }
}

/** Kafka prints topic ids as URL-safe base64 of the 16 bytes, without padding. */
export function topicIdToBase64(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}
