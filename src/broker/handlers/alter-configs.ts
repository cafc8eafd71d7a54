// IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT per key) and the older AlterConfigs
// (replace the whole set) for topics and for this broker's dynamic configs. Each resource is
// checked as Kafka checks it (unknown or misspelt topic config names, bad values, list operations
// on non-list keys) and gets its own error; validateOnly checks without applying. Topic changes go
// through the topic backend, so in ZooKeeper mode they are written to /config/topics as Kafka 2.x
// does; broker changes are kept in the metadata file and take effect at once.
import { isDynamicBrokerKey, validateDynamicBrokerConfig, dynamicBrokerKeys } from '../../config/broker-config-layers.js';
import { brokerValue } from '../../config/broker-config.js';
import { isListTopicConfig, resolveTopicConfig, validateTopicConfig } from '../../config/topic-config.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { AlterConfigs, type AlterConfigsRequest, type AlterConfigsResponse } from '../../protocol/messages/alter-configs.js';
import {
  IncrementalAlterConfigs, type IncrementalAlterConfigsRequest, type IncrementalAlterConfigsResponse,
} from '../../protocol/messages/incremental-alter-configs.js';
import { topicNameError } from '../metadata/topic-names.js';
import type { Route } from '../router.js';
import type { BrokerState } from '../state.js';
import { brokerNameError, RESOURCE_BROKER, RESOURCE_BROKER_LOGGER, RESOURCE_TOPIC } from './describe-configs.js';

const OPS = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'] as const;
type OpType = (typeof OPS)[number];

interface Op {
  name: string;
  op: OpType;
  value: string | null;
}

/** How a resource's configs change: key by key, or replaced as a whole (AlterConfigs). */
type Change = { kind: 'incremental'; ops: Op[] } | { kind: 'replace'; configs: Array<{ name: string; value: string | null }> };

interface Outcome {
  errorCode: number;
  errorMessage: string | null;
}

class ConfigFailure extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
  }
}

const invalidConfig = (message: string): ConfigFailure => new ConfigFailure(ErrorCode.INVALID_CONFIG, message);

export function incrementalAlterConfigsRoute(state: BrokerState): Route {
  return {
    api: IncrementalAlterConfigs,
    versions: [0, 1],
    async handle(req: IncrementalAlterConfigsRequest): Promise<IncrementalAlterConfigsResponse> {
      const responses = [];
      for (const r of req.resources) {
        const ops = r.configs.map((c) => ({ name: c.name, op: OPS[c.configOperation] ?? (String(c.configOperation) as OpType), value: c.value }));
        const outcome = await alterResource(state, r.resourceType, r.resourceName, { kind: 'incremental', ops }, req.validateOnly);
        responses.push({ ...outcome, resourceType: r.resourceType, resourceName: r.resourceName });
      }
      return { throttleTimeMs: 0, responses };
    },
  };
}

export function alterConfigsRoute(state: BrokerState): Route {
  return {
    api: AlterConfigs,
    versions: [0, 2],
    async handle(req: AlterConfigsRequest): Promise<AlterConfigsResponse> {
      const responses = [];
      for (const r of req.resources) {
        const outcome = await alterResource(state, r.resourceType, r.resourceName, { kind: 'replace', configs: r.configs }, req.validateOnly);
        responses.push({ ...outcome, resourceType: r.resourceType, resourceName: r.resourceName });
      }
      return { throttleTimeMs: 0, responses };
    },
  };
}

async function alterResource(state: BrokerState, type: number, name: string, change: Change, validateOnly: boolean): Promise<Outcome> {
  try {
    if (change.kind === 'incremental') {
      const seen = new Set<string>();
      for (const op of change.ops) {
        if (seen.has(op.name)) throw new ConfigFailure(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
        seen.add(op.name);
        if (!OPS.includes(op.op)) throw new ConfigFailure(ErrorCode.INVALID_REQUEST, `Unknown alter config operation type ${op.op}`);
      }
    }
    if (type === RESOURCE_TOPIC) await alterTopic(state, name, change, validateOnly);
    else if (type === RESOURCE_BROKER) alterBroker(state, name, change, validateOnly);
    else if (type === RESOURCE_BROKER_LOGGER) throw new ConfigFailure(ErrorCode.INVALID_REQUEST, 'Broker loggers cannot be configured on this broker');
    else throw new ConfigFailure(ErrorCode.INVALID_REQUEST, `Unexpected resource type ${type}`);
    return { errorCode: 0, errorMessage: null };
  } catch (err) {
    if (err instanceof ConfigFailure) return { errorCode: err.errorCode, errorMessage: err.message };
    state.log.error(`Error altering the configs of resource ${name}`, err);
    return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: (err as Error).message };
  }
}

/**
 * The configs after the change. `current`: the resource's own settings; `inherited(key)`: what a
 * list key holds when the resource does not set it (APPEND/SUBTRACT start from there, as Kafka).
 */
function applyChange(current: ReadonlyMap<string, string>, change: Change, isList: (key: string) => boolean, inherited: (key: string) => string): Map<string, string> {
  if (change.kind === 'replace') {
    const out = new Map<string, string>();
    for (const c of change.configs) {
      if (c.value === null) throw invalidConfig(`Null value not supported for : ${c.name}`);
      out.set(c.name, c.value);
    }
    return out;
  }
  const out = new Map(current);
  for (const { name, op, value } of change.ops) {
    if (op === 'DELETE') {
      out.delete(name);
      continue;
    }
    if (value === null) throw invalidConfig(`Null value not supported for : ${name}`);
    if (op === 'SET') {
      out.set(name, value);
      continue;
    }
    if (!isList(name)) throw invalidConfig(`Can't ${op} to key ${name} because its type is not LIST.`);
    const items = (out.get(name) ?? inherited(name)).split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const v of value.split(',').map((s) => s.trim())) {
      if (op === 'APPEND' && !items.includes(v)) items.push(v);
      if (op === 'SUBTRACT' && items.includes(v)) items.splice(items.indexOf(v), 1);
    }
    out.set(name, items.join(','));
  }
  return out;
}

async function alterTopic(state: BrokerState, name: string, change: Change, validateOnly: boolean): Promise<void> {
  const nameError = topicNameError(name);
  if (nameError) throw new ConfigFailure(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
  const topic = state.metadata.get(name);
  if (!topic) throw new ConfigFailure(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
  // An unknown name is reported before APPEND/SUBTRACT look at its type.
  const named = change.kind === 'replace' ? change.configs.map((c) => c.name) : change.ops.filter((o) => o.op !== 'DELETE').map((o) => o.name);
  for (const n of named) {
    const problem = validateTopicConfig(n, '');
    if (problem?.startsWith('Unknown')) throw invalidConfig(problem);
  }
  const next = applyChange(topic.configs, change, isListTopicConfig, (key) => resolveTopicConfig(key, new Map(), state.config.props).value);
  for (const [k, v] of next) {
    const problem = validateTopicConfig(k, v);
    if (problem) throw invalidConfig(problem);
  }
  if (!validateOnly) await state.topicBackend.alterTopicConfigs(name, next);
}

function alterBroker(state: BrokerState, name: string, change: Change, validateOnly: boolean): void {
  const problem = brokerNameError(state, name);
  if (problem) throw new ConfigFailure(ErrorCode.INVALID_REQUEST, problem);
  const entity = name === '' ? 'default' : 'broker';
  const resource = `ConfigResource(type=BROKER, name='${name}')`;
  const refuse = (why: string): ConfigFailure => new ConfigFailure(ErrorCode.INVALID_REQUEST, `Invalid config value for resource ${resource}: ${why}`);
  const named = change.kind === 'replace' ? change.configs.map((c) => c.name) : change.ops.map((o) => o.name);
  const notDynamic = [...new Set(named.filter((n) => !isDynamicBrokerKey(n)))];
  if (notDynamic.length > 0) throw refuse(`Cannot update these configs dynamically: Set(${notDynamic.join(', ')})`);
  const isList = (key: string): boolean => dynamicBrokerKeys().get(key)?.type === 'list';
  let next: Map<string, string>;
  try {
    next = applyChange(state.dynamicConfig.configs(entity), change, isList, (key) => brokerValue(state.config.props, key) ?? '');
  } catch (err) {
    if (err instanceof ConfigFailure) throw refuse(err.message);
    throw err;
  }
  for (const [k, v] of next) {
    const bad = validateDynamicBrokerConfig(k, v);
    if (bad) throw refuse(bad);
  }
  if (!validateOnly) state.dynamicConfig.set(entity, next);
}
