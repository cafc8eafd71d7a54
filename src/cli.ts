// The `ktool` entry point. Resolves the subcommand (ktool's name, a Kafka script name such as
// `kafka-topics.sh`, or the name of the link the binary was invoked through), hands the rest of
// argv to that command's Kafka-style parser, and is the one place that turns errors into output
// and exit codes. commander renders the top-level help, version and unknown-command error.
import { basename } from 'node:path';
import { Command as Commander, CommanderError } from 'commander';
import { CancelledError, KtoolError, UsageError } from './errors.js';
import { consoleConsumerCommand } from './commands/console-consumer.js';
import { consoleProducerCommand } from './commands/console-producer.js';
import { consumerGroupsCommand } from './commands/consumer-groups.js';
import { dumpLogCommand } from './commands/dump-log.js';
import { serverStartCommand } from './commands/server-start.js';
import { serverStopCommand } from './commands/server-stop.js';
import { KAFKA_VERSION, type Command } from './commands/shared/command.js';
import { defaultIO, type CliIO } from './commands/shared/io.js';
import { formatHelp } from './commands/shared/options.js';
import { topicsCommand } from './commands/topics.js';

/** Only commands that work are listed. */
export const COMMANDS: readonly Command[] = [
  topicsCommand,
  consoleProducerCommand,
  consoleConsumerCommand,
  consumerGroupsCommand,
  serverStartCommand,
  serverStopCommand,
  dumpLogCommand,
];

/** `topics`, `kafka-topics`, `kafka-topics.sh`, `kafka-topics.bat` (any case for the extension). */
export function findCommand(name: string): Command | undefined {
  const bare = name.replace(/\.(sh|bat|cmd)$/i, '');
  return COMMANDS.find((c) => c.name === bare || c.script === bare);
}

/** The command a link named like a Kafka script stands for (`kafka-topics.sh` → topics). */
function commandFromBinary(argv0: string | undefined): Command | undefined {
  if (!argv0) return undefined;
  const name = basename(argv0).replace(/\.(js|mjs|cjs|exe)$/i, '');
  return name === 'ktool' ? undefined : findCommand(name);
}

export async function main(argv: readonly string[], ioOverrides: Partial<CliIO> = {}): Promise<number> {
  const io: CliIO = { ...defaultIO(), ...ioOverrides };
  const viaLink = commandFromBinary(io.argv0);
  const command = viaLink ?? (argv.length > 0 ? findCommand(argv[0]!) : undefined);
  if (!command) return topLevel(argv, io);
  const rest = viaLink ? argv : argv.slice(1);
  try {
    await command.run(rest, io);
    return 0;
  } catch (err) {
    return report(err, command, io);
  }
}

/** Prints what an error means and returns the exit code. */
function report(err: unknown, command: Command, io: CliIO): number {
  if (err instanceof UsageError) {
    io.stderr.write(`${err.message}\n${formatHelp(command.options)}`);
    return 1;
  }
  if (err instanceof CancelledError) return err.exitCode;
  if (err instanceof KtoolError) {
    if (!err.reported) io.stderr.write(`${err.message}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  io.stderr.write(`${e?.stack ?? String(err)}\n`);
  return 1;
}

/** `ktool`, `ktool --help`, `ktool --version`, or an unknown command. */
async function topLevel(argv: readonly string[], io: CliIO): Promise<number> {
  const program = new Commander('ktool')
    .description("Apache Kafka's command-line tools in one command. Each subcommand takes the same options as the Kafka script it is named after (kafka-topics.sh → ktool topics).")
    .version(KAFKA_VERSION, '--version', 'Display Kafka version.')
    .helpOption('-h, --help', 'Print usage information.')
    .helpCommand(false)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  for (const c of COMMANDS) {
    program.command(c.name).alias(c.script).description(c.summary).helpOption(false);
  }
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 1;
    throw err;
  }
}
