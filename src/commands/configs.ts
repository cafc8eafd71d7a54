// kafka-configs (ConfigCommand): describe and alter the configs of topics, brokers and the
// cluster's broker defaults through DescribeConfigs / IncrementalAlterConfigs. Failures end as
// Kafka's do: option and validation problems print their message alone on stderr; anything else
// prints `Error while executing config command with args '<args>'` and the exception, exit 1.
// Users' SCRAM credentials (and the quotas printed beside them) go through configs-users.ts.
// Client quotas, client-metrics and group configs are refused with a clear error (see
// UNSUPPORTED_TYPES).
import { connectionSettings } from '../client/client-config.js';
import { ConfigAdmin, ResourceType, type AlterOp, type ConfigResourceRef } from '../client/config-admin.js';
import { TopicAdmin } from '../client/topic-admin.js';
import { UserAdmin } from '../client/user-admin.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { topicNameError } from '../broker/metadata/topic-names.js';
import { KtoolError } from '../errors.js';
import { createLogger } from '../log.js';
import { CONFIGS_OPTIONS, configsOptions, illegalArgument, type ConfigsOptions } from './configs/configs-options.js';
import { completedMessage, describeHeader, describeLine, entriesToShow, parseAddConfig, validateConfigKeys } from './configs/configs-text.js';
import { alterUser, describeUsers } from './configs/configs-users.js';
import { parseOrHelp, type Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, messageOf } from './shared/client-setup.js';
import { javaHashOrder, javaStringHash } from './shared/java-hash.js';
import type { CliIO } from './shared/io.js';

/** Entity types whose APIs (client quotas, client metrics, group configs) ktool does not speak yet. */
const UNSUPPORTED_TYPES = new Set(['clients', 'ips', 'client-metrics', 'groups']);

/** InvalidConfigurationException: Kafka prints its message alone. */
class InvalidConfiguration extends KtoolError {
  constructor(message: string) {
    super('INVALID_CONFIGURATION', message);
  }
}

/** A future's failure as Java's `get()` throws it, for the stack-trace line. */
class ExecutionFailure extends Error {
  readonly javaClass = 'java.util.concurrent.ExecutionException';
  constructor(cause: unknown) {
    super(`${javaClassOf(cause)}: ${messageOf(cause)}`, { cause });
  }
}

function resourceOf(entityType: string, entityName: string): ConfigResourceRef {
  const type = entityType === 'topics' ? ResourceType.TOPIC : entityType === 'brokers' ? ResourceType.BROKER : ResourceType.BROKER_LOGGER;
  return { type, name: entityName };
}

/** Kafka's IllegalArgument / InvalidConfiguration / option errors: printed as their message alone. */
function isMessageOnly(err: unknown): boolean {
  return err instanceof KtoolError && (err.code === 'ILLEGAL_ARGUMENT' || err.code === 'INVALID_CONFIGURATION' || err.code === 'USAGE');
}

/** Java's `future.get()`: the cause wrapped in an ExecutionException. */
async function get<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isMessageOnly(err)) throw err;
    throw new ExecutionFailure(err);
  }
}

async function readConfigsToAdd(opts: ConfigsOptions, io: CliIO): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (opts.addConfigFile !== undefined) for (const [k, v] of loadClientProperties(opts.addConfigFile, io.cwd)) out.set(k, v);
  if (opts.addConfig !== undefined) for (const [k, v] of parseAddConfig(opts.addConfig)) out.set(k, v);
  validateConfigKeys(out.keys());
  return out;
}

async function describeEntityConfigs(admin: ConfigAdmin, entityType: string, entityName: string, includeSynonyms: boolean) {
  if (entityType === 'topics' && entityName !== '') {
    const problem = topicNameError(entityName);
    if (problem) throw Object.assign(new Error(problem), { javaClass: 'org.apache.kafka.common.errors.InvalidTopicException' });
  }
  return get(admin.describeConfigs(resourceOf(entityType, entityName), includeSynonyms));
}

async function alter(opts: ConfigsOptions, admin: ConfigAdmin, io: CliIO): Promise<void> {
  const [entityType, entityName] = [opts.entityTypes[0]!, opts.entityNames[0]!];
  const toAdd = await readConfigsToAdd(opts, io);
  if (entityType === 'broker-loggers') {
    const valid = new Set((await describeEntityConfigs(admin, entityType, entityName, true)).map((e) => e.name));
    const invalid = [...opts.deleteConfigs.filter((k) => !valid.has(k)), ...[...toAdd.keys()].filter((k) => !valid.has(k))];
    if (invalid.length > 0) throw new InvalidConfiguration(`Invalid broker logger(s): ${invalid.join(',')}`);
  } else {
    const current = entriesToShow(await describeEntityConfigs(admin, entityType, entityName, false), entityType, entityName, false);
    const invalid = opts.deleteConfigs.filter((k) => !current.some((e) => e.name === k));
    if (invalid.length > 0) throw new InvalidConfiguration(`Invalid config(s): ${invalid.join(',')}`);
  }
  const ops: AlterOp[] = [
    ...opts.deleteConfigs.map((name): AlterOp => ({ name, op: 'DELETE', value: '' })),
    ...[...toAdd].map(([name, value]): AlterOp => ({ name, op: 'SET', value })),
  ];
  await get(admin.incrementalAlterConfigs(resourceOf(entityType, entityName), ops));
  io.stdout.write(`${completedMessage(entityType, entityName)}\n`);
}

async function describe(opts: ConfigsOptions, admin: ConfigAdmin, topics: TopicAdmin, io: CliIO): Promise<void> {
  const entityType = opts.entityTypes[0]!;
  let entities: string[];
  if (opts.entityNames.length > 0) entities = [opts.entityNames[0]!];
  else if (entityType === 'topics') entities = javaHashOrder(await get(topics.listTopics(true)), javaStringHash); // a HashSet in Kafka
  else entities = [...(await get(admin.brokerIds())).map(String), ''];
  for (const entity of entities) {
    const entries = await describeEntityConfigs(admin, entityType, entity, true);
    const lines = [describeHeader(entityType, entity, opts.describeAll), ...entriesToShow(entries, entityType, entity, opts.describeAll).map(describeLine)];
    io.stdout.write(`${lines.join('\n')}\n`);
  }
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(CONFIGS_OPTIONS, argv, 'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group', io);
  if (!args) return;
  const opts = configsOptions(args);
  const unsupported = opts.entityTypes.find((t) => UNSUPPORTED_TYPES.has(t));
  if (unsupported) {
    throw new KtoolError('UNSUPPORTED_ENTITY_TYPE', `ktool configs does not support entity type '${unsupported}' yet: only topics, brokers, broker-loggers and users (SCRAM credentials) can be described or altered.`);
  }
  const logger = createLogger('kafka.admin.ConfigCommand$', io.stderr, 'WARN');
  let client: KafkaWireClient | undefined;
  try {
    const props = loadClientProperties(opts.commandConfig, io.cwd);
    const settings = connectionSettings((opts.bootstrapServer ?? opts.bootstrapController)!, props, io.env, 'adminclient-1');
    client = new KafkaWireClient(settings, { logPrefix: `[AdminClient clientId=${settings.clientId}] `, logger });
    if (opts.action === 'alter' && opts.entityTypes.length !== opts.entityNames.length) throw illegalArgument('An entity name must be specified for every entity type');
    if (opts.entityTypes[0] === 'users') {
      const users = new UserAdmin(client);
      if (opts.action === 'alter') await get(alterUser(users, opts.entityNames[0]!, await readConfigsToAdd(opts, io), opts.deleteConfigs, io));
      else await get(describeUsers(users, opts.entityNames, io));
      return;
    }
    const admin = new ConfigAdmin(client);
    if (opts.action === 'alter') await alter(opts, admin, io);
    else await describe(opts, admin, new TopicAdmin(client), io);
  } catch (err) {
    // IllegalArgument, InvalidConfiguration and option errors: the message alone (cli.ts prints it).
    if (isMessageOnly(err)) throw err;
    io.stderr.write(`Error while executing config command with args '${argv.join(' ')}'\n${javaClassOf(err)}: ${messageOf(err)}\n`);
    throw new KtoolError('CONFIG_COMMAND_FAILED', messageOf(err), { reported: true, cause: err });
  } finally {
    client?.close();
  }
}

export const configsCommand: Command = {
  options: CONFIGS_OPTIONS,
  run,
};
