// A ZooKeeper client session, with the Java client's (ClientCnxn) behaviour: requests are
// pipelined and their replies matched FIFO by xid (an out-of-order reply drops the connection);
// pings after a third of the session timeout of idleness; a connection silent for two thirds of it
// is declared dead; reconnects try the hosts in order with the session id, password and last
// zxid seen, then replay watches (setWatches, xid -8) and auth; a ConnectResponse with timeOut 0
// means the session expired, after which this object is unusable (make a new one). Paths given
// to and returned by the API are client paths; the chroot is applied and stripped here.
import { randomInt } from 'node:crypto';
import type { Logger } from '../../log.js';
import { silentLogger } from '../../log.js';
import { Reader } from '../../protocol/reader.js';
import { Writer } from '../../protocol/writer.js';
import { AddWatchMode, CreateMode, EventType, Ids, KeeperState, isSequentialMode, isTtlMode, type Acl } from '../protocol/constants.js';
import { encodeRequest, frame } from '../protocol/frames.js';
import { readRecord, writeRecord, type Rec, type RecordSchema } from '../protocol/jute.js';
import { Err, KeeperError } from '../protocol/keeper-errors.js';
import { readMultiResponse, writeMultiRequest, type MultiOp, type MultiResult } from '../protocol/multi.js';
import { OpCode, Xid } from '../protocol/op-codes.js';
import { parseConnectString, pathProblem, prependChroot, stripChroot } from '../protocol/paths.js';
import * as R from '../protocol/records.js';
import { WatchManager, type WatchedEvent, type Watcher } from './watch-manager.js';
import { ZkSocket } from './zk-socket.js';

export type { WatchedEvent, Watcher } from './watch-manager.js';
export type { MultiOp, MultiResult } from '../protocol/multi.js';
export type Stat = Rec<typeof R.Stat>;
export type ZkState = 'connected' | 'disconnected' | 'expired' | 'closed';

export interface ZkClientOptions {
  /** host:port[,host:port][/chroot] */
  connectString: string;
  /** Requested session timeout; the server clamps it. Default 18000 (Kafka 2.8's default). */
  sessionTimeoutMs?: number;
  /** How long connect() waits for the first session. Default: the session timeout. */
  connectTimeoutMs?: number;
  logger?: Logger;
  /** Resume an existing session (the Java client's sessionId+passwd constructor). */
  session?: { id: bigint; passwd: Buffer };
}

/** Thrown by connect() when no session was established in time (Kafka's wording). */
export class ZkConnectTimeoutError extends Error {
  constructor() {
    super('Timed out waiting for connection while in state: CONNECTING');
    this.name = 'ZooKeeperClientTimeoutException';
  }
}

/** A failed multi: the code and path of the first failing op, with every op's result. */
export class MultiKeeperError extends KeeperError {
  constructor(
    code: number,
    path: string | undefined,
    readonly results: MultiResult[],
  ) {
    super(code, path);
  }
}

interface Pending {
  readonly xid: number;
  readonly frame: Buffer;
  /** The client path, for error messages. */
  readonly path: string | undefined;
  /** Turns the reply into the result, or throws; runs when the reply arrives (watch registration). */
  readonly complete: (err: number, body: Reader) => unknown;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

interface AuthEntry {
  readonly scheme: string;
  readonly auth: Buffer;
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

/** setWatches requests are split at this much path text (ClientCnxn.SET_WATCHES_MAX_LENGTH). */
const SET_WATCHES_MAX_LENGTH = 128 * 1024;
/** Pings go out at least this often whatever the timeout (ClientCnxn.MAX_SEND_PING_INTERVAL). */
const MAX_SEND_PING_INTERVAL = 10_000;

export class ZkClient {
  private state: ZkState | 'connecting' = 'connecting';
  private conn: ZkSocket | undefined;
  private readonly hosts: { host: string; port: number }[];
  readonly chroot: string;
  private nextHost = 0;
  private sessionId_ = 0n;
  private passwd: Buffer = Buffer.alloc(16);
  private negotiatedTimeout = 0;
  private lastZxid = 0n;
  private xid = 1;
  /** Sent, awaiting their reply, in send order. */
  private pending: Pending[] = [];
  /** Issued while disconnected; sent once a connection is up again. */
  private queued: Pending[] = [];
  private readonly authInfo: AuthEntry[] = [];
  private authSent: AuthEntry[] = [];
  private readonly watches = new WatchManager();
  private readonly stateListeners = new Set<(s: ZkState) => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private readonly requestedTimeout: number;

  private constructor(opts: ZkClientOptions) {
    const parsed = parseConnectString(opts.connectString);
    this.hosts = parsed.hosts;
    this.chroot = parsed.chroot;
    this.requestedTimeout = opts.sessionTimeoutMs ?? 18000;
    this.log = opts.logger ?? silentLogger;
    if (opts.session) {
      this.sessionId_ = opts.session.id;
      this.passwd = Buffer.from(opts.session.passwd);
    }
  }

  /** Resolves once a session is established; rejects after connectTimeoutMs. */
  static async connect(opts: ZkClientOptions): Promise<ZkClient> {
    const client = new ZkClient(opts);
    const timeout = opts.connectTimeoutMs ?? client.requestedTimeout;
    client.log.info(`Initiating client connection, connectString=${opts.connectString} sessionTimeout=${client.requestedTimeout}`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ZkConnectTimeoutError()), timeout);
    });
    try {
      await Promise.race([client.establish(true), timedOut]);
    } catch (err) {
      client.shutdown('closed');
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (client.state === 'expired') throw new KeeperError(Err.SESSIONEXPIRED);
    return client;
  }

  get sessionId(): bigint {
    return this.sessionId_;
  }

  /** The session password: with sessionId, lets another client resume (or close) this session. */
  get sessionPasswd(): Buffer {
    return this.passwd;
  }

  /** The negotiated session timeout. */
  get sessionTimeoutMs(): number {
    return this.negotiatedTimeout;
  }

  get currentState(): ZkState | 'connecting' {
    return this.state;
  }

  /** The highest zxid seen in a reply. */
  get lastZxidSeen(): bigint {
    return this.lastZxid;
  }

  /** `0x...`, as ZooKeeper prints session ids. */
  get sessionIdHex(): string {
    return `0x${BigInt.asUintN(64, this.sessionId_).toString(16)}`;
  }

  onState(listener: (state: ZkState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  // ---- the API ----

  async create(path: string, data: Buffer | null, opts: CreateOptions = {}): Promise<string> {
    const mode = opts.mode ?? CreateMode.PERSISTENT;
    if (mode === CreateMode.CONTAINER || isTtlMode(mode)) return (await this.create2(path, data, opts)).path;
    const req = this.createRequest(path, data, opts, mode);
    return this.call(OpCode.create, R.CreateRequest, req, path, (err, r) => {
      check(err, path);
      return this.toClient(readRecord(r, R.CreateResponse).path);
    });
  }

  async create2(path: string, data: Buffer | null, opts: CreateOptions = {}): Promise<{ path: string; stat: Stat }> {
    const mode = opts.mode ?? CreateMode.PERSISTENT;
    const req = this.createRequest(path, data, opts, mode);
    const done = (err: number, r: Reader): { path: string; stat: Stat } => {
      check(err, path);
      const res = readRecord(r, R.Create2Response);
      return { path: this.toClient(res.path), stat: res.stat };
    };
    if (isTtlMode(mode)) {
      if (opts.ttl === undefined || opts.ttl <= 0n) throw new KeeperError(Err.BADARGUMENTS, path);
      return this.call(OpCode.createTTL, R.CreateTTLRequest, { ...req, ttl: opts.ttl }, path, done);
    }
    if (opts.ttl !== undefined) throw new Error('ttl is only valid with a TTL create mode');
    return this.call(mode === CreateMode.CONTAINER ? OpCode.createContainer : OpCode.create2, R.CreateRequest, req, path, done);
  }

  delete(path: string, version = -1): Promise<void> {
    return this.call(OpCode.delete, R.DeleteRequest, { path: this.toServer(path), version }, path, (err) => check(err, path));
  }

  exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    const serverPath = this.toServer(path);
    return this.call(OpCode.exists, R.ExistsRequest, { path: serverPath, watch: watcher !== undefined }, path, (err, r) => {
      // A missing node still gets the watch: it fires on creation (an "exist" watch).
      if (err === Err.NONODE) {
        if (watcher) this.watches.addExist(serverPath, watcher);
        return null;
      }
      check(err, path);
      if (watcher) this.watches.addData(serverPath, watcher);
      return readRecord(r, R.ExistsResponse).stat;
    });
  }

  getData(path: string, watcher?: Watcher): Promise<{ data: Buffer | null; stat: Stat }> {
    const serverPath = this.toServer(path);
    return this.call(OpCode.getData, R.GetDataRequest, { path: serverPath, watch: watcher !== undefined }, path, (err, r) => {
      check(err, path);
      if (watcher) this.watches.addData(serverPath, watcher);
      return readRecord(r, R.GetDataResponse);
    });
  }

  setData(path: string, data: Buffer | null, version = -1): Promise<Stat> {
    return this.call(OpCode.setData, R.SetDataRequest, { path: this.toServer(path), data, version }, path, (err, r) => {
      check(err, path);
      return readRecord(r, R.SetDataResponse).stat;
    });
  }

  /** getChildren2: child names (unsorted, as the server lists them) and the parent's stat. */
  getChildren(path: string, watcher?: Watcher): Promise<{ children: string[]; stat: Stat }> {
    const serverPath = this.toServer(path);
    return this.call(OpCode.getChildren2, R.GetChildren2Request, { path: serverPath, watch: watcher !== undefined }, path, (err, r) => {
      check(err, path);
      if (watcher) this.watches.addChild(serverPath, watcher);
      return readRecord(r, R.GetChildren2Response);
    });
  }

  getACL(path: string): Promise<{ acl: Acl[]; stat: Stat }> {
    return this.call(OpCode.getACL, R.GetACLRequest, { path: this.toServer(path) }, path, (err, r) => {
      check(err, path);
      return readRecord(r, R.GetACLResponse);
    });
  }

  setACL(path: string, acl: Acl[], version = -1): Promise<Stat> {
    if (acl.length === 0) return Promise.reject(new KeeperError(Err.INVALIDACL, path));
    return this.call(OpCode.setACL, R.SetACLRequest, { path: this.toServer(path), acl, version }, path, (err, r) => {
      check(err, path);
      return readRecord(r, R.SetACLResponse).stat;
    });
  }

  /**
   * An atomic transaction. Op paths are client paths. When it fails, throws a MultiKeeperError
   * with the first failing op's code and path (and every result); an empty list sends nothing.
   */
  async multi(ops: MultiOp[]): Promise<MultiResult[]> {
    if (ops.length === 0) return [];
    const serverOps = ops.map((op) => {
      const path = op.request['path'];
      return typeof path === 'string' ? { type: op.type, request: { ...op.request, path: this.toServer(path) } } : op;
    });
    const results = await this.callRaw(
      OpCode.multi,
      (w) => writeMultiRequest(w, serverOps),
      undefined,
      (err, r) => {
        check(err);
        return readMultiResponse(r);
      },
    );
    const clientResults = results.map((res) => {
      const path = res.response?.['path'];
      return typeof path === 'string' ? { ...res, response: { ...res.response, path: this.toClient(path) } } : res;
    });
    const failed = clientResults.findIndex((res) => res.err !== 0);
    if (failed >= 0) {
      const path = ops[failed]?.request['path'];
      throw new MultiKeeperError(clientResults[failed]!.err, typeof path === 'string' ? path : undefined, clientResults);
    }
    return clientResults;
  }

  async sync(path: string): Promise<void> {
    await this.call(OpCode.sync, R.SyncRequest, { path: this.toServer(path) }, path, (err) => check(err, path));
  }

  /** Adds credentials to the connection (and to every reconnect). AUTHFAILED rejects. */
  addAuth(scheme: string, auth: Buffer): Promise<void> {
    if (this.state === 'expired' || this.state === 'closed') return Promise.reject(new KeeperError(Err.SESSIONEXPIRED));
    return new Promise((resolve, reject) => {
      const entry: AuthEntry = { scheme, auth: Buffer.from(auth), waiters: [{ resolve, reject }] };
      this.authInfo.push(entry);
      if (this.state === 'connected') this.sendAuth(entry);
    });
  }

  /** A persistent (mode 0) or persistent-recursive (mode 1) watch, kept until the session ends. */
  addWatch(path: string, mode: number, watcher: Watcher): Promise<void> {
    const serverPath = this.toServer(path);
    return this.call(OpCode.addWatch, R.AddWatchRequest, { path: serverPath, mode }, path, (err, r) => {
      check(err, path);
      const res = readRecord(r, R.ErrorResponse);
      check(res.err, path);
      this.watches.addPersistent(serverPath, mode === AddWatchMode.PERSISTENT_RECURSIVE ? mode : AddWatchMode.PERSISTENT, watcher);
    });
  }

  getAllChildrenNumber(path: string): Promise<number> {
    return this.call(OpCode.getAllChildrenNumber, R.GetAllChildrenNumberRequest, { path: this.toServer(path) }, path, (err, r) => {
      check(err, path);
      return readRecord(r, R.GetAllChildrenNumberResponse).totalNumber;
    });
  }

  /** This session's ephemerals under `prefix` (a path prefix, not necessarily a node). */
  getEphemerals(prefix: string): Promise<string[]> {
    return this.call(OpCode.getEphemerals, R.GetEphemeralsRequest, { prefixPath: this.toServer(prefix) }, prefix, (err, r) => {
      check(err, prefix);
      return readRecord(r, R.GetEphemeralsResponse).ephemerals.map((p) => this.toClient(p));
    });
  }

  whoAmI(): Promise<{ authScheme: string; user: string }[]> {
    return this.callRaw(OpCode.whoAmI, undefined, undefined, (err, r) => {
      check(err);
      return readRecord(r, R.WhoAmIResponse).clientInfo;
    });
  }

  /** Ends the session (closeSession, so ephemerals go now), then the socket. */
  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'expired') return;
    if (this.state === 'connected') {
      const bye = this.callRaw(OpCode.closeSession, undefined, undefined, (err) => check(err)).catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        // The reply normally comes at once; a server that stays silent is not waited on for long.
        timer = setTimeout(resolve, Math.min(2000, Math.floor((this.negotiatedTimeout * 2) / 3)));
      });
      await Promise.race([bye, bound]);
      clearTimeout(timer);
    }
    this.log.info(`Session: ${this.sessionIdHex} closed`);
    this.shutdown('closed');
  }

  // ---- requests and replies ----

  private createRequest(path: string, data: Buffer | null, opts: CreateOptions, mode: number): Rec<typeof R.CreateRequest> {
    const problem = pathProblem(path, isSequentialMode(mode));
    if (problem) throw new Error(`Invalid path string "${path}" caused by ${problem}`);
    const acl = opts.acl ?? Ids.OPEN_ACL_UNSAFE;
    if (acl.length === 0) throw new KeeperError(Err.INVALIDACL, path);
    return { path: this.toServer(path), data, acl, flags: mode };
  }

  private call<S extends RecordSchema, T>(type: number, schema: S, body: Rec<S>, path: string | undefined, complete: (err: number, r: Reader) => T): Promise<T> {
    return this.callRaw(type, (w) => writeRecord(w, schema, body), path, complete);
  }

  private callRaw<T>(type: number, fill: ((w: Writer) => void) | undefined, path: string | undefined, complete: (err: number, r: Reader) => T): Promise<T> {
    if (this.state === 'expired' || this.state === 'closed') return Promise.reject(new KeeperError(Err.SESSIONEXPIRED, path));
    const xid = this.nextXid();
    const bytes = frame((w) => {
      writeRecord(w, R.RequestHeader, { xid, type });
      fill?.(w);
    });
    return new Promise<T>((resolve, reject) => {
      const p: Pending = { xid, frame: bytes, path, complete, resolve: resolve as (v: unknown) => void, reject };
      if (this.state === 'connected' && this.conn) {
        this.pending.push(p);
        this.conn.send(bytes);
      } else {
        this.queued.push(p);
      }
    });
  }

  private nextXid(): number {
    const xid = this.xid;
    this.xid = xid >= 0x7fffffff ? 1 : xid + 1;
    return xid;
  }

  private onFrame(body: Buffer): void {
    const r = new Reader(body);
    let header: Rec<typeof R.ReplyHeader>;
    try {
      header = readRecord(r, R.ReplyHeader);
    } catch {
      this.conn?.drop('Unreadable reply header');
      return;
    }
    switch (header.xid) {
      case Xid.notification:
        this.onNotification(r);
        return;
      case Xid.ping:
        return;
      case Xid.auth:
        this.onAuthReply(header.err);
        return;
    }
    const p = this.pending[0];
    if (!p || p.xid !== header.xid) {
      this.conn?.drop(`Xid out of order. Got Xid ${header.xid} with err ${header.err} expected Xid ${p?.xid ?? 'none'}`);
      return;
    }
    this.pending.shift();
    if (header.zxid > 0n) this.lastZxid = header.zxid;
    try {
      p.resolve(p.complete(header.err, r));
    } catch (err) {
      p.reject(err);
    }
  }

  private onNotification(r: Reader): void {
    let event: Rec<typeof R.WatcherEvent>;
    try {
      event = readRecord(r, R.WatcherEvent);
    } catch {
      this.conn?.drop('Unreadable watch notification');
      return;
    }
    const watchers = this.watches.materialize(event.type, event.path);
    if (watchers.size === 0) return;
    const clientEvent: WatchedEvent = { type: event.type, state: event.state, path: this.toClient(event.path) };
    // Like the Java client's event thread: watchers run after the replies already delivered.
    queueMicrotask(() => this.fire(watchers, clientEvent));
  }

  private fire(watchers: Iterable<Watcher>, event: WatchedEvent): void {
    for (const w of watchers) {
      try {
        w(event);
      } catch (err) {
        this.log.error('Error while calling watcher', err);
      }
    }
  }

  private sendAuth(entry: AuthEntry): void {
    this.authSent.push(entry);
    this.conn!.send(encodeRequest(Xid.auth, OpCode.auth, R.AuthPacket, { type: 0, scheme: entry.scheme, auth: entry.auth }));
  }

  /** Auth replies come out of band (the server answers them before queued requests), in auth order. */
  private onAuthReply(err: number): void {
    const entry = this.authSent.shift();
    if (!entry) return;
    const waiters = entry.waiters;
    entry.waiters = [];
    if (err === 0) {
      for (const w of waiters) w.resolve();
      return;
    }
    this.authInfo.splice(this.authInfo.indexOf(entry), 1);
    this.log.warn(`Authentication failed for scheme ${entry.scheme}`);
    for (const w of waiters) w.reject(new KeeperError(err));
  }

  // ---- connection life cycle ----

  /** Tries the hosts in order until one gives a session (or says it expired). */
  private async establish(first: boolean): Promise<void> {
    let attempt = 0;
    while (this.state === 'connecting' || this.state === 'disconnected') {
      // The Java client waits a random 0–1 s before each reconnect, so a crowd of clients spreads out.
      if (!first || attempt > 0) await sleep(attempt > 0 && attempt % this.hosts.length === 0 ? 1000 : randomInt(1000));
      if (this.state !== 'connecting' && this.state !== 'disconnected') return;
      const { host, port } = this.hosts[this.nextHost]!;
      this.nextHost = (this.nextHost + 1) % this.hosts.length;
      attempt++;
      const base = this.negotiatedTimeout || this.requestedTimeout;
      let connectTimeout = Math.max(1, Math.floor(base / this.hosts.length));
      // Resuming a session, give up on a silent server sooner than Java does (timeout / hosts): a
      // server that took the TCP connection while starting up may never answer it, and the
      // session, whose clock restarts when the server does, must get another attempt in time.
      if (this.negotiatedTimeout > 0) connectTimeout = Math.min(connectTimeout, Math.max(500, Math.floor(base / 3)));
      this.log.debug(`Opening socket connection to server ${host}:${port}`);
      let opened: Awaited<ReturnType<typeof ZkSocket.open>>;
      try {
        opened = await ZkSocket.open(host, port, { protocolVersion: 0, lastZxidSeen: this.lastZxid, timeOut: this.requestedTimeout, sessionId: this.sessionId_, passwd: this.passwd }, connectTimeout);
      } catch (err) {
        this.log.info(`Session ${this.sessionIdHex} for server ${host}:${port}, Closing socket connection. Attempting reconnect except it is a SessionExpiredException or SessionTimeoutException. (${err instanceof Error ? err.message : String(err)})`);
        continue;
      }
      if (this.state !== 'connecting' && this.state !== 'disconnected') {
        opened.conn.destroy();
        return;
      }
      if (opened.response.timeOut <= 0) {
        opened.conn.destroy();
        this.log.warn(`Unable to reconnect to ZooKeeper service, session ${this.sessionIdHex} has expired`);
        this.expire();
        return;
      }
      this.onConnected(opened.conn, opened.response);
      return;
    }
  }

  private onConnected(conn: ZkSocket, res: { timeOut: number; sessionId: bigint; passwd: Buffer | null }): void {
    this.conn = conn;
    this.sessionId_ = res.sessionId;
    this.passwd = res.passwd ?? Buffer.alloc(16);
    this.negotiatedTimeout = res.timeOut;
    this.log.info(`Session establishment complete on server ${conn.address}, session id = ${this.sessionIdHex}, negotiated timeout = ${res.timeOut}`);
    this.state = 'connected';
    conn.start({ frame: (body) => this.onFrame(body), closed: (why) => this.onConnectionLost(conn, why) });
    // The socket may already be gone (closed right after the handshake): the loss handler has
    // scheduled the next attempt, and queued requests wait for it.
    if (this.conn !== conn) return;
    // Order matters: watches and auth are restored before anything queued while disconnected.
    this.resendWatches();
    for (const entry of this.authInfo) this.sendAuth(entry);
    const queued = this.queued;
    this.queued = [];
    for (const p of queued) {
      this.pending.push(p);
      conn.send(p.frame);
    }
    this.startTimer();
    this.emit('connected');
  }

  private resendWatches(): void {
    const w = this.watches;
    if (w.isEmpty()) return;
    const persistent = w.persistent.size + w.persistentRecursive.size > 0;
    const lists = [w.data, w.exist, w.child, w.persistent, w.persistentRecursive].map((t) => [...t.keys()]);
    let batch: string[][] = lists.map(() => []);
    let size = 0;
    const flush = (): void => {
      const [dataWatches, existWatches, childWatches, persistentWatches, persistentRecursiveWatches] = batch as [string[], string[], string[], string[], string[]];
      const bytes = persistent
        ? encodeRequest(Xid.setWatches, OpCode.setWatches2, R.SetWatches2, { relativeZxid: this.lastZxid, dataWatches, existWatches, childWatches, persistentWatches, persistentRecursiveWatches })
        : encodeRequest(Xid.setWatches, OpCode.setWatches, R.SetWatches, { relativeZxid: this.lastZxid, dataWatches, existWatches, childWatches });
      // The reply is an ordinary xid -8 reply in the FIFO; its errors are only logged, as in Java.
      this.pending.push({
        xid: Xid.setWatches,
        frame: bytes,
        path: undefined,
        complete: (err) => {
          if (err !== 0) this.log.warn(`setWatches failed: ${new KeeperError(err).message}`);
        },
        resolve: () => {},
        reject: () => {},
      });
      this.conn!.send(bytes);
      batch = lists.map(() => []);
      size = 0;
    };
    lists.forEach((paths, i) => {
      for (const p of paths) {
        if (size + p.length > SET_WATCHES_MAX_LENGTH && size > 0) flush();
        batch[i]!.push(p);
        size += p.length;
      }
    });
    flush();
  }

  private onConnectionLost(conn: ZkSocket, why: string): void {
    if (conn !== this.conn) return;
    this.conn = undefined;
    this.stopTimer();
    this.log.info(`${why}, session ${this.sessionIdHex}; closing socket connection and attempting reconnect`);
    this.failPending(Err.CONNECTIONLOSS);
    if (this.state !== 'connected') return;
    this.state = 'disconnected';
    this.emit('disconnected');
    this.establish(false).catch((err: unknown) => this.log.error('ZooKeeper reconnect failed', err));
  }

  private failPending(code: number, includeQueued = false): void {
    const failed = includeQueued ? [...this.pending, ...this.queued] : this.pending;
    this.pending = [];
    if (includeQueued) this.queued = [];
    for (const p of failed) p.reject(new KeeperError(code, p.path));
    this.authSent = [];
  }

  private expire(): void {
    this.shutdown('expired');
    // The Java client tells every watcher the session is gone (type None, state Expired).
    this.fire(this.watches.drain(), { type: EventType.None, state: KeeperState.Expired, path: '' });
  }

  private shutdown(final: 'expired' | 'closed'): void {
    if (this.state === 'expired' || this.state === 'closed') return;
    this.state = final;
    this.stopTimer();
    const conn = this.conn;
    this.conn = undefined;
    conn?.destroy();
    this.failPending(final === 'expired' ? Err.SESSIONEXPIRED : Err.CONNECTIONLOSS, true);
    for (const entry of this.authInfo) for (const w of entry.waiters) w.reject(new KeeperError(Err.SESSIONEXPIRED));
    this.authInfo.length = 0;
    if (final === 'closed') this.watches.drain();
    this.emit(final);
  }

  private startTimer(): void {
    this.stopTimer();
    const readTimeout = Math.floor((this.negotiatedTimeout * 2) / 3);
    const tick = Math.min(500, Math.max(20, Math.floor(readTimeout / 10)));
    this.timer = setInterval(() => this.onTick(readTimeout), tick);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** ClientCnxn.SendThread's clock: a dead connection after readTimeout of silence, pings before that. */
  private onTick(readTimeout: number): void {
    const conn = this.conn;
    if (!conn || this.state !== 'connected') return;
    const now = performance.now();
    const idleRecv = now - conn.lastRecv;
    if (idleRecv > readTimeout) {
      // Timers run before I/O: after an event-loop stall the server's replies may be sitting
      // unread, so look again once pending I/O has been handled.
      setImmediate(() => {
        const idle = performance.now() - conn.lastRecv;
        if (this.conn === conn && this.state === 'connected' && idle > readTimeout) {
          conn.drop(`Client session timed out, have not heard from server in ${Math.round(idle)}ms for session id ${this.sessionIdHex}`);
        }
      });
      return;
    }
    const idleSend = now - conn.lastSend;
    const toNextPing = readTimeout / 2 - idleSend - (idleSend > 1000 ? 1000 : 0);
    if (toNextPing <= 0 || idleSend > MAX_SEND_PING_INTERVAL) conn.send(encodeRequest(Xid.ping, OpCode.ping));
  }

  private emit(state: ZkState): void {
    for (const l of [...this.stateListeners]) {
      try {
        l(state);
      } catch (err) {
        this.log.error('Error in a ZooKeeper state listener', err);
      }
    }
  }

  private toServer(path: string): string {
    return prependChroot(this.chroot, path);
  }

  private toClient(path: string): string {
    return stripChroot(this.chroot, path);
  }
}

export interface CreateOptions {
  /** Default: world:anyone with every permission (OPEN_ACL_UNSAFE), as Kafka uses. */
  acl?: Acl[];
  /** CreateMode; default PERSISTENT. */
  mode?: number;
  /** For the TTL modes only. */
  ttl?: bigint;
}

function check(err: number, path?: string): void {
  if (err !== 0) throw new KeeperError(err, path);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
