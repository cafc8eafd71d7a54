// kafka-dump-log: `--files a.log,b.index,...` printed as Kafka's DumpLogSegments prints them (the
// logic is in src/dump-log/). This module parses Kafka's options into DumpOptions and streams the
// dump to stdout and stderr; a file the tool cannot read ends the run with exit 1, after whatever
// was printed before it.
import { KtoolError } from '../errors.js';
import { DumpError, INT_MAX, dumpLogSegments, type DumpOptions, type ValueDecoder } from '../dump-log/dump.js';
import { HELP_OPTION, VERSION_OPTION, parseOrHelp, type Command } from './shared/command.js';
import { drained, type CliIO } from './shared/io.js';
import { requireOption, type OptionSpec, type ParsedArgs } from './shared/options.js';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'cluster-metadata-decoder', description: 'If set, log data will be parsed as cluster metadata records.' },
  { name: 'deep-iteration', description: 'If set, uses deep instead of shallow iteration. Automatically set if print-data-log is enabled.' },
  { name: 'files', arg: 'required', describedAs: 'file1, file2, ...', description: 'REQUIRED: The comma separated list of data and index log files to be dumped.' },
  HELP_OPTION,
  {
    name: 'index-sanity-check',
    description: 'If set, just checks the index sanity without printing its content. This is the same check that is executed on broker startup to determine if an index needs rebuilding or not.',
  },
  {
    name: 'key-decoder-class', arg: 'optional',
    description: 'If set, used to deserialize the keys. This class should implement org.apache.kafka.tools.api.Decoder trait. Custom jar should be available in kafka/libs directory.',
    defaultValue: 'org.apache.kafka.tools.api.StringDecoder',
  },
  { name: 'max-bytes', arg: 'required', type: 'Integer', describedAs: 'size', description: 'Limit the amount of total batches read in bytes avoiding reading the whole .log file(s).', defaultValue: String(INT_MAX) },
  { name: 'max-message-size', arg: 'required', type: 'Integer', describedAs: 'size', description: 'Size of largest message.', defaultValue: String(5 * 1024 * 1024) },
  { name: 'offsets-decoder', description: 'If set, log data will be parsed as offset data from the __consumer_offsets topic.' },
  { name: 'print-data-log', description: 'If set, printing the messages content when dumping data logs. Automatically set if any decoder option is specified.' },
  {
    name: 'remote-log-metadata-decoder',
    description: 'If set, log data will be parsed as TopicBasedRemoteLogMetadataManager (RLMM) metadata records. Instead, the value-decoder-class option can be used if a custom RLMM implementation is configured.',
  },
  { name: 'skip-record-metadata', description: 'Whether to skip printing metadata for each record.' },
  { name: 'transaction-log-decoder', description: 'If set, log data will be parsed as transaction metadata from the __transaction_state topic.' },
  {
    name: 'value-decoder-class', arg: 'optional',
    description: 'If set, used to deserialize the messages. This class should implement org.apache.kafka.tools.api.Decoder trait. Custom jar should be available in kafka/libs directory.',
    defaultValue: 'org.apache.kafka.tools.api.StringDecoder',
  },
  { name: 'verify-index-only', description: 'If set, just verify the index log without printing its content.' },
  VERSION_OPTION,
];

const HELP = 'This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.';

const DECODERS: Readonly<Record<string, ValueDecoder>> = {
  'org.apache.kafka.tools.api.StringDecoder': 'string',
  'org.apache.kafka.tools.api.IntegerDecoder': 'integer',
  'org.apache.kafka.tools.api.LongDecoder': 'long',
};
const DEPRECATED_DECODERS: Readonly<Record<string, string>> = {
  'kafka.serializer.StringDecoder': 'org.apache.kafka.tools.api.StringDecoder',
  'kafka.serializer.IntegerDecoder': 'org.apache.kafka.tools.api.IntegerDecoder',
  'kafka.serializer.LongDecoder': 'org.apache.kafka.tools.api.LongDecoder',
};
const UNSUPPORTED_DECODERS = ['transaction-log-decoder', 'cluster-metadata-decoder', 'remote-log-metadata-decoder'];

/** A decoder class name as DumpLogSegments.newDecoder resolves it; `notices` collects its deprecation lines. */
function decoderFor(className: string, notices: string[]): ValueDecoder {
  const replacement = DEPRECATED_DECODERS[className];
  if (replacement !== undefined) {
    notices.push(`${className} is deprecated. Please use ${replacement} instead`);
    return DECODERS[replacement]!;
  }
  const decoder = DECODERS[className];
  if (decoder === undefined) {
    throw new KtoolError('DECODER_NOT_FOUND', `${className}: ktool provides org.apache.kafka.tools.api.StringDecoder, IntegerDecoder and LongDecoder only`);
  }
  return decoder;
}

/** Kafka's DumpLogSegmentsOptions, checked the same way, as typed options. */
export function dumpLogOptions(args: ParsedArgs): DumpOptions {
  requireOption(args, 'files');
  const unsupported = UNSUPPORTED_DECODERS.find((name) => args.has(name));
  if (unsupported !== undefined) throw new KtoolError('DECODER_NOT_SUPPORTED', `--${unsupported} is not supported by ktool dump-log yet`);
  const decoderOption = ['offsets-decoder', 'value-decoder-class', 'key-decoder-class'].some((name) => args.has(name));
  const printDataLog = args.has('print-data-log') || decoderOption;
  const notices: string[] = [];
  let decoder: DumpOptions['decoder'];
  if (args.has('offsets-decoder')) {
    decoder = 'offsets';
  } else {
    // Kafka builds the value decoder first, so its notice comes first.
    const value = decoderFor(args.value('value-decoder-class') ?? 'org.apache.kafka.tools.api.StringDecoder', notices);
    const key = decoderFor(args.value('key-decoder-class') ?? 'org.apache.kafka.tools.api.StringDecoder', notices);
    decoder = { key, value };
  }
  return {
    files: args.value('files')!.split(','),
    printDataLog,
    deepIteration: args.has('deep-iteration') || printDataLog,
    verifyIndexOnly: args.has('verify-index-only'),
    indexSanityCheck: args.has('index-sanity-check'),
    skipRecordMetadata: args.has('skip-record-metadata'),
    maxMessageSize: args.number('max-message-size') ?? 5 * 1024 * 1024,
    maxBytes: args.number('max-bytes') ?? INT_MAX,
    decoder,
    deprecationNotices: notices,
  };
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(OPTIONS, argv, HELP, io);
  if (!args) return;
  const opts = dumpLogOptions(args);
  const write = async (stream: NodeJS.WritableStream & CliIO['stdout'], text: string): Promise<void> => {
    if (text === '') return;
    stream.write(text);
    await drained(stream);
  };
  try {
    await dumpLogSegments(opts, { out: (t) => write(io.stdout, t), err: (t) => write(io.stderr, t) }, io.cwd);
  } catch (err) {
    if (err instanceof DumpError) throw new KtoolError('DUMP_LOG_FAILED', err.message, { cause: err });
    throw err;
  }
}

export const dumpLogCommand: Command = {
  options: OPTIONS,
  run,
};
