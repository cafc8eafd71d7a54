// Topic administration: CreateTopics, DeleteTopics and CreatePartitions, with Kafka's validation
// order and error messages (the tools print them verbatim). Configs: describe-configs.ts, alter-configs.ts.
import { CONFIG_SOURCE_CODE, resolveAllTopicConfigs, validateTopicConfig } from '../../config/topic-config.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { ZERO_UUID } from '../../protocol/codec.js';
import { CreatePartitions, type CreatePartitionsRequest, type CreatePartitionsResponse } from '../../protocol/messages/create-partitions.js';
import { CreateTopics, type CreateTopicsRequest, type CreateTopicsResponse } from '../../protocol/messages/create-topics.js';
import { DeleteTopics, type DeleteTopicsRequest, type DeleteTopicsResponse } from '../../protocol/messages/delete-topics.js';
import { topicNameError, unifyCollisionChars } from '../metadata/topic-names.js';
import type { RequestContext, Route } from '../router.js';
import type { TopicDeleteOutcome } from '../metadata/topic-backend.js';
import type { BrokerState } from '../state.js';

type CreatableTopic = CreateTopicsRequest['topics'][number];
type CreateResult = CreateTopicsResponse['topics'][number];

class TopicError extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
  }
}

export function createTopicsRoute(state: BrokerState): Route {
  return {
    api: CreateTopics,
    versions: [2, 7],
    handle(req: CreateTopicsRequest, ctx: RequestContext): CreateTopicsResponse {
      const counts = new Map<string, number>();
      for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
      const topics = req.topics.map((t): CreateResult => {
        if (counts.get(t.name)! > 1) {
          return failed(t.name, new TopicError(ErrorCode.INVALID_REQUEST, `Create topics request from client \`${ctx.header.clientId}\` contains multiple entries for the following topics: ${t.name}`));
        }
        try {
          return createTopic(state, t, req.validateOnly);
        } catch (err) {
          if (err instanceof TopicError) return failed(t.name, err);
          state.log.error(`Error creating topic ${t.name}`, err);
          return failed(t.name, new TopicError(ErrorCode.KAFKA_STORAGE_ERROR, `Could not create topic ${t.name}: ${(err as Error).message}`));
        }
      });
      return { throttleTimeMs: 0, topics };
    },
  };
}

function failed(name: string, err: TopicError): CreateResult {
  return { name, topicId: ZERO_UUID, errorCode: err.errorCode, errorMessage: err.message, topicConfigErrorCode: 0, numPartitions: -1, replicationFactor: -1, configs: [] };
}

function createTopic(state: BrokerState, t: CreatableTopic, validateOnly: boolean): CreateResult {
  const nameError = topicNameError(t.name);
  if (nameError) throw new TopicError(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
  if (state.metadata.get(t.name)) throw new TopicError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
  const collision = state.metadata.all().find((o) => unifyCollisionChars(o.name) === unifyCollisionChars(t.name));
  if (collision) throw new TopicError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${t.name}' collides with existing topic: ${collision.name}`);

  let partitions = t.numPartitions;
  let replicationFactor = t.replicationFactor;
  if (t.assignments.length > 0) {
    if (partitions !== -1 || replicationFactor !== -1) {
      throw new TopicError(ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
    }
    const brokers = new Set(t.assignments.flatMap((a) => a.brokerIds));
    const unknown = [...brokers].filter((b) => b !== state.nodeId);
    if (unknown.length > 0) throw new TopicError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `The manual partition assignment includes broker ${unknown[0]}, but no such broker is registered.`);
    partitions = t.assignments.length;
    replicationFactor = t.assignments[0]!.brokerIds.length;
  }
  if (partitions === -1) partitions = state.config.numPartitions;
  if (replicationFactor === -1) replicationFactor = state.config.defaultReplicationFactor;
  if (partitions <= 0) throw new TopicError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions was set to an invalid non-positive value.');
  if (replicationFactor <= 0) throw new TopicError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0, or -1 to use the default value.');
  if (replicationFactor > 1) {
    throw new TopicError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only 1 broker(s) are registered.`,
    );
  }
  const configs = new Map<string, string>();
  for (const c of t.configs) {
    if (c.value === null) continue;
    const problem = validateTopicConfig(c.name, c.value);
    if (problem) throw new TopicError(ErrorCode.INVALID_CONFIG, problem);
    configs.set(c.name, c.value);
  }
  const resolved = resolveAllTopicConfigs(configs, state.config.props, state.dynamicConfig.layers()).map((c) => ({
    name: c.name, value: c.value, readOnly: false, configSource: CONFIG_SOURCE_CODE[c.source], isSensitive: false,
  }));
  const topicId = validateOnly ? ZERO_UUID : state.partitions.createTopic(t.name, partitions, configs).id;
  return { name: t.name, topicId, errorCode: 0, errorMessage: null, topicConfigErrorCode: 0, numPartitions: partitions, replicationFactor, configs: resolved };
}

export function deleteTopicsRoute(state: BrokerState): Route {
  return {
    api: DeleteTopics,
    versions: [1, 6],
    handle(req: DeleteTopicsRequest, ctx: RequestContext): DeleteTopicsResponse | Promise<DeleteTopicsResponse> {
      const wanted = ctx.header.apiVersion >= 6 ? req.topics : req.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
      type Reply = DeleteTopicsResponse['responses'][number];
      const replies: Array<Reply | string> = wanted.map(({ name, topicId }) => {
        const topic = name !== null ? state.metadata.get(name) : state.metadata.byId(topicId);
        const reply = (errorCode: number, errorMessage: string | null): Reply => ({ name: topic?.name ?? name, topicId: topic?.id ?? topicId, errorCode, errorMessage });
        if (!state.config.deleteTopicEnable) return reply(ErrorCode.TOPIC_DELETION_DISABLED, 'Topic deletion is disabled.');
        if (!topic) {
          return name !== null
            ? reply(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.')
            : reply(ErrorCode.UNKNOWN_TOPIC_ID, 'This server does not host this topic ID.');
        }
        return topic.name;
      });
      // Ids are captured now: a deleted topic is gone from the metadata when the outcome arrives.
      const ids = new Map(replies.filter((r): r is string => typeof r === 'string').map((n) => [n, state.metadata.get(n)!.id]));
      const finish = (outcomes: Map<string, TopicDeleteOutcome>): DeleteTopicsResponse => ({
        throttleTimeMs: 0,
        responses: replies.map((r) => (typeof r === 'string' ? { name: r, topicId: ids.get(r)!, ...outcomes.get(r)! } : r)),
      });
      if (ids.size === 0) return finish(new Map());
      const outcomes = state.topicBackend.deleteTopics([...ids.keys()], req.timeoutMs);
      return outcomes instanceof Promise ? outcomes.then(finish) : finish(outcomes);
    },
  };
}

export function createPartitionsRoute(state: BrokerState): Route {
  return {
    api: CreatePartitions,
    versions: [0, 3],
    handle(req: CreatePartitionsRequest): CreatePartitionsResponse {
      const results = req.topics.map((t) => {
        const reply = (errorCode: number, errorMessage: string | null) => ({ name: t.name, errorCode, errorMessage });
        const topic = state.metadata.get(t.name);
        if (!topic) return reply(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
        if (t.count < topic.partitions) {
          return reply(ErrorCode.INVALID_PARTITIONS, `The topic ${t.name} currently has ${topic.partitions} partition(s); ${t.count} would not be an increase.`);
        }
        if (t.count === topic.partitions) return reply(ErrorCode.INVALID_PARTITIONS, `Topic already has ${topic.partitions} partition(s).`);
        if (t.assignments && t.assignments.some((a) => a.brokerIds.some((b) => b !== state.nodeId))) {
          return reply(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'The manual partition assignment includes a broker that is not registered.');
        }
        if (!req.validateOnly) state.partitions.addPartitions(t.name, t.count);
        return reply(0, null);
      });
      return { throttleTimeMs: 0, results };
    },
  };
}
