// Watches (PROTOCOL.md §7): a data table (getData, exists — also on a missing node — and addWatch)
// and a child table (getChildren, addWatch PERSISTENT), both keyed by path and owned by connections.
// A standard watch fires once; a persistent one stays; a persistent-recursive one (data table only,
// as DataTree.addWatch) also fires for every descendant. A watcher may hold several modes on one
// path (as ZooKeeper 3.9 allows), so a getData watch does not downgrade a persistent one.
import type { Acl } from '../protocol/constants.js';
import { EventType, Perms, WatcherType } from '../protocol/constants.js';
import { parentOf } from '../protocol/paths.js';
import { hasPermission, type AuthId } from './acl.js';
import type { TreeEvent } from './data-tree.js';

export type WatchMode = 'standard' | 'persistent' | 'recursive';

export interface Watcher {
  readonly authInfo: readonly AuthId[];
}

/** A WatcherEvent to send to one watcher's client. */
export interface Notification {
  readonly watcher: Watcher;
  readonly type: number;
  readonly path: string;
}

/** A (watcher, path) → modes table with a reverse index for removal. */
class WatchTable {
  readonly byPath = new Map<string, Map<Watcher, Set<WatchMode>>>();
  readonly byWatcher = new Map<Watcher, Set<string>>();
  private recursiveCount = 0;

  add(path: string, watcher: Watcher, mode: WatchMode): void {
    let watchers = this.byPath.get(path);
    if (!watchers) this.byPath.set(path, (watchers = new Map()));
    let modes = watchers.get(watcher);
    if (!modes) watchers.set(watcher, (modes = new Set()));
    if (!modes.has(mode) && mode === 'recursive') this.recursiveCount++;
    modes.add(mode);
    let paths = this.byWatcher.get(watcher);
    if (!paths) this.byWatcher.set(watcher, (paths = new Set()));
    paths.add(path);
  }

  private removeModes(path: string, watcher: Watcher, which?: WatchMode): boolean {
    const watchers = this.byPath.get(path);
    const modes = watchers?.get(watcher);
    if (!watchers || !modes) return false;
    if (which !== undefined) {
      if (!modes.delete(which)) return false;
      if (which === 'recursive') this.recursiveCount--;
    } else {
      if (modes.has('recursive')) this.recursiveCount--;
      modes.clear();
    }
    if (modes.size === 0) {
      watchers.delete(watcher);
      if (watchers.size === 0) this.byPath.delete(path);
      const paths = this.byWatcher.get(watcher);
      paths?.delete(path);
      if (paths?.size === 0) this.byWatcher.delete(watcher);
    }
    return true;
  }

  remove(path: string, watcher: Watcher): boolean {
    return this.removeModes(path, watcher);
  }

  removeWatcher(watcher: Watcher): void {
    for (const path of [...(this.byWatcher.get(watcher) ?? [])]) this.removeModes(path, watcher);
  }

  has(path: string, watcher: Watcher): boolean {
    return this.byPath.get(path)?.has(watcher) ?? false;
  }

  /**
   * The watchers an event on `path` fires, standard watches removed; `skip` holds watchers already
   * told about this change. Ancestors' recursive watches fire only for readers of the node.
   */
  trigger(path: string, acl: readonly Acl[], skip: ReadonlySet<Watcher>): Set<Watcher> {
    const fired = new Set<Watcher>();
    const here = this.byPath.get(path);
    if (here) {
      for (const [watcher, modes] of [...here]) {
        if (skip.has(watcher)) continue;
        fired.add(watcher);
        if (modes.has('standard')) this.removeModes(path, watcher, 'standard');
      }
    }
    if (this.recursiveCount > 0 && path !== '/') {
      let p = path;
      do {
        p = parentOf(p);
        for (const [watcher, modes] of this.byPath.get(p) ?? []) {
          if (!modes.has('recursive') || skip.has(watcher) || fired.has(watcher)) continue;
          if (hasPermission(acl, Perms.READ, watcher.authInfo)) fired.add(watcher);
        }
      } while (p !== '/');
    }
    return fired;
  }

  get size(): number {
    let n = 0;
    for (const w of this.byPath.values()) n += w.size;
    return n;
  }
}

export class WatchManager {
  readonly data = new WatchTable();
  readonly child = new WatchTable();

  addData(path: string, w: Watcher): void {
    this.data.add(path, w, 'standard');
  }

  addChild(path: string, w: Watcher): void {
    this.child.add(path, w, 'standard');
  }

  /** addWatch: PERSISTENT (0) goes in both tables, PERSISTENT_RECURSIVE (1) in the data table. */
  addPersistent(path: string, w: Watcher, recursive: boolean): void {
    if (recursive) this.data.add(path, w, 'recursive');
    else {
      this.data.add(path, w, 'persistent');
      this.child.add(path, w, 'persistent');
    }
  }

  /** removeWatches by WatcherType; true when something was removed. */
  remove(path: string, type: number, w: Watcher): boolean {
    const child = type === WatcherType.Children || type === WatcherType.Any ? this.child.remove(path, w) : false;
    const data = type === WatcherType.Data || type === WatcherType.Any ? this.data.remove(path, w) : false;
    return child || data;
  }

  contains(path: string, type: number, w: Watcher): boolean {
    if (type === WatcherType.Children) return this.child.has(path, w);
    if (type === WatcherType.Data) return this.data.has(path, w);
    return this.child.has(path, w) || this.data.has(path, w);
  }

  removeWatcher(w: Watcher): void {
    this.data.removeWatcher(w);
    this.child.removeWatcher(w);
  }

  /** The notifications a tree change triggers (DataTree.createNode/deleteNode/setData). */
  process(event: TreeEvent): Notification[] {
    const out: Notification[] = [];
    const none = new Set<Watcher>();
    const parent = parentOf(event.path);
    const fire = (watchers: Iterable<Watcher>, type: number, path: string): void => {
      for (const watcher of watchers) out.push({ watcher, type, path });
    };
    switch (event.kind) {
      case 'created':
        fire(this.data.trigger(event.path, event.acl, none), EventType.NodeCreated, event.path);
        fire(this.child.trigger(parent, event.parentAcl ?? [], none), EventType.NodeChildrenChanged, parent);
        break;
      case 'deleted': {
        const told = this.data.trigger(event.path, event.acl, none);
        for (const w of this.child.trigger(event.path, event.acl, told)) told.add(w);
        fire(told, EventType.NodeDeleted, event.path);
        fire(this.child.trigger(parent, event.parentAcl ?? [], none), EventType.NodeChildrenChanged, parent);
        break;
      }
      case 'changed':
        fire(this.data.trigger(event.path, event.acl, none), EventType.NodeDataChanged, event.path);
    }
    return out;
  }

  get count(): number {
    return this.data.size + this.child.size;
  }

  /** Distinct watched paths. */
  get pathCount(): number {
    return new Set([...this.data.byPath.keys(), ...this.child.byPath.keys()]).size;
  }

  /** Paths each watcher watches, both tables. */
  pathsOf(w: Watcher): string[] {
    return [...new Set([...(this.data.byWatcher.get(w) ?? []), ...(this.child.byWatcher.get(w) ?? [])])];
  }

  watchers(): Watcher[] {
    return [...new Set([...this.data.byWatcher.keys(), ...this.child.byWatcher.keys()])];
  }

  /** Watchers per path, both tables. */
  byPath(): Map<string, Watcher[]> {
    const out = new Map<string, Set<Watcher>>();
    for (const t of [this.data, this.child]) {
      for (const [p, ws] of t.byPath) {
        let s = out.get(p);
        if (!s) out.set(p, (s = new Set()));
        for (const w of ws.keys()) s.add(w);
      }
    }
    return new Map([...out].map(([p, s]) => [p, [...s]]));
  }
}
