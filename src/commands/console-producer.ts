// kafka-console-producer: reads lines from stdin and produces one record per line. Producer
// settings merge as Kafka's ConsoleProducer does (file < --producer-property < explicit flags,
// with flag defaults applied only where the key is still unset); compression is always forced.
// Records go through the wire producer: stdin is split into lines a chunk at a time, each line is
// parsed as bytes (a line that is all value is copied from the input chunk into its batch, with
// no object per line) and queued without awaiting it, and reading pauses only when buffer.memory
// is full or the network lags behind. Failed sends are logged as Java's ErrorLoggingCallback logs them (exit status stays 0);
// with --sync each record is flushed and awaited, and a failure ends the tool with status 1.
import type { Properties } from '../config/properties.js';
import { parseKeyValueList } from '../config/properties.js';
import { CancelledError, KtoolError, UsageError } from '../errors.js';
import { createLogger, formatLogLine } from '../log.js';
import { bootstrapProblem, connectionSettings } from '../client/client-config.js';
import type { Readable } from 'node:stream';
import { isNullMarkerAt, isValueOnly, lineReaderConfig, parseLineBytes, type LineReaderConfig } from '../client/line-reader.js';
import { producerConfig } from '../client/producer-config.js';
import { readLines } from '../client/text-lines.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { onFailure, WireProducer, type ProducerRecord, type RecordMetadata, type SendCallback } from '../client/wire-producer.js';
import { HELP_OPTION, VERSION_OPTION, parseOrHelp, type Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, mergeProperties, messageOf } from './shared/client-setup.js';
import type { CliIO, Signal } from './shared/io.js';
import { requireOption, type OptionSpec, type ParsedArgs } from './shared/options.js';

export interface ConsoleProducerOptions {
  topic: string;
  bootstrapServer: string;
  sync: boolean;
  /** Producer properties after Kafka's merge rules (keys as in the Java client). */
  producerProps: Properties;
  /** Reader properties (--reader-config < --property). */
  readerProps: Properties;
  lineReader: string;
}

const DEFAULT_READER = 'org.apache.kafka.tools.LineMessageReader';
const KNOWN_READERS = new Set([DEFAULT_READER, 'kafka.tools.ConsoleProducer$LineMessageReader', 'kafka.tools.LineMessageReader']);

/** Flags that map onto a producer property, with Kafka's defaults (applied by `mergeFlag`). */
const MAPPED: ReadonlyArray<{ flag: string; key: string; fallback: string }> = [
  { flag: 'timeout', key: 'linger.ms', fallback: '1000' },
  { flag: 'request-required-acks', key: 'acks', fallback: '-1' },
  { flag: 'request-timeout-ms', key: 'request.timeout.ms', fallback: '1500' },
  { flag: 'message-send-max-retries', key: 'retries', fallback: '3' },
  { flag: 'retry-backoff-ms', key: 'retry.backoff.ms', fallback: '100' },
  { flag: 'socket-buffer-size', key: 'send.buffer.bytes', fallback: '102400' },
  { flag: 'max-memory-bytes', key: 'buffer.memory', fallback: '33554432' },
  { flag: 'batch-size', key: 'batch.size', fallback: '16384' },
  { flag: 'max-partition-memory-bytes', key: 'batch.size', fallback: '16384' },
  { flag: 'metadata-expiry-ms', key: 'metadata.max.age.ms', fallback: '300000' },
  { flag: 'max-block-ms', key: 'max.block.ms', fallback: '60000' },
];

const OPTIONS: readonly OptionSpec[] = [
  { name: 'batch-size', arg: 'required', type: 'Integer', describedAs: 'size', description: 'Records sent in one batch when not sending synchronously.', defaultValue: '16384' },
  { name: 'bootstrap-server', arg: 'required', describedAs: 'server to connect to', description: 'REQUIRED: The Kafka server to connect to, host:port[,host:port...].' },
  { name: 'broker-list', arg: 'required', describedAs: 'broker-list', description: 'DEPRECATED, use --bootstrap-server instead; ignored when --bootstrap-server is given.' },
  { name: 'command-config', arg: 'required', describedAs: 'config file', description: 'Alias of --producer.config.' },
  { name: 'command-property', arg: 'required', multiple: true, describedAs: 'producer_prop', description: 'Alias of --producer-property.' },
  { name: 'compression-codec', arg: 'optional', describedAs: 'compression-codec', description: "The compression codec: 'none', 'gzip', 'snappy', 'lz4' or 'zstd'. Without a value, 'gzip'." },
  HELP_OPTION,
  { name: 'line-reader', arg: 'required', describedAs: 'reader_class', description: 'The class that reads lines from standard input; only the line reader is built in.', defaultValue: DEFAULT_READER },
  { name: 'max-block-ms', arg: 'required', type: 'Long', describedAs: 'max block on send', description: 'How long a send may block waiting for metadata or buffer space.', defaultValue: '60000' },
  { name: 'max-memory-bytes', arg: 'required', type: 'Long', describedAs: 'total memory in bytes', description: 'Memory the producer uses to buffer records waiting to be sent.', defaultValue: '33554432' },
  { name: 'max-partition-memory-bytes', arg: 'required', type: 'Integer', describedAs: 'memory in bytes per partition', description: 'Batch size per partition (batch.size).', defaultValue: '16384' },
  { name: 'message-send-max-retries', arg: 'required', type: 'Integer', describedAs: 'Integer', description: 'How many times a failed send is retried.', defaultValue: '3' },
  { name: 'metadata-expiry-ms', arg: 'required', type: 'Long', describedAs: 'metadata expiration interval', description: 'How often metadata is refreshed even without leadership changes.', defaultValue: '300000' },
  { name: 'producer-property', arg: 'required', multiple: true, describedAs: 'producer_prop', description: 'A producer config as key=value (repeatable).' },
  { name: 'producer.config', arg: 'required', describedAs: 'config file', description: 'Producer config properties file; --producer-property values take precedence.' },
  { name: 'property', arg: 'required', multiple: true, describedAs: 'prop', description: 'A line reader property as key=value (repeatable): parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator, ignore.error, null.marker.' },
  { name: 'reader-config', arg: 'required', describedAs: 'config file', description: 'Line reader properties file; --property values take precedence.' },
  { name: 'reader-property', arg: 'required', multiple: true, describedAs: 'prop', description: 'Alias of --property.' },
  { name: 'request-required-acks', arg: 'required', describedAs: 'request required acks', description: 'The acks setting: -1 (all), 0 or 1.', defaultValue: '-1' },
  { name: 'request-timeout-ms', arg: 'required', type: 'Integer', describedAs: 'request timeout ms', description: 'How long the broker waits to satisfy acks.', defaultValue: '1500' },
  { name: 'retry-backoff-ms', arg: 'required', type: 'Long', describedAs: 'Long', description: 'Wait before retrying a failed send.', defaultValue: '100' },
  { name: 'socket-buffer-size', arg: 'required', type: 'Integer', describedAs: 'size', description: 'TCP send buffer size.', defaultValue: '102400' },
  { name: 'sync', description: 'Send each record synchronously, waiting for its acknowledgement.' },
  { name: 'timeout', arg: 'required', type: 'Long', describedAs: 'timeout_ms', description: 'How long a record may wait for its batch to fill before it is sent (linger.ms).', defaultValue: '1000' },
  { name: 'topic', arg: 'required', describedAs: 'topic', description: 'REQUIRED: The topic to produce to.' },
  VERSION_OPTION,
];

/**
 * Validates flags and builds the producer and reader properties. `files` reads the property
 * files (injected so tests need no disk).
 */
export function consoleProducerOptions(args: ParsedArgs, files: (path: string | undefined) => Properties): ConsoleProducerOptions {
  requireOption(args, 'topic');
  const bootstrapServer = args.value('bootstrap-server') ?? args.value('broker-list');
  if (bootstrapServer === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const problem = bootstrapProblem(bootstrapServer);
  if (problem) throw new UsageError(problem);

  const props = mergeProperties(
    files(args.value('producer.config') ?? args.value('command-config')),
    parseKeyValueList([...args.values('producer-property'), ...args.values('command-property')]),
  );
  props.set('bootstrap.servers', bootstrapServer);
  // Always overwritten, even when a config file sets compression.type (a long-standing Kafka quirk).
  props.set('compression.type', args.has('compression-codec') ? args.value('compression-codec') || 'gzip' : 'none');
  if (!props.has('client.id')) props.set('client.id', 'console-producer');
  for (const { flag, key, fallback } of MAPPED) {
    if (args.has(flag) || !props.has(key)) props.set(key, args.value(flag) ?? fallback);
  }

  return {
    topic: args.value('topic')!,
    bootstrapServer,
    sync: args.has('sync'),
    producerProps: props,
    readerProps: mergeProperties(files(args.value('reader-config')), parseKeyValueList([...args.values('property'), ...args.values('reader-property')])),
    lineReader: args.value('line-reader') ?? DEFAULT_READER,
  };
}

const ERROR_LOGGER = 'org.apache.kafka.clients.producer.internals.ErrorLoggingCallback';

const describeSize = (size: number): string => (size < 0 ? 'null' : `${size} bytes`);

/** The class Kafka's tool would print for a failure: reader and config errors are KafkaExceptions. */
function javaClassFor(err: unknown): string {
  if (err instanceof KtoolError && !('javaClass' in err)) return 'org.apache.kafka.common.KafkaException';
  return javaClassOf(err);
}

/** Java's ErrorLoggingCallback: one ERROR line per failed record, naming the key and value sizes. */
function errorLogger(topic: string, stderr: CliIO['stderr']): SendCallback {
  return onFailure((error: Error, metadata: RecordMetadata): void => {
    const what = `Error when sending message to topic ${topic} with key: ${describeSize(metadata.serializedKeySize)}, value: ${describeSize(metadata.serializedValueSize)} with error:`;
    stderr.write(`${formatLogLine('ERROR', what, ERROR_LOGGER)}${javaClassFor(error)}: ${error.message}\n`);
  });
}

/** `--sync`: sends one record, flushes it and waits; a failure throws. */
async function sendSync(producer: WireProducer, record: ProducerRecord): Promise<void> {
  let failure: Error | null = null;
  producer.send(record, (error) => {
    failure = error;
  });
  await producer.flush();
  if (failure !== null) throw failure;
}

interface LineOutput {
  topic: string;
  reader: LineReaderConfig;
  sync: boolean;
  /** Whether to print `>` after each line. */
  prompt: boolean;
  stdout: CliIO['stdout'];
  onResult: SendCallback;
}

/** The tool's loop: stdin's lines to records. Kept out of run() so the hot code stays small. */
async function produceLines(input: Readable, producer: WireProducer, out: LineOutput): Promise<void> {
  const valueOnly = isValueOnly(out.reader);
  let lineNumber = 0;
  for await (const lines of readLines(input)) {
    // The send time, read once per group of lines (they are parsed within a millisecond or so).
    const timestamp = Date.now();
    if (valueOnly && !out.sync && !out.prompt && out.reader.nullMarker === undefined) {
      // Each line's bytes go straight from the input chunk into its batch. The first line
      // asks for the topic's metadata, and the rest wait for it as Java's send() would.
      let from = 0;
      if (lineNumber === 0) {
        producer.sendValue(out.topic, lines.bytes, lines.start(0), lines.end(0), timestamp, out.onResult);
        from = 1;
        await producer.topicReady(out.topic);
      }
      producer.sendValues(out.topic, lines.bytes, lines.bounds, from, lines.length, timestamp, out.onResult);
      lineNumber += lines.length;
    } else if (valueOnly && !out.sync) {
      const bytes = lines.bytes;
      for (let i = 0; i < lines.length; i++) {
        const start = lines.start(i);
        const end = lines.end(i);
        producer.sendValue(out.topic, isNullMarkerAt(bytes, start, end, out.reader) ? null : bytes, start, end, timestamp, out.onResult);
        if (out.prompt) out.stdout.write('>');
      }
      lineNumber += lines.length;
    } else {
      for (let i = 0; i < lines.length; i++) {
        const { key, value, headers } = parseLineBytes(lines.line(i), ++lineNumber, out.reader);
        const record: ProducerRecord = { topic: out.topic, key, value, headers, timestamp };
        if (out.sync) await sendSync(producer, record);
        else producer.send(record, out.onResult);
        if (out.prompt) out.stdout.write('>');
      }
    }
    // Back-pressure (buffer.memory, or a backlog the network has yet to take); otherwise
    // still let responses in between groups so requests keep flowing.
    if (!producer.hasRoom || producer.backlogged) await producer.waitForRoom();
    else if (producer.inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(OPTIONS, argv, 'This tool helps to read data from standard input and publish it to Kafka.', io);
  if (!args) return;
  const opts = consoleProducerOptions(args, (path) => loadClientProperties(path, io.cwd));
  if (!KNOWN_READERS.has(opts.lineReader)) {
    throw new KtoolError('UNKNOWN_READER', `java.lang.ClassNotFoundException: ${opts.lineReader} (ktool has only the built-in line reader)`);
  }
  const reader = lineReaderConfig(opts.readerProps);
  const config = producerConfig(opts.producerProps);
  const settings = connectionSettings(opts.bootstrapServer, opts.producerProps, io.env, 'console-producer');
  const logger = createLogger('org.apache.kafka.clients.NetworkClient', io.stderr, 'WARN');
  const logPrefix = `[Producer clientId=${settings.clientId}] `;
  const client = new KafkaWireClient(settings, { logger, logPrefix });
  const producer = new WireProducer(client, config, { logger, logPrefix });
  const onResult = errorLogger(opts.topic, io.stderr);
  const topic = opts.topic;

  let interrupted: Signal | undefined;
  const onSignal = (signal: Signal) => () => {
    interrupted ??= signal;
    io.stdin.destroy(); // ends the read loop; what was read is still flushed
  };
  const unsubscribe = [io.onSignal('SIGINT', onSignal('SIGINT')), io.onSignal('SIGTERM', onSignal('SIGTERM'))];
  const prompt = io.stdinIsTTY && io.stdoutIsTTY;
  try {
    if (prompt) io.stdout.write('>');
    try {
      await produceLines(io.stdin, producer, { topic, reader, sync: opts.sync, prompt, stdout: io.stdout, onResult });
    } catch (err) {
      if (!interrupted) throw err;
    }
    await producer.flush();
  } catch (err) {
    await producer.flush().catch(() => {});
    // Kafka prints the exception, then exits 1.
    io.stderr.write(`${javaClassFor(err)}: ${messageOf(err)}\n`);
    throw new KtoolError('PRODUCER_FAILED', messageOf(err), { reported: true, cause: err });
  } finally {
    for (const off of unsubscribe) off();
    await producer.close().catch(() => {});
    client.close();
  }
  if (interrupted) throw new CancelledError(interrupted);
}

export const consoleProducerCommand: Command = {
  options: OPTIONS,
  run,
};
