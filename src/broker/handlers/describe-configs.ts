// DescribeConfigs, as Kafka 4.0's ConfigHelper answers it: a topic's configs with their sources
// and synonyms (the topic's override, this broker's and the cluster's dynamic configs, the static
// file, Kafka's default); this broker's settings; the cluster-wide dynamic defaults (resource name
// ""). Broker loggers are not configurable here and answer with no entries.
import { BROKER_KEYS, brokerValue } from '../../config/broker-config.js';
import { brokerSynonyms, configSynonyms, dynamicBrokerKeys, isDynamicBrokerKey, CONFIG_SOURCE_CODE, type Synonym } from '../../config/broker-config-layers.js';
import { resolveAllTopicConfigs, type ResolvedConfig } from '../../config/topic-config.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { DescribeConfigs, type DescribeConfigsRequest, type DescribeConfigsResponse } from '../../protocol/messages/describe-configs.js';
import { topicNameError } from '../metadata/topic-names.js';
import type { Route } from '../router.js';
import type { BrokerState } from '../state.js';

export const RESOURCE_TOPIC = 2;
export const RESOURCE_BROKER = 4;
export const RESOURCE_BROKER_LOGGER = 8;

type Result = DescribeConfigsResponse['results'][number];
type DescribedConfig = Result['configs'][number];

/** The broker-id check shared with the alter handlers: undefined when `name` is this broker or "". */
export function brokerNameError(state: BrokerState, name: string): string | undefined {
  if (name === '' || name === String(state.nodeId)) return undefined;
  if (!/^[+-]?\d+$/.test(name)) return `Broker id must be an integer, but it is: ${name}`;
  return `Unexpected broker id, expected ${state.nodeId} or empty string, but received ${name}`;
}

export function describeConfigsRoute(state: BrokerState): Route {
  return {
    api: DescribeConfigs,
    versions: [1, 4],
    handle(req: DescribeConfigsRequest): DescribeConfigsResponse {
      return { throttleTimeMs: 0, results: req.resources.map((r) => describeResource(state, r, req.includeSynonyms)) };
    },
  };
}

function describeResource(state: BrokerState, r: DescribeConfigsRequest['resources'][number], includeSynonyms: boolean): Result {
  const base = { resourceType: r.resourceType, resourceName: r.resourceName };
  const fail = (errorCode: number, errorMessage: string | null): Result => ({ ...base, errorCode, errorMessage, configs: [] });
  const ok = (configs: DescribedConfig[]): Result => ({ ...base, errorCode: 0, errorMessage: null, configs: configs.filter((c) => wanted(c.name)) });
  const wanted = (name: string): boolean => r.configurationKeys === null || r.configurationKeys.length === 0 || r.configurationKeys.includes(name);
  const layers = state.dynamicConfig.layers();

  if (r.resourceType === RESOURCE_TOPIC) {
    const nameError = topicNameError(r.resourceName);
    if (nameError) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
    const topic = state.metadata.get(r.resourceName);
    // Kafka 4.0 sends no message here; clients print the error's standard text.
    if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null);
    return ok(resolveAllTopicConfigs(topic.configs, state.config.props, layers).map((c) => describedTopicConfig(c, includeSynonyms)));
  }
  if (r.resourceType === RESOURCE_BROKER) {
    const problem = brokerNameError(state, r.resourceName);
    if (problem) return fail(ErrorCode.INVALID_REQUEST, problem);
    if (r.resourceName === '') {
      // The cluster default entity lists only what is set at that level.
      const defaults = layers.dynamicDefault;
      return ok([...defaults.keys()].sort().map((name) => {
        const synonyms = configSynonyms(name, brokerSynonyms(name), layers).filter((s) => s.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG');
        return brokerEntry(name, defaults.get(name)!, synonyms, includeSynonyms);
      }));
    }
    const names = [...new Set([...Object.keys(BROKER_KEYS), ...dynamicBrokerKeys().keys()])].sort();
    return ok(names.map((name) => brokerEntry(name, brokerValue(state.config.props, name) ?? null, configSynonyms(name, brokerSynonyms(name), layers), includeSynonyms)));
  }
  if (r.resourceType === RESOURCE_BROKER_LOGGER) return ok([]);
  return fail(ErrorCode.INVALID_REQUEST, `Unsupported resource type: ${r.resourceType}`);
}

function describedTopicConfig(c: ResolvedConfig, includeSynonyms: boolean): DescribedConfig {
  return {
    name: c.name,
    value: c.value,
    readOnly: false,
    configSource: CONFIG_SOURCE_CODE[c.source],
    isSensitive: false,
    synonyms: includeSynonyms ? c.synonyms.map((s) => ({ name: s.name, value: s.value, source: CONFIG_SOURCE_CODE[s.source] })) : [],
    configType: 0,
    documentation: null,
  };
}

function brokerEntry(name: string, value: string | null, synonyms: Synonym[], includeSynonyms: boolean): DescribedConfig {
  return {
    name,
    value,
    readOnly: !isDynamicBrokerKey(name),
    configSource: CONFIG_SOURCE_CODE[synonyms[0]?.source ?? 'DEFAULT_CONFIG'],
    isSensitive: false,
    synonyms: includeSynonyms ? synonyms.map((s) => ({ name: s.name, value: s.value, source: CONFIG_SOURCE_CODE[s.source] })) : [],
    configType: 0,
    documentation: null,
  };
}
