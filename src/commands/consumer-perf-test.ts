// kafka-consumer-perf-test (ConsumerPerformance): joins --group (a real consumer-group member, as
// Kafka's tool subscribes), reads until --messages records have arrived or no record came for
// --timeout ms, and prints Kafka's CSV: a header, then one summary row, or with
// --show-detailed-stats a row per --reporting-interval instead. Sizes count key plus value bytes;
// rebalance time is measured from start (or a revocation) to the next assignment, as Kafka's
// rebalance listener does. Failures print the message and a stack head on stderr, exit 1.
import type { Properties } from '../config/properties.js';
import { CancelledError, KtoolError, UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { connectionSettings } from '../client/client-config.js';
import { booleanProperty, fetchLimits, membershipSettings } from '../client/consumer-properties.js';
import { GroupConsumer } from '../client/group-consumer.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { HELP_OPTION, VERSION_OPTION, parseOrHelp, type Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, mergeProperties, messageOf } from './shared/client-setup.js';
import { flushed, type CliIO, type Signal } from './shared/io.js';
import { requireOption, type OptionSpec, type ParsedArgs } from './shared/options.js';
import { javaFixed } from './producer-perf-test/stats.js';
import { simpleDateFormat } from './consumer-perf-test/simple-date-format.js';

const HELP = 'This tool is used to verify the consumer performance.';
const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd HH:mm:ss:SSS';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', describedAs: 'server to connect to', description: 'REQUIRED: The server(s) to connect to.' },
  { name: 'command-config', arg: 'required', describedAs: 'config file', description: 'Alias of --consumer.config.' },
  { name: 'consumer.config', arg: 'required', describedAs: 'config file', description: 'Consumer config properties file.' },
  { name: 'date-format', arg: 'required', describedAs: 'date format', description: 'The date format to use for formatting the time field. See java.text.SimpleDateFormat for options.', defaultValue: DEFAULT_DATE_FORMAT },
  { name: 'fetch-size', arg: 'required', type: 'Integer', describedAs: 'size', description: 'The amount of data to fetch in a single request.', defaultValue: '1048576' },
  { name: 'from-latest', description: 'If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.' },
  { name: 'group', arg: 'required', describedAs: 'gid', description: 'The group id to consume on.', defaultValue: 'perf-consumer-<random>' },
  HELP_OPTION,
  { name: 'hide-header', description: 'If set, skips printing the header for the stats' },
  { name: 'include', arg: 'required', describedAs: 'Java regex (String)', description: 'Regular expression specifying list of topics to include for consumption.' },
  { name: 'messages', arg: 'required', type: 'Long', describedAs: 'count', description: 'REQUIRED: The number of messages to consume.' },
  { name: 'print-metrics', description: 'Print out the metrics.' },
  { name: 'reporting-interval', arg: 'required', type: 'Long', describedAs: 'interval_ms', description: 'Interval in milliseconds at which to print progress info.', defaultValue: '5000' },
  { name: 'show-detailed-stats', description: 'If set, stats are reported for each reporting interval as configured by reporting-interval' },
  { name: 'socket-buffer-size', arg: 'required', type: 'Integer', describedAs: 'size', description: 'The size of the tcp RECV size.', defaultValue: '2097152' },
  { name: 'timeout', arg: 'optional', type: 'Long', describedAs: 'milliseconds', description: 'The maximum allowed time in milliseconds between returned records.', defaultValue: '10000' },
  { name: 'topic', arg: 'required', describedAs: 'topic', description: 'The topic to consume from.' },
  VERSION_OPTION,
];

export interface ConsumerPerfOptions {
  bootstrapServer?: string;
  topic?: string;
  include?: string;
  numMessages: number;
  groupId: string;
  reportingIntervalMs: number;
  timeoutMs: number;
  showDetailedStats: boolean;
  hideHeader: boolean;
  printMetrics: boolean;
  dateFormat: string;
  /** The consumer's properties after the tool's forced values. */
  consumerProps: Properties;
}

export function consumerPerfOptions(args: ParsedArgs, files: (path: string | undefined) => Properties): ConsumerPerfOptions {
  requireOption(args, 'messages');
  if ([args.has('topic'), args.has('include')].filter(Boolean).length !== 1) {
    throw new UsageError('Exactly one of the following arguments is required: [topic], [include]');
  }
  const interval = args.value('reporting-interval');
  if (interval !== undefined && !/^\d+$/.test(interval)) throw new UsageError(`Cannot parse argument '${interval}' of option reporting-interval`);
  const groupId = args.value('group') ?? `perf-consumer-${Math.floor(Math.random() * 100000)}`;
  const props = mergeProperties(files(args.value('consumer.config') ?? args.value('command-config')));
  const bootstrapServer = args.value('bootstrap-server');
  if (bootstrapServer !== undefined) props.set('bootstrap.servers', bootstrapServer);
  props.set('group.id', groupId);
  props.set('receive.buffer.bytes', args.value('socket-buffer-size') ?? '2097152');
  props.set('max.partition.fetch.bytes', args.value('fetch-size') ?? '1048576');
  props.set('auto.offset.reset', args.has('from-latest') ? 'latest' : 'earliest');
  props.set('check.crcs', 'false');
  if (!props.has('client.id')) props.set('client.id', 'perf-consumer-client');
  return {
    bootstrapServer,
    topic: args.value('topic'),
    include: args.value('include'),
    numMessages: args.number('messages')!,
    groupId,
    reportingIntervalMs: interval === undefined ? 5000 : Number(interval),
    timeoutMs: args.number('timeout') ?? 10000,
    showDetailedStats: args.has('show-detailed-stats'),
    hideHeader: args.has('hide-header'),
    printMetrics: args.has('print-metrics'),
    dateFormat: args.value('date-format') ?? DEFAULT_DATE_FORMAT,
    consumerProps: props,
  };
}

const EXTRA_COLUMNS = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

export function headerLine(detailed: boolean): string {
  return detailed
    ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${EXTRA_COLUMNS}\n`
    : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${EXTRA_COLUMNS}\n`;
}

const MB = 1024 * 1024;

export interface RunTotals {
  startMs: number;
  endMs: number;
  bytes: number;
  messages: number;
  joinTimeMs: number;
}

/** The summary row (`%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f`); zero divisors print as Java's do. */
export function summaryLine(t: RunTotals, format: (ms: number) => string): string {
  const elapsedSec = (t.endMs - t.startMs) / 1000;
  const fetchTimeMs = t.endMs - t.startMs - t.joinTimeMs;
  const mb = t.bytes / MB;
  return `${format(t.startMs)}, ${format(t.endMs)}, ${javaFixed(mb, 4)}, ${javaFixed(mb / elapsedSec, 4)}, ${t.messages}, ${javaFixed(t.messages / elapsedSec, 4)}, ${t.joinTimeMs}, ${fetchTimeMs}, ${javaFixed(mb / (fetchTimeMs / 1000), 4)}, ${javaFixed(t.messages / (fetchTimeMs / 1000), 4)}\n`;
}

export interface Interval {
  bytes: number;
  lastBytes: number;
  messages: number;
  lastMessages: number;
  startMs: number;
  endMs: number;
  joinTimeMs: number;
}

/** A --show-detailed-stats row for one reporting interval (thread id is always 0). */
export function progressLine(i: Interval, format: (ms: number) => string): string {
  const elapsedMs = i.endMs - i.startMs;
  const intervalMb = (i.bytes - i.lastBytes) / MB;
  const fetchTimeMs = elapsedMs - i.joinTimeMs;
  const intervalMessages = i.messages - i.lastMessages;
  const fetchMbPerSec = fetchTimeMs <= 0 ? 0 : (1000 * intervalMb) / fetchTimeMs;
  const fetchMsgPerSec = fetchTimeMs <= 0 ? 0 : (1000 * intervalMessages) / fetchTimeMs;
  return `${format(i.endMs)}, 0, ${javaFixed(i.bytes / MB, 4)}, ${javaFixed((1000 * intervalMb) / elapsedMs, 4)}, ${i.messages}, ${javaFixed((intervalMessages / elapsedMs) * 1000, 4)}, ${i.joinTimeMs}, ${fetchTimeMs}, ${javaFixed(fetchMbPerSec, 4)}, ${javaFixed(fetchMsgPerSec, 4)}\n`;
}

async function consume(opts: ConsumerPerfOptions, io: CliIO): Promise<void> {
  const props = opts.consumerProps;
  const startMs = Date.now();
  let joinStartMs = startMs;
  let joinTimeMs = 0;
  let joinTimeInRound = 0;
  // Kafka's loop replaces its per-round counter after the first report while its rebalance
  // listener keeps adding to the old one, so later rows show 0: reproduced here.
  let roundCounterLive = true;
  const assigned = new Set<string>();

  const bootstrap = opts.bootstrapServer ?? props.get('bootstrap.servers');
  if (bootstrap === undefined) throw new KtoolError('NO_BOOTSTRAP', 'Missing required configuration "bootstrap.servers" which has no default value.');
  const settings = connectionSettings(bootstrap, props, io.env, 'perf-consumer-client');
  const logger = createLogger('org.apache.kafka.tools.ConsumerPerformance', io.stderr, 'WARN');
  const client = new KafkaWireClient(settings, { logger, logPrefix: `[Consumer clientId=${settings.clientId}, groupId=${opts.groupId}] ` });
  const logPrefix = `[Consumer clientId=${settings.clientId}, groupId=${opts.groupId}] `;
  const consumer = new GroupConsumer(client, {
    groupId: opts.groupId,
    topics: opts.topic !== undefined ? [opts.topic] : undefined,
    pattern: opts.include !== undefined ? regexOf(opts.include) : undefined,
    ...membershipSettings(props),
    autoCommit: booleanProperty(props, 'enable.auto.commit', true),
    fetch: {
      reset: props.get('auto.offset.reset') === 'latest' ? 'latest' : 'earliest',
      readCommitted: props.get('isolation.level') === 'read_committed',
      ...fetchLimits(props),
      verifyCrc: false,
      logger,
      logPrefix,
    },
    onPartitionsRevoked: (tps) => {
      for (const tp of tps) assigned.delete(`${tp.topic}-${tp.partition}`);
      if (assigned.size === 0) joinStartMs = Date.now();
    },
    onPartitionsAssigned: (tps) => {
      if (assigned.size === 0) {
        const elapsed = Date.now() - joinStartMs;
        joinTimeMs += elapsed;
        if (roundCounterLive) joinTimeInRound += elapsed;
      }
      for (const tp of tps) assigned.add(`${tp.topic}-${tp.partition}`);
    },
    logger,
    logPrefix,
  });

  let interrupted: Signal | undefined;
  const onSignal = (signal: Signal) => () => {
    interrupted ??= signal;
    consumer.close();
  };
  const unsubscribe = [io.onSignal('SIGINT', onSignal('SIGINT')), io.onSignal('SIGTERM', onSignal('SIGTERM'))];
  let messages = 0;
  let bytes = 0;
  try {
    if (opts.reportingIntervalMs <= 0) throw new KtoolError('BAD_INTERVAL', 'Reporting interval must be greater than 0.');
    const format = simpleDateFormat(opts.dateFormat);
    let lastBytes = 0;
    let lastMessages = 0;
    let now = Date.now();
    let lastReportMs = now;
    let lastConsumedMs = now;
    while (messages < opts.numMessages && now - lastConsumedMs <= opts.timeoutMs && !interrupted) {
      const batches = await consumer.poll(Date.now() + 100);
      now = Date.now();
      if (batches.length > 0) lastConsumedMs = now;
      for (const { batch } of batches) {
        for (const record of batch.records) {
          messages++;
          if (record.key !== null) bytes += record.key.length;
          if (record.value !== null) bytes += record.value.length;
          if (now - lastReportMs >= opts.reportingIntervalMs) {
            if (opts.showDetailedStats) {
              io.stdout.write(progressLine({ bytes, lastBytes, messages, lastMessages, startMs: lastReportMs, endMs: now, joinTimeMs: roundCounterLive ? joinTimeInRound : 0 }, format));
            }
            roundCounterLive = false;
            lastReportMs = now;
            lastMessages = messages;
            lastBytes = bytes;
          }
        }
      }
      consumer.processed();
    }
    if (interrupted) return;
    if (messages < opts.numMessages) {
      io.stdout.write(`WARNING: Exiting before consuming the expected number of messages: timeout (${opts.timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.\n`);
    }
    const endMs = Date.now();
    if (!opts.showDetailedStats) io.stdout.write(summaryLine({ startMs, endMs, bytes, messages, joinTimeMs }, format));
    if (opts.printMetrics) io.stdout.write(metricsTable(settings.clientId, [['records-consumed-total', messages], ['bytes-consumed-total', bytes]]));
  } finally {
    for (const off of unsubscribe) off();
    consumer.close();
    await consumer.shutdown().catch(() => {});
    client.close();
    await flushed(io.stdout);
  }
  if (interrupted) throw new CancelledError(interrupted);
}

/** `--include`: a Java regex matched against whole topic names. */
function regexOf(source: string): (topic: string) => boolean {
  const re = new RegExp(`^(?:${source})$`);
  return (topic) => re.test(topic);
}

/** What --print-metrics shows: the consumer metrics this tool measures itself. */
function metricsTable(clientId: string, metrics: ReadonlyArray<[string, number]>): string {
  const rows = metrics.map(([name, value]) => [`consumer-fetch-manager-metrics:${name}:{client-id=${clientId}}`, javaFixed(value, 3)] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  const width = Math.max(...rows.map(([n]) => n.length));
  return `\n${'Metric Name'.padEnd(width)}   Value\n${rows.map(([n, v]) => `${n.padEnd(width)} : ${v}\n`).join('')}`;
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(OPTIONS, argv, HELP, io);
  if (!args) return;
  const opts = consumerPerfOptions(args, (path) => loadClientProperties(path, io.cwd));
  try {
    if (!opts.hideHeader) io.stdout.write(headerLine(opts.showDetailedStats));
    await consume(opts, io);
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    // Kafka prints the message, then the stack trace.
    io.stderr.write(`${messageOf(err)}\n${stackClass(err)}: ${messageOf(err)}\n`);
    throw new KtoolError('CONSUMER_PERF_FAILED', messageOf(err), { reported: true, cause: err });
  }
}

function stackClass(err: unknown): string {
  if (err instanceof KtoolError && (err.code === 'NO_BOOTSTRAP' || err.code === 'INVALID_CONFIG' || err.code === 'INVALID_CLIENT_CONFIG')) return 'org.apache.kafka.common.config.ConfigException';
  if (err instanceof KtoolError && err.code === 'BAD_INTERVAL') return 'java.lang.IllegalArgumentException';
  return javaClassOf(err);
}

export const consumerPerfTestCommand: Command = {
  options: OPTIONS,
  run,
};
