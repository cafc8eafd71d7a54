// kafka-console-producer: reads lines from stdin and produces one record per line. Producer
// settings merge as Kafka's ConsoleProducer does (file < --producer-property < explicit flags,
// with flag defaults applied only where the key is still unset); compression is always forced.
import kafkajs, { type Message } from 'kafkajs';
import type { Properties } from '../config/properties.js';
import { parseKeyValueList } from '../config/properties.js';
import { CancelledError, KtoolError, UsageError } from '../errors.js';
import { BatchingProducer, javaClassOfKafkajsError, rootCause } from '../client/batching-producer.js';
import { bootstrapProblem, connectionSettings } from '../client/client-config.js';
import { KAFKAJS_COMPRESSION, createKafka } from '../client/kafkajs-factory.js';
import { lineReaderConfig, parseLine, type ParsedLine } from '../client/line-reader.js';
import { readLineBatches } from '../client/text-lines.js';
import { CODEC_NAMES, type CompressionCodec } from '../protocol/records/compression.js';
import { HELP_OPTION, VERSION_OPTION, parseOrHelp, type Command } from './shared/command.js';
import { loadClientProperties, mergeProperties } from './shared/client-setup.js';
import type { CliIO, Signal } from './shared/io.js';
import { requireOption, type OptionSpec, type ParsedArgs } from './shared/options.js';

const { Partitioners } = kafkajs;

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

const configError = (key: string, value: string, allowed: string): KtoolError =>
  new KtoolError('INVALID_CONFIG', `Invalid value ${value} for configuration ${key}: String must be one of: ${allowed}`);

/** acks as kafkajs takes it. */
export function parseAcks(value: string): number {
  const v = value.trim().toLowerCase();
  if (v === 'all' || v === '-1') return -1;
  if (v === '0' || v === '1') return Number(v);
  throw configError('acks', value, 'all, -1, 0, 1');
}

export function parseCompression(value: string): CompressionCodec {
  const v = value.trim().toLowerCase();
  if (!(CODEC_NAMES as readonly string[]).includes(v)) throw configError('compression.type', value, CODEC_NAMES.join(', '));
  return v as CompressionCodec;
}

function intConfig(props: Properties, key: string, fallback: number): number {
  const raw = props.get(key);
  if (raw === undefined) return fallback;
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isInteger(n)) throw new KtoolError('INVALID_CONFIG', `Invalid value ${raw} for configuration ${key}: Not a number of type INT`);
  return n;
}

/** A parsed line as a kafkajs message (Buffers, so sizes are exact bytes). */
export function toMessage(line: ParsedLine): Message {
  const message: Message = { key: line.key === null ? null : Buffer.from(line.key), value: line.value === null ? null : Buffer.from(line.value) };
  if (line.headers.length > 0) {
    // kafkajs groups repeated keys into arrays; values stay in order per key.
    const headers: Record<string, Array<Buffer | null>> = {};
    for (const [k, v] of line.headers) (headers[k] ??= []).push(v === null ? null : Buffer.from(v));
    message.headers = Object.fromEntries(Object.entries(headers).map(([k, vs]) => [k, vs.length === 1 ? vs[0] : vs])) as Message['headers'];
  }
  return message;
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(OPTIONS, argv, 'This tool helps to read data from standard input and publish it to Kafka.', io);
  if (!args) return;
  const opts = consoleProducerOptions(args, (path) => loadClientProperties(path, io.cwd));
  if (!KNOWN_READERS.has(opts.lineReader)) {
    throw new KtoolError('UNKNOWN_READER', `java.lang.ClassNotFoundException: ${opts.lineReader} (ktool has only the built-in line reader)`);
  }
  const props = opts.producerProps;
  const reader = lineReaderConfig(opts.readerProps);
  const acks = parseAcks(props.get('acks')!);
  const compression = parseCompression(props.get('compression.type')!);
  const settings = connectionSettings(opts.bootstrapServer, props, io.env, 'console-producer');
  const kafka = createKafka(settings, { stderr: io.stderr, retries: intConfig(props, 'retries', 3) });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner, // Java-compatible murmur2 for keys
    allowAutoTopicCreation: true,
    metadataMaxAge: intConfig(props, 'metadata.max.age.ms', 300000),
    idempotent: props.get('enable.idempotence')?.trim().toLowerCase() === 'true',
  });
  const sender = new BatchingProducer(producer, {
    topic: opts.topic,
    acks,
    compression: KAFKAJS_COMPRESSION[compression],
    lingerMs: intConfig(props, 'linger.ms', 1000),
    ackTimeoutMs: settings.requestTimeoutMs,
    maxBatchBytes: Math.floor(intConfig(props, 'max.request.size', 1048576) * 0.85),
    maxBatchRecords: 500,
    maxInFlight: 8,
    stderr: io.stderr,
  });

  let interrupted: Signal | undefined;
  const onSignal = (signal: Signal) => () => {
    interrupted ??= signal;
    io.stdin.destroy(); // ends the read loop; what was read is still flushed
  };
  const unsubscribe = [io.onSignal('SIGINT', onSignal('SIGINT')), io.onSignal('SIGTERM', onSignal('SIGTERM'))];
  const prompt = io.stdinIsTTY && io.stdoutIsTTY;
  try {
    await producer.connect();
    let lineNumber = 0;
    if (prompt) io.stdout.write('>');
    try {
      for await (const lines of readLineBatches(io.stdin)) {
        for (const line of lines) {
          const message = toMessage(parseLine(line, ++lineNumber, reader));
          if (opts.sync) await sender.sendNow(message);
          else await sender.add(message);
          if (prompt) io.stdout.write('>');
        }
      }
    } catch (err) {
      if (!interrupted) throw err;
    }
    await sender.drain();
  } catch (err) {
    await sender.drain().catch(() => {});
    // Kafka prints the exception and its stack trace, then exits 1.
    const cause = err instanceof KtoolError ? err : rootCause(err);
    const javaClass = err instanceof KtoolError ? 'org.apache.kafka.common.KafkaException' : javaClassOfKafkajsError(err);
    io.stderr.write(`${javaClass}: ${cause.message}\n`);
    throw new KtoolError('PRODUCER_FAILED', cause.message, { reported: true, cause: err });
  } finally {
    for (const off of unsubscribe) off();
    await producer.disconnect().catch(() => {});
  }
  if (interrupted) throw new CancelledError(interrupted);
}

export const consoleProducerCommand: Command = {
  name: 'console-producer',
  script: 'kafka-console-producer',
  summary: 'Read lines from standard input and publish them to a topic',
  options: OPTIONS,
  run,
};
