// kafka-configs' option table and ConfigCommandOptions.checkArgs, check for check in Kafka 4.0's
// order: usage errors (jopt's printUsageAndExit) are UsageErrors; Kafka's IllegalArgumentExceptions
// are KtoolErrors whose message alone goes to stderr, exit 1.
import { KtoolError, UsageError } from '../../errors.js';
import { HELP_OPTION, VERSION_OPTION } from '../shared/command.js';
import { rejectWith, type OptionSpec, type ParsedArgs } from '../shared/options.js';

export const ENTITY_TYPES = ['topics', 'clients', 'users', 'brokers', 'ips', 'broker-loggers', 'client-metrics', 'groups'] as const;

export interface ConfigsOptions {
  action: 'describe' | 'alter';
  bootstrapServer?: string;
  bootstrapController?: string;
  commandConfig?: string;
  describeAll: boolean;
  /** Entity types in Kafka's order: --entity-type values, then the shorthand flags. */
  entityTypes: string[];
  /** Names paired with the types by position; "" is the default entity. */
  entityNames: string[];
  addConfig?: string;
  addConfigFile?: string;
  deleteConfigs: string[];
}

const ADD_CONFIG_HELP = "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'. Entity types 'users' and 'clients' may be specified together to update config for clients of a specific user.";

export const CONFIGS_OPTIONS: readonly OptionSpec[] = [
  { name: 'add-config', arg: 'required', description: ADD_CONFIG_HELP },
  { name: 'add-config-file', arg: 'required', description: 'Path to a properties file with configs to add. See add-config for a list of valid configurations.' },
  { name: 'all', description: 'List all configs for the given entity, including static configs if available.' },
  { name: 'alter', description: 'Alter the configuration for the entity.' },
  { name: 'bootstrap-controller', arg: 'required', describedAs: 'controller to connect to', description: 'The Kafka controllers to connect to.' },
  { name: 'bootstrap-server', arg: 'required', describedAs: 'server to connect to', description: 'The Kafka servers to connect to.' },
  { name: 'broker', arg: 'required', description: "The broker's ID." },
  { name: 'broker-defaults', description: 'The config defaults for all brokers.' },
  { name: 'broker-logger', arg: 'required', description: "The broker's ID for its logger config." },
  { name: 'client', arg: 'required', description: "The client's ID." },
  { name: 'client-defaults', description: 'The config defaults for all clients.' },
  { name: 'client-metrics', arg: 'required', description: 'The client metrics config resource name.' },
  { name: 'command-config', arg: 'required', describedAs: 'command config property file', description: 'Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.' },
  { name: 'delete-config', arg: 'required', multiple: true, description: "config keys to remove 'k1,k2'" },
  { name: 'describe', description: 'List configs for the given entity.' },
  { name: 'entity-default', description: 'Default entity name for clients/users/brokers/ips (applies to corresponding entity type)' },
  { name: 'entity-name', arg: 'required', multiple: true, description: 'Name of entity (topic name/client id/user principal name/broker id/ip/client metrics/group id)' },
  { name: 'entity-type', arg: 'required', multiple: true, description: 'Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics/groups)' },
  { name: 'force', description: 'Suppress console prompts' },
  { name: 'group', arg: 'required', description: "The group's ID." },
  HELP_OPTION,
  { name: 'ip', arg: 'required', description: 'The IP address.' },
  { name: 'ip-defaults', description: 'The config defaults for all IPs.' },
  { name: 'topic', arg: 'required', description: "The topic's name." },
  { name: 'user', arg: 'required', description: "The user's principal name." },
  { name: 'user-defaults', description: 'The config defaults for all users.' },
  VERSION_OPTION,
];

/** Shorthand flags with the entity type they stand for, in Kafka's order. */
const ENTITY_FLAGS: ReadonlyArray<[string, string]> = [
  ['topic', 'topics'], ['client', 'clients'], ['user', 'users'], ['broker', 'brokers'],
  ['broker-logger', 'broker-loggers'], ['ip', 'ips'], ['client-metrics', 'client-metrics'], ['group', 'groups'],
];
const DEFAULT_FLAGS: ReadonlyArray<[string, string]> = [['client-defaults', 'clients'], ['user-defaults', 'users'], ['broker-defaults', 'brokers'], ['ip-defaults', 'ips']];

export const illegalArgument = (message: string): KtoolError => new KtoolError('ILLEGAL_ARGUMENT', message);

function entityTypesOf(args: ParsedArgs): string[] {
  return [...args.values('entity-type'), ...[...ENTITY_FLAGS, ...DEFAULT_FLAGS].filter(([flag]) => args.has(flag)).map(([, type]) => type)];
}

/** --entity-name / --entity-default in command-line order, then the shorthands' names. */
function entityNamesOf(args: ParsedArgs): string[] {
  const names = [...args.values('entity-name')];
  const fromGeneric = args.sequence.filter((n) => n === 'entity-name' || n === 'entity-default').map((n) => (n === 'entity-name' ? names.shift()! : ''));
  return [...fromGeneric, ...ENTITY_FLAGS.filter(([flag]) => args.has(flag)).map(([flag]) => args.value(flag)!), ...DEFAULT_FLAGS.filter(([flag]) => args.has(flag)).map(() => '')];
}

/** Scala's `a diff a.distinct`: each repeated element once per extra occurrence. */
function duplicates(list: readonly string[]): string[] {
  const seen = new Set<string>();
  return list.filter((t) => (seen.has(t) ? true : (seen.add(t), false)));
}

const isJavaInt = (s: string): boolean => /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) <= 2 ** 31 - (s.startsWith('-') ? 0 : 1);

export function configsOptions(args: ParsedArgs): ConfigsOptions {
  const actions = ['alter', 'describe'].filter((a) => args.has(a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --describe, --alter');
  rejectWith(args, 'alter', ['describe']);
  rejectWith(args, 'describe', ['alter', 'add-config', 'delete-config']);

  const types = entityTypesOf(args);
  const dups = duplicates(types);
  if (dups.length > 0) throw illegalArgument(`Duplicate entity type(s) specified: ${dups.join(',')}`);
  if (!args.has('bootstrap-server') && !args.has('bootstrap-controller')) throw illegalArgument('Either --bootstrap-server or --bootstrap-controller must be specified.');
  for (const t of types) {
    if (!(ENTITY_TYPES as readonly string[]).includes(t)) {
      throw illegalArgument(`Invalid entity type ${t}, the entity type must be one of ${ENTITY_TYPES.join(', ')} with a --bootstrap-server or --bootstrap-controller argument`);
    }
  }
  if (types.length === 0) throw illegalArgument('At least one entity type must be specified');
  if (types.length > 1 && !(types.length === 2 && types.includes('users') && types.includes('clients'))) {
    throw illegalArgument("Only 'users' and 'clients' entity types may be specified together");
  }
  if ((args.has('entity-name') || args.has('entity-type') || args.has('entity-default')) && [...ENTITY_FLAGS, ...DEFAULT_FLAGS].some(([flag]) => args.has(flag))) {
    throw illegalArgument('--entity-{type,name,default} should not be used in conjunction with specific entity flags');
  }
  const names = entityNamesOf(args);
  const hasEntityName = names.some((n) => n !== '');
  const hasEntityDefault = names.some((n) => n === '');
  if (args.has('bootstrap-server') && args.has('bootstrap-controller')) throw illegalArgument('Only one of --bootstrap-server or --bootstrap-controller can be specified');
  if (hasEntityName && (types.includes('brokers') || types.includes('broker-loggers'))) {
    for (const flag of ['entity-name', 'broker', 'broker-logger']) {
      const id = args.value(flag);
      if (id !== undefined && !isJavaInt(id)) throw illegalArgument(`The entity name for ${types[0]} must be a valid integer broker id, but it is: ${id}`);
    }
  }
  const action = actions[0] as 'alter' | 'describe';
  if (action === 'describe') {
    if (!['users', 'clients', 'brokers', 'ips'].some((t) => types.includes(t)) && args.has('entity-default')) {
      throw illegalArgument(`--entity-default must not be specified with --describe of ${types.join(',')}`);
    }
    if (types.includes('broker-loggers') && !hasEntityName) throw illegalArgument(`An entity name must be specified with --describe of ${types.join(',')}`);
  } else {
    if (['users', 'clients', 'brokers', 'ips'].some((t) => types.includes(t))) {
      if (!hasEntityName && !hasEntityDefault) throw illegalArgument('An entity-name or default entity must be specified with --alter of users, clients, brokers or ips');
    } else if (!hasEntityName) {
      throw illegalArgument(`An entity name must be specified with --alter of ${types.join(',')}`);
    }
    if (args.has('add-config') && args.has('add-config-file')) throw illegalArgument('Only one of --add-config or --add-config-file must be specified');
    if (!args.has('add-config') && !args.has('add-config-file') && !args.has('delete-config')) {
      throw illegalArgument('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
    }
  }
  return {
    action,
    bootstrapServer: args.value('bootstrap-server'),
    bootstrapController: args.value('bootstrap-controller'),
    commandConfig: args.value('command-config'),
    describeAll: args.has('all'),
    entityTypes: types,
    entityNames: names,
    addConfig: args.value('add-config'),
    addConfigFile: args.value('add-config-file'),
    // jopt's withValuesSeparatedBy(','): every value split, then trimmed by the tool.
    deleteConfigs: args.values('delete-config').flatMap((v) => v.split(',')).map((k) => k.trim()),
  };
}
