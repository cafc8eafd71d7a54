// The anatomy every command module shares: a name, the Kafka script it replaces, its option
// table, and `run(argv, io)`. Each `run` parses with the table into a typed options object (a pure
// function the tests call directly) and then does its work; failures are thrown, never exited.
import { UsageError } from '../../errors.js';
import type { CliIO } from './io.js';
import { parseArgs, type OptionSpec, type ParsedArgs } from './options.js';

/** What `--version` prints: the Kafka release whose tools we reproduce. */
export const KAFKA_VERSION = '4.0.0';

/** A command module's export; its name and summary live in cli.ts's registry. */
export interface Command {
  readonly options: readonly OptionSpec[];
  run(argv: readonly string[], io: CliIO): Promise<void>;
}

export const HELP_OPTION: OptionSpec = { name: 'help', description: 'Print usage information.' };
export const VERSION_OPTION: OptionSpec = { name: 'version', description: 'Display Kafka version.' };

/**
 * Kafka's `CommandLineUtils.maybePrintHelpOrVersion`: no arguments or `--help` ⇒ usage (exit 1);
 * `--version` ⇒ the version on stdout. Returns null when the command has nothing more to do.
 */
export function parseOrHelp(options: readonly OptionSpec[], argv: readonly string[], helpMessage: string, io: CliIO, noArgsMessage = helpMessage): ParsedArgs | null {
  if (argv.length === 0) throw new UsageError(noArgsMessage);
  const args = parseArgs(options, argv);
  if (args.has('help')) throw new UsageError(helpMessage);
  if (args.has('version')) {
    io.stdout.write(`${KAFKA_VERSION}\n`);
    return null;
  }
  return args;
}
