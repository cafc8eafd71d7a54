// kafka-topics: create, list, describe, alter (add partitions) and delete topics. Option checks
// follow TopicCommandOptions.checkArgs in order; failures while talking to the cluster print
// `Error while executing topic command : <message>` on stdout plus an ERROR log line, exit 1.
// With `--zookeeper` (Kafka 2.x's flag) the same options run against the cluster's znodes
// (topics-zookeeper.ts); the option checks are then 2.8's.
import { isTopicConfig } from '../config/topic-config.js';
import { createLogger } from '../log.js';
import { KtoolError, UsageError } from '../errors.js';
import { connectionSettings } from '../client/client-config.js';
import { INTERNAL_TOPICS, TopicAdmin, topicIdToBase64, type ConfigEntry, type TopicInfo } from '../client/topic-admin.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { ZERO_UUID } from '../protocol/codec.js';
import { HELP_OPTION, VERSION_OPTION, parseOrHelp, type Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, messageOf } from './shared/client-setup.js';
import { includeList } from './shared/include-list.js';
import type { CliIO } from './shared/io.js';
import { rejectWith, requireOption, type OptionSpec, type ParsedArgs } from './shared/options.js';

export type TopicAction = 'create' | 'list' | 'describe' | 'alter' | 'delete';

export interface TopicsOptions {
  action: TopicAction;
  /** Exactly one of bootstrapServer and zookeeper is set. */
  bootstrapServer?: string;
  /** `--zookeeper host:port[/chroot]`: work through ZooKeeper as Kafka 2.x did. */
  zookeeper?: string;
  /** `--disable-rack-aware` (ZooKeeper mode's client-side replica assignment). */
  disableRackAware: boolean;
  commandConfig?: string;
  topic?: string;
  topicId?: string;
  partitions?: number;
  replicationFactor?: number;
  /** Raw `--replica-assignment`; parsed when the command runs, as Kafka does. */
  replicaAssignment?: string;
  /** Raw `--config` items; parsed when the command runs. */
  configs: readonly string[];
  deleteConfigs: readonly string[];
  ifExists: boolean;
  ifNotExists: boolean;
  excludeInternal: boolean;
  topicsWithOverrides: boolean;
  underReplicated: boolean;
  unavailable: boolean;
  underMinIsr: boolean;
  atMinIsr: boolean;
}

const OPTIONS: readonly OptionSpec[] = [
  { name: 'alter', description: 'Alter the number of partitions and the replica assignment of a topic. Topic configs are altered with kafka-configs.' },
  { name: 'at-min-isr-partitions', description: 'When describing topics, only show partitions whose ISR count equals the configured minimum.' },
  { name: 'bootstrap-server', arg: 'required', describedAs: 'server to connect to', description: 'REQUIRED: The Kafka server to connect to.' },
  { name: 'command-config', arg: 'required', describedAs: 'command config property file', description: 'Property file with configs for the admin client.' },
  { name: 'config', arg: 'required', multiple: true, describedAs: 'name=value', description: 'A topic config override for the topic being created (repeatable).' },
  { name: 'create', description: 'Create a new topic.' },
  { name: 'delete', description: 'Delete a topic.' },
  { name: 'delete-config', arg: 'required', multiple: true, describedAs: 'name', description: 'No longer supported: use kafka-configs to remove topic config overrides.' },
  { name: 'describe', description: 'List details for the given topics.' },
  { name: 'disable-rack-aware', description: 'With --zookeeper: assign replicas without rack information.' },
  { name: 'exclude-internal', description: 'Exclude internal topics when listing or describing; they are included by default.' },
  { name: 'force', description: 'Accepted for Kafka 2.x compatibility; does nothing.' },
  HELP_OPTION,
  { name: 'if-exists', description: 'When altering, deleting or describing topics, act only if the topic exists.' },
  { name: 'if-not-exists', description: 'When creating a topic, act only if the topic does not already exist.' },
  { name: 'list', description: 'List all available topics.' },
  { name: 'partition-size-limit-per-response', arg: 'required', type: 'Integer', describedAs: 'maximum number of partitions per response', description: 'The maximum number of partitions in one describe response.' },
  { name: 'partitions', arg: 'required', type: 'Integer', describedAs: '# of partitions', description: 'The number of partitions for the topic being created or altered. Without it, create uses the broker default.' },
  { name: 'replica-assignment', arg: 'required', describedAs: 'broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...', description: 'Manual partition-to-broker assignment for the topic being created or altered.' },
  { name: 'replication-factor', arg: 'required', type: 'Integer', describedAs: 'replication factor', description: 'The replication factor of each partition of the topic being created. Without it, the broker default is used.' },
  { name: 'topic', arg: 'required', describedAs: 'topic', description: 'The topic to create, alter, describe or delete. Except for create, a comma-separated list or a regular expression (quote it in the shell).' },
  { name: 'topic-id', arg: 'required', describedAs: 'topic-id', description: 'The id of the topic to describe (describe only).' },
  { name: 'topics-with-overrides', description: 'When describing topics, only show topics that have config overrides.' },
  { name: 'unavailable-partitions', description: 'When describing topics, only show partitions whose leader is not available.' },
  { name: 'under-min-isr-partitions', description: 'When describing topics, only show partitions whose ISR count is below the configured minimum.' },
  { name: 'under-replicated-partitions', description: 'When describing topics, only show under-replicated partitions.' },
  VERSION_OPTION,
  { name: 'zookeeper', arg: 'required', describedAs: 'hosts', description: 'DEPRECATED (Kafka 2.x): the ZooKeeper connection string, host:port[,host:port][/chroot]. Topics are read and written in ZooKeeper as Kafka 2.x\'s tool did.' },
];

const ACTIONS: readonly TopicAction[] = ['create', 'list', 'describe', 'alter', 'delete'];
const REPORTS = ['under-replicated-partitions', 'unavailable-partitions', 'under-min-isr-partitions', 'at-min-isr-partitions'];
export const COLLISION_WARNING = "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";

/** Every action except the given ones (Kafka's `invalidOptions`). */
const actionsExcept = (...allowed: TopicAction[]): string[] => ACTIONS.filter((a) => !allowed.includes(a));

/** Validates the parsed flags exactly as TopicCommandOptions.checkArgs does. */
export function topicsOptions(args: ParsedArgs): TopicsOptions {
  const actions = ACTIONS.filter((a) => args.has(a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  const action = actions[0]!;

  const zk = args.has('zookeeper');
  if (zk && args.has('bootstrap-server')) throw new KtoolError('ONE_CONNECTION', 'Only one of --bootstrap-server or --zookeeper must be specified');
  if (!zk && !args.has('bootstrap-server')) throw new KtoolError('MISSING_BOOTSTRAP', '--bootstrap-server must be specified');
  if (action === 'describe' && args.has('if-exists') && !args.has('topic') && (zk || !args.has('topic-id'))) {
    if (zk) requireOption(args, 'topic');
    throw new UsageError('--topic or --topic-id is required to describe a topic');
  }
  if (action !== 'list' && action !== 'describe') requireOption(args, 'topic');
  if (zk && action === 'create' && !args.has('replica-assignment')) {
    requireOption(args, 'partitions');
    requireOption(args, 'replication-factor');
  }
  if (action === 'alter' && !zk) {
    if (args.has('bootstrap-server') && args.has('config')) {
      throw new UsageError('Option combination "[bootstrap-server, config]" can\'t be used with option "[alter]" (To alter topic configurations, the kafka-configs tool can be used.)');
    }
    requireOption(args, 'partitions');
  }

  rejectWith(args, 'config', actionsExcept('alter', 'create'));
  if (zk) rejectWith(args, 'delete-config', actionsExcept('alter'));
  rejectWith(args, 'partitions', actionsExcept('alter', 'create'));
  rejectWith(args, 'replication-factor', actionsExcept('create'));
  rejectWith(args, 'replica-assignment', actionsExcept('alter', 'create'));
  if (action === 'create') rejectWith(args, 'replica-assignment', ['partitions', 'replication-factor']);
  for (const report of REPORTS) rejectWith(args, report, ['topics-with-overrides', ...actionsExcept('describe')]);
  rejectWith(args, 'topics-with-overrides', [...REPORTS, ...actionsExcept('describe')]);
  rejectWith(args, 'if-exists', actionsExcept('alter', 'delete', 'describe'));
  rejectWith(args, 'if-not-exists', actionsExcept('create'));
  rejectWith(args, 'exclude-internal', actionsExcept('list', 'describe'));
  // Kafka 2.8 computes ISR minimums from broker configs it cannot see through ZooKeeper; topic
  // ids arrived with 3.0's tool.
  for (const option of ['under-min-isr-partitions', 'at-min-isr-partitions', 'topic-id']) rejectWith(args, option, ['zookeeper']);

  return {
    action,
    bootstrapServer: args.value('bootstrap-server'),
    zookeeper: args.value('zookeeper'),
    disableRackAware: args.has('disable-rack-aware'),
    commandConfig: args.value('command-config'),
    topic: args.value('topic'),
    topicId: args.value('topic-id'),
    partitions: args.number('partitions'),
    replicationFactor: args.number('replication-factor'),
    replicaAssignment: args.value('replica-assignment'),
    configs: args.values('config'),
    deleteConfigs: args.values('delete-config'),
    ifExists: args.has('if-exists'),
    ifNotExists: args.has('if-not-exists'),
    excludeInternal: args.has('exclude-internal'),
    topicsWithOverrides: args.has('topics-with-overrides'),
    underReplicated: args.has('under-replicated-partitions'),
    unavailable: args.has('unavailable-partitions'),
    underMinIsr: args.has('under-min-isr-partitions'),
    atMinIsr: args.has('at-min-isr-partitions'),
  };
}

// ---- pure helpers for values ----------------------------------------------------------------

const illegalArgument = (message: string): KtoolError => new KtoolError('ILLEGAL_ARGUMENT', message);

/** `--config` items: split on `\s*=\s*`, exactly two parts (Java split drops trailing empties). */
export function parseTopicConfigs(items: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of items) {
    const parts = item.split(/\s*=\s*/);
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length !== 2) throw illegalArgument('requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".');
    out.set(parts[0]!.trim(), parts[1]!.trim());
  }
  for (const name of out.keys()) if (!isTopicConfig(name)) throw new KtoolError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
  return out;
}

/** `--replica-assignment 1:2,3:4`: commas separate partitions, colons replicas. */
export function parseReplicaAssignment(text: string): number[][] {
  const out: number[][] = [];
  for (const [i, part] of text.split(',').entries()) {
    const brokers = part.split(':').map((s) => {
      const t = s.trim();
      if (!/^[+-]?\d+$/.test(t)) throw new KtoolError('NUMBER_FORMAT', `For input string: "${t}"`);
      return Number(t);
    });
    const dups = [...new Set(brokers.filter((b, j) => brokers.indexOf(b) !== j))];
    if (dups.length > 0) throw new KtoolError('INVALID_ASSIGNMENT', `Partition replica lists may not contain duplicate entries: ${dups.join(',')}`);
    if (out.length > 0 && brokers.length !== out[0]!.length) {
      throw new KtoolError('INVALID_ASSIGNMENT', `Partition ${i} has different replication factor: [${brokers.join(', ')}]`);
    }
    out.push(brokers);
  }
  return out;
}

/** Java's natural String order (UTF-16 code units), which is also JS's default sort. */
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Topic selection of TopicCommand.getTopics: sorted, filtered by IncludeList and internal-ness. */
export function selectTopics(all: readonly string[], filter: string | undefined, excludeInternal: boolean): string[] {
  const allowed = filter === undefined ? () => true : includeList(filter);
  return [...all].sort(byName).filter((t) => allowed(t) && !(excludeInternal && INTERNAL_TOPICS.has(t)));
}

// ---- describe output ------------------------------------------------------------------------

export interface DescribeFilters {
  topicsWithOverrides: boolean;
  underReplicated: boolean;
  unavailable: boolean;
  underMinIsr: boolean;
  atMinIsr: boolean;
}

/** What differs between Kafka versions in the describe lines. */
export interface DescribeStyle {
  /** 3.8+: `Elr` and `LastKnownElr` columns (default true). */
  elr?: boolean;
  /** ZooKeeper mode: a topic marked for deletion ends its lines with `MarkedForDeletion: true`. */
  markedForDeletion?: boolean;
}

/** The describe lines for one topic (TopicCommand's TopicDescription and PartitionDescription). */
export function describeTopicLines(topic: TopicInfo, configs: readonly ConfigEntry[], liveBrokers: ReadonlySet<number>, f: DescribeFilters, style: DescribeStyle = {}): string {
  const marked = style.markedForDeletion ? '\tMarkedForDeletion: true' : '';
  const anyReport = f.underReplicated || f.unavailable || f.underMinIsr || f.atMinIsr;
  const overrides = configs.filter((c) => !c.isDefault);
  const replicationFactor = topic.partitions[0]?.replicas.length ?? 0;
  let out = '';
  if (!anyReport && (!f.topicsWithOverrides || overrides.length > 0)) {
    out += `Topic: ${topic.name}`;
    if (topic.topicId !== ZERO_UUID) out += `\tTopicId: ${topicIdToBase64(topic.topicId)}`;
    out += `\tPartitionCount: ${topic.partitions.length}\tReplicationFactor: ${replicationFactor}`;
    out += `\tConfigs: ${overrides.map((c) => `${c.name}=${c.value}`).join(',')}${marked}\n`;
  }
  if (f.topicsWithOverrides) return out;
  const minIsrText = configs.find((c) => c.name === 'min.insync.replicas')?.value;
  const minIsr = minIsrText == null ? undefined : Number(minIsrText);
  for (const p of topic.partitions) {
    const hasLeader = p.leader >= 0;
    const show = !anyReport
      || (f.underReplicated && p.replicas.length - p.isr.length > 0)
      || (f.unavailable && (!hasLeader || !liveBrokers.has(p.leader)))
      || (f.underMinIsr && (!hasLeader || (minIsr !== undefined && p.isr.length < minIsr)))
      || (f.atMinIsr && minIsr !== undefined && p.isr.length === minIsr);
    if (!show) continue;
    out += `\tTopic: ${topic.name}\tPartition: ${p.partition}\tLeader: ${hasLeader ? p.leader : 'none'}`;
    out += `\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}${style.elr === false ? '' : '\tElr: N/A\tLastKnownElr: N/A'}${marked}\n`;
  }
  return out;
}

// ---- running --------------------------------------------------------------------------------

function ensureTopicExists(found: readonly string[], requested: string | undefined, required: boolean): void {
  // Kafka 3.7+ formats the Java Optional itself into this message; scripts grep "does not exist".
  if (requested !== undefined && requested !== '' && required && found.length === 0) {
    throw illegalArgument(`Topic 'Optional[${requested}]' does not exist as expected`);
  }
}

async function execute(opts: TopicsOptions, admin: TopicAdmin, io: CliIO): Promise<void> {
  const out = io.stdout;
  const topicsMatching = async (): Promise<string[]> =>
    selectTopics(await admin.listTopics(!opts.excludeInternal), opts.topic, opts.excludeInternal);

  switch (opts.action) {
    case 'create': {
      const name = opts.topic!;
      if (opts.replicationFactor !== undefined && (opts.replicationFactor < 1 || opts.replicationFactor > 32767)) {
        throw illegalArgument('The replication factor must be between 1 and 32767 inclusive');
      }
      if (opts.partitions !== undefined && opts.partitions < 1) throw illegalArgument('The partitions must be greater than 0');
      const configs = parseTopicConfigs(opts.configs);
      const assignment = opts.replicaAssignment === undefined ? undefined : parseReplicaAssignment(opts.replicaAssignment);
      if (/[._]/.test(name)) out.write(`${COLLISION_WARNING}\n`);
      try {
        await admin.createTopic({ name, partitions: opts.partitions, replicationFactor: opts.replicationFactor, assignment, configs });
      } catch (err) {
        if (opts.ifNotExists && (err as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return;
        throw err;
      }
      out.write(`Created topic ${name}.\n`);
      return;
    }
    case 'list':
      out.write(`${(await topicsMatching()).join('\n')}\n`);
      return;
    case 'delete': {
      const topics = await topicsMatching();
      ensureTopicExists(topics, opts.topic, !opts.ifExists);
      await admin.deleteTopics(topics);
      return;
    }
    case 'alter': {
      const topics = await topicsMatching();
      ensureTopicExists(topics, opts.topic, !opts.ifExists);
      if (topics.length === 0) return;
      if (opts.replicaAssignment !== undefined) {
        // Only the entries beyond each topic's current partition count describe new partitions.
        const assignment = parseReplicaAssignment(opts.replicaAssignment);
        const { topics: infos } = await admin.describeTopics(topics);
        for (const info of infos) await admin.createPartitions([info.name], opts.partitions!, assignment.slice(info.partitions.length));
        return;
      }
      await admin.createPartitions(topics, opts.partitions!);
      return;
    }
    case 'describe': {
      let names: string[];
      if (opts.topicId !== undefined) {
        const wanted = opts.topicId;
        const { topics: all } = await admin.describeTopics(await admin.listTopics(true));
        names = all.filter((t) => t.topicId === wanted || topicIdToBase64(t.topicId) === wanted).map((t) => t.name);
        if (names.length === 0 && !opts.ifExists) throw illegalArgument(`TopicId '${wanted}' does not exist as expected`);
      } else {
        names = await topicsMatching();
        ensureTopicExists(names, opts.topic, !opts.ifExists);
      }
      if (names.length === 0) return;
      const { topics, liveBrokers } = await admin.describeTopics(names);
      const configs = await admin.describeTopicConfigs(topics.map((t) => t.name));
      let text = '';
      for (const topic of [...topics].sort((a, b) => byName(a.name, b.name))) {
        text += describeTopicLines(topic, configs.get(topic.name) ?? [], liveBrokers, opts);
      }
      out.write(text);
      return;
    }
  }
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(OPTIONS, argv, 'This tool helps to create, delete, describe, or change a topic.', io, 'Create, delete, describe, or change a topic.');
  if (!args) return;
  const opts = topicsOptions(args);
  if (opts.zookeeper !== undefined) {
    const { runZookeeperTopicCommand } = await import('./topics-zookeeper.js');
    return runZookeeperTopicCommand(opts, io);
  }
  if (opts.deleteConfigs.length > 0) {
    io.stderr.write('delete-config option is no longer supported and deprecated since version 4.0. The config will be fully removed in future releases.\n');
  }
  if (opts.topicId !== undefined && opts.topic !== undefined && opts.action === 'describe') {
    io.stdout.write('Only topic id will be used when both --topic and --topic-id are specified and topicId is not Uuid.ZERO_UUID\n');
  }
  const settings = connectionSettings(opts.bootstrapServer!, loadClientProperties(opts.commandConfig, io.cwd), io.env, 'adminclient-1');
  const logger = createLogger('org.apache.kafka.tools.TopicCommand', io.stderr, 'WARN');
  const client = new KafkaWireClient(settings, { logPrefix: `[AdminClient clientId=${settings.clientId}] `, logger });
  try {
    await execute(opts, new TopicAdmin(client), io);
  } catch (err) {
    io.stdout.write(`Error while executing topic command : ${messageOf(err)}\n`);
    logger.error(`${javaClassOf(err)}: ${messageOf(err)}`);
    throw new KtoolError('TOPIC_COMMAND_FAILED', messageOf(err), { reported: true, cause: err });
  } finally {
    client.close();
  }
}

export const topicsCommand: Command = {
  options: OPTIONS,
  run,
};
