// A standalone ZooKeeper server (ZooKeeperServer + NIOServerCnxnFactory): recovers the database
// from dataDir (newest valid snapshot, then the log), takes a fresh snapshot, listens on
// clientPortAddress:clientPort and serves ZooKeeper's client protocol. Every request is handled on
// arrival against the in-memory tree; replies and notifications wait in one outbox until the log
// is durable past the writes before them, so no client ever sees a write that a crash could undo.
// Sessions survive a restart (their ephemerals too) and expire if their client does not return.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, isIP, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../log.js';
import { Reader } from '../../protocol/reader.js';
import { PASSWORD_LENGTH } from '../protocol/constants.js';
import { decodeConnectRequest, encodeConnectResponse } from '../protocol/frames.js';
import { OpCode } from '../protocol/op-codes.js';
import { authenticate } from './acl.js';
import type { ZkConfig } from './config.js';
import { Connection, type ConnectionHost } from './connection.js';
import { DataTree, ttlOf } from './data-tree.js';
import { fourLetterWord, type ServerView } from './four-letter-words.js';
import { RequestProcessor, type Core, type Reply } from './request-processor.js';
import { SessionTracker, sessionHex } from './sessions.js';
import { encodeSnapshot, loadNewestSnapshot, purge, writeSnapshot } from './snapshot.js';
import { applyTxn, type Txn, type TxnTarget } from './txn.js';
import { TxnLog, readLogsAfter } from './txn-log.js';
import type { Notification } from './watches.js';
import { WatchManager } from './watches.js';

export interface ZooKeeperServerOptions {
  logger?: Logger;
}

interface Deferred {
  readonly barrier: number;
  readonly run: () => void;
}

const hex = (z: bigint): string => BigInt.asUintN(64, z).toString(16);

export class ZooKeeperServer implements Core, ConnectionHost, ServerView {
  readonly watches = new WatchManager();
  readonly connections: Connection[] = [];
  readonly maxBuffer: number;
  readonly snapDir: string;
  readonly logDir: string;
  readonly startedAt = Date.now();
  received = 0;
  sent = 0;
  authFailures = 0;
  latency = { count: 0, total: 0, min: Number.MAX_SAFE_INTEGER, max: 0 };
  host = '';
  port = 0;
  /** Resolves when the server has stopped (close() or a fatal log error). */
  readonly closed: Promise<void>;
  /** Set when the server stopped because the log could not be written. */
  failure: Error | undefined;

  private readonly processor: RequestProcessor;
  private readonly tracker: SessionTracker;
  private readonly log: TxnLog;
  private readonly owners = new Map<bigint, Connection>();
  private outbox: Deferred[] = [];
  private net: NetServer | undefined;
  private timers: NodeJS.Timeout[] = [];
  private snapThreshold: number;
  private closing: Promise<void> | undefined;
  private resolveClosed!: () => void;

  private constructor(
    readonly config: ZkConfig,
    readonly db: TxnTarget,
    secret: Buffer,
    readonly logger: Logger,
  ) {
    this.maxBuffer = config.juteMaxBuffer;
    this.snapDir = join(config.dataDir, 'version-2');
    this.logDir = join(config.dataLogDir, 'version-2');
    this.tracker = new SessionTracker(config.tickTime, secret);
    this.processor = new RequestProcessor(this);
    this.processor.authenticate = (scheme, auth, ip) => authenticate(scheme, auth, ip, config.superDigest);
    this.log = new TxnLog(this.logDir, {
      forceSync: config.forceSync,
      logger: logger.child('org.apache.zookeeper.server.persistence.FileTxnLog'),
      onDurable: (seq) => this.release(seq),
      onError: (err) => this.fatal(err),
    });
    this.snapThreshold = this.nextSnapThreshold();
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** Recovers the database, takes a snapshot and starts listening. */
  static async start(config: ZkConfig, options: ZooKeeperServerOptions = {}): Promise<ZooKeeperServer> {
    const logger = options.logger ?? silentLogger;
    const zkLog = logger.child('org.apache.zookeeper.server.ZooKeeperServer');
    zkLog.info(`tickTime set to ${config.tickTime} ms`);
    zkLog.info(`minSessionTimeout set to ${config.minSessionTimeout} ms`);
    zkLog.info(`maxSessionTimeout set to ${config.maxSessionTimeout} ms`);
    const snapDir = join(config.dataDir, 'version-2');
    const logDir = join(config.dataLogDir, 'version-2');
    mkdirSync(snapDir, { recursive: true });
    mkdirSync(logDir, { recursive: true });
    zkLog.info(
      `Created server with tickTime ${config.tickTime} ms minSessionTimeout ${config.minSessionTimeout} ms maxSessionTimeout ${config.maxSessionTimeout} ms clientPortListenBacklog ${config.clientPortListenBacklog} datadir ${logDir} snapdir ${snapDir}`,
    );
    const db = recover(snapDir, logDir, logger);
    const server = new ZooKeeperServer(config, db, loadSecret(config.dataDir), logger);
    server.takeSnapshot();
    for (const [id, timeout] of db.sessions) server.tracker.add(id, timeout);
    await server.listen();
    server.startTimers();
    return server;
  }

  // ---- ServerView (four-letter words) ----

  get lastZxid(): bigint {
    return this.db.lastZxid;
  }
  get nodeCount(): number {
    return this.db.tree.nodeCount;
  }
  get ephemeralCount(): number {
    return this.db.tree.ephemeralCount;
  }
  get dataSize(): number {
    return this.db.tree.approximateDataSize();
  }
  get sessionCount(): number {
    return this.tracker.sessions.size;
  }
  get outstanding(): number {
    return this.outbox.length;
  }
  get openFileDescriptors(): number {
    try {
      return readdirSync('/proc/self/fd').length;
    } catch {
      return -1;
    }
  }
  get maxFileDescriptors(): number {
    try {
      const m = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
      return m ? Number(m[1]) : -1;
    } catch {
      return -1;
    }
  }
  ephemeralsBySession(): Map<bigint, string[]> {
    return new Map([...this.db.tree.ephemerals].map(([id, s]) => [id, [...s].sort()]));
  }
  dirSize(dir: string): number {
    let n = 0;
    try {
      for (const f of readdirSync(dir)) n += statSync(join(dir, f)).size;
    } catch {
      // a directory that vanished has no size
    }
    return n;
  }
  resetStats(): void {
    this.received = 0;
    this.sent = 0;
    this.latency = { count: 0, total: 0, min: Number.MAX_SAFE_INTEGER, max: 0 };
  }

  // ---- Core (request processor) ----

  logTxn(txn: Txn): number {
    const barrier = this.log.append(txn);
    if (this.log.txnCountInFile >= this.snapThreshold) this.takeSnapshot();
    return barrier;
  }

  readBarrier(): number {
    return this.log.appendedSeq;
  }

  queueNotifications(list: Notification[], barrier: number): void {
    for (const n of list) {
      const conn = n.watcher as Connection;
      this.defer(barrier, () => {
        this.sent++;
        conn.notify(n.type, n.path);
      });
    }
  }

  // ---- ConnectionHost ----

  defer(barrier: number, fn: () => void): void {
    if (this.outbox.length === 0 && barrier <= this.log.durable) fn();
    else this.outbox.push({ barrier, run: fn });
  }

  private release(durable: number): void {
    let i = 0;
    while (i < this.outbox.length && this.outbox[i]!.barrier <= durable) {
      try {
        this.outbox[i]!.run();
      } catch (err) {
        this.logger.error('Unexpected exception sending a reply', err);
      }
      i++;
    }
    this.outbox = this.outbox.slice(i);
  }

  fourLetterWord(word: string, conn: Connection): string | undefined {
    return fourLetterWord(word, this, conn);
  }

  connect(conn: Connection, body: Buffer): void {
    const log = this.logger.child('org.apache.zookeeper.server.ZooKeeperServer');
    let req;
    try {
      req = decodeConnectRequest(body);
    } catch {
      this.logger.warn(`Closing connection to ${conn.remote}: malformed ConnectRequest`);
      conn.close('malformed ConnectRequest');
      return;
    }
    this.received++;
    const { record } = req;
    conn.oldClient = req.readOnly === undefined;
    if (conn.oldClient) log.info(`Connection request from old client ${conn.remote}; will be dropped if server is in r-o mode`);
    if (record.lastZxidSeen > this.db.lastZxid) {
      log.info(`Refusing session request for client ${conn.remote} as it has seen zxid 0x${hex(record.lastZxidSeen)} our last zxid is 0x${hex(this.db.lastZxid)} client must try another server`);
      conn.close('client is ahead of the server');
      return;
    }
    const timeout = Math.min(Math.max(record.timeOut, this.config.minSessionTimeout), this.config.maxSessionTimeout);
    const readOnly = conn.oldClient ? undefined : false;
    if (record.sessionId === 0n) {
      const id = this.tracker.newId();
      this.tracker.add(id, timeout);
      this.bind(conn, id, timeout);
      const barrier = this.processor.commitCreateSession(id, timeout);
      this.defer(barrier, () => {
        log.info(`Established session ${sessionHex(id)} with negotiated timeout ${timeout} for client ${conn.remote}`);
        conn.send(encodeConnectResponse({ protocolVersion: 0, timeOut: timeout, sessionId: id, passwd: this.tracker.password(id) }, readOnly));
        this.sent++;
      });
      return;
    }
    const id = record.sessionId;
    const session = this.tracker.get(id);
    const passwordOk = this.tracker.checkPassword(id, record.passwd);
    if (!session || session.closing || !passwordOk) {
      if (session && !passwordOk) log.warn(`Incorrect password from ${conn.remote} for session ${sessionHex(id)}`);
      else log.info(`Invalid session ${sessionHex(id)} for client ${conn.remote}, probably expired`);
      conn.state = 'closing';
      this.defer(this.readBarrier(), () => {
        conn.send(encodeConnectResponse({ protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: Buffer.alloc(PASSWORD_LENGTH) }, readOnly));
        conn.end();
      });
      return;
    }
    // A reconnect takes the session over from its previous connection, if that one is still open.
    const previous = this.owners.get(id);
    if (previous && previous !== conn) {
      previous.sessionId = 0n;
      previous.close('session moved to a new connection');
    }
    session.timeout = timeout;
    this.tracker.touch(id);
    this.bind(conn, id, timeout);
    this.defer(this.readBarrier(), () => {
      log.info(`Established session ${sessionHex(id)} with negotiated timeout ${timeout} for client ${conn.remote}`);
      conn.send(encodeConnectResponse({ protocolVersion: 0, timeOut: timeout, sessionId: id, passwd: this.tracker.password(id) }, readOnly));
      this.sent++;
    });
  }

  private bind(conn: Connection, id: bigint, timeout: number): void {
    conn.sessionId = id;
    conn.timeout = timeout;
    this.owners.set(id, conn);
  }

  request(conn: Connection, xid: number, type: number, r: Reader): Reply | undefined {
    const session = this.tracker.get(conn.sessionId);
    if (!session || session.closing) return undefined;
    this.tracker.touch(conn.sessionId);
    this.received++;
    let reply: Reply;
    try {
      reply = this.processor.process(conn, xid, type, r);
    } catch (err) {
      // A bug must cost this connection, never the server.
      this.logger.error(`Unexpected exception processing request type ${type} from ${conn.remote}`, err);
      conn.close('internal error');
      return undefined;
    }
    if (type === OpCode.auth && reply.err !== 0) this.authFailures++;
    if (reply.sessionClosed) {
      const id = conn.sessionId;
      this.tracker.remove(id);
      this.owners.delete(id);
      this.logger.child('org.apache.zookeeper.server.ZooKeeperServer').info(`Closing session ${sessionHex(id)}`);
    }
    const started = Date.now();
    this.defer(reply.barrier, () => {
      this.sent++;
      const lat = Date.now() - started;
      this.latency.count++;
      this.latency.total += lat;
      this.latency.min = Math.min(this.latency.min, lat);
      this.latency.max = Math.max(this.latency.max, lat);
    });
    return reply;
  }

  /** A connection went away: its watches go, its session stays until it expires. */
  connectionClosed(conn: Connection): void {
    const i = this.connections.indexOf(conn);
    if (i >= 0) this.connections.splice(i, 1);
    this.watches.removeWatcher(conn);
    if (this.owners.get(conn.sessionId) === conn) this.owners.delete(conn.sessionId);
  }

  // ---- sessions, containers, snapshots ----

  private startTimers(): void {
    const tick = this.config.tickTime;
    const expiry = (): void => {
      this.expireSessions();
      const t = setTimeout(expiry, tick - (Date.now() % tick) + 1);
      t.unref();
      this.timers[0] = t;
    };
    const first = setTimeout(expiry, tick - (Date.now() % tick) + 1);
    first.unref();
    this.timers.push(first);
    const reaper = setInterval(() => this.reapContainers(), this.config.containerCheckIntervalMs);
    reaper.unref();
    this.timers.push(reaper);
  }

  private expireSessions(): void {
    if (this.closing) return;
    for (const s of this.tracker.expired()) {
      s.closing = true;
      this.logger.child('org.apache.zookeeper.server.ZooKeeperServer').info(`Expiring session ${sessionHex(s.id)}, timeout of ${s.timeout}ms exceeded`);
      const barrier = this.processor.commitCloseSession({ clientId: s.id, cxid: 0, zxid: this.db.lastZxid + 1n, time: BigInt(Date.now()), type: OpCode.closeSession });
      this.tracker.remove(s.id);
      const conn = this.owners.get(s.id);
      this.owners.delete(s.id);
      if (conn) {
        conn.state = 'closing';
        this.defer(barrier, () => conn.close('session expired'));
      }
    }
  }

  /** ContainerManager: empty containers that once had children, and TTL nodes past their ttl. */
  private reapContainers(): void {
    if (this.closing) return;
    const tree = this.db.tree;
    const now = BigInt(Date.now());
    const doomed: string[] = [];
    for (const path of tree.containers) {
      const node = tree.get(path);
      if (node && node.children.size === 0 && node.stat.cversion > 0) doomed.push(path);
    }
    for (const path of tree.ttls) {
      const node = tree.get(path);
      if (node && node.children.size === 0 && now - node.stat.mtime > ttlOf(node.stat)) doomed.push(path);
    }
    for (const path of doomed.slice(0, this.config.containerMaxPerMinute)) this.processor.commitDeleteContainer(path);
  }

  private nextSnapThreshold(): number {
    // As SyncRequestProcessor: a random point in the second half, so a quorum's servers differ.
    const half = Math.floor(this.config.snapCount / 2);
    return half + Math.floor(Math.random() * Math.max(1, half));
  }

  private takeSnapshot(): void {
    const zxid = this.db.lastZxid;
    const bytes = encodeSnapshot(this.db.tree, this.db.sessions);
    this.log.roll();
    this.snapThreshold = this.nextSnapThreshold();
    const path = join(this.snapDir, `snapshot.${hex(zxid)}`);
    this.logger.child('org.apache.zookeeper.server.persistence.FileTxnSnapLog').info(`Snapshotting: 0x${hex(zxid)} to ${path}`);
    try {
      writeSnapshot(this.snapDir, zxid, bytes);
      purge(this.snapDir, this.logDir, this.config.snapRetainCount);
    } catch (err) {
      // The log still holds everything; the next snapshot will try again.
      this.logger.error(`Unexpected exception writing snapshot ${path}`, err);
    }
  }

  // ---- listening and stopping ----

  private async listen(): Promise<void> {
    const net = createServer((socket) => this.accept(socket));
    this.net = net;
    const { clientPortAddress: address, clientPort: port } = this.config;
    await new Promise<void>((resolve, reject) => {
      net.once('error', reject);
      const backlog = this.config.clientPortListenBacklog > 0 ? this.config.clientPortListenBacklog : undefined;
      net.listen({ host: address, port, backlog }, () => {
        net.off('error', reject);
        resolve();
      });
    });
    const bound = net.address();
    this.port = typeof bound === 'object' && bound ? bound.port : port;
    this.host = typeof bound === 'object' && bound ? bound.address : address;
    this.logger.child('org.apache.zookeeper.server.NIOServerCnxnFactory').info(`binding to port ${socketAddressText(address, this.host, this.port)}`);
  }

  private accept(socket: import('node:net').Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const max = this.config.maxClientCnxns;
    if (max > 0) {
      const ip = socket.remoteAddress ?? '';
      const count = this.connections.filter((c) => c.socket.remoteAddress === ip).length;
      if (count >= max) {
        this.logger.child('org.apache.zookeeper.server.NIOServerCnxnFactory').warn(`Too many connections from /${ip} - max is ${max}`);
        socket.destroy();
        return;
      }
    }
    this.connections.push(new Connection(socket, this, this.config.sessionlessTimeoutMs));
  }

  private fatal(err: Error): void {
    this.logger.child('org.apache.zookeeper.server.ZooKeeperServer').error('Severe unrecoverable error, exiting', err);
    this.failure = err;
    void this.close();
  }

  /** Stops listening, drops connections and closes the log. Sessions stay for the next start. */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.logger.child('org.apache.zookeeper.server.ZooKeeperServer').info('shutting down');
    for (const t of this.timers) clearTimeout(t);
    const net = this.net;
    const stopped = net ? new Promise<void>((resolve) => net.close(() => resolve())) : Promise.resolve();
    for (const c of [...this.connections]) c.close('server shutdown');
    await stopped;
    try {
      await this.log.close();
    } catch (err) {
      this.logger.error('Error closing the transaction log', err);
    }
    this.resolveClosed();
  }
}

/** How Java's InetSocketAddress prints: `0.0.0.0/0.0.0.0:2181`, `/127.0.0.1:2181`, `localhost/127.0.0.1:2181`. */
function socketAddressText(configured: string, bound: string, port: number): string {
  if (configured === '0.0.0.0' || configured === '::') return `${configured}/${bound}:${port}`;
  if (isIP(configured)) return `/${bound}:${port}`;
  return `${configured}/${bound}:${port}`;
}

/** Newest valid snapshot, then every later txn of the log. */
function recover(snapDir: string, logDir: string, logger: Logger): TxnTarget {
  const started = Date.now();
  const snapLog = logger.child('org.apache.zookeeper.server.persistence.FileSnap');
  const snap = loadNewestSnapshot(snapDir, snapLog);
  const db: TxnTarget = snap ? { tree: snap.tree, sessions: snap.sessions, lastZxid: snap.zxid } : { tree: new DataTree(), sessions: new Map(), lastZxid: 0n };
  const txnSnapLog = logger.child('org.apache.zookeeper.server.persistence.FileTxnSnapLog');
  const txns = readLogsAfter(logDir, db.lastZxid, logger.child('org.apache.zookeeper.server.persistence.FileTxnLog'));
  for (const t of txns) {
    db.tree.begin();
    try {
      applyTxn(db, t);
      db.tree.commit();
    } catch (err) {
      db.tree.rollback();
      if (t.header.zxid > db.lastZxid) db.lastZxid = t.header.zxid;
      txnSnapLog.debug(`Ignoring processTxn failure hdr: ${t.header.type}, error: ${(err as Error).message}`);
    }
  }
  txnSnapLog.info(`${txns.length} txns loaded in ${Date.now() - started} ms`);
  logger.child('org.apache.zookeeper.server.ZKDatabase').info(`Snapshot loaded in ${Date.now() - started} ms, highest zxid is 0x${hex(db.lastZxid)}`);
  return db;
}

/** The secret session passwords derive from, kept beside the data so they survive restarts. */
function loadSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'ktool-session.secret');
  if (existsSync(file)) {
    const b = readFileSync(file);
    if (b.length >= 32) return b;
  }
  const secret = randomBytes(32);
  writeFileSync(file, secret, { mode: 0o600 });
  try {
    chmodSync(file, 0o600);
  } catch {
    // Windows: ACLs, not modes
  }
  return secret;
}
