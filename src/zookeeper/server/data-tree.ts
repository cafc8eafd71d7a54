// The znode tree (ZooKeeper's DataTree): nodes by full path with their persisted stat, "no data"
// (null) kept apart from empty data, child name sets, and the indexes the server needs: ephemerals
// by owning session, containers and TTL nodes for the reaper. Mutations are applied transactions;
// each returns the events watches react to, and while an undo log is open every mutation records
// its inverse, so a failed multi can be rolled back before anyone sees it.
import type { Rec } from '../protocol/jute.js';
import type * as R from '../protocol/records.js';
import { CONTAINER_EPHEMERAL_OWNER, Perms, type Acl } from '../protocol/constants.js';
import { Err, KeeperError } from '../protocol/keeper-errors.js';
import { childPath, nameOf, parentOf } from '../protocol/paths.js';

export type StatPersisted = Rec<typeof R.StatPersisted>;
export type Stat = Rec<typeof R.Stat>;

export interface ZNode {
  data: Buffer | null;
  acl: Acl[];
  stat: StatPersisted;
  readonly children: Set<string>;
}

/** What a mutation did, for the watch manager: created, deleted or data-changed `path`. */
export interface TreeEvent {
  readonly kind: 'created' | 'deleted' | 'changed';
  readonly path: string;
  /** The node's ACL (for a deleted node, the one it had), to filter notifications by READ. */
  readonly acl: Acl[];
  /** The parent's ACL, for NodeChildrenChanged on create/delete. */
  readonly parentAcl?: Acl[];
}

const TTL_MARK = 0xff00000000000000n;
/** EphemeralType.TTL's largest ttl (40 bits of milliseconds). */
export const MAX_TTL = 0xffffffffffn;

export const ephemeralOwnerForTtl = (ttl: bigint): bigint => BigInt.asIntN(64, TTL_MARK | ttl);

export type NodeKind = 'persistent' | 'ephemeral' | 'container' | 'ttl';

export function kindOf(stat: StatPersisted): NodeKind {
  const owner = stat.ephemeralOwner;
  if (owner === 0n) return 'persistent';
  if (owner === CONTAINER_EPHEMERAL_OWNER) return 'container';
  if ((BigInt.asUintN(64, owner) & TTL_MARK) === TTL_MARK) return 'ttl';
  return 'ephemeral';
}

export function ttlOf(stat: StatPersisted): bigint {
  return BigInt.asUintN(64, stat.ephemeralOwner) & MAX_TTL;
}

const zeroStat = (): StatPersisted => ({ czxid: 0n, mzxid: 0n, ctime: 0n, mtime: 0n, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, pzxid: 0n });

export const OPEN_ACL: Acl[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];

export class DataTree {
  readonly nodes = new Map<string, ZNode>();
  readonly ephemerals = new Map<bigint, Set<string>>();
  readonly containers = new Set<string>();
  readonly ttls = new Set<string>();
  private undoLog: (() => void)[] | undefined;

  constructor() {
    this.nodes.set('/', { data: Buffer.alloc(0), acl: OPEN_ACL, stat: zeroStat(), children: new Set() });
    // The system nodes of a fresh server (DataTree's constructor).
    this.addSystemNode('/zookeeper', OPEN_ACL);
    this.addSystemNode('/zookeeper/quota', OPEN_ACL);
    this.addSystemNode('/zookeeper/config', [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }]);
  }

  private addSystemNode(path: string, acl: Acl[]): void {
    this.nodes.set(path, { data: Buffer.alloc(0), acl, stat: zeroStat(), children: new Set() });
    this.nodes.get(parentOf(path))!.children.add(nameOf(path));
  }

  /** Paths a client may never delete. */
  static isSpecial(path: string): boolean {
    return path === '/' || path === '/zookeeper' || path === '/zookeeper/quota' || path === '/zookeeper/config';
  }

  get(path: string): ZNode | undefined {
    return this.nodes.get(path);
  }

  /** `srvr`'s Node count: ZooKeeper also stores the root under the alias "". */
  get nodeCount(): number {
    return this.nodes.size + 1;
  }

  get ephemeralCount(): number {
    let n = 0;
    for (const s of this.ephemerals.values()) n += s.size;
    return n;
  }

  /** Bytes of paths and data, as ZooKeeper's approximateDataSize. */
  approximateDataSize(): number {
    let n = 0;
    for (const [path, node] of this.nodes) n += path.length + (node.data?.length ?? 0);
    return n;
  }

  stat(node: ZNode): Stat {
    const s = node.stat;
    return { ...s, dataLength: node.data?.length ?? 0, numChildren: node.children.size };
  }

  /** Opens an undo log: mutations until commit()/rollback() can be reverted. */
  begin(): void {
    this.undoLog = [];
  }

  commit(): void {
    this.undoLog = undefined;
  }

  rollback(): void {
    const log = this.undoLog ?? [];
    this.undoLog = undefined;
    for (let i = log.length - 1; i >= 0; i--) log[i]!();
  }

  private recordUndo(fn: () => void): void {
    this.undoLog?.push(fn);
  }

  createNode(path: string, data: Buffer | null, acl: Acl[], ephemeralOwner: bigint, parentCVersion: number, zxid: bigint, time: bigint): TreeEvent[] {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent) throw new KeeperError(Err.NONODE, path);
    if (this.nodes.has(path)) throw new KeeperError(Err.NODEEXISTS, path);
    const before = { cversion: parent.stat.cversion, pzxid: parent.stat.pzxid };
    let cversion = parentCVersion === -1 ? parent.stat.cversion + 1 : parentCVersion;
    cversion |= 0; // int32, wrapping as Java's int does
    if (cversion > parent.stat.cversion) {
      parent.stat.cversion = cversion;
      parent.stat.pzxid = zxid;
    }
    const node: ZNode = {
      data,
      acl,
      stat: { czxid: zxid, mzxid: zxid, ctime: time, mtime: time, version: 0, cversion: 0, aversion: 0, ephemeralOwner, pzxid: zxid },
      children: new Set(),
    };
    this.nodes.set(path, node);
    parent.children.add(nameOf(path));
    this.index(path, node, true);
    this.recordUndo(() => {
      this.nodes.delete(path);
      parent.children.delete(nameOf(path));
      this.index(path, node, false);
      parent.stat.cversion = before.cversion;
      parent.stat.pzxid = before.pzxid;
    });
    return [{ kind: 'created', path, acl, parentAcl: parent.acl }];
  }

  deleteNode(path: string, zxid: bigint): TreeEvent[] {
    const node = this.nodes.get(path);
    if (!node) throw new KeeperError(Err.NONODE, path);
    const parent = this.nodes.get(parentOf(path));
    if (!parent) throw new KeeperError(Err.NONODE, path);
    const pzxid = parent.stat.pzxid;
    this.nodes.delete(path);
    parent.children.delete(nameOf(path));
    // A child delete moves the parent's pzxid but not its cversion (DataTree.deleteNode).
    parent.stat.pzxid = zxid;
    this.index(path, node, false);
    this.recordUndo(() => {
      this.nodes.set(path, node);
      parent.children.add(nameOf(path));
      parent.stat.pzxid = pzxid;
      this.index(path, node, true);
    });
    return [{ kind: 'deleted', path, acl: node.acl, parentAcl: parent.acl }];
  }

  setData(path: string, data: Buffer | null, version: number, zxid: bigint, time: bigint): TreeEvent[] {
    const node = this.nodes.get(path);
    if (!node) throw new KeeperError(Err.NONODE, path);
    const before = { data: node.data, version: node.stat.version, mzxid: node.stat.mzxid, mtime: node.stat.mtime };
    node.data = data;
    node.stat.version = version;
    node.stat.mzxid = zxid;
    node.stat.mtime = time;
    this.recordUndo(() => {
      node.data = before.data;
      node.stat.version = before.version;
      node.stat.mzxid = before.mzxid;
      node.stat.mtime = before.mtime;
    });
    return [{ kind: 'changed', path, acl: node.acl }];
  }

  setACL(path: string, acl: Acl[], aversion: number): TreeEvent[] {
    const node = this.nodes.get(path);
    if (!node) throw new KeeperError(Err.NONODE, path);
    const before = { acl: node.acl, aversion: node.stat.aversion };
    node.acl = acl;
    node.stat.aversion = aversion;
    this.recordUndo(() => {
      node.acl = before.acl;
      node.stat.aversion = before.aversion;
    });
    return [];
  }

  private index(path: string, node: ZNode, add: boolean): void {
    const kind = kindOf(node.stat);
    if (kind === 'ephemeral') {
      const owner = node.stat.ephemeralOwner;
      let set = this.ephemerals.get(owner);
      if (add) {
        if (!set) this.ephemerals.set(owner, (set = new Set()));
        set.add(path);
      } else if (set) {
        set.delete(path);
        if (set.size === 0) this.ephemerals.delete(owner);
      }
    } else if (kind === 'container') {
      if (add) this.containers.add(path);
      else this.containers.delete(path);
    } else if (kind === 'ttl') {
      if (add) this.ttls.add(path);
      else this.ttls.delete(path);
    }
  }

  /** Every descendant of `path` (getAllChildrenNumber); "/" counts the system nodes too. */
  countDescendants(path: string): number {
    if (path === '/') return this.nodes.size - 1;
    let n = 0;
    const walk = (p: string): void => {
      const node = this.nodes.get(p);
      if (!node) return;
      for (const c of node.children) {
        n++;
        walk(childPath(p, c));
      }
    };
    walk(path);
    return n;
  }

  /** Paths in depth-first order, parents before children (snapshots). */
  *walk(path = '/'): Generator<[string, ZNode]> {
    const stack = [path];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const node = this.nodes.get(p);
      if (!node) continue;
      yield [p, node];
      for (const c of node.children) stack.push(childPath(p, c));
    }
  }

  /** Inserts a node read from a snapshot; its parent must already be there. */
  restoreNode(path: string, data: Buffer | null, acl: Acl[], stat: StatPersisted): void {
    if (path === '/') {
      const root = this.nodes.get('/')!;
      root.data = data;
      root.acl = acl;
      root.stat = stat;
      return;
    }
    const existing = this.nodes.get(path);
    if (existing) {
      existing.data = data;
      existing.acl = acl;
      existing.stat = stat;
      return;
    }
    const parent = this.nodes.get(parentOf(path));
    if (!parent) throw new Error(`snapshot node ${path} comes before its parent`);
    const node: ZNode = { data, acl, stat, children: new Set() };
    this.nodes.set(path, node);
    parent.children.add(nameOf(path));
    this.index(path, node, true);
  }
}
