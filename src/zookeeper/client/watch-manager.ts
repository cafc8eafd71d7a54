// Client-side watch bookkeeping, as the Java client's ZKWatchManager keeps it: one-shot data,
// exist and child tables (a watcher fires at most once per registration, and the same function
// registered twice on a path fires once), plus persistent and persistent-recursive watches that
// stay until the session ends. Paths here are server paths (chroot included), because that is
// what notifications and setWatches carry.
import { AddWatchMode, EventType } from '../protocol/constants.js';

export interface WatchedEvent {
  /** EventType: NodeCreated 1, NodeDeleted 2, NodeDataChanged 3, NodeChildrenChanged 4; None -1 for session events. */
  type: number;
  /** KeeperState: SyncConnected 3 for node events; Expired -112 or Closed 7 when the session ends. */
  state: number;
  /** The client path (chroot stripped); '' for session events. */
  path: string;
}

export type Watcher = (event: WatchedEvent) => void;

type Table = Map<string, Set<Watcher>>;

export class WatchManager {
  readonly data: Table = new Map();
  readonly exist: Table = new Map();
  readonly child: Table = new Map();
  readonly persistent: Table = new Map();
  readonly persistentRecursive: Table = new Map();

  addData(path: string, w: Watcher): void {
    add(this.data, path, w);
  }

  addExist(path: string, w: Watcher): void {
    add(this.exist, path, w);
  }

  addChild(path: string, w: Watcher): void {
    add(this.child, path, w);
  }

  addPersistent(path: string, mode: number, w: Watcher): void {
    add(mode === AddWatchMode.PERSISTENT_RECURSIVE ? this.persistentRecursive : this.persistent, path, w);
  }

  /**
   * The watchers a notification reaches. One-shot registrations are removed (ZKWatchManager.materialize):
   * created/data-changed reach data and exist watches, deleted reaches data, exist and child
   * watches, children-changed reaches child watches; persistent ones match the path, recursive
   * ones the path and its ancestors except for children-changed.
   */
  materialize(type: number, path: string): Set<Watcher> {
    const out = new Set<Watcher>();
    const take = (t: Table): void => {
      const ws = t.get(path);
      if (!ws) return;
      for (const w of ws) out.add(w);
      t.delete(path);
    };
    switch (type) {
      case EventType.NodeCreated:
      case EventType.NodeDataChanged:
        take(this.data);
        take(this.exist);
        break;
      case EventType.NodeChildrenChanged:
        take(this.child);
        break;
      case EventType.NodeDeleted:
        take(this.data);
        take(this.exist);
        take(this.child);
        break;
    }
    for (const w of this.persistent.get(path) ?? []) out.add(w);
    if (type !== EventType.NodeChildrenChanged) {
      for (let p = path; ; p = parent(p)) {
        for (const w of this.persistentRecursive.get(p) ?? []) out.add(w);
        if (p === '/') break;
      }
    }
    return out;
  }

  isEmpty(): boolean {
    return [this.data, this.exist, this.child, this.persistent, this.persistentRecursive].every((t) => t.size === 0);
  }

  /** Every watcher, with all tables cleared: the session is over (expired or closed). */
  drain(): Set<Watcher> {
    const out = new Set<Watcher>();
    for (const t of [this.data, this.exist, this.child, this.persistent, this.persistentRecursive]) {
      for (const ws of t.values()) for (const w of ws) out.add(w);
      t.clear();
    }
    return out;
  }
}

function add(t: Table, path: string, w: Watcher): void {
  let ws = t.get(path);
  if (!ws) t.set(path, (ws = new Set()));
  ws.add(w);
}

function parent(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
