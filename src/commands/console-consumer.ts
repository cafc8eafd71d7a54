// kafka-console-consumer: prints a topic's records to stdout, raw bytes in the
// DefaultMessageFormatter layout, and `Processed a total of N messages` on stderr. Without
// --group it reads partitions directly (Metadata → ListOffsets → Fetch) through the wire client.
// With a group (--group, or group.id in the consumer config) or --include it is a real member of
// a consumer group, as Kafka's tool is: committed offsets first (auto.offset.reset where there
// are none), auto-commit of what was printed, a commit on the way out, then LeaveGroup. The
// reading side is a `RecordSource` either way.
import type { Properties } from '../config/properties.js';
import { parseKeyValueList } from '../config/properties.js';
import { createLogger, formatLogLine, type Logger } from '../log.js';
import { CancelledError, KtoolError, UsageError } from '../errors.js';
import { connectionSettings } from '../client/client-config.js';
import { booleanProperty, fetchLimits, membershipSettings } from '../client/consumer-properties.js';
import { createFormatter, formatterConfig, type RecordContext } from '../client/message-formatter.js';
import { OutputBuffer } from '../client/output-buffer.js';
import { PartitionReader, type FetchedBatch, type ResetPolicy, type StartOffset } from '../client/partition-reader.js';
import { GroupConsumer } from '../client/group-consumer.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { timestampTypeOf } from '../protocol/records/batch.js';
import { HELP_OPTION, VERSION_OPTION, parseOrHelp, type Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, mergeProperties, messageOf } from './shared/client-setup.js';
import { includeList } from './shared/include-list.js';
import { drained, flushed, type CliIO, type Signal } from './shared/io.js';
import { type OptionSpec, type ParsedArgs } from './shared/options.js';

export interface ConsoleConsumerOptions {
  bootstrapServer: string;
  topic?: string;
  include?: string;
  partition?: number;
  /** From --offset, or from --from-beginning with --partition. */
  start: StartOffset;
  /** auto.offset.reset: where a partition without a valid position starts. */
  reset: ResetPolicy;
  group?: string;
  maxMessages?: number;
  /** Undefined: wait forever. */
  timeoutMs?: number;
  skipMessageOnError: boolean;
  readCommitted: boolean;
  formatter: 'default' | 'noop';
  formatterProps: Properties;
  consumerProps: Properties;
  systestEvents: boolean;
}

const DEFAULT_FORMATTER = 'org.apache.kafka.tools.consumer.DefaultMessageFormatter';
const LOGGER = 'org.apache.kafka.tools.consumer.ConsoleConsumer';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', describedAs: 'server to connect to', description: 'REQUIRED: The server(s) to connect to.' },
  { name: 'command-config', arg: 'required', describedAs: 'config file', description: 'Alias of --consumer.config.' },
  { name: 'command-property', arg: 'required', multiple: true, describedAs: 'consumer_prop', description: 'Alias of --consumer-property.' },
  { name: 'consumer-property', arg: 'required', multiple: true, describedAs: 'consumer_prop', description: 'A consumer config as key=value (repeatable).' },
  { name: 'consumer.config', arg: 'required', describedAs: 'config file', description: 'Consumer config properties file; --consumer-property values take precedence.' },
  { name: 'enable-systest-events', description: 'Also log consumer lifecycle events (for system tests).' },
  { name: 'formatter', arg: 'required', describedAs: 'class', description: 'The class that formats records for display.', defaultValue: DEFAULT_FORMATTER },
  { name: 'formatter-config', arg: 'required', describedAs: 'config file', description: 'Formatter properties file; --property values take precedence.' },
  { name: 'formatter-property', arg: 'required', multiple: true, describedAs: 'prop', description: 'Alias of --property.' },
  { name: 'from-beginning', description: 'Start with the earliest record present rather than the latest, when there is no committed offset.' },
  { name: 'group', arg: 'required', describedAs: 'consumer group id', description: 'The consumer group id of the consumer.' },
  HELP_OPTION,
  { name: 'include', arg: 'required', describedAs: 'Java regex (String)', description: 'Regular expression of the topics to consume; exclusive with --topic.' },
  { name: 'isolation-level', arg: 'required', describedAs: 'isolation level', description: 'read_committed hides aborted transactional records; read_uncommitted shows all records.', defaultValue: 'read_uncommitted' },
  { name: 'key-deserializer', arg: 'required', describedAs: 'deserializer for key', description: 'Key deserializer class (StringDeserializer and ByteArrayDeserializer print bytes as they are).' },
  { name: 'max-messages', arg: 'required', type: 'Integer', describedAs: 'num_messages', description: 'Exit after this many records; unbounded without it.' },
  { name: 'offset', arg: 'required', describedAs: 'consume offset', description: "The offset to start from: a non-negative number, 'earliest' or 'latest'.", defaultValue: 'latest' },
  { name: 'partition', arg: 'required', type: 'Integer', describedAs: 'partition', description: 'The partition to consume from; starts at the end unless --offset or --from-beginning is given.' },
  { name: 'property', arg: 'required', multiple: true, describedAs: 'prop', description: 'A formatter property as key=value (repeatable): print.timestamp, print.key, print.offset, print.partition, print.headers, print.value, print.epoch, print.delivery, key.separator, line.separator, headers.separator, null.literal.' },
  { name: 'skip-message-on-error', description: 'Log and skip a record that cannot be formatted instead of stopping.' },
  { name: 'timeout-ms', arg: 'required', type: 'Integer', describedAs: 'timeout_ms', description: 'Exit when no record arrives for this long.' },
  { name: 'topic', arg: 'required', describedAs: 'topic', description: 'The topic to consume.' },
  { name: 'value-deserializer', arg: 'required', describedAs: 'deserializer for values', description: 'Value deserializer class (StringDeserializer and ByteArrayDeserializer print bytes as they are).' },
  VERSION_OPTION,
];

/** `--offset`: earliest / latest (any case) or a non-negative long. */
export function parseOffsetSpec(text: string): StartOffset {
  const t = text.trim().toLowerCase();
  if (t === 'earliest') return { kind: 'earliest' };
  if (t === 'latest') return { kind: 'latest' };
  if (/^\+?\d+$/.test(t) && BigInt(t) <= 2n ** 63n - 1n) return { kind: 'offset', offset: BigInt(t) };
  throw new UsageError(`The provided offset value '${text}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`);
}

const BYTE_DESERIALIZERS = new Set(['org.apache.kafka.common.serialization.StringDeserializer', 'org.apache.kafka.common.serialization.ByteArrayDeserializer', 'org.apache.kafka.common.serialization.BytesDeserializer']);

export function consoleConsumerOptions(args: ParsedArgs, files: (path: string | undefined) => Properties): ConsoleConsumerOptions {
  if ([args.has('topic'), args.has('include')].filter(Boolean).length !== 1) throw new UsageError('Exactly one of --include/--topic is required.');
  if (args.has('partition') && !args.has('topic')) throw new UsageError('The topic is required when partition is specified.');
  if (args.has('offset') && !args.has('partition')) throw new UsageError('The partition is required when offset is specified.');
  if (!args.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  if (args.has('from-beginning') && args.has('offset')) throw new UsageError('Options from-beginning and offset cannot be specified together.');
  if (args.has('group') && args.has('partition')) throw new UsageError('Options group and partition cannot be specified together.');

  const consumerProps = mergeProperties(
    files(args.value('consumer.config') ?? args.value('command-config')),
    parseKeyValueList([...args.values('consumer-property'), ...args.values('command-property')]),
  );
  const groups = [args.value('group'), consumerProps.get('group.id')].filter((g): g is string => g !== undefined);
  if (new Set(groups).size > 1) {
    throw new UsageError(`The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: ${groups.map((g) => `'${g}'`).join(', ')}`);
  }
  const configuredReset = consumerProps.get('auto.offset.reset');
  if (args.has('from-beginning') && configuredReset !== undefined && configuredReset !== 'earliest') {
    throw new KtoolError('CONFLICTING_RESET', `Can't simultaneously specify --from-beginning and 'auto.offset.reset=${configuredReset}', please remove one option`);
  }
  const reset = (args.has('from-beginning') ? 'earliest' : configuredReset ?? 'latest') as ResetPolicy;
  if (!['earliest', 'latest', 'none'].includes(reset)) {
    throw new KtoolError('INVALID_CONFIG', `Invalid value ${reset} for configuration auto.offset.reset: String must be one of: latest, earliest, none`);
  }

  const isolation = args.value('isolation-level') ?? consumerProps.get('isolation.level') ?? 'read_uncommitted';
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
    throw new KtoolError('INVALID_CONFIG', `Invalid value ${isolation} for configuration isolation.level: String must be one of: read_committed, read_uncommitted`);
  }

  const formatterClass = args.value('formatter') ?? DEFAULT_FORMATTER;
  const formatter = /(^|\.)DefaultMessageFormatter$/.test(formatterClass) ? 'default' : /(^|\.)NoOpMessageFormatter$/.test(formatterClass) ? 'noop' : undefined;
  if (!formatter) throw new KtoolError('UNKNOWN_FORMATTER', `java.lang.ClassNotFoundException: ${formatterClass} (ktool has DefaultMessageFormatter and NoOpMessageFormatter)`);
  for (const opt of ['key-deserializer', 'value-deserializer']) {
    const cls = args.value(opt);
    if (cls !== undefined && !BYTE_DESERIALIZERS.has(cls)) throw new KtoolError('UNKNOWN_DESERIALIZER', `java.lang.ClassNotFoundException: ${cls} (ktool prints raw bytes: use StringDeserializer or ByteArrayDeserializer)`);
  }

  const start = args.has('offset') ? parseOffsetSpec(args.value('offset')!) : { kind: reset === 'earliest' ? 'earliest' : 'latest' } as StartOffset;
  const maxMessages = args.number('max-messages');
  const timeoutMs = args.number('timeout-ms');
  return {
    bootstrapServer: args.value('bootstrap-server')!,
    topic: args.value('topic'),
    include: args.value('include'),
    partition: args.number('partition'),
    start,
    reset,
    group: groups[0],
    maxMessages: maxMessages !== undefined && maxMessages >= 0 ? maxMessages : undefined,
    timeoutMs: timeoutMs !== undefined && timeoutMs >= 0 ? timeoutMs : undefined,
    skipMessageOnError: args.has('skip-message-on-error'),
    readCommitted: isolation === 'read_committed',
    formatter,
    formatterProps: mergeProperties(files(args.value('formatter-config')), parseKeyValueList([...args.values('property'), ...args.values('formatter-property')])),
    consumerProps,
    systestEvents: args.has('enable-systest-events'),
  };
}

/** Where records come from: direct partition reads, or a consumer group's assignment. */
interface RecordSource {
  /** Next batches, or [] once `deadline` passes or the source is closed. */
  poll(deadline: number): Promise<FetchedBatch[]>;
  /**
   * What was printed of the last poll's batches: all of them, or up to a batch index and the
   * offset after its last printed record. A committing source commits exactly that.
   */
  processed?(stop?: { batch: number; nextOffset: bigint }): void;
  /** Interrupts a poll (signal handlers call it). */
  close(): void;
  /** The orderly end after the last poll: commit and leave the group. */
  shutdown?(): Promise<void>;
}

function directSource(opts: ConsoleConsumerOptions, client: KafkaWireClient, logger: Logger, logPrefix: string): RecordSource {
  const props = opts.consumerProps;
  return new PartitionReader(client, {
    topic: opts.topic!,
    partition: opts.partition,
    start: opts.start,
    reset: opts.reset,
    readCommitted: opts.readCommitted,
    ...fetchLimits(props),
    verifyCrc: booleanProperty(props, 'check.crcs', true),
    logger,
    logPrefix,
  });
}

/**
 * A consumer-group member. Without an explicit group (only --include) the group is
 * `console-consumer-<0–99999>` and nothing is committed unless enable.auto.commit says so, as in Kafka.
 */
function groupSource(opts: ConsoleConsumerOptions, client: KafkaWireClient, logger: Logger): RecordSource {
  const props = opts.consumerProps;
  const explicit = opts.group !== undefined;
  const groupId = opts.group ?? `console-consumer-${Math.floor(Math.random() * 100000)}`;
  const consumer = new GroupConsumer(client, {
    groupId,
    topics: opts.topic !== undefined ? [opts.topic] : undefined,
    pattern: opts.include !== undefined ? includeList(opts.include) : undefined,
    ...membershipSettings(props),
    autoCommit: booleanProperty(props, 'enable.auto.commit', explicit),
    fetch: {
      reset: opts.reset,
      readCommitted: opts.readCommitted,
      ...fetchLimits(props),
      verifyCrc: booleanProperty(props, 'check.crcs', true),
      logger,
      logPrefix: `[Consumer clientId=${client.settings.clientId}, groupId=${groupId}] `,
    },
    logger,
    logPrefix: `[Consumer clientId=${client.settings.clientId}, groupId=${groupId}] `,
  });
  return {
    poll: (deadline) => consumer.poll(deadline),
    processed: (stop) => consumer.processed(stop),
    close: () => consumer.close(),
    shutdown: () => consumer.shutdown(),
  };
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(OPTIONS, argv, 'This tool helps to read data from Kafka topics and outputs it to standard output.', io);
  if (!args) return;
  const opts = consoleConsumerOptions(args, (path) => loadClientProperties(path, io.cwd));
  const logger = createLogger(LOGGER, io.stderr, 'WARN');
  const settings = connectionSettings(opts.bootstrapServer, opts.consumerProps, io.env, 'console-consumer');
  const client = new KafkaWireClient(settings, { logger, logPrefix: `[Consumer clientId=${settings.clientId}] ` });
  const grouped = opts.group !== undefined || opts.include !== undefined;
  const source = grouped ? groupSource(opts, client, logger) : directSource(opts, client, logger, `[Consumer clientId=${settings.clientId}] `);
  const format = opts.formatter === 'noop' ? () => {} : createFormatter(formatterConfig(opts.formatterProps));
  const out = new OutputBuffer();

  let count = 0;
  let interrupted: Signal | undefined;
  let stdoutBroken = false;
  const onStdoutError = (): void => {
    stdoutBroken = true;
    source.close();
  };
  io.stdout.on('error', onStdoutError);
  const onSignal = (signal: Signal) => () => {
    interrupted ??= signal;
    source.close();
  };
  const unsubscribe = [io.onSignal('SIGINT', onSignal('SIGINT')), io.onSignal('SIGTERM', onSignal('SIGTERM'))];

  const flush = async (): Promise<void> => {
    const chunks = out.take();
    if (chunks.length === 0 || stdoutBroken) return;
    io.stdout.cork();
    for (const c of chunks) io.stdout.write(c);
    io.stdout.uncork();
    await drained(io.stdout);
  };

  // Where printing stands inside the current poll's batches (batch and record index; plain numbers,
  // so the hot loop allocates nothing), reported to a committing source when the run stops midway.
  let current: FetchedBatch[] | undefined;
  let atBatch = -1;
  let atRecord = -1;
  try {
    const max = opts.maxMessages ?? Infinity;
    let lastRecordAt = Date.now();
    consume: while (count < max && !interrupted && !stdoutBroken) {
      const deadline = opts.timeoutMs === undefined ? Infinity : lastRecordAt + opts.timeoutMs;
      const fetched = await source.poll(deadline);
      if (interrupted || stdoutBroken) break;
      if (fetched.length === 0) {
        if (Date.now() >= deadline) {
          io.stderr.write(`${formatLogLine('ERROR', 'Error processing message, terminating consumer process: ', LOGGER)}org.apache.kafka.common.errors.TimeoutException\n`);
          break;
        }
        continue;
      }
      lastRecordAt = Date.now();
      current = fetched;
      for (let b = 0; b < fetched.length; b++) {
        const { partition, batch } = fetched[b]!;
        const ctx: RecordContext = {
          partition,
          timestampType: batch.header.magic === 0 ? 'NO_TIMESTAMP' : timestampTypeOf(batch.header.attributes),
          leaderEpoch: batch.header.partitionLeaderEpoch,
        };
        const records = batch.records;
        for (let r = 0; r < records.length; r++) {
          const record = records[r]!;
          count++;
          atBatch = b;
          atRecord = r;
          try {
            format(record, ctx, out);
          } catch (err) {
            if (!opts.skipMessageOnError) throw err;
            logger.error(`Error processing message, skipping this message: ${messageOf(err)}`);
          }
          if (count >= max) {
            // Stopping on the very last record leaves nothing of this poll unprinted.
            if (b === fetched.length - 1 && r === records.length - 1) {
              current = undefined;
              source.processed?.();
            }
            break consume;
          }
        }
      }
      current = undefined;
      source.processed?.();
      await flush();
    }
    await flush();
  } catch (err) {
    // Kafka logs a fatal poll error and still ends normally (exit 0).
    await flush().catch(() => {});
    io.stderr.write(`${formatLogLine('ERROR', 'Error processing message, terminating consumer process: ', LOGGER)}${javaClassOf(err)}: ${messageOf(err)}\n`);
  } finally {
    if (current && atBatch >= 0) source.processed?.({ batch: atBatch, nextOffset: current[atBatch]!.batch.records[atRecord]!.offset + 1n });
    for (const off of unsubscribe) off();
    source.close();
    await source.shutdown?.().catch(() => {});
    client.close();
  }
  await flushed(io.stdout);
  // The stdout error listener stays: a late EPIPE must not crash the process.
  if (stdoutBroken) io.stderr.write('Unable to write to standard out, closing consumer.\n');
  io.stderr.write(`Processed a total of ${count} messages\n`);
  if (opts.systestEvents && !stdoutBroken) io.stdout.write('shutdown_complete\n');
  if (interrupted) throw new CancelledError(interrupted);
}

export const consoleConsumerCommand: Command = {
  options: OPTIONS,
  run,
};
