// The ZooKeeper-protocol server in-process (port 0, temp dataDir), driven over raw sockets with the
// protocol layer's encoders: PROTOCOL.md's worked bytes, every op family with its error codes,
// watches, sessions, ACLs, four-letter words, malformed input, and durability across restarts.
import { appendFileSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateMode, EventType, Ids, Perms, WatcherType } from '../../src/zookeeper/protocol/constants.js';
import { Err } from '../../src/zookeeper/protocol/keeper-errors.js';
import { OpCode } from '../../src/zookeeper/protocol/op-codes.js';
import { startTestZk, type TestZk } from '../helpers/zk-server.js';
import { fourLetterWord, RawZk, withTimeout } from '../helpers/zk-raw-client.js';

const OPEN = Ids.OPEN_ACL_UNSAFE;
let servers: TestZk[] = [];
let clients: RawZk[] = [];

async function server(overrides: Record<string, string> = {}, dataDir?: string): Promise<TestZk> {
  const zk = await startTestZk(overrides, dataDir);
  servers.push(zk);
  return zk;
}

async function client(zk: TestZk, opts = {}): Promise<RawZk> {
  const c = await RawZk.connect(zk.port, opts);
  clients.push(c);
  return c;
}

const create = (c: RawZk, path: string, data: Buffer | null = Buffer.from('x'), flags: number = CreateMode.PERSISTENT, acl = OPEN) =>
  c.req<{ path: string }>(OpCode.create, { path, data, acl, flags });

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  for (const s of servers) await s.cleanup();
  servers = [];
});

describe('handshake (PROTOCOL.md §2, §12)', () => {
  it('answers the worked ConnectRequest bytes with a 37-byte ConnectResponse and the negotiated timeout', async () => {
    const zk = await server({ tickTime: '3000' });
    const c = connect({ host: '127.0.0.1', port: zk.port });
    await new Promise((r) => c.once('connect', r));
    const bytes = Buffer.from('0000002d' + '00000000' + '0000000000000000' + '00004650' + '0000000000000000' + '00000010' + '00'.repeat(16) + '00', 'hex');
    const got = new Promise<Buffer>((resolve) => c.once('data', resolve));
    c.write(bytes);
    const reply = await withTimeout(got, 5000, 'connect response');
    c.destroy();
    expect(reply.readInt32BE(0)).toBe(37);
    expect(reply.readInt32BE(4)).toBe(0);
    expect(reply.readInt32BE(8)).toBe(18000);
    expect(reply.readBigInt64BE(12) >> 56n).toBe(1n); // standalone server id 1 in the top byte
    expect(reply.readInt32BE(20)).toBe(16);
    expect(reply[40]).toBe(0);
  });

  it('omits the read-only byte for an old client and clamps the timeout to [2, 20] ticks', async () => {
    const zk = await server({ tickTime: '200' });
    const old = await client(zk, { readOnlyByte: false, timeout: 10 });
    expect(old.handshakeReadOnly).toBeUndefined();
    expect(old.session.timeOut).toBe(400);
    const big = await client(zk, { timeout: 1_000_000 });
    expect(big.handshakeReadOnly).toBe(false);
    expect(big.session.timeOut).toBe(4000);
  });

  it('exists on a missing node gives NONODE with the header only, and the watch fires on create (§12)', async () => {
    const zk = await server();
    const a = await client(zk);
    const b = await client(zk);
    const r = await a.req(OpCode.exists, { path: '/controller', watch: true });
    expect(r.err).toBe(Err.NONODE);
    expect(r.body).toBeUndefined();
    await create(b, '/controller');
    expect(await a.waitNotifications(1)).toEqual([{ type: EventType.NodeCreated, path: '/controller' }]);
    const ping = await a.ping();
    expect(ping).toMatchObject({ xid: -2, err: 0 });
    expect(ping.zxid).toBeGreaterThan(0n);
  });

  it('refuses a client that has seen a newer zxid by closing without a reply', async () => {
    const zk = await server();
    const c = await RawZk.open(zk.port);
    clients.push(c);
    c.socket.write(Buffer.from('0000002d' + '00000000' + '00000000000fffff' + '00004650' + '0000000000000000' + '00000010' + '00'.repeat(16) + '00', 'hex'));
    await c.waitClosed();
  });

  it('resumes a session with its password and refuses a wrong password with timeout 0', async () => {
    const zk = await server();
    const a = await client(zk);
    await create(a, '/eph', null, CreateMode.EPHEMERAL);
    a.close();
    const bad = await client(zk, { sessionId: a.session.sessionId, passwd: Buffer.alloc(16, 1) });
    expect(bad.session.timeOut).toBe(0);
    expect(bad.session.sessionId).toBe(0n);
    await bad.waitClosed();
    const again = await client(zk, { sessionId: a.session.sessionId, passwd: a.session.passwd! });
    expect(again.session.sessionId).toBe(a.session.sessionId);
    expect((await again.req(OpCode.exists, { path: '/eph', watch: false })).err).toBe(0);
  });
});

describe('CRUD with versions and Stat', () => {
  it('creates, reads, updates and deletes with the error codes of §4', async () => {
    const zk = await server();
    const c = await client(zk);
    expect((await create(c, '/a', Buffer.from('hello'))).body).toEqual({ path: '/a' });
    expect((await create(c, '/a')).err).toBe(Err.NODEEXISTS);
    expect((await create(c, '/missing/child')).err).toBe(Err.NONODE);
    expect((await create(c, 'no-slash')).err).toBe(Err.BADARGUMENTS);
    expect((await create(c, '/bad/')).err).toBe(Err.NONODE); // parent "/bad" is looked up first
    expect((await create(c, '/a/')).err).toBe(Err.BADARGUMENTS);
    expect((await create(c, '/x', null, 7)).err).toBe(Err.BADARGUMENTS);
    expect((await create(c, '/x', null, CreateMode.PERSISTENT, [])).err).toBe(Err.INVALIDACL);
    expect((await create(c, '/x', null, CreateMode.PERSISTENT_WITH_TTL)).err).toBe(Err.UNIMPLEMENTED);

    const get = await c.req<{ data: Buffer; stat: Record<string, unknown> }>(OpCode.getData, { path: '/a', watch: false });
    expect(get.body!.data.toString()).toBe('hello');
    expect(get.body!.stat).toMatchObject({ version: 0, dataLength: 5, numChildren: 0, ephemeralOwner: 0n });
    const set = await c.req<{ stat: { version: number; mzxid: bigint } }>(OpCode.setData, { path: '/a', data: Buffer.from('v2'), version: 0 });
    expect(set.body!.stat.version).toBe(1);
    expect(set.body!.stat.mzxid).toBe(set.zxid);
    expect((await c.req(OpCode.setData, { path: '/a', data: null, version: 0 })).err).toBe(Err.BADVERSION);
    expect((await c.req(OpCode.setData, { path: '/nope', data: null, version: -1 })).err).toBe(Err.NONODE);

    await create(c, '/a/b');
    expect((await c.req(OpCode.delete, { path: '/a', version: -1 })).err).toBe(Err.NOTEMPTY);
    expect((await c.req(OpCode.delete, { path: '/a/b', version: 5 })).err).toBe(Err.BADVERSION);
    expect((await c.req(OpCode.delete, { path: '/a/b', version: 0 })).err).toBe(0);
    expect((await c.req(OpCode.delete, { path: '/zookeeper', version: -1 })).err).toBe(Err.BADARGUMENTS);
    expect((await c.req(OpCode.delete, { path: '/', version: -1 })).err).toBe(Err.BADARGUMENTS);
    const parent = await c.req<{ stat: { cversion: number; pzxid: bigint; numChildren: number } }>(OpCode.exists, { path: '/a', watch: false });
    expect(parent.body!.stat).toMatchObject({ cversion: 1, numChildren: 0 });
  });

  it('keeps null data apart from empty data', async () => {
    const zk = await server();
    const c = await client(zk);
    await create(c, '/null', null);
    await create(c, '/empty', Buffer.alloc(0));
    const n = await c.req<{ data: Buffer | null }>(OpCode.getData, { path: '/null', watch: false });
    const e = await c.req<{ data: Buffer | null }>(OpCode.getData, { path: '/empty', watch: false });
    expect(n.body!.data).toBeNull();
    expect(e.body!.data).toEqual(Buffer.alloc(0));
  });

  it('names sequential nodes from the parent cversion, lists children and counts descendants', async () => {
    const zk = await server();
    const c = await client(zk);
    await create(c, '/q');
    await create(c, '/q/other');
    expect((await create(c, '/q/item-', null, CreateMode.PERSISTENT_SEQUENTIAL)).body!.path).toBe('/q/item-0000000001');
    await c.req(OpCode.delete, { path: '/q/other', version: -1 });
    expect((await create(c, '/q/item-', null, CreateMode.PERSISTENT_SEQUENTIAL)).body!.path).toBe('/q/item-0000000002');
    const kids = await c.req<{ children: string[]; stat: { numChildren: number } }>(OpCode.getChildren2, { path: '/q', watch: false });
    expect(kids.body!.children.sort()).toEqual(['item-0000000001', 'item-0000000002']);
    expect(kids.body!.stat.numChildren).toBe(2);
    expect((await c.req<{ children: string[] }>(OpCode.getChildren, { path: '/', watch: false })).body!.children.sort()).toEqual(['q', 'zookeeper']);
    expect((await c.req<{ totalNumber: number }>(OpCode.getAllChildrenNumber, { path: '/q' })).body!.totalNumber).toBe(2);
    expect((await c.req(OpCode.getAllChildrenNumber, { path: '/none' })).err).toBe(Err.NONODE);
    expect((await c.req<{ path: string }>(OpCode.sync, { path: '/q' })).body).toEqual({ path: '/q' });
  });

  it('creates create2, container and (with extendedTypesEnabled) TTL nodes; the reaper removes them', async () => {
    const zk = await server({ extendedTypesEnabled: 'true', 'znode.container.checkIntervalMs': '100' });
    const c = await client(zk);
    const c2 = await c.req<{ path: string; stat: { czxid: bigint } }>(OpCode.create2, { path: '/c2', data: null, acl: OPEN, flags: 0 });
    expect(c2.body!.stat.czxid).toBe(c2.zxid);
    const box = await c.req<{ stat: { ephemeralOwner: bigint } }>(OpCode.createContainer, { path: '/box', data: null, acl: OPEN, flags: CreateMode.CONTAINER });
    expect(box.body!.stat.ephemeralOwner).toBe(-0x8000000000000000n);
    const ttl = await c.req<{ stat: { ephemeralOwner: bigint } }>(OpCode.createTTL, { path: '/ttl', data: null, acl: OPEN, flags: CreateMode.PERSISTENT_WITH_TTL, ttl: 100n });
    expect(BigInt.asUintN(64, ttl.body!.stat.ephemeralOwner)).toBe(0xff00000000000064n);
    expect((await c.req(OpCode.createTTL, { path: '/ttl2', data: null, acl: OPEN, flags: CreateMode.PERSISTENT_WITH_TTL, ttl: 0n })).err).toBe(Err.BADARGUMENTS);
    await create(c, '/box/child');
    await c.req(OpCode.delete, { path: '/box/child', version: -1 });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const [b, t] = await Promise.all([c.req(OpCode.exists, { path: '/box', watch: false }), c.req(OpCode.exists, { path: '/ttl', watch: false })]);
      if (b.err === Err.NONODE && t.err === Err.NONODE) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await c.req(OpCode.exists, { path: '/box', watch: false })).err).toBe(Err.NONODE);
    expect((await c.req(OpCode.exists, { path: '/ttl', watch: false })).err).toBe(Err.NONODE);
    expect((await c.req(OpCode.exists, { path: '/c2', watch: false })).err).toBe(0);
  });

  it('refuses children of an ephemeral and lists a session its own ephemerals', async () => {
    const zk = await server();
    const c = await client(zk);
    await create(c, '/e', null, CreateMode.EPHEMERAL);
    expect((await create(c, '/e/kid')).err).toBe(Err.NOCHILDRENFOREPHEMERALS);
    expect((await c.req<{ ephemerals: string[] }>(OpCode.getEphemerals, { prefixPath: '/' })).body!.ephemerals).toEqual(['/e']);
  });
});

describe('multi (§8)', () => {
  it('applies all ops with one zxid, earlier ops visible to later ones', async () => {
    const zk = await server();
    const c = await client(zk);
    const r = await c.multi([
      { type: OpCode.create, request: { path: '/m', data: null, acl: OPEN, flags: CreateMode.EPHEMERAL } },
      { type: OpCode.setData, request: { path: '/m', data: Buffer.from('{}'), version: 0 } },
      { type: OpCode.check, request: { path: '/m', version: 1 } },
      { type: OpCode.create2, request: { path: '/m2', data: null, acl: OPEN, flags: 0 } },
    ]);
    expect(r.err).toBe(0);
    expect(r.body!.map((x) => [x.type, x.err])).toEqual([[OpCode.create, 0], [OpCode.setData, 0], [OpCode.check, 0], [OpCode.create2, 0]]);
    expect((r.body![3]!.response as { stat: { czxid: bigint } }).stat.czxid).toBe(r.zxid);
  });

  it('fails atomically: earlier ops 0, the failing op its code, later ops RUNTIMEINCONSISTENCY', async () => {
    const zk = await server();
    const c = await client(zk);
    const r = await c.multi([
      { type: OpCode.create, request: { path: '/ok', data: null, acl: OPEN, flags: 0 } },
      { type: OpCode.delete, request: { path: '/nope', version: -1 } },
      { type: OpCode.create, request: { path: '/later', data: null, acl: OPEN, flags: 0 } },
    ]);
    expect(r.err).toBe(0);
    expect(r.body!.map((x) => [x.type, x.err])).toEqual([[-1, 0], [-1, Err.NONODE], [-1, Err.RUNTIMEINCONSISTENCY]]);
    expect((await c.req(OpCode.exists, { path: '/ok', watch: false })).err).toBe(Err.NONODE);
    // The rolled-back create left the root's cversion alone: the next sequential name is unchanged.
    expect((await create(c, '/s-', null, CreateMode.PERSISTENT_SEQUENTIAL)).body!.path).toBe('/s-0000000000');
  });

  it('multiRead answers each read on its own', async () => {
    const zk = await server();
    const c = await client(zk);
    await create(c, '/r', Buffer.from('d'));
    const r = await c.multi([
      { type: OpCode.getData, request: { path: '/r', watch: false } },
      { type: OpCode.getChildren, request: { path: '/none', watch: false } },
    ], OpCode.multiRead);
    expect(r.body!.map((x) => [x.type, x.err])).toEqual([[OpCode.getData, 0], [-1, Err.NONODE]]);
  });
});

describe('watches (§7)', () => {
  it('fires one-shot data, exist and child watches once, with one event for both tables on delete', async () => {
    const zk = await server();
    const w = await client(zk);
    const c = await client(zk);
    await create(c, '/w');
    await w.req(OpCode.getData, { path: '/w', watch: true });
    await w.req(OpCode.getChildren, { path: '/w', watch: true });
    await w.req(OpCode.getChildren2, { path: '/', watch: true });
    await c.req(OpCode.setData, { path: '/w', data: null, version: -1 });
    expect(await w.waitNotifications(1)).toEqual([{ type: EventType.NodeDataChanged, path: '/w' }]);
    await c.req(OpCode.setData, { path: '/w', data: null, version: -1 });
    await create(c, '/w/k');
    expect(await w.waitNotifications(1)).toEqual([{ type: EventType.NodeChildrenChanged, path: '/w' }]);
    await w.req(OpCode.getData, { path: '/w/k', watch: true });
    await w.req(OpCode.getChildren, { path: '/w/k', watch: true });
    await c.req(OpCode.delete, { path: '/w/k', version: -1 });
    expect(await w.waitNotifications(1)).toEqual([{ type: EventType.NodeDeleted, path: '/w/k' }]);
    await c.req(OpCode.delete, { path: '/w', version: -1 });
    expect(await w.waitNotifications(1)).toEqual([{ type: EventType.NodeChildrenChanged, path: '/' }]);
    await w.ping();
    expect(w.notifications).toEqual([]);
  });

  it('keeps persistent and recursive watches (addWatch) and removes them with removeWatches', async () => {
    const zk = await server();
    const w = await client(zk);
    const c = await client(zk);
    expect((await w.req(OpCode.addWatch, { path: '/p', mode: 0 })).body).toEqual({ err: 0 });
    expect((await w.req(OpCode.addWatch, { path: '/r', mode: 1 })).err).toBe(0);
    await create(c, '/p');
    await create(c, '/p/k');
    await c.req(OpCode.setData, { path: '/p', data: null, version: -1 });
    expect(await w.waitNotifications(3)).toEqual([
      { type: EventType.NodeCreated, path: '/p' },
      { type: EventType.NodeChildrenChanged, path: '/p' },
      { type: EventType.NodeDataChanged, path: '/p' },
    ]);
    await create(c, '/r');
    await create(c, '/r/a');
    await create(c, '/r/a/b');
    await c.req(OpCode.delete, { path: '/r/a/b', version: -1 });
    expect(await w.waitNotifications(4)).toEqual([
      { type: EventType.NodeCreated, path: '/r' },
      { type: EventType.NodeCreated, path: '/r/a' },
      { type: EventType.NodeCreated, path: '/r/a/b' },
      { type: EventType.NodeDeleted, path: '/r/a/b' },
    ]);
    expect((await w.req(OpCode.checkWatches, { path: '/r', type: WatcherType.Any })).err).toBe(0);
    expect((await w.req(OpCode.removeWatches, { path: '/r', type: WatcherType.Any })).err).toBe(0);
    expect((await w.req(OpCode.removeWatches, { path: '/r', type: WatcherType.Any })).err).toBe(Err.NOWATCHER);
    expect((await w.req(OpCode.checkWatches, { path: '/nothing', type: WatcherType.Data })).err).toBe(Err.NOWATCHER);
    await c.req(OpCode.setData, { path: '/r/a', data: null, version: -1 });
    await w.ping();
    expect(w.notifications).toEqual([]);
  });

  it('re-registers or fires watches sent with setWatches after a reconnect', async () => {
    const zk = await server();
    const c = await client(zk);
    await create(c, '/same');
    await create(c, '/changed');
    await create(c, '/gone');
    const seen = (await c.ping()).zxid;
    await c.req(OpCode.setData, { path: '/changed', data: null, version: -1 });
    await c.req(OpCode.delete, { path: '/gone', version: -1 });
    await create(c, '/born');
    const w = await client(zk);
    const r = await w.setWatches({ relativeZxid: seen, dataWatches: ['/same', '/changed', '/gone'], existWatches: ['/born', '/unborn'], childWatches: ['/same'], persistentWatches: [], persistentRecursiveWatches: ['/tree'] });
    expect(r).toMatchObject({ xid: -8, err: 0 });
    expect(await w.waitNotifications(3)).toEqual([
      { type: EventType.NodeDataChanged, path: '/changed' },
      { type: EventType.NodeDeleted, path: '/gone' },
      { type: EventType.NodeCreated, path: '/born' },
    ]);
    await c.req(OpCode.setData, { path: '/same', data: null, version: -1 });
    await create(c, '/unborn');
    await create(c, '/tree');
    expect(await w.waitNotifications(3)).toEqual([
      { type: EventType.NodeDataChanged, path: '/same' },
      { type: EventType.NodeCreated, path: '/unborn' },
      { type: EventType.NodeCreated, path: '/tree' },
    ]);
  });
});

describe('ACLs (§9)', () => {
  it('enforces digest ACLs with addAuth, expands auth ids and answers NOAUTH', async () => {
    const zk = await server();
    const owner = await client(zk);
    const other = await client(zk);
    expect((await create(owner, '/secret', Buffer.from('s'), 0, Ids.CREATOR_ALL_ACL)).err).toBe(Err.INVALIDACL);
    expect((await owner.auth('digest', 'user:password')).err).toBe(0);
    expect((await create(owner, '/secret', Buffer.from('s'), 0, Ids.CREATOR_ALL_ACL)).err).toBe(0);
    const acl = await owner.req<{ acl: unknown[] }>(OpCode.getACL, { path: '/secret' });
    expect(acl.body!.acl).toEqual([{ perms: Perms.ALL, id: { scheme: 'digest', id: 'user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY=' } }]);
    expect((await other.req(OpCode.getData, { path: '/secret', watch: false })).err).toBe(Err.NOAUTH);
    expect((await other.req(OpCode.setData, { path: '/secret', data: null, version: -1 })).err).toBe(Err.NOAUTH);
    expect((await create(other, '/secret/kid')).err).toBe(Err.NOAUTH);
    expect((await other.req(OpCode.exists, { path: '/secret', watch: false })).err).toBe(0);
    await other.auth('digest', 'user:password');
    expect((await other.req(OpCode.getData, { path: '/secret', watch: false })).err).toBe(0);
    const who = await other.req<{ clientInfo: { authScheme: string; user: string }[] }>(OpCode.whoAmI);
    expect(who.body!.clientInfo).toContainEqual({ authScheme: 'digest', user: 'user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY=' });
    const set = await owner.req(OpCode.setACL, { path: '/secret', acl: Ids.READ_ACL_UNSAFE, version: 0 });
    expect(set.err).toBe(0);
    expect((await owner.req(OpCode.setACL, { path: '/secret', acl: OPEN, version: 0 })).err).toBe(Err.NOAUTH);
  });

  it('answers AUTHFAILED for an unknown scheme and closes the connection', async () => {
    const zk = await server();
    const c = await client(zk);
    expect((await c.auth('kerberos', 'x')).err).toBe(Err.AUTHFAILED);
    await c.waitClosed();
  });

  it('lets the super digest through every ACL', async () => {
    const zk = await server({ 'DigestAuthenticationProvider.superDigest': 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=' });
    const a = await client(zk);
    await a.auth('digest', 'user:password');
    await create(a, '/locked', null, 0, Ids.CREATOR_ALL_ACL);
    const s = await client(zk);
    await s.auth('digest', 'super:test');
    expect((await s.req(OpCode.getData, { path: '/locked', watch: false })).err).toBe(0);
  });
});

describe('sessions', () => {
  it('expires a silent session: its ephemerals go, watchers hear NodeDeleted, a reconnect gets timeout 0', async () => {
    const zk = await server({ tickTime: '100' });
    const dying = await client(zk, { timeout: 200 });
    await create(dying, '/eph', null, CreateMode.EPHEMERAL);
    const w = await client(zk, { timeout: 4000 });
    await w.req(OpCode.exists, { path: '/eph', watch: true });
    const keepAlive = setInterval(() => void w.ping().catch(() => {}), 300);
    try {
      await dying.waitClosed(3000);
      expect(await w.waitNotifications(1, 3000)).toEqual([{ type: EventType.NodeDeleted, path: '/eph' }]);
      const again = await client(zk, { sessionId: dying.session.sessionId, passwd: dying.session.passwd! });
      expect(again.session.timeOut).toBe(0);
    } finally {
      clearInterval(keepAlive);
    }
  });

  it('closeSession deletes the ephemerals at once, replies and closes', async () => {
    const zk = await server();
    const a = await client(zk);
    const b = await client(zk);
    await create(a, '/bye', null, CreateMode.EPHEMERAL_SEQUENTIAL);
    const r = await a.req(OpCode.closeSession);
    expect(r.err).toBe(0);
    await a.waitClosed();
    expect((await b.req<{ children: string[] }>(OpCode.getChildren, { path: '/', watch: false })).body!.children).toEqual(['zookeeper']);
  });

  it('takes a session over from its old connection on reconnect', async () => {
    const zk = await server();
    const a = await client(zk);
    const b = await client(zk, { sessionId: a.session.sessionId, passwd: a.session.passwd! });
    await a.waitClosed();
    expect((await b.ping()).err).toBe(0);
  });
});

describe('malformed input never hurts other connections', () => {
  it('closes on a frame over jute.maxbuffer, a negative length or a request without a header', async () => {
    const zk = await server({ 'jute.maxbuffer': '1000' });
    const good = await client(zk);
    for (const bytes of ['000003e9' + '00', 'ffffffff', '0000002d' + '00'.repeat(45) + '00000002' + 'abcd']) {
      const bad = await RawZk.open(zk.port);
      clients.push(bad);
      bad.socket.write(Buffer.from(bytes, 'hex'));
      await bad.waitClosed();
    }
    const c = await client(zk);
    await expect(create(c, '/big', Buffer.alloc(2000))).rejects.toThrow(/connection closed/);
    expect((await good.ping()).err).toBe(0);
  });

  it('answers an unknown op with UNIMPLEMENTED and closes; an undecodable body gets MARSHALLINGERROR', async () => {
    const zk = await server();
    const a = await client(zk);
    const bad = await a.sendRaw(Buffer.from('0000000a' + '00000001' + '00000003' + '0000', 'hex'), 1);
    expect(bad.err).toBe(Err.MARSHALLINGERROR);
    const r = await a.sendRaw(Buffer.from('00000008' + '00000002' + '000003e7', 'hex'), 2);
    expect(r.err).toBe(Err.UNIMPLEMENTED);
    await a.waitClosed();
  });

  it('survives a byte-at-a-time client', async () => {
    const zk = await server();
    const socket = connect({ host: '127.0.0.1', port: zk.port });
    await new Promise((r) => socket.once('connect', r));
    const got = new Promise<Buffer>((r) => socket.once('data', r));
    const bytes = Buffer.from('0000002d' + '00000000' + '0000000000000000' + '00004650' + '0000000000000000' + '00000010' + '00'.repeat(16) + '00', 'hex');
    for (const b of bytes) {
      socket.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    expect((await withTimeout(got, 5000, 'reply')).readInt32BE(0)).toBe(37);
    socket.destroy();
  });

  it('limits connections per IP with maxClientCnxns', async () => {
    const zk = await server({ maxClientCnxns: '2' });
    await client(zk);
    await client(zk);
    const third = await RawZk.open(zk.port);
    clients.push(third);
    await third.waitClosed();
  });
});

describe('four-letter words (§13)', () => {
  it('answers ruok, srvr, stat, cons, conf, envi, mntr and wchs', async () => {
    const zk = await server();
    const c = await client(zk);
    await create(c, '/four');
    expect(await fourLetterWord(zk.port, 'ruok')).toBe('imok');
    const srvr = await fourLetterWord(zk.port, 'srvr');
    expect(srvr).toMatch(/^Zookeeper version: 3\.8\.4-.*\nLatency min\/avg\/max: \d+\/[\d.]+\/\d+\nReceived: \d+\nSent: \d+\nConnections: \d+\nOutstanding: 0\nZxid: 0x[0-9a-f]+\nMode: standalone\nNode count: 6\n$/);
    expect(await fourLetterWord(zk.port, 'stat')).toMatch(/Clients:\n \/127\.0\.0\.1:\d+\[\d\]\(queued=0,recved=\d+,sent=\d+\)\n/);
    expect(await fourLetterWord(zk.port, 'cons')).toMatch(/sid=0x1[0-9a-f]+,lop=CREA,est=\d+,to=4000,lcxid=0x1,lzxid=0x[0-9a-f]+/);
    const conf = await fourLetterWord(zk.port, 'conf');
    expect(conf).toMatch(/^clientPort=0\nsecureClientPort=-1\n/);
    expect(conf).toContain(`dataDir=${join(zk.dataDir, 'version-2')}\n`);
    expect(conf).toContain('tickTime=200\nmaxClientCnxns=60\nminSessionTimeout=400\nmaxSessionTimeout=4000\n');
    expect(await fourLetterWord(zk.port, 'envi')).toMatch(/^Environment:\nzookeeper\.version=3\.8\.4/);
    const mntr = await fourLetterWord(zk.port, 'mntr');
    expect(mntr).toMatch(/^zk_version\t3\.8\.4.*\nzk_server_state\tstandalone\n/);
    expect(mntr).toContain('zk_znode_count\t6\n');
    expect(mntr).toContain('zk_ephemerals_count\t0\n');
    expect(await fourLetterWord(zk.port, 'wchs')).toMatch(/^\d+ connections watching \d+ paths\nTotal watches:\d+\n$/);
  });

  it('runs only whitelisted words (srvr always)', async () => {
    const zk = await server({ '4lw.commands.whitelist': '' });
    expect(await fourLetterWord(zk.port, 'ruok')).toBe('ruok is not executed because it is not in the whitelist.\n');
    expect(await fourLetterWord(zk.port, 'srvr')).toMatch(/^Zookeeper version/);
  });
});

describe('durability', () => {
  it('keeps persistent znodes, zxid, cversion and sessions with their ephemerals across a restart', async () => {
    const first = await server();
    const c = await client(first);
    await create(c, '/keep', Buffer.from('v'));
    await create(c, '/keep/s-', null, CreateMode.PERSISTENT_SEQUENTIAL);
    await create(c, '/eph', null, CreateMode.EPHEMERAL);
    await c.req(OpCode.setData, { path: '/keep', data: Buffer.from('v2'), version: 0 });
    const zxid = (await c.ping()).zxid;
    c.close();
    await first.stop();
    servers = servers.filter((s) => s !== first);
    const second = await server({}, first.dataDir);
    const d = await client(second, { sessionId: c.session.sessionId, passwd: c.session.passwd!, lastZxidSeen: zxid });
    expect(d.session.sessionId).toBe(c.session.sessionId);
    const got = await d.req<{ data: Buffer; stat: { version: number; mzxid: bigint } }>(OpCode.getData, { path: '/keep', watch: false });
    expect(got.body!.data.toString()).toBe('v2');
    expect(got.body!.stat.version).toBe(1);
    expect((await d.req(OpCode.exists, { path: '/eph', watch: false })).err).toBe(0);
    expect((await create(d, '/keep/s-', null, CreateMode.PERSISTENT_SEQUENTIAL)).body!.path).toBe('/keep/s-0000000001');
    expect((await d.ping()).zxid).toBeGreaterThan(zxid);
  });

  it('expires a restored session whose client does not come back', async () => {
    const first = await server({ tickTime: '100' });
    const c = await client(first, { timeout: 300 });
    await create(c, '/orphan', null, CreateMode.EPHEMERAL);
    c.close();
    await first.stop();
    servers = servers.filter((s) => s !== first);
    const second = await server({ tickTime: '100' }, first.dataDir);
    const w = await client(second);
    const deadline = Date.now() + 5000;
    while ((await w.req(OpCode.exists, { path: '/orphan', watch: false })).err === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await w.req(OpCode.exists, { path: '/orphan', watch: false })).err).toBe(Err.NONODE);
  });

  it('recovers from a torn log tail, keeping every whole transaction', async () => {
    const first = await server();
    const c = await client(first);
    for (let i = 0; i < 5; i++) await create(c, `/n${i}`);
    c.close();
    await first.stop();
    servers = servers.filter((s) => s !== first);
    const dir = join(first.dataDir, 'version-2');
    const log = readdirSync(dir).filter((f) => f.startsWith('log.')).sort().at(-1)!;
    const size = statSync(join(dir, log)).size;
    truncateSync(join(dir, log), size - 3); // tear the last create
    appendFileSync(join(dir, log), Buffer.from([0xde]));
    const second = await server({}, first.dataDir);
    const d = await client(second);
    const kids = (await d.req<{ children: string[] }>(OpCode.getChildren, { path: '/', watch: false })).body!.children.sort();
    expect(kids).toEqual(['n0', 'n1', 'n2', 'n3', 'zookeeper']);
    await create(d, '/n4');
    await second.stop();
    servers = servers.filter((s) => s !== second);
    const third = await server({}, first.dataDir);
    const e = await client(third);
    expect((await e.req(OpCode.exists, { path: '/n4', watch: false })).err).toBe(0);
  });
});
