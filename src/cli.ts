// The `ktool` entry point. Resolves the subcommand (ktool's name, a Kafka script name such as
// `kafka-topics.sh`, or the name of the link the binary was invoked through), hands the rest of
// argv to that command's Kafka-style parser, and is the one place that turns errors into output
// and exit codes. commander renders the top-level help, version and unknown-command error.
import { basename } from 'node:path';
import { CancelledError, KtoolError, UsageError } from './errors.js';
import { KAFKA_VERSION, type Command } from './commands/shared/command.js';
import { defaultIO, type CliIO } from './commands/shared/io.js';
import { formatHelp } from './commands/shared/options.js';

export interface CommandEntry {
  /** ktool's subcommand name, e.g. `topics`. */
  readonly name: string;
  /** The Kafka script it replaces, without extension, e.g. `kafka-topics`. */
  readonly script: string;
  /** One line for `ktool --help`. */
  readonly summary: string;
  /** Commands load on use: a `topics --list` never pays for the broker's modules. */
  load(): Promise<Command>;
}

/** Only commands that work are listed. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'topics', script: 'kafka-topics', summary: 'Create, delete, describe, or change a topic', load: async () => (await import('./commands/topics.js')).topicsCommand },
  { name: 'console-producer', script: 'kafka-console-producer', summary: 'Read lines from standard input and publish them to a topic', load: async () => (await import('./commands/console-producer.js')).consoleProducerCommand },
  { name: 'console-consumer', script: 'kafka-console-consumer', summary: 'Read records from a topic and write them to standard output', load: async () => (await import('./commands/console-consumer.js')).consoleConsumerCommand },
  { name: 'consumer-groups', script: 'kafka-consumer-groups', summary: 'List, describe and delete consumer groups; reset or delete their committed offsets', load: async () => (await import('./commands/consumer-groups.js')).consumerGroupsCommand },
  { name: 'server-start', script: 'kafka-server-start', summary: 'Start the bundled Kafka broker ([-daemon] [server.properties] [--override k=v]...)', load: async () => (await import('./commands/server-start.js')).serverStartCommand },
  { name: 'server-stop', script: 'kafka-server-stop', summary: 'Stop the running ktool brokers', load: async () => (await import('./commands/server-stop.js')).serverStopCommand },
  { name: 'connect-standalone', script: 'connect-standalone', summary: 'Run a Kafka Connect standalone worker (worker.properties [connector.properties|.json ...])', load: async () => (await import('./commands/connect-standalone.js')).connectStandaloneCommand },
  { name: 'zookeeper-shell', script: 'zookeeper-shell', summary: 'Browse and change ZooKeeper znodes (ls, get, stat, create, set, delete, deleteall)', load: async () => (await import('./commands/zookeeper-shell.js')).zookeeperShellCommand },
  { name: 'zookeeper-start', script: 'zookeeper-server-start', summary: 'Start the bundled ZooKeeper server ([-daemon] [zookeeper.properties])', load: async () => (await import('./commands/zookeeper-start.js')).zookeeperStartCommand },
  { name: 'zookeeper-stop', script: 'zookeeper-server-stop', summary: 'Stop the running ktool ZooKeeper servers', load: async () => (await import('./commands/zookeeper-stop.js')).zookeeperStopCommand },
  { name: 'get-offsets', script: 'kafka-get-offsets', summary: 'Print the offsets of topic partitions for a time (latest, earliest, max-timestamp or a timestamp)', load: async () => (await import('./commands/get-offsets.js')).getOffsetsCommand },
  { name: 'delete-records', script: 'kafka-delete-records', summary: 'Delete the records of partitions up to the offsets in a JSON file', load: async () => (await import('./commands/delete-records.js')).deleteRecordsCommand },
  { name: 'broker-api-versions', script: 'kafka-broker-api-versions', summary: 'Print the API versions every broker supports', load: async () => (await import('./commands/broker-api-versions.js')).brokerApiVersionsCommand },
  { name: 'producer-perf-test', script: 'kafka-producer-perf-test', summary: 'Measure producer throughput and latency', load: async () => (await import('./commands/producer-perf-test.js')).producerPerfTestCommand },
  { name: 'consumer-perf-test', script: 'kafka-consumer-perf-test', summary: 'Measure consumer throughput', load: async () => (await import('./commands/consumer-perf-test.js')).consumerPerfTestCommand },
  { name: 'configs', script: 'kafka-configs', summary: 'Describe or change the configs of topics, brokers, the cluster-wide broker defaults and users (SCRAM credentials)', load: async () => (await import('./commands/configs.js')).configsCommand },
  { name: 'log-dirs', script: 'kafka-log-dirs', summary: 'Describe the log directories of brokers: the partitions in each and their sizes', load: async () => (await import('./commands/log-dirs.js')).logDirsCommand },
  { name: 'storage', script: 'kafka-storage', summary: 'Format log directories (random-uuid, format -t <cluster id> -c <server.properties>, info)', load: async () => (await import('./commands/storage.js')).storageCommand },
  { name: 'dump-log', script: 'kafka-dump-log', summary: 'Print the contents of log segments and their indexes', load: async () => (await import('./commands/dump-log.js')).dumpLogCommand },
];

/** `topics`, `kafka-topics`, `kafka-topics.sh`, `kafka-topics.bat` (any case for the extension). */
export function findCommand(name: string): CommandEntry | undefined {
  const bare = name.replace(/\.(sh|bat|cmd)$/i, '');
  return COMMANDS.find((c) => c.name === bare || c.script === bare);
}

/** The command a link named like a Kafka script stands for (`kafka-topics.sh` → topics). */
function commandFromBinary(argv0: string | undefined): CommandEntry | undefined {
  if (!argv0) return undefined;
  const name = basename(argv0).replace(/\.(js|mjs|cjs|exe)$/i, '');
  return name === 'ktool' ? undefined : findCommand(name);
}

export async function main(argv: readonly string[], ioOverrides: Partial<CliIO> = {}): Promise<number> {
  const io: CliIO = { ...defaultIO(), ...ioOverrides };
  const viaLink = commandFromBinary(io.argv0);
  const entry = viaLink ?? (argv.length > 0 ? findCommand(argv[0]!) : undefined);
  if (!entry) return topLevel(argv, io);
  const rest = viaLink ? argv : argv.slice(1);
  const command = await entry.load();
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
  // Loaded here only: every subcommand start (the broker's included) would pay for it otherwise.
  const { Command: Commander, CommanderError } = await import('commander');
  const program = new Commander('ktool')
    .description("Apache Kafka's command-line tools in one command. Each subcommand takes the same options as the Kafka script it is named after (kafka-topics.sh → ktool topics).")
    .version(KAFKA_VERSION, '--version', 'Display Kafka version.')
    .helpOption('-h, --help', 'Print usage information.')
    .helpCommand(false)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  for (const c of COMMANDS) {
    const sub = program.command(c.name).description(c.summary).helpOption(false);
    if (c.script !== c.name) sub.alias(c.script); // commander refuses an alias equal to the name
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
