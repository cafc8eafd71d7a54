import { describe, expect, it } from 'vitest';
import { CONTAINER_EPHEMERAL_OWNER } from '../../../src/zookeeper/protocol/constants.js';
import { Err } from '../../../src/zookeeper/protocol/keeper-errors.js';
import { DataTree, OPEN_ACL, ephemeralOwnerForTtl, kindOf, ttlOf } from '../../../src/zookeeper/server/data-tree.js';

describe('DataTree', () => {
  it('starts with /, /zookeeper, /zookeeper/quota and /zookeeper/config (Node count 5)', () => {
    const t = new DataTree();
    expect([...t.get('/')!.children]).toEqual(['zookeeper']);
    expect([...t.get('/zookeeper')!.children].sort()).toEqual(['config', 'quota']);
    expect(t.get('/zookeeper/config')!.acl).toEqual([{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
    expect(t.nodeCount).toBe(5);
    expect(t.countDescendants('/')).toBe(3);
  });

  it('moves the parent cversion on create only, and pzxid on create and delete', () => {
    const t = new DataTree();
    t.createNode('/a', null, OPEN_ACL, 0n, -1, 1n, 10n);
    t.createNode('/a/b', Buffer.from('x'), OPEN_ACL, 0n, 1, 2n, 11n);
    expect(t.get('/a')!.stat).toMatchObject({ cversion: 1, pzxid: 2n, czxid: 1n });
    t.deleteNode('/a/b', 3n);
    expect(t.get('/a')!.stat).toMatchObject({ cversion: 1, pzxid: 3n });
    expect(t.stat(t.get('/a')!)).toMatchObject({ numChildren: 0, dataLength: 0 });
    expect(() => t.createNode('/a', null, OPEN_ACL, 0n, -1, 4n, 12n)).toThrow(expect.objectContaining({ code: Err.NODEEXISTS }));
    expect(() => t.createNode('/x/y', null, OPEN_ACL, 0n, -1, 4n, 12n)).toThrow(expect.objectContaining({ code: Err.NONODE }));
  });

  it('indexes ephemerals by session, containers and TTL nodes', () => {
    const t = new DataTree();
    t.createNode('/e', null, OPEN_ACL, 42n, -1, 1n, 0n);
    t.createNode('/c', null, OPEN_ACL, CONTAINER_EPHEMERAL_OWNER, -1, 2n, 0n);
    t.createNode('/t', null, OPEN_ACL, ephemeralOwnerForTtl(5000n), -1, 3n, 0n);
    expect(t.ephemerals.get(42n)).toEqual(new Set(['/e']));
    expect([...t.containers]).toEqual(['/c']);
    expect([...t.ttls]).toEqual(['/t']);
    expect(kindOf(t.get('/t')!.stat)).toBe('ttl');
    expect(ttlOf(t.get('/t')!.stat)).toBe(5000n);
    t.deleteNode('/e', 4n);
    expect(t.ephemerals.has(42n)).toBe(false);
  });

  it('rolls back every mutation under an undo log, in reverse order', () => {
    const t = new DataTree();
    t.createNode('/a', Buffer.from('1'), OPEN_ACL, 0n, -1, 1n, 0n);
    const before = JSON.stringify([...t.nodes].map(([p, n]) => [p, n.data?.toString(), { ...n.stat, czxid: String(n.stat.czxid), mzxid: String(n.stat.mzxid), ctime: 0, mtime: 0, pzxid: String(n.stat.pzxid), ephemeralOwner: 0 }, [...n.children]]));
    t.begin();
    t.createNode('/a/b', null, OPEN_ACL, 7n, -1, 2n, 0n);
    t.setData('/a', Buffer.from('2'), 1, 2n, 5n);
    t.deleteNode('/a/b', 2n);
    t.setACL('/a', [], 1);
    t.rollback();
    const after = JSON.stringify([...t.nodes].map(([p, n]) => [p, n.data?.toString(), { ...n.stat, czxid: String(n.stat.czxid), mzxid: String(n.stat.mzxid), ctime: 0, mtime: 0, pzxid: String(n.stat.pzxid), ephemeralOwner: 0 }, [...n.children]]));
    expect(after).toBe(before);
    expect(t.get('/a')!.acl).toBe(OPEN_ACL);
    expect(t.ephemerals.size).toBe(0);
  });

  it('reports events for watches', () => {
    const t = new DataTree();
    expect(t.createNode('/a', null, OPEN_ACL, 0n, -1, 1n, 0n)).toEqual([{ kind: 'created', path: '/a', acl: OPEN_ACL, parentAcl: OPEN_ACL }]);
    expect(t.setData('/a', null, 1, 2n, 0n)).toEqual([{ kind: 'changed', path: '/a', acl: OPEN_ACL }]);
    expect(t.setACL('/a', OPEN_ACL, 1)).toEqual([]);
    expect(t.deleteNode('/a', 3n)[0]!.kind).toBe('deleted');
  });
});
