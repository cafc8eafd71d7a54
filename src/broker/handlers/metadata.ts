// Metadata (and DescribeCluster): this single node leads every partition. Unknown topics are
// created on request when auto.create.topics.enable allows it, and answered in the same response.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ZERO_UUID } from '../../protocol/codec.js';
import { DescribeCluster, type DescribeClusterResponse } from '../../protocol/messages/describe-cluster.js';
import { Metadata, type MetadataRequest, type MetadataResponse } from '../../protocol/messages/metadata.js';
import type { TopicInfo } from '../metadata/cluster-metadata.js';
import { topicNameError } from '../metadata/topic-names.js';
import type { RequestContext, Route } from '../router.js';
import type { BrokerState } from '../state.js';

type TopicMetadata = MetadataResponse['topics'][number];

/** Kafka's "operations not requested" sentinel. */
const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export function metadataRoute(state: BrokerState): Route {
  return {
    api: Metadata,
    versions: [0, 13],
    handle(req: MetadataRequest, ctx: RequestContext): MetadataResponse {
      const version = ctx.header.apiVersion;
      const self = state.advertised(ctx.listenerName);
      // v0 uses an empty list for "all topics"; later versions use null.
      const all = req.topics === null || (version === 0 && req.topics.length === 0);
      const allowAutoCreate = version < 4 ? true : req.allowAutoTopicCreation;
      const topics = all
        ? state.metadata.all().map((t) => describeTopic(state, t))
        : req.topics!.map((t) => lookup(state, t.name, t.topicId, allowAutoCreate));
      return {
        throttleTimeMs: 0,
        brokers: [{ nodeId: state.nodeId, host: self.host, port: self.port, rack: null }],
        clusterId: state.clusterId,
        controllerId: state.nodeId,
        topics,
        clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
        errorCode: 0,
      };
    },
  };
}

function lookup(state: BrokerState, name: string | null, topicId: string, allowAutoCreate: boolean): TopicMetadata {
  if (name === null) {
    const t = state.metadata.byId(topicId);
    return t ? describeTopic(state, t) : topicError(ErrorCode.UNKNOWN_TOPIC_ID, null, topicId);
  }
  const existing = state.metadata.get(name);
  if (existing) return describeTopic(state, existing);
  if (topicNameError(name)) return topicError(ErrorCode.INVALID_TOPIC_EXCEPTION, name);
  if (!allowAutoCreate || !state.config.autoCreateTopics) return topicError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name);
  try {
    const createInternal = state.internalTopicCreators.get(name);
    if (createInternal) {
      createInternal();
      const created = state.metadata.get(name);
      return created ? describeTopic(state, created) : topicError(ErrorCode.LEADER_NOT_AVAILABLE, name);
    }
    return describeTopic(state, state.partitions.createTopic(name, state.config.numPartitions, new Map()));
  } catch (err) {
    state.log.error(`Could not auto-create topic ${name}`, err);
    return topicError(ErrorCode.KAFKA_STORAGE_ERROR, name);
  }
}

function topicError(errorCode: number, name: string | null, topicId = ZERO_UUID): TopicMetadata {
  return { errorCode, name, topicId, isInternal: false, partitions: [], topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED };
}

function describeTopic(state: BrokerState, t: TopicInfo): TopicMetadata {
  const node = [state.nodeId];
  const partitions = [];
  for (let i = 0; i < t.partitions; i++) {
    partitions.push({ errorCode: 0, partitionIndex: i, leaderId: state.nodeId, leaderEpoch: 0, replicaNodes: node, isrNodes: node, offlineReplicas: [] });
  }
  return { errorCode: 0, name: t.name, topicId: t.id, isInternal: t.internal, partitions, topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED };
}

export function describeClusterRoute(state: BrokerState): Route {
  return {
    api: DescribeCluster,
    versions: [0, 1],
    handle(_req: unknown, ctx: RequestContext): DescribeClusterResponse {
      const self = state.advertised(ctx.listenerName);
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        endpointType: 1,
        clusterId: state.clusterId,
        controllerId: state.nodeId,
        brokers: [{ brokerId: state.nodeId, host: self.host, port: self.port, rack: null, isFenced: false }],
        clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      };
    },
  };
}
