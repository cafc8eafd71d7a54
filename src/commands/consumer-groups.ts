// kafka-consumer-groups: list, describe (offsets, members, state), delete groups, reset and delete
// committed offsets. Option checks follow ConsumerGroupCommandOptions.checkArgs in order; usage
// errors exit 1. Every other failure prints `\nError: Executing consumer group command failed due
// to <message>` on stdout (the Java exception on stderr) and still exits 0, as Kafka's tool does.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLogger, type Logger } from '../log.js';
import { KtoolError, UsageError } from '../errors.js';
import { connectionSettings } from '../client/client-config.js';
import {
  compareTopicPartitions, GroupAdmin, tpString,
  type CommittedOffset, type GroupInfo, type TopicPartition,
} from '../client/group-admin.js';
import { KafkaProtocolError } from '../client/kafka-errors.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { HELP_OPTION, VERSION_OPTION, parseOrHelp, type Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, messageOf } from './shared/client-setup.js';
import type { CliIO } from './shared/io.js';
import type { OptionSpec, ParsedArgs } from './shared/options.js';
import {
  deleteOffsetsHeadline, formatDeleteGroups, formatDeleteOffsetsTable, formatGroupTable, formatMembersTable,
  formatOffsetsTable, formatResetTable, formatStateTable, stateNotice, type MemberRow, type OffsetRow,
} from './consumer-groups/format.js';
import {
  durationTimestamp, exportCsv, parseDateTime, parseDuration, parseResetPlan, parseStateList, parseTypeList,
  splitTopicArgs, ValueError, type PlannedOffset,
} from './consumer-groups/values.js';

export type GroupAction = 'list' | 'describe' | 'delete' | 'reset-offsets' | 'delete-offsets';
export type DescribeView = 'offsets' | 'members' | 'state';
export type ResetScenario =
  | { kind: 'to-offset'; offset: bigint }
  | { kind: 'to-earliest' }
  | { kind: 'to-latest' }
  | { kind: 'to-current' }
  | { kind: 'shift-by'; shift: bigint }
  | { kind: 'to-datetime'; text: string }
  | { kind: 'by-duration'; text: string }
  | { kind: 'from-file'; path: string };

export interface ConsumerGroupsOptions {
  action: GroupAction;
  bootstrapServer: string;
  commandConfig?: string;
  groups: string[];
  allGroups: boolean;
  topics: string[];
  allTopics: boolean;
  timeoutMs: number;
  view: DescribeView;
  verbose: boolean;
  /** --list: whether the STATE / TYPE columns are shown, and the raw filter values. */
  listState: boolean;
  stateFilter?: string;
  listType: boolean;
  typeFilter?: string;
  /** --reset-offsets */
  execute: boolean;
  exportCsv: boolean;
  scenario?: ResetScenario;
}

const LOGGER = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';
const HELP = 'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.';
const ACTIONS_MESSAGE = 'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets';
const MISSING_EXECUTE_WARNING = 'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.';
const SCENARIOS = ['to-offset', 'shift-by', 'to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'to-current', 'from-file'] as const;

const OPTIONS: readonly OptionSpec[] = [
  { name: 'all-groups', description: 'Act on every consumer group.' },
  { name: 'all-topics', description: 'With --reset-offsets: every topic the group has committed offsets for.' },
  { name: 'bootstrap-server', arg: 'required', describedAs: 'server to connect to', description: 'REQUIRED: The server(s) to connect to.' },
  { name: 'by-duration', arg: 'required', describedAs: 'duration', description: "Reset to the offsets of this long ago, an ISO-8601 duration such as 'P1DT2H30M'." },
  { name: 'command-config', arg: 'required', describedAs: 'command config property file', description: 'Client properties file for the admin connection (security settings, timeouts).' },
  { name: 'delete', description: 'Delete whole consumer groups (--group, repeatable, or --all-groups); they must have no active members.' },
  { name: 'delete-offsets', description: 'Delete the committed offsets of one group for the given --topic values (topic or topic:partitions).' },
  { name: 'describe', description: 'Describe groups: their partitions with committed offsets and lag (the default), --members or --state.' },
  { name: 'dry-run', description: 'Show what --reset-offsets would do without changing anything (the default).' },
  { name: 'execute', description: 'Apply the --reset-offsets plan.' },
  { name: 'export', description: 'Print the --reset-offsets plan as CSV, for a later --from-file.' },
  { name: 'from-file', arg: 'required', multiple: true, describedAs: 'path to CSV file', description: 'Reset to the offsets in this CSV file (topic,partition,offset or group,topic,partition,offset lines).' },
  { name: 'group', arg: 'required', multiple: true, describedAs: 'consumer group', description: 'The consumer group to act on (repeatable where several are allowed).' },
  HELP_OPTION,
  { name: 'list', description: 'List the consumer groups.' },
  { name: 'members', description: 'With --describe: one row per group member.' },
  { name: 'offsets', description: 'With --describe: partitions, committed offsets and lag (the default view).' },
  { name: 'reset-offsets', description: 'Reset the committed offsets of inactive groups: choose a scenario (--to-earliest, --to-latest, --to-current, --to-offset, --shift-by, --to-datetime, --by-duration, --from-file) and a scope (--all-topics or --topic), then --dry-run or --execute.' },
  { name: 'shift-by', arg: 'required', type: 'Long', describedAs: 'number-of-offsets', description: 'Reset to the committed offset moved by n (negative moves back).' },
  { name: 'state', arg: 'optional', describedAs: 'state list', description: "With --describe: the group's coordinator, assignor, state and member count. With --list: add a STATE column, optionally keeping only the given comma-separated states." },
  { name: 'timeout', arg: 'required', type: 'Long', describedAs: 'timeout (ms)', description: 'How long each call to the cluster may take.', defaultValue: '5000' },
  { name: 'to-current', description: 'Reset to the committed offsets (the log end where there is none).' },
  { name: 'to-datetime', arg: 'required', multiple: true, describedAs: 'datetime', description: "Reset to the first offset at or after this time, 'YYYY-MM-DDTHH:mm:SS.sss' with an optional zone (UTC without one)." },
  { name: 'to-earliest', description: 'Reset to the earliest offset.' },
  { name: 'to-latest', description: 'Reset to the latest offset.' },
  { name: 'to-offset', arg: 'required', multiple: true, type: 'Long', describedAs: 'offset', description: 'Reset to this offset (clamped to what each partition holds).' },
  { name: 'topic', arg: 'required', multiple: true, describedAs: 'topic', description: 'A topic, or topic:0,1,2 for some of its partitions (repeatable): the scope of --reset-offsets, or what --delete-offsets deletes.' },
  { name: 'type', arg: 'optional', describedAs: 'type list', description: 'With --list: add a TYPE column, optionally keeping only the given comma-separated types (classic, consumer).' },
  { name: 'verbose', description: 'With --describe --members: also show each member\'s assignment.' },
  VERSION_OPTION,
];

const ACTIONS: readonly GroupAction[] = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets'];

/** jopt's availableIf: these options are only accepted next to one of the listed ones. */
const AVAILABLE_IF: ReadonlyArray<[string, readonly string[]]> = [
  ['members', ['describe']],
  ['verbose', ['describe']],
  ['offsets', ['describe']],
  ['state', ['describe', 'list']],
  ['type', ['list']],
];

/** `Option "[used]" can't be used with option "[other]"` for the first present `other`. */
function rejectWith(args: ParsedArgs, used: string, others: readonly string[]): void {
  if (!args.has(used)) return;
  for (const other of others) if (args.has(other)) throw new UsageError(`Option "[${used}]" can't be used with option "[${other}]"`);
}

/**
 * Validates the flags as ConsumerGroupCommandOptions.checkArgs does, in its order (the action
 * count is checked last, as the tool's main does). `warn` receives the missing --execute warning,
 * which Kafka prints during these checks.
 */
export function consumerGroupsOptions(args: ParsedArgs, warn: (line: string) => void = () => {}): ConsumerGroupsOptions {
  for (const [option, needs] of AVAILABLE_IF) {
    if (args.has(option) && !needs.some((n) => args.has(n))) throw new UsageError(`Option(s) [${option}] are unavailable given other options on the command line`);
  }
  if (!args.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const scope = args.has('group') || args.has('all-groups');

  if (args.has('describe')) {
    if (!scope) throw new UsageError('Option [describe] takes one of these options: [group], [all-groups]');
    if (['members', 'offsets', 'state'].filter((o) => args.has(o)).length > 1) {
      throw new UsageError('Option [describe] takes at most one of these options: [members], [offsets], [state]');
    }
    if (args.has('state') && args.value('state') !== undefined) throw new UsageError('Option [describe] does not take a value for [state]');
  }
  if (args.has('delete')) {
    if (!scope) throw new UsageError('Option [delete] takes one of these options: [group], [all-groups]');
    if (args.has('topic')) throw new UsageError('The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (args.has('delete-offsets') && (!args.has('group') || !args.has('topic'))) {
    throw new UsageError('Option [delete-offsets] takes the following options: [group], [topic]');
  }
  if (args.has('reset-offsets')) {
    if (args.has('dry-run') && args.has('execute')) throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]');
    if (!args.has('dry-run') && !args.has('execute')) warn(MISSING_EXECUTE_WARNING);
    if (!scope) throw new UsageError('Option [reset-offsets] takes one of these options: [group], [all-groups]');
    for (const s of SCENARIOS) rejectWith(args, s, SCENARIOS.filter((o) => o !== s));
  }
  rejectWith(args, 'group', ['all-groups']);
  rejectWith(args, 'group', ['list']);
  rejectWith(args, 'topic', ['list', 'describe']);

  const actions = ACTIONS.filter((a) => args.has(a));
  if (actions.length !== 1) throw new UsageError(ACTIONS_MESSAGE);

  const scenario = ((): ResetScenario | undefined => {
    if (args.has('to-offset')) return { kind: 'to-offset', offset: BigInt(args.value('to-offset')!) };
    if (args.has('to-earliest')) return { kind: 'to-earliest' };
    if (args.has('to-latest')) return { kind: 'to-latest' };
    if (args.has('shift-by')) return { kind: 'shift-by', shift: args.bigint('shift-by')! };
    if (args.has('to-datetime')) return { kind: 'to-datetime', text: args.value('to-datetime')! };
    if (args.has('by-duration')) return { kind: 'by-duration', text: args.value('by-duration')! };
    if (args.has('from-file')) return { kind: 'from-file', path: args.value('from-file')! };
    if (args.has('to-current')) return { kind: 'to-current' };
    return undefined;
  })();

  const timeout = args.bigint('timeout') ?? 5000n;
  return {
    action: actions[0]!,
    bootstrapServer: args.value('bootstrap-server')!,
    commandConfig: args.value('command-config'),
    groups: [...args.values('group')],
    allGroups: args.has('all-groups'),
    topics: [...args.values('topic')],
    allTopics: args.has('all-topics'),
    // The admin client takes the timeout as an int.
    timeoutMs: Number(BigInt.asIntN(32, timeout)),
    view: args.has('members') ? 'members' : args.has('state') ? 'state' : 'offsets',
    verbose: args.has('verbose'),
    listState: args.has('state'),
    stateFilter: args.value('state'),
    listType: args.has('type'),
    typeFilter: args.value('type'),
    execute: args.has('execute'),
    exportCsv: args.has('export'),
    scenario,
  };
}

// ---- failures ----------------------------------------------------------------------------------

/**
 * A failure the tool reports with its own message only (Kafka rethrows the cause of the admin
 * call, or raised it itself), rather than `<exception class>: <message>`.
 */
class PlainFailure extends KtoolError {
  constructor(message: string, readonly javaClass: string, cause?: unknown) {
    super('CONSUMER_GROUP_COMMAND', message, { cause });
    this.name = 'PlainFailure';
  }
}

const plain = (err: unknown): unknown =>
  err instanceof KafkaProtocolError ? new PlainFailure(err.message, err.javaClass, err) : err;

/** The text after "failed due to": admin-call failures show their Java exception's class. */
function failureText(err: unknown): string {
  if (err instanceof ValueError) return err.wrapped ? `${err.javaClass}: ${err.message}` : err.message;
  if (err instanceof PlainFailure) return err.message;
  if (err instanceof KtoolError && !('javaClass' in err)) return err.message;
  return `${javaClassOf(err)}: ${messageOf(err)}`;
}

const javaError = (err: KafkaProtocolError): string => `${err.javaClass}: ${err.message}`;

// ---- running -------------------------------------------------------------------------------------

interface Context {
  opts: ConsumerGroupsOptions;
  admin: GroupAdmin;
  io: CliIO;
  log: Logger;
}

const sortedUnique = (ids: readonly string[]): string[] => [...new Set(ids)].sort();

async function targetGroups(ctx: Context): Promise<string[]> {
  return ctx.opts.allGroups ? (await ctx.admin.listGroups()).map((g) => g.groupId) : ctx.opts.groups;
}

async function listGroups(ctx: Context): Promise<void> {
  const { opts, admin, io } = ctx;
  if (!opts.listState && !opts.listType) {
    for (const g of await admin.listGroups()) io.stdout.write(`${g.groupId}\n`);
    return;
  }
  const types = parseTypeList(opts.typeFilter);
  const states = parseStateList(opts.stateFilter);
  const groups = await admin.listGroups({ states, types });
  io.stdout.write(formatGroupTable(groups, opts.listType, opts.listState));
}

/** The offsets view's rows: members' partitions (members with more first), then committed but unowned ones. */
async function offsetRows(admin: GroupAdmin, info: GroupInfo, committed: readonly CommittedOffset[]): Promise<OffsetRow[]> {
  const byPartition = new Map(committed.map((c) => [tpString(c), c]));
  const owners = info.members.filter((m) => m.assignment.length > 0).sort((a, b) => b.assignment.length - a.assignment.length);
  const owned = new Set(owners.flatMap((m) => m.assignment.map(tpString)));
  const unowned = committed.filter((c) => !owned.has(tpString(c)));
  const all = [...owners.flatMap((m) => m.assignment), ...unowned];
  const ends = await admin.listOffsets(all, 'latest');
  const row = (tp: TopicPartition, who: { consumerId?: string; host?: string; clientId?: string }): OffsetRow => {
    const offset = byPartition.get(tpString(tp))?.offset;
    const end = ends.get(tpString(tp));
    const logEndOffset = typeof end === 'bigint' ? end : undefined;
    return {
      group: info.groupId,
      topic: tp.topic,
      partition: tp.partition,
      offset,
      logEndOffset,
      lag: offset !== undefined && logEndOffset !== undefined ? logEndOffset - offset : undefined,
      ...who,
    };
  };
  const rows: OffsetRow[] = [];
  for (const m of owners) {
    for (const tp of [...m.assignment].sort(compareTopicPartitions)) rows.push(row(tp, { consumerId: m.memberId, host: m.host, clientId: m.clientId }));
  }
  for (const tp of unowned) rows.push(row(tp, { consumerId: '-', host: '-', clientId: '-' }));
  return rows;
}

async function describeGroups(ctx: Context): Promise<void> {
  const { opts, admin, io } = ctx;
  const ids = sortedUnique(await targetGroups(ctx));
  // Everything is collected before anything is printed, as the tool does.
  const blocks: Array<{ info: GroupInfo; rows: number; table: () => string }> = [];
  for (const groupId of ids) {
    const info = await admin.describeGroup(groupId);
    if (opts.view === 'offsets') {
      const rows = info.exists ? await offsetRows(admin, info, await admin.committedOffsets(groupId)) : [];
      blocks.push({ info, rows: rows.length, table: () => formatOffsetsTable(rows) });
    } else if (opts.view === 'members') {
      const rows: MemberRow[] = info.members.map((m) => ({ group: groupId, consumerId: m.memberId, groupInstanceId: m.groupInstanceId, host: m.host, clientId: m.clientId, assignment: m.assignment }));
      blocks.push({ info, rows: rows.length, table: () => formatMembersTable(rows, opts.verbose) });
    } else {
      blocks.push({
        info,
        rows: 1,
        table: () => formatStateTable({ group: groupId, coordinator: info.coordinator, assignmentStrategy: info.assignor, state: info.state, members: info.members.length }),
      });
    }
  }
  for (const { info, rows, table } of blocks) {
    const notice = stateNotice(info.groupId, info.exists, info.state, rows);
    if (notice.stderr) io.stderr.write(notice.stderr);
    if (notice.stdout) io.stdout.write(notice.stdout);
    if (notice.print) io.stdout.write(table());
  }
}

async function deleteGroups(ctx: Context): Promise<void> {
  const results = await ctx.admin.deleteGroups(await targetGroups(ctx));
  ctx.io.stdout.write(formatDeleteGroups(results.map((r) => ({ groupId: r.groupId, error: r.error ? javaError(r.error) : null }))));
}

async function deleteOffsets(ctx: Context): Promise<void> {
  const { opts, admin, io } = ctx;
  const groupId = opts.groups[0]!;
  const { partitions: explicit, topics } = splitTopicArgs(opts.topics);
  const results = new Map<string, { topic: string; partition: number; error: string | null }>();
  const wanted: TopicPartition[] = [...explicit];
  for (const [topic, info] of await admin.describeTopics(topics)) {
    if (info instanceof KafkaProtocolError) results.set(`${topic}--1`, { topic, partition: -1, error: javaError(info) });
    else wanted.push(...info.partitions.map((p) => ({ topic, partition: p.partition })));
  }
  const unique = [...new Map(wanted.map((tp) => [tpString(tp), tp])).values()];
  const { errorCode, partitions } = await admin.deleteOffsets(groupId, unique);
  let topLevel = errorCode;
  if (topLevel === 0) topLevel = unique.map((tp) => partitions.get(tpString(tp)) ?? 0).find((c) => c !== 0) ?? 0;
  for (const tp of unique) {
    const code = errorCode !== 0 ? errorCode : (partitions.get(tpString(tp)) ?? 0);
    results.set(tpString(tp), { ...tp, error: code === 0 ? null : javaError(new KafkaProtocolError(code)) });
  }
  io.stdout.write(deleteOffsetsHeadline(groupId, opts.topics, topLevel === 0 ? 'NONE' : new KafkaProtocolError(topLevel).type));
  io.stdout.write(formatDeleteOffsetsTable([...results.values()]));
}

// ---- --reset-offsets -------------------------------------------------------------------------

/** Clamps requested offsets into [log start, log end] with Kafka's WARN lines (checkOffsetsRange). */
async function clampOffsets(ctx: Context, requested: readonly PlannedOffset[]): Promise<PlannedOffset[]> {
  const starts = await ctx.admin.listOffsets(requested, 'earliest');
  const ends = await ctx.admin.listOffsets(requested, 'latest');
  return requested.map((r) => {
    const end = ends.get(tpString(r));
    if (typeof end === 'bigint' && r.offset > end) {
      ctx.log.warn(`New offset (${r.offset}) is higher than latest offset for topic partition ${tpString(r)}. Value will be set to ${end}`);
      return { ...r, offset: end };
    }
    const start = starts.get(tpString(r));
    if (typeof start === 'bigint' && r.offset < start) {
      ctx.log.warn(`New offset (${r.offset}) is lower than earliest offset for topic partition ${tpString(r)}. Value will be set to ${start}`);
      return { ...r, offset: start };
    }
    return r;
  });
}

/** Log offsets for each partition; a partition without one fails as the tool's usage error does. */
async function logOffsets(ctx: Context, tps: readonly TopicPartition[], spec: 'earliest' | 'latest', what: string): Promise<PlannedOffset[]> {
  const found = await ctx.admin.listOffsets(tps, spec);
  return tps.map((tp) => {
    const offset = found.get(tpString(tp));
    if (typeof offset !== 'bigint') throw new UsageError(`Error getting ${what} offset of topic partition: ${tpString(tp)}`);
    return { ...tp, offset };
  });
}

/** The first offset at or after `timestamp`, or the log end (with a notice) where there is none. */
async function offsetsForTime(ctx: Context, tps: readonly TopicPartition[], timestamp: bigint): Promise<PlannedOffset[]> {
  const found = await ctx.admin.listOffsets(tps, { timestamp });
  const empty = tps.filter((tp) => found.get(tpString(tp)) === -1n);
  for (const tp of empty) ctx.io.stdout.write(`\nWarn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.\n`);
  const ends = await ctx.admin.listOffsets(empty, 'latest');
  return tps.map((tp) => {
    let offset = found.get(tpString(tp));
    if (offset === -1n) offset = ends.get(tpString(tp));
    if (typeof offset !== 'bigint') throw new UsageError(`Error getting offset by timestamp of topic partition: ${tpString(tp)}`);
    return { ...tp, offset };
  });
}

/** --topic scope: explicit partitions, then every partition of the whole topics. */
async function scopePartitions(ctx: Context): Promise<TopicPartition[]> {
  const { partitions, topics } = splitTopicArgs(ctx.opts.topics);
  const described = await ctx.admin.describeTopics(topics);
  const whole: TopicPartition[] = [];
  for (const topic of topics) {
    const info = described.get(topic)!;
    if (info instanceof KafkaProtocolError) throw plain(info);
    whole.push(...info.partitions.map((p) => ({ topic, partition: p.partition })));
  }
  return [...partitions, ...whole];
}

/** Every partition must exist and have a leader before anything is planned. */
async function checkPartitionsValid(ctx: Context, tps: readonly TopicPartition[]): Promise<void> {
  if (tps.length === 0) return;
  const described = await ctx.admin.describeTopics([...new Set(tps.map((tp) => tp.topic))]);
  const partitionOf = (tp: TopicPartition) => {
    const info = described.get(tp.topic);
    return info && !(info instanceof KafkaProtocolError) ? info.partitions.find((p) => p.partition === tp.partition) : undefined;
  };
  const missing = tps.filter((tp) => !partitionOf(tp));
  if (missing.length > 0) {
    throw new PlainFailure(`The partitions "${missing.map(tpString).join(',')}" do not exist`, 'org.apache.kafka.common.errors.UnknownTopicOrPartitionException');
  }
  const leaderless = tps.filter((tp) => partitionOf(tp)!.leader < 0);
  if (leaderless.length > 0) {
    throw new PlainFailure(`The partitions "${leaderless.map(tpString).join(',')}" have no leader`, 'org.apache.kafka.common.errors.LeaderNotAvailableException');
  }
}

function readPlanFile(ctx: Context, path: string): string {
  try {
    return readFileSync(resolve(ctx.io.cwd, path), 'latin1');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const cls = code === 'ENOENT' ? 'java.nio.file.NoSuchFileException' : code === 'EACCES' ? 'java.nio.file.AccessDeniedException' : 'java.io.IOException';
    throw new PlainFailure(`${cls}: ${path}`, cls, err);
  }
}

async function planReset(ctx: Context, groupId: string): Promise<PlannedOffset[]> {
  const { opts, admin } = ctx;
  let partitions: TopicPartition[];
  if (opts.allTopics) partitions = (await admin.committedOffsets(groupId)).map(({ topic, partition }) => ({ topic, partition }));
  else if (opts.topics.length > 0) partitions = await scopePartitions(ctx);
  else if (opts.scenario?.kind !== 'from-file') throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
  else partitions = [];
  await checkPartitionsValid(ctx, partitions);

  const scenario = opts.scenario;
  switch (scenario?.kind) {
    case 'to-offset':
      return clampOffsets(ctx, partitions.map((tp) => ({ ...tp, offset: scenario.offset })));
    case 'to-earliest':
      return logOffsets(ctx, partitions, 'earliest', 'starting');
    case 'to-latest':
      return logOffsets(ctx, partitions, 'latest', 'ending');
    case 'shift-by': {
      const committed = new Map((await admin.committedOffsets(groupId)).map((c) => [tpString(c), c.offset]));
      return clampOffsets(ctx, partitions.map((tp) => {
        const current = committed.get(tpString(tp));
        if (current === undefined) throw new UsageError(`Cannot shift offset for partition ${tpString(tp)} since there is no current committed offset`);
        return { ...tp, offset: current + scenario.shift };
      }));
    }
    case 'to-datetime':
      return offsetsForTime(ctx, partitions, BigInt(parseDateTime(scenario.text)));
    case 'by-duration':
      return offsetsForTime(ctx, partitions, durationTimestamp(Date.now(), parseDuration(scenario.text)));
    case 'from-file': {
      const plan = parseResetPlan(readPlanFile(ctx, scenario.path), opts.groups);
      const forGroup = plan.get(groupId);
      if (!forGroup) {
        ctx.io.stdout.write(`\nError: No reset plan for group ${groupId} found.\n`);
        return [];
      }
      return clampOffsets(ctx, [...forGroup.values()]);
    }
    case 'to-current': {
      const committed = new Map((await admin.committedOffsets(groupId)).map((c) => [tpString(c), c.offset]));
      const without = partitions.filter((tp) => !committed.has(tpString(tp)));
      const ends = new Map((await logOffsets(ctx, without, 'latest', 'ending')).map((o) => [tpString(o), o.offset]));
      return partitions.map((tp) => ({ ...tp, offset: committed.get(tpString(tp)) ?? ends.get(tpString(tp))! }));
    }
    case undefined:
      throw new UsageError(`Option '[reset-offsets]' requires one of the following scenarios: [${SCENARIOS.map((s) => `[${s}]`).join(', ')}]`);
  }
}

async function resetInactiveGroup(ctx: Context, groupId: string): Promise<PlannedOffset[]> {
  let planned: PlannedOffset[];
  try {
    planned = (await planReset(ctx, groupId)).sort(compareTopicPartitions);
    if (ctx.opts.execute && planned.length > 0) {
      const results = await ctx.admin.alterOffsets(groupId, planned);
      const failed = planned.map((p) => results.get(tpString(p)) ?? 0).find((code) => code !== 0);
      if (failed !== undefined) throw new KafkaProtocolError(failed);
    }
  } catch (err) {
    // Kafka rethrows the cause of a failed admin call, so only its message is printed.
    throw plain(err);
  }
  return planned;
}

async function resetOffsets(ctx: Context): Promise<void> {
  const { opts, admin, io } = ctx;
  const plan = new Map<string, PlannedOffset[]>();
  for (const groupId of sortedUnique(await targetGroups(ctx))) {
    const info = await admin.describeGroup(groupId);
    const state = info.exists ? info.state : 'Dead';
    if (state === 'Empty' || state === 'Dead') {
      plan.set(groupId, await resetInactiveGroup(ctx, groupId));
    } else {
      io.stdout.write(`\nError: Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${state}.\n`);
      plan.set(groupId, []);
    }
  }
  if (opts.exportCsv) io.stdout.write(`${exportCsv(plan, opts.groups.length === 1)}\n`);
  else io.stdout.write(formatResetTable(plan));
}

async function execute(ctx: Context): Promise<void> {
  switch (ctx.opts.action) {
    case 'list': return listGroups(ctx);
    case 'describe': return describeGroups(ctx);
    case 'delete': return deleteGroups(ctx);
    case 'reset-offsets': return resetOffsets(ctx);
    case 'delete-offsets': return deleteOffsets(ctx);
  }
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(OPTIONS, argv, HELP, io);
  if (!args) return;
  const opts = consumerGroupsOptions(args, (line) => io.stderr.write(`${line}\n`));
  const log = createLogger(LOGGER, io.stderr, 'WARN');
  let client: KafkaWireClient | undefined;
  try {
    const settings = connectionSettings(opts.bootstrapServer, loadClientProperties(opts.commandConfig, io.cwd), io.env, 'adminclient-1');
    // --timeout bounds every call, as the tool passes it to each admin call.
    settings.apiTimeoutMs = Math.max(opts.timeoutMs, 0);
    settings.requestTimeoutMs = Math.max(1, Math.min(settings.requestTimeoutMs, settings.apiTimeoutMs));
    client = new KafkaWireClient(settings, { logPrefix: `[AdminClient clientId=${settings.clientId}] `, logger: log });
    await execute({ opts, admin: new GroupAdmin(client), io, log });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.stdout.write(`\nError: Executing consumer group command failed due to ${failureText(err)}\n`);
    io.stderr.write(`${javaClassOf(err)}: ${messageOf(err)}\n`);
  } finally {
    client?.close();
  }
}

export const consumerGroupsCommand: Command = {
  options: OPTIONS,
  run,
};
