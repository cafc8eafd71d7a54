// kafka-delete-records: deletes every record before the given offset of each partition listed in
// --offset-json-file and prints the new low watermarks. A partition that fails prints its error
// line and the command still exits 0; a bad file or command line ends it as Kafka's main() does,
// with `Exception in thread "main" <class>: <message>` on stderr and exit 1.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KtoolError, UsageError } from '../errors.js';
import { connectionSettings } from '../client/client-config.js';
import { OffsetAdmin, describeFailure, tpName, type PartitionOutcome } from '../client/offset-admin.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { HELP_OPTION, KAFKA_VERSION, VERSION_OPTION, type Command } from './shared/command.js';
import { loadClientProperties, messageOf } from './shared/client-setup.js';
import type { CliIO } from './shared/io.js';
import { parseArgs, requireOption, type OptionSpec, type ParsedArgs } from './shared/options.js';
import { JavaMainError, duplicatePartitions, parseOffsetJson, type RecordsToDelete } from './delete-records/offset-json.js';

const HELP = 'This tool helps to delete records of the given partitions down to the specified offset.';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', describedAs: 'server(s) to use for bootstrapping', description: 'REQUIRED: The server to connect to.' },
  { name: 'command-config', arg: 'required', describedAs: 'command config property file path', description: 'A property file containing configs to be passed to Admin Client.' },
  HELP_OPTION,
  { name: 'offset-json-file', arg: 'required', describedAs: 'Offset json file path', description: 'REQUIRED: The JSON file with offset per partition. The format to use is:\n{"partitions":\n [{"topic": "foo", "partition": 1, "offset": 1}],\n "version":1\n}' },
  VERSION_OPTION,
];

/** The jopt-simple exception class behind each parse error text (Kafka lets them escape main). */
function joptClass(message: string): string {
  if (message.endsWith('is not a recognized option')) return 'joptsimple.UnrecognizedOptionException';
  if (message.startsWith('Option ') && message.endsWith('requires an argument')) return 'joptsimple.OptionMissingRequiredArgumentException';
  if (message.startsWith('Found multiple arguments')) return 'joptsimple.MultipleArgumentsForOptionException';
  return 'joptsimple.OptionException';
}

/** The `partition: …` lines, in topic and partition order. */
export function resultLines(entries: readonly RecordsToDelete[], results: ReadonlyMap<string, PartitionOutcome<bigint>>): string {
  const sorted = [...entries].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return sorted.map((e) => {
    const r = results.get(tpName(e));
    if (r?.ok) return `partition: ${tpName(e)}\tlow_watermark: ${r.value}\n`;
    const error = r && !r.ok ? r.error : new Error('no result');
    return `partition: ${tpName(e)}\terror: ${describeFailure(error)}\n`;
  }).join('');
}

function readOffsetFile(path: string, cwd: string): string {
  const full = resolve(cwd, path);
  try {
    return readFileSync(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new JavaMainError('java.nio.file.NoSuchFileException', path);
    if (code === 'EACCES') throw new JavaMainError('java.nio.file.AccessDeniedException', path);
    throw new JavaMainError('java.io.IOException', messageOf(err));
  }
}

async function execute(args: ParsedArgs, io: CliIO): Promise<void> {
  const props = loadClientProperties(args.value('command-config'), io.cwd);
  const entries = parseOffsetJson(readOffsetFile(args.value('offset-json-file')!, io.cwd));
  const dups = duplicatePartitions(entries);
  if (dups.length > 0) throw new JavaMainError('org.apache.kafka.server.common.AdminCommandFailedException', `Offset json file contains duplicate topic partitions: ${dups.join(',')}`);
  const client = new KafkaWireClient(connectionSettings(args.value('bootstrap-server')!, props, io.env, 'adminclient-1'));
  try {
    io.stdout.write('Executing records delete operation\n');
    const results = entries.length === 0 ? new Map() : await new OffsetAdmin(client).deleteRecords(entries);
    io.stdout.write(`Records delete operation completed:\n${resultLines(entries, results)}`);
  } finally {
    client.close();
  }
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  if (argv.length === 0) throw new UsageError(HELP);
  try {
    let args: ParsedArgs;
    try {
      args = parseArgs(OPTIONS, argv);
    } catch (err) {
      throw new JavaMainError(joptClass(messageOf(err)), messageOf(err));
    }
    if (args.has('help')) throw new UsageError(HELP);
    if (args.has('version')) {
      io.stdout.write(`${KAFKA_VERSION}\n`);
      return;
    }
    requireOption(args, 'bootstrap-server');
    requireOption(args, 'offset-json-file');
    await execute(args, io);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const javaClass = err instanceof JavaMainError ? err.javaClass : (err as { javaClass?: string }).javaClass ?? 'org.apache.kafka.common.KafkaException';
    io.stderr.write(`Exception in thread "main" ${javaClass}: ${messageOf(err)}\n`);
    throw new KtoolError('DELETE_RECORDS_FAILED', messageOf(err), { reported: true, cause: err });
  }
}

export const deleteRecordsCommand: Command = {
  options: OPTIONS,
  run,
};
