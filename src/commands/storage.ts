// kafka-storage (StorageTool), for the KRaft quickstarts that begin with it: `random-uuid` prints
// a new cluster id; `format -t <id> -c <server.properties>` writes each log dir's meta.properties
// (node.id, directory.id, cluster.id), so `server-start` then runs that cluster, and `--add-scram`
// stores SCRAM users before the first start (as Kafka bootstraps them); `info -c` shows what the
// dirs hold. The bundled broker formats an empty log dir by itself, so none of this is required;
// it is here so that the scripts and tutorials that call it work unchanged. argparse4j texts, as
// Kafka's tool (usage and `kafka-storage: error: …` on stderr, exit 1).
import { existsSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ClusterMetadata } from '../broker/metadata/cluster-metadata.js';
import { readMetaProperties, writeMetaProperties } from '../broker/meta-properties.js';
import { base64ToUuid, randomUuid, uuidToBase64 } from '../broker/metadata/uuid.js';
import { brokerValue } from '../config/broker-config.js';
import { readPropertiesFile, type Properties } from '../config/properties.js';
import { KtoolError } from '../errors.js';
import { isScramMechanism, SCRAM_MAX_ITERATIONS, SCRAM_MIN_ITERATIONS, ScramHash, type ScramCredential } from '../protocol/scram.js';
import { ArgumentParserError, formatError, formatHelp, HelpRequested, parseArguments, type ParserSpec } from './producer-perf-test/argparse.js';
import type { Command } from './shared/command.js';
import type { CliIO } from './shared/io.js';
import { resolve } from 'node:path';

/** The metadata.version Kafka 4.0's format writes by default. */
const RELEASE_VERSION = '4.0-IV3';
const ACTIONS = ['info', 'format', 'version-mapping', 'feature-dependencies', 'random-uuid'];
const TOP_USAGE = `usage: kafka-storage [-h] {${ACTIONS.join(',')}} ...\n`;

const FORMAT: ParserSpec = {
  prog: 'kafka-storage format',
  description: 'Format the Kafka log directories on this node.',
  args: [
    { flag: '--config', short: '-c', dest: 'config', metavar: 'CONFIG', help: 'The Kafka configuration file to use.', action: 'store', required: true },
    { flag: '--cluster-id', short: '-t', dest: 'clusterId', metavar: 'CLUSTER_ID', help: 'The cluster ID to use.', action: 'store', required: true },
    { flag: '--add-scram', short: '-S', dest: 'addScram', metavar: 'ADD_SCRAM', help: "A SCRAM_CREDENTIAL to add to the __cluster_metadata log e.g. 'SCRAM-SHA-256=[name=alice,password=alice-secret]'", action: 'append' },
    { flag: '--ignore-formatted', short: '-g', dest: 'ignoreFormatted', metavar: '', help: 'When this option is passed, the format command will skip over already formatted directories rather than failing.', action: 'storeTrue' },
    { flag: '--release-version', short: '-r', dest: 'releaseVersion', metavar: 'RELEASE_VERSION', help: `The release version to use for the initial feature settings. The default is ${RELEASE_VERSION}.`, action: 'store' },
    { flag: '--feature', short: '-f', dest: 'feature', metavar: 'FEATURE', help: 'The setting to use for a specific feature, in feature=level format.', action: 'append' },
    { flag: '--standalone', short: '-s', dest: 'standalone', metavar: '', help: 'Used to initialize a controller as a single-node dynamic quorum.', action: 'storeTrue' },
    { flag: '--no-initial-controllers', short: '-N', dest: 'noInitialControllers', metavar: '', help: 'Used to initialize a server without a dynamic quorum topology.', action: 'storeTrue' },
    { flag: '--initial-controllers', short: '-I', dest: 'initialControllers', metavar: 'INITIAL_CONTROLLERS', help: 'Used to initialize a server with a specific dynamic quorum topology.', action: 'store' },
  ],
  groupDescription: '',
  groupRequired: false,
};

const INFO: ParserSpec = {
  prog: 'kafka-storage info',
  description: 'Get information about the Kafka log directories on this node.',
  args: [{ flag: '--config', short: '-c', dest: 'config', metavar: 'CONFIG', help: 'The Kafka configuration file to use.', action: 'store', required: true }],
  groupDescription: '',
  groupRequired: false,
};

const RANDOM_UUID: ParserSpec = { prog: 'kafka-storage random-uuid', description: 'Print a random UUID.', args: [], groupDescription: '', groupRequired: false };

/** TerseException: its message alone on stderr, exit 1. */
const terse = (message: string): KtoolError => new KtoolError('STORAGE_TOOL', message);

/** The log dirs a config names (metadata.log.dir first when it is separate), as StorageTool reads them. */
function configuredDirs(props: Properties): { dirs: string[]; metadataDir: string } {
  const listed = (brokerValue(props, 'log.dirs') ?? brokerValue(props, 'log.dir') ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '');
  if (listed.length === 0) throw terse('No log directories found in the configuration.');
  const metadataDir = props.get('metadata.log.dir')?.trim() || listed[0]!;
  return { dirs: [...new Set([metadataDir, ...listed])], metadataDir };
}

function loadConfig(path: string, cwd: string): Properties {
  const file = resolve(cwd, path);
  if (!existsSync(file)) throw terse(`${path} (No such file or directory)`);
  return readPropertiesFile(file);
}

/** `SCRAM-SHA-256=[name=alice,password=alice-secret]` (or iterations=, salt=, saltedpassword=) → a stored credential. */
function scramCredential(spec: string): { user: string; mechanism: string; credential: ScramCredential } {
  const eq = spec.indexOf('=');
  const mechanism = eq < 0 ? spec : spec.slice(0, eq);
  if (!isScramMechanism(mechanism)) throw terse(`The add-scram mechanism ${mechanism} is not supported.`);
  const body = /^\[(.*)\]$/s.exec(spec.slice(eq + 1).trim());
  if (!body) throw terse(`Expected configuration string for SCRAM user: ${spec} to be surrounded by [ and ]`);
  const fields = new Map(body[1]!.split(',').map((kv) => {
    const at = kv.indexOf('=');
    return [kv.slice(0, at).trim(), kv.slice(at + 1).trim().replace(/^"(.*)"$/, '$1')] as [string, string];
  }));
  const user = fields.get('name');
  if (!user) throw terse(`You must supply 'name' to add-scram`);
  const iterations = fields.has('iterations') ? Number(fields.get('iterations')) : SCRAM_MIN_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < SCRAM_MIN_ITERATIONS || iterations > SCRAM_MAX_ITERATIONS) {
    throw terse(`The 'iterations' value must be >= ${SCRAM_MIN_ITERATIONS} and <= ${SCRAM_MAX_ITERATIONS} for add-scram`);
  }
  const scram = new ScramHash(mechanism);
  const salt = fields.has('salt') ? Buffer.from(fields.get('salt')!, 'base64') : randomBytes(32);
  let salted: Buffer;
  if (fields.has('saltedpassword')) salted = Buffer.from(fields.get('saltedpassword')!, 'base64');
  else if (fields.has('password')) salted = scram.saltedPassword(fields.get('password')!, salt, iterations);
  else throw terse(`You must supply one of 'password' or 'saltedpassword' to add-scram`);
  return { user, mechanism, credential: scram.credential(salt, salted, iterations) };
}

function format(ns: Map<string, unknown>, io: CliIO): void {
  const props = loadConfig(ns.get('config') as string, io.cwd);
  const clusterId = ns.get('clusterId') as string;
  try {
    base64ToUuid(clusterId);
  } catch {
    throw terse(`Cluster ID string ${clusterId} does not appear to be a valid UUID: Input byte array has wrong 4-byte ending unit`);
  }
  const nodeId = Number(props.get('node.id') ?? props.get('broker.id') ?? '0');
  if (!Number.isInteger(nodeId) || nodeId < 0) throw terse(`Invalid value ${props.get('node.id')} for configuration node.id`);
  const scram = ((ns.get('addScram') as string[] | undefined) ?? []).map(scramCredential);
  const release = (ns.get('releaseVersion') as string | undefined) ?? RELEASE_VERSION;
  const { dirs, metadataDir } = configuredDirs(props);
  const metas = dirs.map(readMetaProperties);
  const unformatted = dirs.filter((_, i) => metas[i] === undefined);
  if (unformatted.length < dirs.length && ns.get('ignoreFormatted') !== true) {
    const formatted = dirs.find((_, i) => metas[i] !== undefined)!;
    throw terse(`Log directory ${formatted} is already formatted. Use --ignore-formatted to ignore this directory and format the others.`);
  }
  if (unformatted.length === 0) {
    io.stdout.write('All of the log directories are already formatted.\n');
    return;
  }
  const existing = metas.find((m) => m !== undefined);
  if (existing && existing.clusterId !== clusterId) throw terse(`Log directories are formatted for cluster ${existing.clusterId}, not ${clusterId}.`);
  for (const dir of unformatted) {
    const kind = dir !== metadataDir ? 'data directory' : ns.get('standalone') === true ? 'dynamic metadata voter directory' : 'metadata directory';
    mkdirSync(dir, { recursive: true });
    writeMetaProperties(dir, { nodeId, clusterId, directoryId: uuidToBase64(randomUuid()) });
    if (dir === metadataDir && scram.length > 0) ClusterMetadata.load(dir).alterScramCredentials(scram);
    io.stdout.write(`Formatting ${kind} ${dir} with metadata.version ${release}.\n`);
  }
}

function info(ns: Map<string, unknown>, io: CliIO): void {
  const props = loadConfig(ns.get('config') as string, io.cwd);
  const { dirs } = configuredDirs(props);
  const found: string[] = [];
  const problems: string[] = [];
  let meta: ReturnType<typeof readMetaProperties>;
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      problems.push(`${dir} does not exist`);
      continue;
    }
    const m = readMetaProperties(dir);
    if (!m) {
      problems.push(`${dir} is not formatted.`);
      continue;
    }
    found.push(dir);
    meta ??= m;
  }
  const out: string[] = found.length === 0 ? [] : [`Found log director${found.length === 1 ? 'y' : 'ies'}:`, ...found.map((d) => `  ${d}`), ''];
  if (meta) out.push(`Found metadata: {cluster.id=${meta.clusterId}, directory.id=${meta.directoryId}, node.id=${meta.nodeId}, version=1}`, '');
  if (problems.length > 0) out.push(`Found problem${problems.length === 1 ? '' : 's'}:`, ...problems.map((p) => `  ${p}`), '');
  io.stdout.write(`${out.join('\n')}\n`);
  if (problems.length > 0) throw new KtoolError('STORAGE_TOOL', 'problems found', { reported: true });
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const action = argv[0];
  const rest = argv.slice(1);
  const fail = (spec: ParserSpec | null, message: string): never => {
    io.stderr.write(spec === null ? `${TOP_USAGE}kafka-storage: error: ${message}\n` : formatError(spec, message));
    throw new KtoolError('USAGE', message, { reported: true });
  };
  if (action === undefined) fail(null, 'too few arguments');
  if (action === '-h' || action === '--help') {
    io.stdout.write(`${TOP_USAGE}\nThe Kafka storage tool.\n\npositional arguments:\n  {${ACTIONS.join(',')}}\n    info                 Get information about the Kafka log directories on this node.\n    format               Format the Kafka log directories on this node.\n    random-uuid          Print a random UUID.\n\noptional arguments:\n  -h, --help             show this help message and exit\n`);
    return;
  }
  const spec = action === 'format' ? FORMAT : action === 'info' ? INFO : action === 'random-uuid' ? RANDOM_UUID : undefined;
  if (spec === undefined) {
    if (ACTIONS.includes(action!)) throw terse(`ktool storage does not have '${action}' yet: it has info, format and random-uuid.`);
    return fail(null, `argument action: invalid choice: '${action}' (choose from ${ACTIONS.map((a) => `'${a}'`).join(', ')})`);
  }
  let ns: Map<string, unknown>;
  try {
    ns = parseArguments(spec, rest);
  } catch (err) {
    if (err instanceof HelpRequested) {
      io.stdout.write(formatHelp(spec));
      return;
    }
    if (err instanceof ArgumentParserError) return fail(spec, err.message);
    throw err;
  }
  if (action === 'random-uuid') io.stdout.write(`${uuidToBase64(randomUuid())}\n`);
  else if (action === 'format') format(ns, io);
  else info(ns, io);
}

export const storageCommand: Command = {
  options: [],
  run,
};
