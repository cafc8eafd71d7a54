import { describe, expect, it } from 'vitest';
import { EventType, Perms, WatcherType } from '../../../src/zookeeper/protocol/constants.js';
import { OPEN_ACL } from '../../../src/zookeeper/server/data-tree.js';
import { WatchManager, type Watcher } from '../../../src/zookeeper/server/watches.js';

const watcher = (id = 'anyone'): Watcher => ({ authInfo: [{ scheme: 'digest', id }] });
const ev = (kind: 'created' | 'deleted' | 'changed', path: string, acl = OPEN_ACL) => ({ kind, path, acl, parentAcl: OPEN_ACL });
const simple = (ns: { type: number; path: string }[]) => ns.map((n) => [n.type, n.path]);

describe('WatchManager', () => {
  it('fires a standard watch once, a persistent one every time', () => {
    const m = new WatchManager();
    const a = watcher();
    m.addData('/x', a);
    m.addPersistent('/x', a, false);
    expect(simple(m.process(ev('changed', '/x')))).toEqual([[EventType.NodeDataChanged, '/x']]);
    expect(simple(m.process(ev('changed', '/x')))).toEqual([[EventType.NodeDataChanged, '/x']]);
    expect(m.contains('/x', WatcherType.Children, a)).toBe(true);
    expect(m.remove('/x', WatcherType.Any, a)).toBe(true);
    expect(m.process(ev('changed', '/x'))).toEqual([]);
    expect(m.count).toBe(0);
  });

  it('sends one NodeDeleted to a watcher holding data and child watches, and NodeChildrenChanged to the parent', () => {
    const m = new WatchManager();
    const a = watcher();
    const b = watcher();
    m.addData('/p/c', a);
    m.addChild('/p/c', a);
    m.addChild('/p', b);
    const out = m.process(ev('deleted', '/p/c'));
    expect(out.map((n) => [n.watcher === a ? 'a' : 'b', n.type, n.path])).toEqual([['a', EventType.NodeDeleted, '/p/c'], ['b', EventType.NodeChildrenChanged, '/p']]);
  });

  it('fires recursive watches for descendants (not for child changes) and only for readers', () => {
    const m = new WatchManager();
    const reader = watcher('reader');
    const stranger = watcher('stranger');
    m.addPersistent('/r', reader, true);
    m.addPersistent('/r', stranger, true);
    const secret = [{ perms: Perms.READ, id: { scheme: 'digest', id: 'reader' } }];
    expect(m.process(ev('created', '/r/a/b', secret)).map((n) => n.watcher)).toEqual([reader]);
    expect(m.process(ev('created', '/r/open')).length).toBe(2);
    expect(m.process(ev('created', '/other')).length).toBe(0);
  });

  it('drops everything a watcher had when its connection goes', () => {
    const m = new WatchManager();
    const a = watcher();
    m.addData('/1', a);
    m.addChild('/2', a);
    m.addPersistent('/3', a, true);
    expect(m.pathsOf(a).sort()).toEqual(['/1', '/2', '/3']);
    m.removeWatcher(a);
    expect(m.count).toBe(0);
    expect(m.process(ev('created', '/3/x'))).toEqual([]);
  });
});
