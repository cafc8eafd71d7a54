// zookeeper.properties / zoo.cfg: Apache ZooKeeper's key names and defaults (QuorumPeerConfig and
// the `zookeeper.*` system properties it sets from unknown keys). Differences, on purpose:
// clientPortAddress defaults to 127.0.0.1 (loopback only), clientPort to 2181 and dataDir to
// <tmp>/zookeeper when absent. Keys ZooKeeper knows but a standalone ktool server has no use for
// (quorum, TLS, AdminServer) are accepted; keys nobody knows are reported so a typo is seen.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Properties } from '../../config/properties.js';
import { DEFAULT_MAX_BUFFER } from '../protocol/constants.js';

export interface ZkConfig {
  clientPort: number;
  clientPortAddress: string;
  dataDir: string;
  dataLogDir: string;
  tickTime: number;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  /** Per client IP; 0 = unlimited. */
  maxClientCnxns: number;
  clientPortListenBacklog: number;
  /** Four-letter words allowed besides `srvr`; '*' = all. */
  fourLetterWords: ReadonlySet<string> | '*';
  snapCount: number;
  snapRetainCount: number;
  juteMaxBuffer: number;
  extendedTypesEnabled: boolean;
  /** `user:base64(sha1)` whose digest auth makes a connection super, or undefined. */
  superDigest?: string;
  forceSync: boolean;
  skipACL: boolean;
  containerCheckIntervalMs: number;
  containerMaxPerMinute: number;
  /** How long a connection may stay without a ConnectRequest. */
  sessionlessTimeoutMs: number;
}

export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/** Keys ZooKeeper reads that change nothing on a standalone ktool server. */
const ACCEPTED = new Set([
  'initLimit', 'syncLimit', 'connectToLearnerMasterLimit', 'electionAlg', 'quorumListenOnAllIPs', 'peerType',
  'syncEnabled', 'dynamicConfigFile', 'standaloneEnabled', 'reconfigEnabled', 'localSessionsEnabled',
  'localSessionsUpgradingEnabled', 'observerMasterPort', 'secureClientPort', 'secureClientPortAddress',
  'sslQuorum', 'portUnification', 'sslQuorumReloadCertFiles', 'client.portUnification', 'autopurge.purgeInterval',
  'admin.enableServer', 'admin.serverPort', 'admin.serverAddress', 'admin.commandURL', 'admin.idleTimeout',
  'globalOutstandingLimit', 'preAllocSize', 'snapSizeLimitInKb', 'fsync.warningthresholdms', 'digest.enabled',
  'serverCnxnFactory', 'maxCnxns', 'commitLogCount', 'snapshot.trust.empty', 'audit.enable', 'authProvider',
  'requestThrottleLimit', 'connection_throttle_tokens', 'znode.container.maxNeverUsedIntervalMs',
  'jute.maxbuffer.extrasize', 'closeSessionTxn.enabled', 'emulate353TTLNodes', 'metricsProvider.className',
  'metricsProvider.httpPort', 'metricsProvider.exportJvmInfo', 'ssl.clientAuth', 'multiAddress.enabled',
  'quorum.cnxn.threads.size', 'maxSessionTimeout', 'minSessionTimeout',
]);
const ACCEPTED_PREFIXES = ['server.', 'group.', 'weight.', 'quorum.auth.', 'ssl.', 'ssl.quorum.', 'authProvider.', 'metricsProvider.', 'multiAddress.', 'zookeeper.'];

/** The four-letter words ZooKeeper knows (FourLetterCommands). */
export const FOUR_LETTER_WORDS = ['conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'ruok', 'stmk', 'srst', 'srvr', 'stat', 'wchc', 'wchp', 'wchs', 'mntr', 'isro', 'hash'] as const;

class ConfigError extends Error {}

/** The value of `key`, also accepted with ZooKeeper's `zookeeper.` system-property prefix. */
function lookup(props: Properties, key: string): string | undefined {
  const v = props.get(key) ?? props.get(`zookeeper.${key}`);
  return v === undefined ? undefined : v.trim();
}

function int(props: Properties, key: string, dflt: number, min = Number.MIN_SAFE_INTEGER): number {
  const raw = lookup(props, key);
  if (raw === undefined || raw === '') return dflt;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(`Error processing ${key}: not a number: ${raw}`);
  const n = Number(raw);
  if (n < min) throw new ConfigError(`Error processing ${key}: must be at least ${min}, was ${raw}`);
  return n;
}

function bool(props: Properties, key: string, dflt: boolean): boolean {
  const raw = lookup(props, key)?.toLowerCase();
  if (raw === undefined || raw === '') return dflt;
  return raw === 'true' || raw === 'yes';
}

/** Builds the config; throws an Error with ZooKeeper's wording for an invalid value. */
export function zkConfigFrom(props: Properties): ZkConfig {
  const tickTime = int(props, 'tickTime', 3000, 1);
  const minSessionTimeout = int(props, 'minSessionTimeout', -1);
  const maxSessionTimeout = int(props, 'maxSessionTimeout', -1);
  const min = minSessionTimeout === -1 ? tickTime * 2 : minSessionTimeout;
  const max = maxSessionTimeout === -1 ? tickTime * 20 : maxSessionTimeout;
  if (min > max) throw new ConfigError('minSessionTimeout must not be larger than maxSessionTimeout');
  const clientPort = int(props, 'clientPort', 2181, 0);
  if (clientPort > 65535) throw new ConfigError(`Error processing clientPort: port out of range: ${clientPort}`);
  const dataDir = lookup(props, 'dataDir') || join(tmpdir(), 'zookeeper');
  const whitelist = lookup(props, '4lw.commands.whitelist');
  let fourLetterWords: ZkConfig['fourLetterWords'];
  if (whitelist === undefined || whitelist === '') fourLetterWords = new Set(['srvr']);
  else {
    const words = whitelist.split(',').map((w) => w.trim()).filter((w) => w.length > 0);
    fourLetterWords = words.includes('*') ? '*' : new Set(['srvr', ...words]);
  }
  const snapRetain = int(props, 'autopurge.snapRetainCount', 3);
  return {
    clientPort,
    clientPortAddress: lookup(props, 'clientPortAddress') || '127.0.0.1',
    dataDir,
    dataLogDir: lookup(props, 'dataLogDir') || dataDir,
    tickTime,
    minSessionTimeout: min,
    maxSessionTimeout: max,
    maxClientCnxns: int(props, 'maxClientCnxns', 60, 0),
    clientPortListenBacklog: int(props, 'clientPortListenBacklog', -1),
    fourLetterWords,
    // As ZooKeeperServer: snapCount below 2 is raised to 2.
    snapCount: Math.max(2, int(props, 'snapCount', 100000)),
    // As QuorumPeerConfig: fewer than 3 retained snapshots is raised to 3.
    snapRetainCount: Math.max(3, snapRetain),
    juteMaxBuffer: int(props, 'jute.maxbuffer', DEFAULT_MAX_BUFFER, 1),
    extendedTypesEnabled: bool(props, 'extendedTypesEnabled', false),
    superDigest: lookup(props, 'DigestAuthenticationProvider.superDigest') || undefined,
    forceSync: bool(props, 'forceSync', true),
    skipACL: bool(props, 'skipACL', false),
    containerCheckIntervalMs: int(props, 'znode.container.checkIntervalMs', 60000, 1),
    containerMaxPerMinute: int(props, 'znode.container.maxPerMinute', 10000, 1),
    sessionlessTimeoutMs: int(props, 'nio.sessionlessCnxnTimeout', 10000, 1),
  };
}

/** Keys that neither ZooKeeper nor ktool knows. */
export function unknownKeys(props: Properties): string[] {
  const known = new Set([
    'clientPort', 'clientPortAddress', 'dataDir', 'dataLogDir', 'tickTime', 'maxClientCnxns', 'clientPortListenBacklog',
    '4lw.commands.whitelist', 'snapCount', 'autopurge.snapRetainCount', 'jute.maxbuffer', 'extendedTypesEnabled',
    'DigestAuthenticationProvider.superDigest', 'forceSync', 'skipACL', 'znode.container.checkIntervalMs',
    'znode.container.maxPerMinute', 'nio.sessionlessCnxnTimeout',
  ]);
  return [...props.keys()].filter((k) => !known.has(k) && !ACCEPTED.has(k) && !ACCEPTED_PREFIXES.some((p) => k.startsWith(p)));
}

export function isConfigError(err: unknown): boolean {
  return err instanceof ConfigError;
}
