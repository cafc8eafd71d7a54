// Snapshots, in ZooKeeper's own format (FileSnap / DataTree.serialize) under <dataDir>/version-2:
//
//   snapshot.<hex zxid>:  FileHeader{magic "ZKSN", version 2, dbid -1}
//     sessions:  int count, then (id:int64, timeout:int32)*
//     ACL lists: int count, then (index:int64, vector<ACL>)*
//     nodes:     (path:ustring, DataNode{data, acl index, StatPersisted})*, root as "", parents first
//     "/" (end of nodes); then the seal: Adler-32 of all bytes before it (int64) and "/" again
//
// A snapshot is taken between transactions, so unlike ZooKeeper's fuzzy ones it is exact at its
// zxid. It is written to a temporary name, fsynced and renamed, so a crash leaves no half file.
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Reader } from '../../protocol/reader.js';
import { Writer } from '../../protocol/writer.js';
import type { Acl } from '../protocol/constants.js';
import { readRecord, writeRecord } from '../protocol/jute.js';
import * as R from '../protocol/records.js';
import type { Logger } from '../../log.js';
import { DataTree } from './data-tree.js';
import { fsyncDirectory } from '../../storage/checkpoint.js';
import { adler32, fileHeader, listZxidFiles, SNAP_MAGIC, type LogFile } from './txn-log.js';

export interface SnapshotState {
  readonly tree: DataTree;
  readonly sessions: Map<bigint, number>;
  readonly zxid: bigint;
}

const aclKey = (acl: readonly Acl[]): string => JSON.stringify(acl.map((a) => [a.perms, a.id.scheme, a.id.id]));

export function encodeSnapshot(tree: DataTree, sessions: ReadonlyMap<bigint, number>): Buffer {
  const w = new Writer();
  w.raw(fileHeader(SNAP_MAGIC, -1n));
  w.int32(sessions.size);
  for (const [id, timeout] of sessions) w.int64(id).int32(timeout);
  // ReferenceCountedACLCache: every distinct ACL list once, nodes refer to it by index.
  const indexes = new Map<string, bigint>();
  const lists: [bigint, Acl[]][] = [];
  for (const [, node] of tree.walk()) {
    const key = aclKey(node.acl);
    if (!indexes.has(key)) {
      const index = BigInt(lists.length + 1);
      indexes.set(key, index);
      lists.push([index, node.acl]);
    }
  }
  w.int32(lists.length);
  for (const [index, acl] of lists) {
    w.int64(index).int32(acl.length);
    for (const a of acl) writeRecord(w, R.ACL, a);
  }
  for (const [path, node] of tree.walk()) {
    writeUstring(w, path === '/' ? '' : path);
    writeRecord(w, R.DataNode, { data: node.data, acl: indexes.get(aclKey(node.acl))!, stat: node.stat });
  }
  writeUstring(w, '/');
  const body = w.toBuffer();
  const seal = new Writer().int64(BigInt(adler32(body)));
  writeUstring(seal, '/');
  return Buffer.concat([body, seal.toBuffer()]);
}

function writeUstring(w: Writer, s: string): void {
  const b = Buffer.from(s, 'utf8');
  w.int32(b.length).raw(b);
}

function readUstring(r: Reader): string {
  return r.bytes(r.int32()).toString('utf8');
}

/** Parses a snapshot; throws when it is damaged (bad magic, truncated, checksum mismatch). */
export function decodeSnapshot(buf: Buffer, zxid: bigint): SnapshotState {
  const r = new Reader(buf);
  if (r.int32() !== SNAP_MAGIC) throw new Error('mismatching magic headers');
  r.int32();
  r.int64();
  const sessions = new Map<bigint, number>();
  for (let n = r.int32(); n > 0; n--) sessions.set(r.int64(), r.int32());
  const acls = new Map<bigint, Acl[]>();
  for (let n = r.int32(); n > 0; n--) {
    const index = r.int64();
    const list: Acl[] = [];
    for (let k = r.int32(); k > 0; k--) list.push(readRecord(r, R.ACL));
    acls.set(index, list);
  }
  const tree = new DataTree();
  for (;;) {
    const path = readUstring(r);
    if (path === '/') break;
    const node = readRecord(r, R.DataNode);
    const acl = acls.get(node.acl) ?? [];
    tree.restoreNode(path === '' ? '/' : path, node.data, acl, node.stat);
  }
  const end = r.pos;
  // A 3.6+ ZooKeeper may add a digest record before the seal; the seal is the last 13 bytes.
  const sealAt = buf.length - 13;
  if (sealAt < end) throw new Error('truncated snapshot (no checksum)');
  const sr = new Reader(buf, sealAt);
  const crc = sr.int64();
  if (readUstring(sr) !== '/') throw new Error('truncated snapshot (bad seal)');
  if (BigInt(adler32(buf, 0, sealAt)) !== crc) throw new Error('snapshot checksum mismatch');
  return { tree, sessions, zxid };
}

export function snapshotName(zxid: bigint): string {
  return `snapshot.${zxid.toString(16)}`;
}

/** Snapshots in `dir`, newest first. */
export function listSnapshots(dir: string): LogFile[] {
  return listZxidFiles(dir, 'snapshot').reverse();
}

/** The newest snapshot that reads back whole; damaged ones are reported and passed over. */
export function loadNewestSnapshot(dir: string, logger: Logger): SnapshotState | undefined {
  for (const { name, zxid } of listSnapshots(dir)) {
    const path = join(dir, name);
    logger.info(`Reading snapshot ${path}`);
    try {
      return decodeSnapshot(readFileSync(path), zxid);
    } catch (err) {
      logger.warn(`problem reading snap file ${path}: ${(err as Error).message}; trying an older one`);
    }
  }
  return undefined;
}

/** Writes snapshot.<zxid> durably (temp file, fsync, rename). */
export function writeSnapshot(dir: string, zxid: bigint, bytes: Buffer): string {
  const name = snapshotName(zxid);
  const tmp = join(dir, `${name}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  fsyncDirectory(dir);
  return join(dir, name);
}

/**
 * Keeps the newest `retain` snapshots and the logs they still need (PurgeTxnLog): a log whose
 * successor starts at or before the oldest kept snapshot's zxid + 1 holds nothing newer.
 */
export function purge(snapDir: string, logDir: string, retain: number): void {
  const snaps = listSnapshots(snapDir);
  if (snaps.length <= retain) return;
  const oldestKept = snaps[retain - 1]!.zxid;
  for (const s of snaps.slice(retain)) rmSync(join(snapDir, s.name), { force: true });
  const logs = listZxidFiles(logDir);
  for (let i = 0; i + 1 < logs.length; i++) {
    if (logs[i + 1]!.zxid <= oldestKept + 1n) rmSync(join(logDir, logs[i]!.name), { force: true });
  }
  for (const name of readdirSafe(snapDir)) if (name.endsWith('.tmp')) rmSync(join(snapDir, name), { force: true });
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
