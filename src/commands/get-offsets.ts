// kafka-get-offsets (GetOffsetShell): one `topic:partition:offset` line per matching partition
// for a --time spec. Option errors and "nothing matched" print `Error occurred: <message>` on
// stderr (exit 1); other failures add the Java stack trace's first line, as Kafka's does. A
// partition whose lookup fails is skipped with a stderr line; one without an offset for the
// timestamp (-1) is left out. Lines are sorted by topic, then partition number.
import { KtoolError, UsageError } from '../errors.js';
import { bootstrapProblem, connectionSettings } from '../client/client-config.js';
import {
  EARLIEST_LOCAL_TIMESTAMP, EARLIEST_TIMESTAMP, LATEST_TIERED_TIMESTAMP, LATEST_TIMESTAMP, MAX_TIMESTAMP,
  OffsetAdmin, describeFailure, tpName, type TopicPartition,
} from '../client/offset-admin.js';
import { TopicAdmin } from '../client/topic-admin.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { HELP_OPTION, KAFKA_VERSION, VERSION_OPTION, type Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, messageOf } from './shared/client-setup.js';
import type { CliIO } from './shared/io.js';
import { parseArgs, type OptionSpec, type ParsedArgs } from './shared/options.js';
import { JavaFailure, TerseError, topicAndPartitionsFilter, topicPartitionsFilter, type TopicPartitionFilter } from './get-offsets/partition-filter.js';

const USAGE_TEXT = 'An interactive shell for getting topic-partition offsets.';
const TIME_FORMS = '-1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', describedAs: 'HOST1:PORT1,...,HOST3:PORT3', description: 'REQUIRED. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.' },
  { name: 'broker-list', arg: 'required', describedAs: 'HOST1:PORT1,...,HOST3:PORT3', description: 'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.' },
  { name: 'command-config', arg: 'required', describedAs: 'config file', description: 'Property file containing configs to be passed to Admin Client.' },
  { name: 'exclude-internal-topics', description: 'By default, internal topics are included. If specified, internal topics are excluded.' },
  HELP_OPTION,
  { name: 'partitions', arg: 'required', describedAs: 'partition ids', description: 'Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present.' },
  { name: 'time', arg: 'required', describedAs: `<timestamp> / ${TIME_FORMS}`, description: 'timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.]', defaultValue: 'latest' },
  { name: 'topic', arg: 'required', describedAs: 'topic', description: 'The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present.' },
  { name: 'topic-partitions', arg: 'required', describedAs: 'topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3', description: "Comma separated list of topic-partition patterns to get the offsets for, with the format of '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?'. The first group is an optional regex for the topic name, if omitted, it matches any topic name. The section after ':' describes a 'partition' pattern, which can be: a number, a range in the format of 'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions." },
  VERSION_OPTION,
];

export interface GetOffsetsOptions {
  bootstrapServer: string;
  commandConfig?: string;
  topic?: string;
  partitions?: string;
  topicPartitions?: string;
  time: string;
  excludeInternalTopics: boolean;
}

/** Option checks in GetOffsetShellOptions' order; usage errors exit through the help table. */
export function getOffsetsOptions(args: ParsedArgs): GetOffsetsOptions {
  const bootstrapServer = args.value('bootstrap-server') ?? args.value('broker-list');
  if (bootstrapServer === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const problem = bootstrapProblem(bootstrapServer);
  if (problem) throw new UsageError(problem);
  return {
    bootstrapServer,
    commandConfig: args.value('command-config'),
    topic: args.value('topic'),
    partitions: args.value('partitions'),
    topicPartitions: args.value('topic-partitions'),
    time: args.value('time') ?? 'latest',
    excludeInternalTopics: args.has('exclude-internal-topics'),
  };
}

const NAMED_TIMES = new Map<string, bigint>([
  ['latest', LATEST_TIMESTAMP],
  ['earliest', EARLIEST_TIMESTAMP],
  ['max-timestamp', MAX_TIMESTAMP],
  ['earliest-local', EARLIEST_LOCAL_TIMESTAMP],
  ['latest-tiered', LATEST_TIERED_TIMESTAMP],
]);

/** `--time`: a name, or a Java long (the special negative values included). */
export function parseTime(text: string): bigint {
  const named = NAMED_TIMES.get(text);
  if (named !== undefined) return named;
  if (/^[+-]?\d+$/.test(text)) {
    const v = BigInt(text);
    if (v >= -(2n ** 63n) && v < 2n ** 63n) return v;
  }
  throw new TerseError(`Malformed time argument ${text}. Please use ${TIME_FORMS}, or a specified long format timestamp`);
}

/** Partitions in numeric order within each topic. */
export function sortPartitions(tps: TopicPartition[]): TopicPartition[] {
  return tps.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

export function offsetLines(offsets: ReadonlyArray<TopicPartition & { offset: bigint }>): string {
  return offsets.map((o) => `${o.topic}:${o.partition}:${o.offset}\n`).join('');
}

async function matchingPartitions(admin: TopicAdmin, filter: TopicPartitionFilter, excludeInternal: boolean): Promise<TopicPartition[]> {
  const topics = (await admin.listTopics(!excludeInternal)).filter((t) => filter.isTopicAllowed(t));
  if (topics.length === 0) return [];
  const { topics: infos } = await admin.describeTopics(topics);
  return infos.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition }))).filter((tp) => filter.isTopicPartitionAllowed(tp.topic, tp.partition));
}

async function fetchOffsets(opts: GetOffsetsOptions, io: CliIO): Promise<void> {
  if (opts.topicPartitions !== undefined && (opts.topic !== undefined || opts.partitions !== undefined)) {
    throw new TerseError('--topic-partitions cannot be used with --topic or --partitions');
  }
  const timestamp = parseTime(opts.time);
  const filter = opts.topicPartitions !== undefined ? topicPartitionsFilter(opts.topicPartitions) : topicAndPartitionsFilter(opts.topic, opts.partitions);
  const props = loadClientProperties(opts.commandConfig, io.cwd);
  props.set('client.id', 'GetOffsetShell');
  const client = new KafkaWireClient(connectionSettings(opts.bootstrapServer, props, io.env, 'GetOffsetShell'));
  try {
    const partitions = await matchingPartitions(new TopicAdmin(client), filter, opts.excludeInternalTopics);
    if (partitions.length === 0) throw new TerseError('Could not match any topic-partitions with the specified filters');
    const results = await new OffsetAdmin(client).listOffsets(partitions, timestamp);
    const found: Array<TopicPartition & { offset: bigint }> = [];
    for (const tp of sortPartitions(partitions)) {
      const r = results.get(tpName(tp));
      if (!r) continue;
      if (!r.ok) {
        io.stderr.write(`Skip getting offsets for topic-partition ${tpName(tp)} due to error: ${describeFailure(r.error)}\n`);
        continue;
      }
      if (r.value !== -1n) found.push({ ...tp, offset: r.value });
    }
    io.stdout.write(offsetLines(found));
  } finally {
    client.close();
  }
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  if (argv.length === 0) throw new UsageError(USAGE_TEXT);
  try {
    let args: ParsedArgs;
    try {
      args = parseArgs(OPTIONS, argv);
    } catch (err) {
      // jopt's parse errors become a TerseException here, without the help table.
      throw new TerseError(messageOf(err));
    }
    if (args.has('help')) throw new UsageError(USAGE_TEXT);
    if (args.has('version')) {
      io.stdout.write(`${KAFKA_VERSION}\n`);
      return;
    }
    await fetchOffsets(getOffsetsOptions(args), io);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.stderr.write(`Error occurred: ${failureMessage(err)}\n`);
    if (!(err instanceof TerseError)) io.stderr.write(`${stackHead(err)}\n`);
    throw new KtoolError('GET_OFFSETS_FAILED', messageOf(err), { reported: true, cause: err });
  }
}

/** What Java's getMessage() gives: admin-call failures arrive wrapped in an ExecutionException. */
function failureMessage(err: unknown): string {
  if (err instanceof TerseError || err instanceof JavaFailure) return err.message;
  if ((err as { javaClass?: unknown }).javaClass !== undefined || (err as Error)?.name === 'NetworkError') return `${javaClassOf(err)}: ${messageOf(err)}`;
  return messageOf(err);
}

/** The first line of the stack trace Kafka prints after the message. */
function stackHead(err: unknown): string {
  if (err instanceof JavaFailure) return `${err.javaClass}: ${err.message}`;
  if ((err as { javaClass?: unknown }).javaClass !== undefined || (err as Error)?.name === 'NetworkError') return `java.util.concurrent.ExecutionException: ${javaClassOf(err)}: ${messageOf(err)}`;
  return `${javaClassOf(err)}: ${messageOf(err)}`;
}

export const getOffsetsCommand: Command = {
  options: OPTIONS,
  run,
};
