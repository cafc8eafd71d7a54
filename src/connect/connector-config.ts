// The keys every connector config has (Kafka's ConnectorConfig, SinkConnectorConfig,
// SourceConnectorConfig), with Kafka's defaults, groups and checks, and the typed settings the
// worker reads from them. A connector's own keys (plugin.config()) come after these in validation.
import { validateConfig, type ConfigKey, type ConfigValueResult } from './config-def.js';

const noControlChars = (value: unknown): string | undefined => {
  const s = String(value ?? '');
  if (s.trim() === '') return 'String must be non-empty';
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(s) ? 'String may not contain control sequences' : undefined;
};

/** Refuses a non-empty list: silently ignoring configured transformations would corrupt data. */
const notYet = (what: string) => (value: unknown): string | undefined =>
  Array.isArray(value) && value.length > 0 ? `ktool's Connect worker does not support ${what} (single message transforms) yet` : undefined;

const COMMON_KEYS: readonly ConfigKey[] = [
  { name: 'name', type: 'STRING', importance: 'HIGH', documentation: 'A name for this connector, unique on the worker.', group: 'Common', orderInGroup: 1, width: 'MEDIUM', displayName: 'Connector name', validator: noControlChars },
  { name: 'connector.class', type: 'STRING', importance: 'HIGH', documentation: 'The connector plugin: a fully qualified class name, or its short alias (e.g. FileStreamSource).', group: 'Common', orderInGroup: 2, width: 'LONG', displayName: 'Connector class' },
  { name: 'tasks.max', type: 'INT', defaultValue: 1, atLeast: 1, importance: 'HIGH', documentation: 'At most this many tasks run for the connector.', group: 'Common', orderInGroup: 3, width: 'SHORT', displayName: 'Tasks max' },
  { name: 'tasks.max.enforce', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: 'Fail the connector when it asks for more tasks than tasks.max.', group: 'Common', orderInGroup: 4, width: 'SHORT', displayName: 'Enforce tasks max' },
  { name: 'key.converter', type: 'CLASS', defaultValue: null, importance: 'LOW', documentation: "Overrides the worker's key.converter for this connector.", group: 'Common', orderInGroup: 5, width: 'SHORT', displayName: 'Key converter class' },
  { name: 'value.converter', type: 'CLASS', defaultValue: null, importance: 'LOW', documentation: "Overrides the worker's value.converter for this connector.", group: 'Common', orderInGroup: 6, width: 'SHORT', displayName: 'Value converter class' },
  { name: 'header.converter', type: 'CLASS', defaultValue: null, importance: 'LOW', documentation: "Overrides the worker's header.converter for this connector.", group: 'Common', orderInGroup: 7, width: 'SHORT', displayName: 'Header converter class' },
  { name: 'config.action.reload', type: 'STRING', defaultValue: 'restart', validValues: ['none', 'restart'], importance: 'LOW', documentation: 'What to do when an externalized config value changes.', group: 'Common', orderInGroup: 8, width: 'MEDIUM', displayName: 'Reload Action' },
  { name: 'transforms', type: 'LIST', defaultValue: [], importance: 'LOW', documentation: 'Aliases of the transformations applied to records (none are available in ktool yet).', group: 'Transforms', orderInGroup: 0, width: 'LONG', displayName: 'Transforms', validator: notYet('transformations') },
  { name: 'predicates', type: 'LIST', defaultValue: [], importance: 'LOW', documentation: 'Aliases of the predicates used by transformations.', group: 'Predicates', orderInGroup: 0, width: 'LONG', displayName: 'Predicates', validator: notYet('predicates') },
  { name: 'errors.retry.timeout', type: 'LONG', defaultValue: 0, importance: 'MEDIUM', documentation: 'How long a failed operation is retried, in ms (-1: forever).', group: 'Error Handling', orderInGroup: 1, width: 'MEDIUM', displayName: 'Retry Timeout for Errors' },
  { name: 'errors.retry.delay.max.ms', type: 'LONG', defaultValue: 60000, importance: 'MEDIUM', documentation: 'The longest wait between retries, in ms.', group: 'Error Handling', orderInGroup: 2, width: 'MEDIUM', displayName: 'Maximum Delay Between Retries for Errors' },
  { name: 'errors.tolerance', type: 'STRING', defaultValue: 'none', validValues: ['none', 'all'], importance: 'MEDIUM', documentation: "'none': a record that fails conversion fails the task; 'all': such records are skipped.", group: 'Error Handling', orderInGroup: 3, width: 'SHORT', displayName: 'Error Tolerance' },
  { name: 'errors.log.enable', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'Log each failed record operation.', group: 'Error Handling', orderInGroup: 4, width: 'SHORT', displayName: 'Log Errors' },
  { name: 'errors.log.include.messages', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: "Include the record's topic, partition, offset and timestamp in those log lines.", group: 'Error Handling', orderInGroup: 5, width: 'SHORT', displayName: 'Log Error Details' },
];

const SINK_KEYS: readonly ConfigKey[] = [
  { name: 'topics', type: 'LIST', defaultValue: [], importance: 'HIGH', documentation: 'The topics to consume, comma-separated.', group: 'Common', orderInGroup: 4, width: 'LONG', displayName: 'Topics' },
  { name: 'topics.regex', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'A regular expression; every topic whose whole name matches is consumed.', group: 'Common', orderInGroup: 4, width: 'LONG', displayName: 'Topics regex', validator: (v) => regexProblem(String(v ?? '')) },
  { name: 'errors.deadletterqueue.topic.name', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: 'Records that fail conversion go to this topic (with errors.tolerance=all).', group: 'Error Handling', orderInGroup: 6, width: 'MEDIUM', displayName: 'Dead Letter Queue Topic Name' },
  { name: 'errors.deadletterqueue.topic.replication.factor', type: 'SHORT', defaultValue: 3, importance: 'MEDIUM', documentation: 'Replication factor used when the dead letter queue topic is created.', group: 'Error Handling', orderInGroup: 7, width: 'MEDIUM', displayName: 'Dead Letter Queue Topic Replication Factor' },
  { name: 'errors.deadletterqueue.context.headers.enable', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'Add __connect.errors.* headers describing the failure to dead letter queue records.', group: 'Error Handling', orderInGroup: 8, width: 'MEDIUM', displayName: 'Enable Error Context Headers' },
];

function regexProblem(pattern: string): string | undefined {
  if (pattern === '') return undefined;
  try {
    new RegExp(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export function connectorConfigKeys(type: 'source' | 'sink' | 'unknown'): readonly ConfigKey[] {
  if (type !== 'sink') return COMMON_KEYS;
  // Sink keys sit beside the common ones in Kafka's order: topics after the converters' group start.
  return [...COMMON_KEYS.slice(0, 3), ...SINK_KEYS.slice(0, 2), ...COMMON_KEYS.slice(3), ...SINK_KEYS.slice(2)];
}

/** The checks across keys that Kafka's SinkConnectorConfig.validate adds. */
export function validateSinkTopics(config: Readonly<Record<string, string>>, results: ConfigValueResult[]): void {
  const add = (name: string, message: string): void => {
    const r = results.find((x) => x.name === name);
    if (r) r.errors.push(message);
  };
  const topics = (config.topics ?? '').trim();
  const regex = (config['topics.regex'] ?? '').trim();
  const dlq = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
  if (topics !== '' && regex !== '') {
    const message = 'topics and topics.regex are mutually exclusive options, but both are set.';
    add('topics', message);
    add('topics.regex', message);
  }
  if (topics === '' && regex === '') {
    const message = 'Must configure one of topics or topics.regex';
    add('topics', message);
    add('topics.regex', message);
  }
  if (dlq !== '') {
    if (topics.split(/\s*,\s*/).includes(dlq)) {
      add('errors.deadletterqueue.topic.name', `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=${topics}') to be consumed.`);
    } else if (regex !== '' && regexProblem(regex) === undefined && new RegExp(`^(?:${regex})$`).test(dlq)) {
      add('errors.deadletterqueue.topic.name', `The DLQ topic '${dlq}' may not be included in the regex matching the topics ('topics.regex=${regex}') to be consumed.`);
    }
  }
}

/** Validates the common keys for a connector of `type`. */
export function validateCommonConfig(type: 'source' | 'sink' | 'unknown', config: Readonly<Record<string, string>>): ConfigValueResult[] {
  const results = validateConfig(connectorConfigKeys(type), config);
  if (type === 'sink') validateSinkTopics(config, results);
  return results;
}

export type ErrorTolerance = 'none' | 'all';

/** What the worker reads of a connector's config to run its tasks. */
export interface ConnectorSettings {
  name: string;
  tasksMax: number;
  errorTolerance: ErrorTolerance;
  errorsLogEnable: boolean;
  errorsLogIncludeMessages: boolean;
  dlqTopic: string;
  dlqReplicationFactor: number;
  dlqContextHeaders: boolean;
  topics: string[];
  topicsRegex: string;
}

const bool = (v: string | undefined, fallback: boolean): boolean => (v === undefined ? fallback : v.trim().toLowerCase() === 'true');

/** Reads the settings of an already validated config. */
export function connectorSettings(config: Readonly<Record<string, string>>): ConnectorSettings {
  const tolerance = (config['errors.tolerance'] ?? 'none').trim();
  return {
    name: config.name!.trim(),
    tasksMax: Number(config['tasks.max'] ?? 1),
    errorTolerance: tolerance === 'all' ? 'all' : 'none',
    errorsLogEnable: bool(config['errors.log.enable'], false),
    errorsLogIncludeMessages: bool(config['errors.log.include.messages'], false),
    dlqTopic: (config['errors.deadletterqueue.topic.name'] ?? '').trim(),
    dlqReplicationFactor: Number(config['errors.deadletterqueue.topic.replication.factor'] ?? 3),
    dlqContextHeaders: bool(config['errors.deadletterqueue.context.headers.enable'], false),
    topics: (config.topics ?? '').split(',').map((t) => t.trim()).filter((t) => t !== ''),
    topicsRegex: (config['topics.regex'] ?? '').trim(),
  };
}
