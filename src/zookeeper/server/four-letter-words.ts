// The four-letter words on the client port (PROTOCOL.md §13; FourLetterCommands and the
// *Command classes): text formats as ZooKeeper 3.8 prints them. Only words in
// 4lw.commands.whitelist run, `srvr` always does; a known word outside it gets one line saying so.
import { arch, freemem, hostname, release, tmpdir, totalmem, type as osType, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { FOUR_LETTER_WORDS, type ZkConfig } from './config.js';
import { sessionHex } from './sessions.js';
import type { WatchManager, Watcher } from './watches.js';

/** What `srvr` calls the version; tools grep the `3.8.4` part. */
export const ZOOKEEPER_VERSION = '3.8.4-ktool, built on 1970-01-01 00:00 UTC';

export interface LatencyStats {
  count: number;
  total: number;
  min: number;
  max: number;
}

export interface ConnectionView extends Watcher {
  readonly remote: string;
  readonly sessionId: bigint;
  readonly interestOps: number;
  readonly received: number;
  readonly sent: number;
  readonly lastOp: string;
  readonly established: number;
  readonly timeout: number;
  readonly lastCxid: number;
  readonly lastZxid: bigint;
  readonly lastResponse: number;
  readonly lastLatency: number;
  readonly latency: LatencyStats;
  resetStats(): void;
}

export interface ServerView {
  readonly config: ZkConfig;
  readonly snapDir: string;
  readonly logDir: string;
  readonly received: number;
  readonly sent: number;
  readonly latency: LatencyStats;
  readonly lastZxid: bigint;
  readonly nodeCount: number;
  readonly ephemeralCount: number;
  readonly dataSize: number;
  readonly sessionCount: number;
  readonly startedAt: number;
  readonly watches: WatchManager;
  readonly connections: readonly ConnectionView[];
  readonly outstanding: number;
  readonly authFailures: number;
  ephemeralsBySession(): Map<bigint, string[]>;
  dirSize(dir: string): number;
  resetStats(): void;
  readonly openFileDescriptors: number;
  readonly maxFileDescriptors: number;
}

export function isFourLetterWord(word: string): boolean {
  return (FOUR_LETTER_WORDS as readonly string[]).includes(word);
}

const avg = (l: LatencyStats): number => (l.count === 0 ? 0 : l.total / l.count);
/** A Java double as Double.toString prints it for these magnitudes. */
const javaDouble = (n: number): string => (Number.isInteger(n) ? `${n}.0` : String(n));
const minLatency = (l: LatencyStats): number => (l.count === 0 ? 0 : l.min);

/** The reply to `word`; undefined for a word ZooKeeper does not know. */
export function fourLetterWord(word: string, view: ServerView, self?: ConnectionView): string | undefined {
  if (!isFourLetterWord(word)) return undefined;
  const allowed = view.config.fourLetterWords;
  if (word !== 'srvr' && allowed !== '*' && !allowed.has(word)) return `${word} is not executed because it is not in the whitelist.\n`;
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'isro':
      return 'rw';
    case 'srvr':
      return `Zookeeper version: ${ZOOKEEPER_VERSION}\n${serverStats(view)}`;
    case 'stat': {
      const clients = view.connections.map((c) => ` ${brief(c, c === self)}\n`).join('');
      return `Zookeeper version: ${ZOOKEEPER_VERSION}\nClients:\n${clients}\n${serverStats(view)}`;
    }
    case 'cons':
      return `${view.connections.map((c) => ` ${full(c, c === self)}\n`).join('')}\n`;
    case 'crst':
      for (const c of view.connections) c.resetStats();
      return 'Connection stats reset.\n';
    case 'srst':
      view.resetStats();
      return 'Server stats reset.\n';
    case 'conf':
      return conf(view);
    case 'envi':
      return envi();
    case 'mntr':
      return mntr(view);
    case 'dirs':
      return `datadir_size: ${view.dirSize(view.snapDir)}\nlogdir_size: ${view.dirSize(view.logDir)}\n`;
    case 'wchs':
      return `${view.watches.watchers().length} connections watching ${view.watches.pathCount} paths\nTotal watches:${view.watches.count}\n`;
    case 'wchc': {
      let out = '';
      for (const c of view.connections) {
        const paths = view.watches.pathsOf(c);
        if (paths.length === 0) continue;
        out += `${sessionHex(c.sessionId)}\n${paths.map((p) => `\t${p}\n`).join('')}`;
      }
      return out;
    }
    case 'wchp': {
      let out = '';
      for (const [path, ws] of view.watches.byPath()) {
        out += `${path}\n${ws.map((w) => `\t${sessionHex((w as ConnectionView).sessionId ?? 0n)}\n`).join('')}`;
      }
      return out;
    }
    case 'dump': {
      let out = `SessionTracker dump:\nGlobal Sessions(${view.sessionCount}):\n`;
      out += `ephemeral nodes dump:\nSessions with Ephemerals (${view.ephemeralsBySession().size}):\n`;
      for (const [id, paths] of view.ephemeralsBySession()) out += `${sessionHex(id)}:\n${paths.map((p) => `\t${p}\n`).join('')}`;
      return out;
    }
    case 'gtmk':
      return '0\n';
    case 'stmk':
      return '0\n';
    case 'hash':
      return 'Digest computation is disabled.\n';
  }
  return undefined;
}

function serverStats(view: ServerView): string {
  const l = view.latency;
  return (
    `Latency min/avg/max: ${minLatency(l)}/${javaDouble(avg(l))}/${l.max}\n` +
    `Received: ${view.received}\n` +
    `Sent: ${view.sent}\n` +
    `Connections: ${view.connections.length}\n` +
    `Outstanding: ${view.outstanding}\n` +
    `Zxid: 0x${view.lastZxid.toString(16)}\n` +
    'Mode: standalone\n' +
    `Node count: ${view.nodeCount}\n`
  );
}

function brief(c: ConnectionView, self: boolean): string {
  return `${c.remote}[${self ? 0 : c.interestOps}](queued=0,recved=${c.received},sent=${c.sent})`;
}

function full(c: ConnectionView, self: boolean): string {
  if (c.sessionId === 0n) return brief(c, self);
  const l = c.latency;
  return (
    `${c.remote}[${self ? 0 : c.interestOps}](queued=0,recved=${c.received},sent=${c.sent},sid=${sessionHex(c.sessionId)},lop=${c.lastOp},est=${c.established},to=${c.timeout}` +
    `,lcxid=0x${(c.lastCxid >>> 0).toString(16)},lzxid=0x${BigInt.asUintN(64, c.lastZxid).toString(16)},lresp=${c.lastResponse},llat=${c.lastLatency}` +
    `,minlat=${minLatency(l)},avglat=${Math.floor(avg(l))},maxlat=${l.max})`
  );
}

function conf(view: ServerView): string {
  const c = view.config;
  return [
    `clientPort=${c.clientPort}`,
    'secureClientPort=-1',
    `dataDir=${view.snapDir}`,
    `dataDirSize=${view.dirSize(view.snapDir)}`,
    `dataLogDir=${view.logDir}`,
    `dataLogSize=${view.dirSize(view.logDir)}`,
    `tickTime=${c.tickTime}`,
    `maxClientCnxns=${c.maxClientCnxns}`,
    `minSessionTimeout=${c.minSessionTimeout}`,
    `maxSessionTimeout=${c.maxSessionTimeout}`,
    `clientPortListenBacklog=${c.clientPortListenBacklog}`,
    'serverId=0',
    '',
  ].join('\n');
}

function envi(): string {
  let user = { username: '', homedir: '' };
  try {
    user = userInfo();
  } catch {
    // no passwd entry (containers): leave them empty
  }
  const mb = (n: number): string => `${Math.floor(n / (1024 * 1024))}MB`;
  const mem = process.memoryUsage();
  const lines = [
    `zookeeper.version=${ZOOKEEPER_VERSION}`,
    `host.name=${hostname()}`,
    `java.version=${process.versions.node}`,
    'java.vendor=Node.js',
    `java.home=${dirname(process.execPath)}`,
    `java.class.path=${process.argv[1] ?? ''}`,
    'java.library.path=',
    `java.io.tmpdir=${tmpdir()}`,
    'java.compiler=<NA>',
    `os.name=${osType()}`,
    `os.arch=${arch() === 'x64' ? 'amd64' : arch()}`,
    `os.version=${release()}`,
    `user.name=${user.username}`,
    `user.home=${user.homedir}`,
    `user.dir=${process.cwd()}`,
    `os.memory.free=${mb(freemem())}`,
    `os.memory.max=${mb(totalmem())}`,
    `os.memory.total=${mb(mem.rss)}`,
  ];
  return `Environment:\n${lines.map((l) => `${l}\n`).join('')}`;
}

function mntr(view: ServerView): string {
  const l = view.latency;
  const rows: [string, string | number][] = [
    ['zk_version', ZOOKEEPER_VERSION],
    ['zk_server_state', 'standalone'],
    ['zk_avg_latency', javaDouble(avg(l))],
    ['zk_max_latency', l.max],
    ['zk_min_latency', minLatency(l)],
    ['zk_packets_received', view.received],
    ['zk_packets_sent', view.sent],
    ['zk_num_alive_connections', view.connections.length],
    ['zk_outstanding_requests', view.outstanding],
    ['zk_uptime', Date.now() - view.startedAt],
    ['zk_znode_count', view.nodeCount],
    ['zk_watch_count', view.watches.count],
    ['zk_ephemerals_count', view.ephemeralCount],
    ['zk_approximate_data_size', view.dataSize],
    ['zk_global_sessions', view.sessionCount],
    ['zk_local_sessions', 0],
    ['zk_open_file_descriptor_count', view.openFileDescriptors],
    ['zk_max_file_descriptor_count', view.maxFileDescriptors],
    ['zk_connection_drop_probability', '0.0'],
    ['zk_outstanding_tls_handshake', 0],
    ['zk_auth_failed_count', view.authFailures],
  ];
  return rows.map(([k, v]) => `${k}\t${v}\n`).join('');
}
