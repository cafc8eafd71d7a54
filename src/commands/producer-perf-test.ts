// kafka-producer-perf-test (ProducerPerformance): sends --num-records records of --record-size
// random bytes (or payloads from --payload-file, or increasing numbers) at up to --throughput
// records/s through the wire producer, printing a window line every 5 s and Kafka's summary
// line with latency percentiles. Only acknowledged records count. The command line is parsed
// the argparse4j way (argparse.ts); problems after parsing end as Kafka's main() would, with
// `Exception in thread "main" <class>: <message>` and exit 1.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Properties } from '../config/properties.js';
import { CancelledError, KtoolError } from '../errors.js';
import { createLogger } from '../log.js';
import { connectionSettings } from '../client/client-config.js';
import { producerConfig } from '../client/producer-config.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { WireProducer } from '../client/wire-producer.js';
import { EndTxn } from '../protocol/messages/end-txn.js';
import type { Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, messageOf } from './shared/client-setup.js';
import { flushed, type CliIO, type Signal } from './shared/io.js';
import { ArgumentParserError, HelpRequested, formatError, formatHelp, parseArguments, type Namespace, type ParserSpec } from './producer-perf-test/argparse.js';
import { SplittableRandom } from './producer-perf-test/splittable-random.js';
import { Stats, javaFixed } from './producer-perf-test/stats.js';
import { ThroughputThrottler } from './producer-perf-test/throttler.js';

const EXCLUSIVE_HELP = 'Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.';

export const PARSER: ParserSpec = {
  prog: 'producer-performance',
  description: 'This tool is used to verify the producer performance. To enable transactions, you can specify a transaction id or set a transaction duration using --transaction-duration-ms. There are three ways to specify the transaction id: set transaction.id=<id> via --producer-props, set transaction.id=<id> in the config file via --producer.config, or use --transaction-id <id>.',
  groupDescription: 'either --record-size or --payload-file must be specified but not both.',
  groupRequired: true,
  args: [
    { flag: '--topic', dest: 'topic', metavar: 'TOPIC', action: 'store', required: true, help: 'produce messages to this topic' },
    { flag: '--num-records', dest: 'numRecords', metavar: 'NUM-RECORDS', action: 'store', type: 'Long', required: true, help: 'number of messages to produce' },
    { flag: '--record-size', dest: 'recordSize', metavar: 'RECORD-SIZE', action: 'store', type: 'Integer', exclusive: true, help: `message size in bytes. ${EXCLUSIVE_HELP}` },
    { flag: '--payload-file', dest: 'payloadFile', metavar: 'PAYLOAD-FILE', action: 'store', exclusive: true, help: `file to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be read from this file and a payload will be randomly selected when sending messages. ${EXCLUSIVE_HELP}` },
    { flag: '--payload-monotonic', dest: 'payloadMonotonic', metavar: 'PAYLOAD-MONOTONIC', action: 'storeTrue', exclusive: true, help: `payload is monotonically increasing integer. ${EXCLUSIVE_HELP}` },
    { flag: '--payload-delimiter', dest: 'payloadDelimiter', metavar: 'PAYLOAD-DELIMITER', action: 'store', defaultValue: '\\n', help: 'provides delimiter to be used when --payload-file is provided. Defaults to new line. Note that this parameter will be ignored if --payload-file is not provided.' },
    { flag: '--throughput', dest: 'throughput', metavar: 'THROUGHPUT', action: 'store', type: 'Double', required: true, help: 'throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.' },
    { flag: '--producer-props', dest: 'producerConfig', metavar: 'PROP-NAME=PROP-VALUE', action: 'nargs+', help: 'kafka producer related configuration properties like bootstrap.servers,client.id etc. These configs take precedence over those passed via --producer.config.' },
    { flag: '--producer.config', dest: 'producerConfigFile', metavar: 'CONFIG-FILE', action: 'store', help: 'producer config properties file.' },
    { flag: '--print-metrics', dest: 'printMetrics', metavar: 'PRINT-METRICS', action: 'storeTrue', help: 'print out metrics at the end of the test.' },
    { flag: '--transactional-id', dest: 'transactionalId', metavar: 'TRANSACTIONAL-ID', action: 'store', help: 'The transactional id to use. This config takes precedence over the transactional.id specified via --producer.config or --producer-props. Note that if the transactional id is not specified while --transaction-duration-ms is provided, the default value for the transactional id will be performance-producer- followed by a random uuid.' },
    { flag: '--transaction-duration-ms', dest: 'transactionDurationMs', metavar: 'TRANSACTION-DURATION', action: 'store', type: 'Long', help: 'The max age of each transaction. The commitTransaction will be called after this time has elapsed. The value should be greater than 0. If the transactional id is specified via --producer-props, --producer.config, or --transactional-id but --transaction-duration-ms is not specified, the default value will be 3000.' },
  ],
};

export interface PerfTestConfig {
  topic: string;
  numRecords: number;
  recordSize?: number;
  payloadMonotonic: boolean;
  payloadFile?: string;
  payloadDelimiter: string;
  throughput: number;
  printMetrics: boolean;
  producerProps: Properties;
  transactionsEnabled: boolean;
  transactionDurationMs?: number;
}

/** An error Kafka's tool lets escape main(). */
class MainError extends KtoolError {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super('PRODUCER_PERF', message);
  }
}

/** Java's String.split(regex): trailing empty strings dropped. */
function javaSplit(text: string, pattern: RegExp | string): string[] {
  const parts = text.split(pattern);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** `--producer-props` items and the config file, as ProducerPerformance.readProps merges them. */
export function readProps(items: readonly string[] | undefined, file: Properties): Properties {
  const props: Properties = new Map(file);
  for (const item of items ?? []) {
    const pieces = javaSplit(item, '=');
    if (pieces.length !== 2) throw new MainError('java.lang.IllegalArgumentException', `Invalid property: ${item}`);
    props.set(pieces[0]!, pieces[1]!);
  }
  props.set('key.serializer', 'org.apache.kafka.common.serialization.ByteArraySerializer');
  props.set('value.serializer', 'org.apache.kafka.common.serialization.ByteArraySerializer');
  if (!props.has('client.id')) props.set('client.id', 'perf-producer-client');
  return props;
}

/** ConfigPostProcessor's checks, in its order (before the payload file and properties are read). */
export function perfTestConfig(ns: Namespace, files: (path: string) => Properties): PerfTestConfig {
  const numRecords = Number(ns.get('numRecords'));
  const recordSize = ns.has('recordSize') ? Number(ns.get('recordSize')) : undefined;
  const items = ns.get('producerConfig') as string[] | undefined;
  const configFile = ns.get('producerConfigFile') as string | undefined;
  const durationArg = ns.has('transactionDurationMs') ? Number(ns.get('transactionDurationMs')) : undefined;
  if (numRecords <= 0) throw new ArgumentParserError('--num-records should be greater than zero');
  if (recordSize !== undefined && recordSize <= 0) throw new ArgumentParserError('--record-size should be greater than zero');
  if (items === undefined && configFile === undefined) throw new ArgumentParserError('Either --producer-props or --producer.config must be specified.');
  if (durationArg !== undefined && durationArg <= 0) throw new ArgumentParserError('--transaction-duration-ms should be greater than zero');
  const delimiter = ns.get('payloadDelimiter') as string;
  const producerProps = readProps(items, configFile === undefined ? new Map() : files(configFile));
  const txnIdArg = ns.get('transactionalId') as string | undefined;
  const transactionsEnabled = durationArg !== undefined || txnIdArg !== undefined || producerProps.has('transactional.id');
  if (transactionsEnabled) producerProps.set('transactional.id', txnIdArg ?? producerProps.get('transactional.id') ?? `performance-producer-${randomUUID()}`);
  return {
    topic: ns.get('topic') as string,
    numRecords,
    recordSize,
    payloadMonotonic: ns.get('payloadMonotonic') === true,
    payloadFile: ns.get('payloadFile') as string | undefined,
    payloadDelimiter: delimiter === '\\n' ? '\n' : delimiter,
    throughput: Number(ns.get('throughput')),
    printMetrics: ns.get('printMetrics') === true,
    producerProps,
    transactionsEnabled,
    transactionDurationMs: transactionsEnabled ? durationArg ?? 3000 : undefined,
  };
}

/** The payloads of --payload-file, split on the delimiter (a Java regex). */
export function readPayloadFile(path: string, delimiter: string, io: CliIO): Buffer[] {
  const full = resolve(io.cwd, path);
  io.stdout.write(`Reading payloads from: ${full}\n`);
  if (!existsSync(full) || statSync(full).size === 0) throw new MainError('java.lang.IllegalArgumentException', 'File does not exist or empty file provided.');
  const payloads = javaSplit(readFileSync(full, 'utf8'), new RegExp(delimiter, 'u'));
  io.stdout.write(`Number of messages read: ${payloads.length}\n`);
  return payloads.map((p) => Buffer.from(p, 'utf8'));
}

/** Java's producer turns idempotence on by default when nothing set conflicts with it. */
function withJavaIdempotenceDefault(props: Properties): Properties {
  if (props.has('enable.idempotence')) return props;
  const acks = (props.get('acks') ?? 'all').trim().toLowerCase();
  const retries = props.get('retries')?.trim();
  const inFlight = Number(props.get('max.in.flight.requests.per.connection') ?? '5');
  const out = new Map(props);
  if ((acks === 'all' || acks === '-1') && retries !== '0' && inFlight <= 5) out.set('enable.idempotence', 'true');
  return out;
}

/** Transactions need a coordinator; the wire producer has no transactional mode yet. */
async function refuseTransactions(client: KafkaWireClient): Promise<never> {
  const conn = await client.anyConnection('initTransactions');
  const why = conn.supports(EndTxn)
    ? "ktool's producer does not support transactions yet; run without --transactional-id, --transaction-duration-ms and transactional.id"
    : 'The cluster does not support transactions (it has no transaction coordinator); run without --transactional-id, --transaction-duration-ms and transactional.id';
  throw new MainError('org.apache.kafka.common.errors.UnsupportedVersionException', why);
}

/** What --print-metrics shows: the producer metrics this tool measures itself. */
function metricsTable(clientId: string, metrics: ReadonlyArray<[string, number]>): string {
  const rows = metrics.map(([name, value]) => [`producer-metrics:${name}:{client-id=${clientId}}`, javaFixed(value, 3)] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  const width = Math.max(...rows.map(([n]) => n.length));
  return `\n${'Metric Name'.padEnd(width)}   Value\n${rows.map(([n, v]) => `${n.padEnd(width)} : ${v}\n`).join('')}`;
}

async function runTest(config: PerfTestConfig, io: CliIO): Promise<void> {
  const payloads = config.payloadFile !== undefined ? readPayloadFile(config.payloadFile, config.payloadDelimiter, io) : [];
  const props = withJavaIdempotenceDefault(config.producerProps);
  const bootstrap = props.get('bootstrap.servers');
  if (bootstrap === undefined || bootstrap.trim() === '') {
    throw new MainError('org.apache.kafka.common.config.ConfigException', 'Missing required configuration "bootstrap.servers" which has no default value.');
  }
  const producerSettings = producerConfig(props);
  const settings = connectionSettings(bootstrap, props, io.env, 'perf-producer-client');
  const logger = createLogger('org.apache.kafka.clients.NetworkClient', io.stderr, 'WARN');
  const logPrefix = `[Producer clientId=${settings.clientId}] `;
  const client = new KafkaWireClient(settings, { logger, logPrefix });
  const producer = new WireProducer(client, producerSettings, { logger, logPrefix });

  let interrupted: Signal | undefined;
  let stopNow: () => void = () => {};
  const stopped = new Promise<void>((r) => (stopNow = r));
  const onSignal = (signal: Signal) => () => {
    interrupted ??= signal;
    stopNow();
  };
  const unsubscribe = [io.onSignal('SIGINT', onSignal('SIGINT')), io.onSignal('SIGTERM', onSignal('SIGTERM'))];
  try {
    if (config.transactionsEnabled) await refuseTransactions(client);
    const random = new SplittableRandom(0n);
    const stats = new Stats(config.numRecords, 5000, (line) => io.stdout.write(line));
    let errors = 0;
    let maxSize = 0;
    let totalSize = 0;
    const throttler = new ThroughputThrottler(config.throughput, Date.now());
    for (let i = 0; i < config.numRecords && !interrupted; i++) {
      let payload: Buffer;
      if (payloads.length > 0) payload = payloads[random.nextIntBounded(payloads.length)]!;
      else if (config.recordSize !== undefined) {
        payload = Buffer.allocUnsafe(config.recordSize);
        for (let j = 0; j < payload.length; j++) payload[j] = random.nextIntBounded(26) + 65;
      } else payload = Buffer.from(String(i));
      const sendStartMs = Date.now();
      const bytes = payload.length;
      maxSize = Math.max(maxSize, bytes);
      totalSize += bytes;
      producer.send({ topic: config.topic, key: null, value: payload }, (error) => {
        const now = Date.now();
        if (error === null) stats.record(now - sendStartMs, bytes, now);
        else {
          errors++;
          io.stderr.write(`${javaClassOf(error)}: ${error.message}\n`);
        }
      });
      if (throttler.shouldThrottle(i, sendStartMs)) await throttler.throttle(stopped);
      if (!producer.hasRoom || producer.backlogged) await producer.waitForRoom();
      // Let answers in now and then, so latencies are measured when they arrive.
      else if ((i & 63) === 63 && producer.inFlight > 0) await new Promise((r) => setImmediate(r));
    }
    await producer.flush();
    if (interrupted) return;
    io.stdout.write(stats.totalLine());
    if (config.printMetrics) {
      const sent = stats.totalCount;
      io.stdout.write(metricsTable(settings.clientId, [
        ['record-send-total', sent],
        ['record-error-total', errors],
        ['record-size-avg', sent + errors === 0 ? 0 : totalSize / (sent + errors)],
        ['record-size-max', maxSize],
      ]));
    }
  } finally {
    for (const off of unsubscribe) off();
    await producer.close().catch(() => {});
    client.close();
    await flushed(io.stdout);
    if (interrupted) throw new CancelledError(interrupted);
  }
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  let config: PerfTestConfig;
  try {
    config = perfTestConfig(parseArguments(PARSER, argv), (path) => loadClientProperties(path, io.cwd));
  } catch (err) {
    if (err instanceof HelpRequested) {
      // argparse4j prints the help page; Kafka's tool then exits through its error path.
      io.stdout.write(formatHelp(PARSER));
      throw new KtoolError('USAGE', 'help', { reported: true });
    }
    if (err instanceof ArgumentParserError) {
      if (argv.length === 0) {
        io.stdout.write(formatHelp(PARSER));
        return;
      }
      io.stderr.write(formatError(PARSER, err.message));
      throw new KtoolError('USAGE', err.message, { reported: true });
    }
    throw mainFailure(err, io);
  }
  try {
    await runTest(config, io);
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    throw mainFailure(err, io);
  }
}

/** `Exception in thread "main" <class>: <message>`, exit 1. */
function mainFailure(err: unknown, io: CliIO): KtoolError {
  let javaClass = err instanceof MainError ? err.javaClass : javaClassOf(err);
  if (err instanceof KtoolError && (err.code === 'INVALID_CONFIG' || err.code === 'INVALID_CLIENT_CONFIG')) javaClass = 'org.apache.kafka.common.config.ConfigException';
  if (err instanceof KtoolError && err.code === 'CONFIG_FILE') javaClass = 'java.io.FileNotFoundException';
  io.stderr.write(`Exception in thread "main" ${javaClass}: ${messageOf(err)}\n`);
  return new KtoolError('PRODUCER_PERF_FAILED', messageOf(err), { reported: true, cause: err });
}

export const producerPerfTestCommand: Command = {
  options: [],
  run,
};
