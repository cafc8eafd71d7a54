// Transactions: what every write turns into, what the log stores and what replay re-applies.
// Header and bodies are ZooKeeper's own txn records (TxnHeader + CreateTxn, DeleteTxn, ... MultiTxn
// of Txn{type, bytes}), so one apply function serves live requests and recovery alike.
import { Reader } from '../../protocol/reader.js';
import { Writer } from '../../protocol/writer.js';
import { CONTAINER_EPHEMERAL_OWNER } from '../protocol/constants.js';
import { decodeRecord, encodeRecord, readRecord, writeRecord, type Rec, type RecordSchema } from '../protocol/jute.js';
import { OpCode } from '../protocol/op-codes.js';
import * as R from '../protocol/records.js';
import { ephemeralOwnerForTtl, type DataTree, type TreeEvent } from './data-tree.js';

export type TxnHeader = Rec<typeof R.TxnHeader>;

export type TxnBody =
  | { type: typeof OpCode.create | typeof OpCode.create2; rec: Rec<typeof R.CreateTxn> }
  | { type: typeof OpCode.createContainer; rec: Rec<typeof R.CreateContainerTxn> }
  | { type: typeof OpCode.createTTL; rec: Rec<typeof R.CreateTTLTxn> }
  | { type: typeof OpCode.delete | typeof OpCode.deleteContainer; rec: Rec<typeof R.DeleteTxn> }
  | { type: typeof OpCode.setData; rec: Rec<typeof R.SetDataTxn> }
  | { type: typeof OpCode.setACL; rec: Rec<typeof R.SetACLTxn> }
  | { type: typeof OpCode.check; rec: Rec<typeof R.CheckVersionTxn> }
  | { type: typeof OpCode.createSession; rec: Rec<typeof R.CreateSessionTxn> }
  | { type: typeof OpCode.closeSession; rec: Rec<typeof R.CloseSessionTxn> }
  | { type: typeof OpCode.error; rec: Rec<typeof R.ErrorTxn> }
  | { type: typeof OpCode.multi; ops: TxnBody[] };

export interface Txn {
  readonly header: TxnHeader;
  readonly body: TxnBody;
}

const SCHEMAS = new Map<number, RecordSchema>([
  [OpCode.create, R.CreateTxn],
  [OpCode.create2, R.CreateTxn],
  [OpCode.createContainer, R.CreateContainerTxn],
  [OpCode.createTTL, R.CreateTTLTxn],
  [OpCode.delete, R.DeleteTxn],
  [OpCode.deleteContainer, R.DeleteTxn],
  [OpCode.setData, R.SetDataTxn],
  [OpCode.setACL, R.SetACLTxn],
  [OpCode.check, R.CheckVersionTxn],
  [OpCode.createSession, R.CreateSessionTxn],
  [OpCode.closeSession, R.CloseSessionTxn],
  [OpCode.error, R.ErrorTxn],
]);

function writeBody(w: Writer, body: TxnBody): void {
  if (body.type === OpCode.multi) {
    const txns = body.ops.map((op) => {
      const inner = new Writer();
      writeBody(inner, op);
      return { type: op.type, data: inner.toBuffer() };
    });
    writeRecord(w, R.MultiTxn, { txns });
    return;
  }
  writeRecord(w, SCHEMAS.get(body.type)!, body.rec as never);
}

function readBody(r: Reader, type: number): TxnBody {
  if (type === OpCode.multi) {
    const { txns } = readRecord(r, R.MultiTxn);
    return { type, ops: txns.map((t) => readBody(new Reader(t.data ?? Buffer.alloc(0)), t.type)) };
  }
  // ZooKeeper writes a closeSession without a body when its closeSessionTxn is disabled.
  if (type === OpCode.closeSession && r.remaining === 0) return { type, rec: { paths2Delete: [] } };
  const schema = SCHEMAS.get(type);
  if (!schema) throw new Error(`unknown transaction type ${type}`);
  return { type, rec: readRecord(r, schema) } as TxnBody;
}

/** TxnHeader + body, the bytes a log record's checksum covers. */
export function encodeTxn(txn: Txn): Buffer {
  const w = new Writer();
  writeRecord(w, R.TxnHeader, txn.header);
  writeBody(w, txn.body);
  return w.toBuffer();
}

export function decodeTxn(buf: Buffer): Txn {
  const r = new Reader(buf);
  const header = readRecord(r, R.TxnHeader);
  const body = readBody(r, header.type);
  // A 3.6+ ZooKeeper appends a TxnDigest; it is not needed to replay.
  return { header, body };
}

export { decodeRecord, encodeRecord };

/** The database a transaction applies to: the tree plus the session table. */
export interface TxnTarget {
  readonly tree: DataTree;
  /** Session id → timeout, as persisted (snapshots and createSession/closeSession txns). */
  readonly sessions: Map<bigint, number>;
  lastZxid: bigint;
}

/**
 * Applies a transaction, returning the tree events it caused. During replay a txn that no longer
 * fits the tree (a fuzzy snapshot already holds it) is skipped, as ZooKeeper ignores such errors.
 */
export function applyTxn(db: TxnTarget, txn: Txn): TreeEvent[] {
  const { header } = txn;
  const events = applyBody(db, header, txn.body);
  if (header.zxid > db.lastZxid) db.lastZxid = header.zxid;
  return events;
}

/** Applies one txn body (also one op of a multi) under `header`'s zxid, time and session. */
export function applyBody(db: TxnTarget, header: TxnHeader, body: TxnBody): TreeEvent[] {
  const { tree } = db;
  const { zxid, time } = header;
  switch (body.type) {
    case OpCode.create:
    case OpCode.create2: {
      const r = body.rec;
      return tree.createNode(r.path, r.data, r.acl, r.ephemeral ? header.clientId : 0n, r.parentCVersion, zxid, time);
    }
    case OpCode.createContainer: {
      const r = body.rec;
      return tree.createNode(r.path, r.data, r.acl, CONTAINER_EPHEMERAL_OWNER, r.parentCVersion, zxid, time);
    }
    case OpCode.createTTL: {
      const r = body.rec;
      return tree.createNode(r.path, r.data, r.acl, ephemeralOwnerForTtl(r.ttl), r.parentCVersion, zxid, time);
    }
    case OpCode.delete:
    case OpCode.deleteContainer:
      return tree.deleteNode(body.rec.path, zxid);
    case OpCode.setData:
      return tree.setData(body.rec.path, body.rec.data, body.rec.version, zxid, time);
    case OpCode.setACL:
      return tree.setACL(body.rec.path, body.rec.acl, body.rec.version);
    case OpCode.createSession:
      db.sessions.set(header.clientId, body.rec.timeOut);
      return [];
    case OpCode.closeSession: {
      const events: TreeEvent[] = [];
      // Deepest first, so an ephemeral's (impossible) children never block it; sorted for a stable order.
      const paths = [...(tree.ephemerals.get(header.clientId) ?? [])].sort().reverse();
      for (const p of paths) if (tree.get(p)) events.push(...tree.deleteNode(p, zxid));
      db.sessions.delete(header.clientId);
      return events;
    }
    case OpCode.multi: {
      // A failed multi is logged with error results and changes nothing.
      if (body.ops.some((op) => op.type === OpCode.error)) return [];
      const events: TreeEvent[] = [];
      for (const op of body.ops) events.push(...applyBody(db, header, op));
      return events;
    }
    case OpCode.check:
    case OpCode.error:
      return [];
  }
}
