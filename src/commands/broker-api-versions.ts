// kafka-broker-api-versions: for every broker, the API versions it advertises next to what the
// client can use (Java's NodeApiVersions.toString(true)). The client's own ranges are the
// request versions of ktool's generated schemas (Kafka's). Broker APIs the client does not know
// print as UNKNOWN(key), and client APIs a broker does not list (among those Kafka's clients
// call, the "broker" listener's) as UNSUPPORTED. Failures print the message and exit 1.
import { KtoolError, UsageError } from '../errors.js';
import { BrokerApiVersionsClient, nodeText, type ApiVersionRange, type BrokerVersions } from '../client/broker-api-versions.js';
import { connectionSettings } from '../client/client-config.js';
import { describeFailure } from '../client/offset-admin.js';
import { ALL_APIS } from '../protocol/messages/index.js';
import type { ApiSchema } from '../protocol/schema.js';
import { HELP_OPTION, VERSION_OPTION, parseOrHelp, type Command } from './shared/command.js';
import { javaClassOf, loadClientProperties, messageOf } from './shared/client-setup.js';
import type { CliIO } from './shared/io.js';
import { requireOption, type OptionSpec } from './shared/options.js';

const HELP = 'This tool helps to retrieve broker version information.';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', describedAs: 'server(s) to use for bootstrapping', description: 'REQUIRED: The server to connect to.' },
  { name: 'command-config', arg: 'required', describedAs: 'command config property file', description: 'A property file containing configs to be passed to Admin Client.' },
  HELP_OPTION,
  VERSION_OPTION,
];

const KNOWN_APIS = new Map<number, ApiSchema>(ALL_APIS.map((api) => [api.apiKey, api]));

/** One API's entry: `Name(key): min to max [usable: v]`. */
function apiText(v: ApiVersionRange): string {
  const api = KNOWN_APIS.get(v.apiKey);
  const range = v.minVersion === v.maxVersion ? `${v.minVersion}` : `${v.minVersion} to ${v.maxVersion}`;
  if (!api) return `UNKNOWN(${v.apiKey}): ${range}`;
  const [oldest, latest] = api.request.validVersions;
  let usable: string;
  if (latest < v.minVersion) usable = ' [unusable: node too new]';
  else if (v.maxVersion < oldest) usable = ' [unusable: node too old]';
  else usable = ` [usable: ${Math.min(latest, v.maxVersion)}]`;
  return `${api.name}(${api.apiKey}): ${range}${usable}`;
}

/** NodeApiVersions.toString(true): every advertised API plus the unsupported client APIs, by key. */
export function formatApiVersions(advertised: readonly ApiVersionRange[]): string {
  const entries = new Map<number, string>();
  for (const v of advertised) entries.set(v.apiKey, apiText(v));
  for (const api of ALL_APIS) {
    if (!entries.has(api.apiKey) && api.listeners.includes('broker')) entries.set(api.apiKey, `${api.name}(${api.apiKey}): UNSUPPORTED`);
  }
  const sorted = [...entries].sort(([a], [b]) => a - b).map(([, text]) => text);
  return `(\n\t${sorted.join(',\n\t')}\n)`;
}

export function brokerLine(b: BrokerVersions): string {
  if ('error' in b) return `${nodeText(b.node)} -> ERROR: ${describeFailure(b.error)}\n`;
  return `${nodeText(b.node)} -> ${formatApiVersions(b.apiKeys)}\n`;
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseOrHelp(OPTIONS, argv, HELP, io);
  if (!args) return;
  requireOption(args, 'bootstrap-server');
  try {
    const props = loadClientProperties(args.value('command-config'), io.cwd);
    // The legacy admin client Kafka's tool uses waits 5 s for a response unless told otherwise.
    if (!props.has('request.timeout.ms')) props.set('request.timeout.ms', '5000');
    const client = new BrokerApiVersionsClient(connectionSettings(args.value('bootstrap-server')!, props, io.env, 'admin-1'));
    for (const broker of await client.listAllBrokerVersionInfo()) io.stdout.write(brokerLine(broker));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.stderr.write(`${messageOf(err)}\n${javaClassFor(err)}: ${messageOf(err)}\n`);
    throw new KtoolError('BROKER_API_VERSIONS_FAILED', messageOf(err), { reported: true, cause: err });
  }
}

/** The class the stack trace under Kafka's message names. */
function javaClassFor(err: unknown): string {
  if (err instanceof KtoolError && err.code === 'METADATA_FAILED') return 'java.lang.RuntimeException';
  return javaClassOf(err);
}

export const brokerApiVersionsCommand: Command = {
  options: OPTIONS,
  run,
};
