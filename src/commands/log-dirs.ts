// kafka-log-dirs (LogDirsCommand): asks each broker (DescribeLogDirs) which partitions its log
// directories hold and how big they are, and prints Kafka's one-line JSON. Kafka builds that JSON
// from java.util.HashMaps, so keys, brokers, dirs and partitions come out in Java's hash order.
import { connectionSettings } from '../client/client-config.js';
import { ConfigAdmin, type LogDirInfo } from '../client/config-admin.js';
import { kafkaErrorInfo } from '../client/kafka-errors.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { KtoolError } from '../errors.js';
import { createLogger } from '../log.js';
import { HELP_OPTION, VERSION_OPTION, parseOrHelp, type Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, messageOf } from './shared/client-setup.js';
import type { CliIO } from './shared/io.js';
import { javaHashOrder, javaStringHash, javaTopicPartitionHash } from './shared/java-hash.js';
import { requireOption, type OptionSpec } from './shared/options.js';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', describedAs: 'The server(s) to use for bootstrapping', description: 'REQUIRED: the server(s) to use for bootstrapping' },
  { name: 'broker-list', arg: 'required', describedAs: 'Broker list', defaultValue: '', description: 'The list of brokers to be queried in the form "0,1,2". All brokers in the cluster will be queried if no broker list is specified' },
  { name: 'command-config', arg: 'required', describedAs: 'Admin client property file', description: 'Property file containing configs to be passed to Admin Client.' },
  { name: 'describe', description: 'Describe the specified log directories on the specified brokers.' },
  HELP_OPTION,
  { name: 'topic-list', arg: 'required', describedAs: 'Topic list', defaultValue: '', description: 'The list of topics to be queried in the form "topic1,topic2,topic3". All topics will be queried if no topic list is specified' },
  VERSION_OPTION,
];

const intHash = (n: number): number => n;
const commaList = (ids: readonly number[]): string => ids.join(',');

/** A Java HashSet<Integer> of these ids, as it iterates. */
const javaIntSet = (ids: Iterable<number>): number[] => javaHashOrder([...new Set(ids)], intHash);

/** Integer.valueOf, failing as Java does. */
function parseBrokerId(text: string): number {
  if (!/^[+-]?\d+$/.test(text) || Math.abs(Number(text)) > 2 ** 31) throw new KtoolError('NUMBER_FORMAT', `For input string: "${text}"`);
  return Number(text);
}

const quote = (s: string): string => JSON.stringify(s);

/** One log dir as LogDirsCommand prints it; `topics` empty means every topic. */
function logDirJson(d: LogDirInfo, topics: ReadonlySet<string>): string {
  const hashed = javaHashOrder(d.partitions, (p) => javaTopicPartitionHash(p.topic, p.partition));
  const kept = javaHashOrder(hashed.filter((p) => topics.size === 0 || topics.has(p.topic)), (p) => javaTopicPartitionHash(p.topic, p.partition));
  const partitions = kept.map((p) => `{"partition":${quote(`${p.topic}-${p.partition}`)},"size":${p.size},"offsetLag":${p.offsetLag},"isFuture":${p.isFuture}}`);
  const error = d.errorCode === 0 ? 'null' : quote(`org.apache.kafka.common.errors.${kafkaErrorInfo(d.errorCode).exception}`);
  return `{"partitions":[${partitions.join(',')}],"error":${error},"logDir":${quote(d.logDir)}}`;
}

export function formatLogDirsJson(byBroker: ReadonlyMap<number, LogDirInfo[]>, topics: ReadonlySet<string>): string {
  const brokers = javaHashOrder([...byBroker.keys()], intHash).map((id) => {
    const dirs = javaHashOrder(byBroker.get(id)!, (d) => javaStringHash(d.logDir));
    return `{"broker":${id},"logDirs":[${dirs.map((d) => logDirJson(d, topics)).join(',')}]}`;
  });
  return `{"brokers":[${brokers.join(',')}],"version":1}`;
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(OPTIONS, argv, 'This tool helps to query log directory usage on the specified brokers.', io);
  if (!args) return;
  requireOption(args, 'bootstrap-server');
  requireOption(args, 'describe');
  const split = (name: string): string[] => (args.value(name) ?? '').split(',').filter((s) => s !== '');
  const topics = new Set(split('topic-list'));
  const logger = createLogger('org.apache.kafka.tools.LogDirsCommand', io.stderr, 'WARN');
  const settings = connectionSettings(args.value('bootstrap-server')!, loadClientProperties(args.value('command-config'), io.cwd), io.env, 'log-dirs-tool');
  const client = new KafkaWireClient(settings, { logPrefix: `[AdminClient clientId=${settings.clientId}] `, logger });
  try {
    const inputBrokers = javaIntSet(split('broker-list').map(parseBrokerId));
    const admin = new ConfigAdmin(client);
    const clusterBrokers = javaIntSet(await admin.brokerIds());
    const existing = javaIntSet((inputBrokers.length === 0 ? clusterBrokers : inputBrokers).filter((b) => clusterBrokers.includes(b)));
    const missing = inputBrokers.filter((b) => !clusterBrokers.includes(b));
    if (missing.length > 0) {
      throw new KtoolError('UNKNOWN_BROKERS', `ERROR: The given brokers do not exist from --broker-list: ${commaList(missing)}. Current existent brokers: ${commaList(clusterBrokers)}`);
    }
    io.stdout.write('Querying brokers for log directories information\n');
    const byBroker = new Map<number, LogDirInfo[]>();
    for (const id of existing) byBroker.set(id, await admin.describeLogDirs(id));
    io.stdout.write(`Received log directory information from brokers ${commaList(existing)}\n${formatLogDirsJson(byBroker, topics)}\n`);
  } catch (err) {
    if (err instanceof KtoolError && err.code === 'UNKNOWN_BROKERS') throw err;
    // Anything else: the message, then the exception (Kafka prints its stack trace).
    io.stderr.write(`${messageOf(err)}\n${javaClassOf(err)}: ${messageOf(err)}\n`);
    throw new KtoolError('LOG_DIRS_FAILED', messageOf(err), { reported: true, cause: err });
  } finally {
    client.close();
  }
}

export const logDirsCommand: Command = {
  options: OPTIONS,
  run,
};
