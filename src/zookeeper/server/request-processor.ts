// One request → one reply, with ZooKeeper's checks in ZooKeeper's order (PrepRequestProcessor for
// writes, FinalRequestProcessor for reads; PROTOCOL.md §4 and §8). A write is validated against the
// tree, applied, and turned into a transaction for the log; a write that fails with a KeeperError
// still uses a zxid and is logged as an error txn, as in ZooKeeper. A multi is applied op by op
// under the tree's undo log and rolled back whole when one op fails, before anyone can see it.
import { Reader } from '../../protocol/reader.js';
import { Writer } from '../../protocol/writer.js';
import { AddWatchMode, CreateMode, EventType, Perms, isEphemeralMode, isSequentialMode, isTtlMode, type Acl } from '../protocol/constants.js';
import { encodeReply, frame } from '../protocol/frames.js';
import { readRecord, writeRecord, type Rec, type RecordSchema } from '../protocol/jute.js';
import { Err, KeeperError } from '../protocol/keeper-errors.js';
import { readMultiRequest, writeMultiResponse, type MultiOp, type MultiResult } from '../protocol/multi.js';
import { OpCode, opSpec } from '../protocol/op-codes.js';
import { pathProblem, parentOf } from '../protocol/paths.js';
import * as R from '../protocol/records.js';
import { checkAcl, fixupAcl, hasPermission, type AuthId } from './acl.js';
import type { ZkConfig } from './config.js';
import { DataTree, MAX_TTL, kindOf, type TreeEvent } from './data-tree.js';
import { applyBody, type Txn, type TxnBody, type TxnHeader, type TxnTarget } from './txn.js';
import type { Notification, WatchManager, Watcher } from './watches.js';

/** What the processor needs from the server. */
export interface Core {
  readonly config: ZkConfig;
  readonly db: TxnTarget;
  readonly watches: WatchManager;
  /** Appends an applied txn to the log; returns the barrier its reply must wait for. */
  logTxn(txn: Txn): number;
  /** The barrier a read's reply waits for: everything logged before it. */
  readBarrier(): number;
  /** Sends notifications once `barrier` is durable. */
  queueNotifications(list: Notification[], barrier: number): void;
}

/** The connection a request came on. */
export interface Caller extends Watcher {
  readonly sessionId: bigint;
  readonly authInfo: AuthId[];
  readonly remoteIp: string;
}

export interface Reply {
  readonly frame: Buffer;
  readonly barrier: number;
  /** Close the connection once this reply is sent (closeSession, AUTHFAILED, unknown op). */
  readonly close?: boolean;
  /** The op ended the session (closeSession). */
  readonly sessionClosed?: boolean;
  /** Did the request fail, for stats: the error code. */
  readonly err: number;
}

/** The four-letter name `cons` shows as lop (Request.op2String). */
export function opName(type: number): string {
  return opSpec(type)?.name ?? (type === OpCode.check ? 'check' : `unknown ${type}`);
}

type Body = Record<string, unknown>;

const WRITE_OPS: ReadonlySet<number> = new Set([
  OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL, OpCode.delete, OpCode.setData, OpCode.setACL, OpCode.check, OpCode.multi, OpCode.reconfig,
]);

export class RequestProcessor {
  constructor(private readonly core: Core) {}

  private get tree(): DataTree {
    return this.core.db.tree;
  }

  private skipAcl(): boolean {
    return this.core.config.skipACL;
  }

  /** Handles one request frame after the RequestHeader (`r` at the op's record). */
  process(caller: Caller, xid: number, type: number, r: Reader): Reply {
    if (type === OpCode.ping) return this.reply(xid, 0, this.core.readBarrier());
    if (type === OpCode.closeSession) return this.closeSession(caller, xid);
    if (type === OpCode.auth) return this.auth(caller, xid, r);
    const spec = opSpec(type);
    if (!spec || type === OpCode.sasl || type === OpCode.createSession || type === OpCode.deleteContainer) {
      return { ...this.reply(xid, Err.UNIMPLEMENTED, this.core.readBarrier()), close: true };
    }
    if (type === OpCode.multi || type === OpCode.multiRead) {
      let ops: MultiOp[];
      try {
        ops = readMultiRequest(r);
      } catch {
        return this.reply(xid, Err.MARSHALLINGERROR, this.core.readBarrier());
      }
      return type === OpCode.multi ? this.multi(caller, xid, ops) : this.multiRead(caller, xid, ops);
    }
    let body: Body;
    try {
      body = spec.request ? (readRecord(r, spec.request) as Body) : {};
    } catch {
      return this.reply(xid, Err.MARSHALLINGERROR, this.core.readBarrier());
    }
    if (WRITE_OPS.has(type)) return this.write(caller, xid, type, body, spec.response);
    if (type === OpCode.setWatches || type === OpCode.setWatches2) return this.setWatches(caller, xid, body);
    try {
      const [schema, response] = this.read(caller, type, body);
      return this.reply(xid, 0, this.core.readBarrier(), schema, response);
    } catch (err) {
      if (err instanceof KeeperError) return this.reply(xid, err.code, this.core.readBarrier());
      throw err;
    }
  }

  private reply(xid: number, err: number, barrier: number, schema?: RecordSchema, body?: unknown): Reply {
    const zxid = this.core.db.lastZxid;
    return { frame: encodeReply({ xid, zxid, err }, schema, body as never), barrier, err };
  }

  // ---- reads (FinalRequestProcessor) ----

  private read(caller: Caller, type: number, body: Body): [RecordSchema | undefined, unknown] {
    const path = body.path as string;
    switch (type) {
      case OpCode.exists: {
        if (path.includes('\0')) throw new KeeperError(Err.BADARGUMENTS, path);
        // The watch is set even when the node is missing: it fires on create.
        if (body.watch) this.core.watches.addData(path, caller);
        const node = this.tree.get(path);
        if (!node) throw new KeeperError(Err.NONODE, path);
        return [R.ExistsResponse, { stat: this.tree.stat(node) }];
      }
      case OpCode.getData: {
        const node = this.readable(caller, path);
        if (body.watch) this.core.watches.addData(path, caller);
        return [R.GetDataResponse, { data: node.data, stat: this.tree.stat(node) }];
      }
      case OpCode.getChildren:
      case OpCode.getChildren2: {
        const node = this.readable(caller, path);
        if (body.watch) this.core.watches.addChild(path, caller);
        const children = [...node.children];
        return type === OpCode.getChildren ? [R.GetChildrenResponse, { children }] : [R.GetChildren2Response, { children, stat: this.tree.stat(node) }];
      }
      case OpCode.getAllChildrenNumber: {
        this.readable(caller, path);
        return [R.GetAllChildrenNumberResponse, { totalNumber: this.tree.countDescendants(path) }];
      }
      case OpCode.getACL: {
        const node = this.tree.get(path);
        if (!node) throw new KeeperError(Err.NONODE, path);
        checkAcl(node.acl, Perms.READ | Perms.ADMIN, caller.authInfo, path, this.skipAcl());
        // A reader without ADMIN does not get the digests (ZOOKEEPER-1392).
        const acl = hasPermission(node.acl, Perms.ADMIN, caller.authInfo, this.skipAcl())
          ? node.acl
          : node.acl.map((a) => (a.id.scheme === 'digest' ? { perms: a.perms, id: { scheme: 'digest', id: `${a.id.id.split(':')[0]}:x` } } : a));
        return [R.GetACLResponse, { acl, stat: this.tree.stat(node) }];
      }
      case OpCode.sync:
        return [R.SyncResponse, { path }];
      case OpCode.getEphemerals: {
        const prefix = (body.prefixPath as string).trim();
        const mine = [...(this.tree.ephemerals.get(caller.sessionId) ?? [])];
        const ephemerals = prefix === '' || prefix === '/' ? mine : mine.filter((p) => p.startsWith(prefix));
        return [R.GetEphemeralsResponse, { ephemerals }];
      }
      case OpCode.whoAmI:
        return [R.WhoAmIResponse, { clientInfo: caller.authInfo.map((a) => ({ authScheme: a.scheme, user: a.id })) }];
      case OpCode.addWatch: {
        const mode = body.mode as number;
        if (mode !== AddWatchMode.PERSISTENT && mode !== AddWatchMode.PERSISTENT_RECURSIVE) throw new KeeperError(Err.BADARGUMENTS, path);
        this.core.watches.addPersistent(path, caller, mode === AddWatchMode.PERSISTENT_RECURSIVE);
        return [R.ErrorResponse, { err: 0 }];
      }
      case OpCode.checkWatches:
        if (!this.core.watches.contains(path, body.type as number, caller)) throw new KeeperError(Err.NOWATCHER, path);
        return [undefined, undefined];
      case OpCode.removeWatches:
        if (!this.core.watches.remove(path, body.type as number, caller)) throw new KeeperError(Err.NOWATCHER, path);
        return [undefined, undefined];
      default:
        throw new KeeperError(Err.UNIMPLEMENTED, path);
    }
  }

  private readable(caller: Caller, path: string) {
    const node = this.tree.get(path);
    if (!node) throw new KeeperError(Err.NONODE, path);
    checkAcl(node.acl, Perms.READ, caller.authInfo, path, this.skipAcl());
    return node;
  }

  /** multiRead: each read on its own; a failure is that op's error result. */
  private multiRead(caller: Caller, xid: number, ops: MultiOp[]): Reply {
    if (ops.some((op) => op.type !== OpCode.getData && op.type !== OpCode.getChildren)) return this.reply(xid, Err.MARSHALLINGERROR, this.core.readBarrier());
    const results: MultiResult[] = ops.map((op) => {
      try {
        const [, response] = this.read(caller, op.type, op.request);
        return { type: op.type, err: 0, response: response as Record<string, unknown> };
      } catch (err) {
        if (err instanceof KeeperError) return { type: OpCode.error, err: err.code };
        throw err;
      }
    });
    return this.multiReply(xid, results, this.core.readBarrier());
  }

  private multiReply(xid: number, results: MultiResult[], barrier: number): Reply {
    const zxid = this.core.db.lastZxid;
    return {
      frame: frame((w: Writer) => {
        writeRecord(w, R.ReplyHeader, { xid, zxid, err: 0 });
        writeMultiResponse(w, results);
      }),
      barrier,
      err: results.find((r) => r.err !== 0)?.err ?? 0,
    };
  }

  /** setWatches / setWatches2 after a reconnect (DataTree.setWatches). */
  private setWatches(caller: Caller, xid: number, body: Body): Reply {
    const rel = body.relativeZxid as bigint;
    const w = this.core.watches;
    const fired: Notification[] = [];
    const fire = (type: number, path: string): void => void fired.push({ watcher: caller, type, path });
    for (const path of body.dataWatches as string[]) {
      const node = this.tree.get(path);
      if (!node) fire(EventType.NodeDeleted, path);
      else if (node.stat.mzxid > rel) fire(EventType.NodeDataChanged, path);
      else w.addData(path, caller);
    }
    for (const path of body.existWatches as string[]) {
      if (this.tree.get(path)) fire(EventType.NodeCreated, path);
      else w.addData(path, caller);
    }
    for (const path of body.childWatches as string[]) {
      const node = this.tree.get(path);
      if (!node) fire(EventType.NodeDeleted, path);
      else if (node.stat.pzxid > rel) fire(EventType.NodeChildrenChanged, path);
      else w.addChild(path, caller);
    }
    for (const path of (body.persistentWatches as string[] | undefined) ?? []) w.addPersistent(path, caller, false);
    for (const path of (body.persistentRecursiveWatches as string[] | undefined) ?? []) w.addPersistent(path, caller, true);
    const barrier = this.core.readBarrier();
    this.core.queueNotifications(fired, barrier);
    return this.reply(xid, 0, barrier);
  }

  private auth(caller: Caller, xid: number, r: Reader): Reply {
    let packet: Rec<typeof R.AuthPacket>;
    try {
      packet = readRecord(r, R.AuthPacket);
    } catch {
      return { frame: encodeReply({ xid, zxid: 0n, err: Err.AUTHFAILED }), barrier: this.core.readBarrier(), close: true, err: Err.AUTHFAILED };
    }
    const ids = this.authenticate(packet.scheme, packet.auth, caller.remoteIp);
    if (!ids) return { frame: encodeReply({ xid, zxid: 0n, err: Err.AUTHFAILED }), barrier: this.core.readBarrier(), close: true, err: Err.AUTHFAILED };
    for (const id of ids) if (!caller.authInfo.some((a) => a.scheme === id.scheme && a.id === id.id)) caller.authInfo.push(id);
    return { frame: encodeReply({ xid, zxid: 0n, err: 0 }), barrier: this.core.readBarrier(), err: 0 };
  }

  /** Overridable by the server (it knows the super digest). */
  authenticate: (scheme: string, auth: Buffer | null, remoteIp: string) => AuthId[] | undefined = () => undefined;

  // ---- writes (PrepRequestProcessor) ----

  private header(caller: Caller, xid: number, type: number): TxnHeader {
    return { clientId: caller.sessionId, cxid: xid, zxid: this.core.db.lastZxid + 1n, time: BigInt(Date.now()), type };
  }

  /** Logs `body` under `header` (already applied) and fires the watches its events trigger. */
  private commit(header: TxnHeader, body: TxnBody, events: TreeEvent[]): number {
    this.core.db.lastZxid = header.zxid;
    const barrier = this.core.logTxn({ header, body });
    const notes: Notification[] = [];
    for (const e of events) notes.push(...this.core.watches.process(e));
    this.core.queueNotifications(notes, barrier);
    return barrier;
  }

  private write(caller: Caller, xid: number, type: number, body: Body, responseSchema: RecordSchema | undefined): Reply {
    const header = this.header(caller, xid, type);
    this.tree.begin();
    try {
      const txn = this.prepare(caller, type, body);
      const events = applyBody(this.core.db, header, txn);
      this.tree.commit();
      const barrier = this.commit(header, txn, events);
      return this.reply(xid, 0, barrier, responseSchema, this.response(type, txn));
    } catch (err) {
      this.tree.rollback();
      if (!(err instanceof KeeperError)) throw err;
      const errHeader = { ...header, type: OpCode.error };
      const barrier = this.commit(errHeader, { type: OpCode.error, rec: { err: err.code } }, []);
      return this.reply(xid, err.code, barrier);
    }
  }

  /** The response record of a successful write, read back from the tree. */
  private response(type: number, txn: TxnBody): unknown {
    const path = 'rec' in txn ? (txn.rec as { path?: string }).path : undefined;
    const node = path === undefined ? undefined : this.tree.get(path);
    const stat = node ? this.tree.stat(node) : undefined;
    switch (type) {
      case OpCode.create:
        return { path };
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL:
        return { path, stat };
      case OpCode.setData:
      case OpCode.setACL:
        return { stat };
      default:
        return undefined;
    }
  }

  private multi(caller: Caller, xid: number, ops: MultiOp[]): Reply {
    const header = this.header(caller, xid, OpCode.multi);
    if (ops.some((op) => op.type === OpCode.getData || op.type === OpCode.getChildren)) return this.reply(xid, Err.MARSHALLINGERROR, this.core.readBarrier());
    const done: { op: MultiOp; txn: TxnBody; result: MultiResult }[] = [];
    const events: TreeEvent[] = [];
    this.tree.begin();
    let failedAt = -1;
    let failure = 0;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      try {
        const txn = this.prepare(caller, op.type, op.request);
        events.push(...applyBody(this.core.db, header, txn));
        // Read back at once: a later op of the same multi may change the node again.
        done.push({ op, txn, result: this.multiResult(op.type, txn) });
      } catch (err) {
        if (!(err instanceof KeeperError)) {
          this.tree.rollback();
          throw err;
        }
        failedAt = i;
        failure = err.code;
        break;
      }
    }
    if (failedAt < 0) {
      const results = done.map((d) => d.result);
      this.tree.commit();
      const barrier = this.commit(header, { type: OpCode.multi, ops: done.map((d) => d.txn) }, events);
      return this.multiReply(xid, results, barrier);
    }
    this.tree.rollback();
    const errCode = (i: number): number => (i < failedAt ? 0 : i === failedAt ? failure : Err.RUNTIMEINCONSISTENCY);
    const results: MultiResult[] = ops.map((_, i) => ({ type: OpCode.error, err: errCode(i) }));
    // Logged as ZooKeeper logs it: the ops that passed, then error txns from the failing one on.
    const txns: TxnBody[] = ops.map((_, i) => (i < failedAt ? done[i]!.txn : { type: OpCode.error, rec: { err: errCode(i) } }));
    const barrier = this.commit(header, { type: OpCode.multi, ops: txns }, []);
    return this.multiReply(xid, results, barrier);
  }

  private multiResult(type: number, txn: TxnBody): MultiResult {
    switch (type) {
      case OpCode.create:
        return { type, err: 0, response: this.response(type, txn) as Record<string, unknown> };
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL:
        return { type: OpCode.create2, err: 0, response: this.response(OpCode.create2, txn) as Record<string, unknown> };
      case OpCode.setData:
        return { type, err: 0, response: this.response(type, txn) as Record<string, unknown> };
      default:
        return { type, err: 0 };
    }
  }

  /** Validates a write against the tree (as it stands, earlier ops of a multi included). */
  private prepare(caller: Caller, type: number, body: Body): TxnBody {
    switch (type) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL:
        return this.prepareCreate(caller, type, body);
      case OpCode.delete:
        return this.prepareDelete(caller, body.path as string, body.version as number);
      case OpCode.setData: {
        const path = body.path as string;
        validatePath(path);
        const node = this.tree.get(path);
        if (!node) throw new KeeperError(Err.NONODE, path);
        checkAcl(node.acl, Perms.WRITE, caller.authInfo, path, this.skipAcl());
        const version = nextVersion(node.stat.version, body.version as number, path);
        return { type: OpCode.setData, rec: { path, data: body.data as Buffer | null, version } };
      }
      case OpCode.setACL: {
        const path = body.path as string;
        validatePath(path);
        const acl = fixupAcl(path, caller.authInfo, body.acl as Acl[]);
        const node = this.tree.get(path);
        if (!node) throw new KeeperError(Err.NONODE, path);
        checkAcl(node.acl, Perms.ADMIN, caller.authInfo, path, this.skipAcl());
        const version = nextVersion(node.stat.aversion, body.version as number, path);
        return { type: OpCode.setACL, rec: { path, acl, version } };
      }
      case OpCode.check: {
        const path = body.path as string;
        validatePath(path);
        const node = this.tree.get(path);
        if (!node) throw new KeeperError(Err.NONODE, path);
        checkAcl(node.acl, Perms.READ, caller.authInfo, path, this.skipAcl());
        return { type: OpCode.check, rec: { path, version: nextVersion(node.stat.version, body.version as number, path) } };
      }
      case OpCode.reconfig:
        throw new KeeperError(Err.RECONFIGDISABLED);
      default:
        throw new KeeperError(Err.UNIMPLEMENTED);
    }
  }

  private prepareCreate(caller: Caller, type: number, body: Body): TxnBody {
    let path = body.path as string;
    const flags = body.flags as number;
    const ttl = type === OpCode.createTTL ? (body.ttl as bigint) : -1n;
    if (!Number.isInteger(flags) || flags < CreateMode.PERSISTENT || flags > CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL) throw new KeeperError(Err.BADARGUMENTS, path);
    const ttlMode = isTtlMode(flags);
    if (ttlMode && !this.core.config.extendedTypesEnabled) throw new KeeperError(Err.UNIMPLEMENTED, path);
    // EphemeralType.validateTTL: a TTL mode needs 0 < ttl <= max, any other mode no ttl at all.
    if (ttlMode ? ttl <= 0n || ttl > MAX_TTL : ttl >= 0n || type === OpCode.createTTL) throw new KeeperError(Err.BADARGUMENTS, path);
    const slash = path.lastIndexOf('/');
    if (slash < 0 || path.includes('\0')) throw new KeeperError(Err.BADARGUMENTS, path);
    const parentPath = parentOf(path);
    const acl = fixupAcl(path, caller.authInfo, body.acl as Acl[]);
    const parent = this.tree.get(parentPath);
    if (!parent) throw new KeeperError(Err.NONODE, parentPath);
    checkAcl(parent.acl, Perms.CREATE, caller.authInfo, path, this.skipAcl());
    const parentCVersion = parent.stat.cversion;
    if (isSequentialMode(flags)) path += sequenceSuffix(parentCVersion);
    validatePath(path);
    if (this.tree.get(path)) throw new KeeperError(Err.NODEEXISTS, path);
    if (kindOf(parent.stat) === 'ephemeral') throw new KeeperError(Err.NOCHILDRENFOREPHEMERALS, path);
    const newCversion = (parentCVersion + 1) | 0;
    const data = body.data as Buffer | null;
    if (type === OpCode.createContainer || flags === CreateMode.CONTAINER) return { type: OpCode.createContainer, rec: { path, data, acl, parentCVersion: newCversion } };
    if (ttlMode) return { type: OpCode.createTTL, rec: { path, data, acl, parentCVersion: newCversion, ttl } };
    const logged = type === OpCode.create ? OpCode.create : OpCode.create2;
    return { type: logged, rec: { path, data, acl, ephemeral: isEphemeralMode(flags), parentCVersion: newCversion } };
  }

  private prepareDelete(caller: Caller, path: string, version: number): TxnBody {
    if (path.lastIndexOf('/') < 0 || path.includes('\0') || DataTree.isSpecial(path)) throw new KeeperError(Err.BADARGUMENTS, path);
    const parent = this.tree.get(parentOf(path));
    if (!parent) throw new KeeperError(Err.NONODE, path);
    checkAcl(parent.acl, Perms.DELETE, caller.authInfo, path, this.skipAcl());
    const node = this.tree.get(path);
    if (!node) throw new KeeperError(Err.NONODE, path);
    nextVersion(node.stat.version, version, path);
    if (node.children.size > 0) throw new KeeperError(Err.NOTEMPTY, path);
    return { type: OpCode.delete, rec: { path } };
  }

  /** Reaper's delete of an empty container or expired TTL node (no session, no ACL check). */
  prepareDeleteContainer(path: string): TxnBody {
    const node = this.tree.get(path);
    if (!node) throw new KeeperError(Err.NONODE, path);
    if (node.children.size > 0) throw new KeeperError(Err.NOTEMPTY, path);
    const kind = kindOf(node.stat);
    if (kind !== 'container' && kind !== 'ttl') throw new KeeperError(Err.BADVERSION, path);
    return { type: OpCode.deleteContainer, rec: { path } };
  }

  private closeSession(caller: Caller, xid: number): Reply {
    const header = this.header(caller, xid, OpCode.closeSession);
    const barrier = this.commitCloseSession(header);
    return { ...this.reply(xid, 0, barrier), close: true, sessionClosed: true };
  }

  /** closeSession (client request or expiry): deletes the session's ephemerals, fires their watches. */
  commitCloseSession(header: TxnHeader): number {
    const paths = [...(this.tree.ephemerals.get(header.clientId) ?? [])];
    const body: TxnBody = { type: OpCode.closeSession, rec: { paths2Delete: paths } };
    const events = applyBody(this.core.db, header, body);
    return this.commit(header, body, events);
  }

  /** createSession: one txn, one zxid. */
  commitCreateSession(sessionId: bigint, timeout: number): number {
    const header: TxnHeader = { clientId: sessionId, cxid: 0, zxid: this.core.db.lastZxid + 1n, time: BigInt(Date.now()), type: OpCode.createSession };
    const body: TxnBody = { type: OpCode.createSession, rec: { timeOut: timeout } };
    applyBody(this.core.db, header, body);
    return this.commit(header, body, []);
  }

  /** The reaper's deleteContainer txn; undefined when the node no longer qualifies. */
  commitDeleteContainer(path: string): number | undefined {
    const header: TxnHeader = { clientId: 0n, cxid: 0, zxid: this.core.db.lastZxid + 1n, time: BigInt(Date.now()), type: OpCode.deleteContainer };
    let body: TxnBody;
    try {
      body = this.prepareDeleteContainer(path);
    } catch {
      return undefined;
    }
    const events = applyBody(this.core.db, header, body);
    return this.commit(header, body, events);
  }
}

function validatePath(path: string): void {
  if (pathProblem(path) !== undefined) throw new KeeperError(Err.BADARGUMENTS, path);
}

/** checkAndIncVersion: -1 matches any version; the next version skips -1 when it wraps. */
function nextVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) throw new KeeperError(Err.BADVERSION, path);
  const next = (current + 1) | 0;
  return next === -1 ? 0 : next;
}

/** String.format("%010d", n), negative numbers included. */
export function sequenceSuffix(n: number): string {
  return n < 0 ? `-${String(-n).padStart(9, '0')}` : String(n).padStart(10, '0');
}

