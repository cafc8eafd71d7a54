// ZkClient against Debian's real Apache ZooKeeper 3.8 (started by the test on a free port), and
// the same tests against ktool's own ZooKeeper server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZkClient, MultiKeeperError, type WatchedEvent, type ZkState } from '../../src/zookeeper/client/zk-client.js';
import { AddWatchMode, CreateMode, EventType, Perms } from '../../src/zookeeper/protocol/constants.js';
import { Err, KeeperError } from '../../src/zookeeper/protocol/keeper-errors.js';
import { OpCode } from '../../src/zookeeper/protocol/op-codes.js';
import { realZooKeeperMissing } from '../helpers/real-zookeeper.js';
import { startDebianZooKeeper, startKtoolZooKeeper, type ZooKeeperUnderTest } from '../helpers/zookeeper-servers.js';

const missing = realZooKeeperMissing();
if (missing) console.warn(`Skipping the real-ZooKeeper client tests: ${missing}`);

/** Resolves with the next event a one-shot watcher sees. */
function nextEvent(): { watcher: (e: WatchedEvent) => void; event: Promise<WatchedEvent> } {
  let resolve!: (e: WatchedEvent) => void;
  const event = new Promise<WatchedEvent>((r) => (resolve = r));
  return { watcher: (e) => resolve(e), event };
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);
}

// maxSessionTimeout of a minute: surviving a restart with the same session must not depend on
// how fast a loaded machine restarts the JVM.
describe.skipIf(missing !== undefined)('ZkClient against real Apache ZooKeeper', () => clientSuite(() => startDebianZooKeeper({ maxSessionTimeout: 60_000 })));
describe('ZkClient against ktool zookeeper-start', () => clientSuite(() => startKtoolZooKeeper({ maxSessionTimeout: 60_000 })));

function clientSuite(startZooKeeper: () => Promise<ZooKeeperUnderTest>): void {
  let zk: ZooKeeperUnderTest;
  const clients: ZkClient[] = [];
  const open = async (suffix = '', opts: { sessionTimeoutMs?: number } = {}): Promise<ZkClient> => {
    const c = await ZkClient.connect({ connectString: zk.connectString + suffix, sessionTimeoutMs: opts.sessionTimeoutMs ?? 6000 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    zk = await startZooKeeper();
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await zk?.cleanup();
  }, 30_000);

  it('establishes a session with a negotiated timeout and a non-zero id', async () => {
    const c = await open('', { sessionTimeoutMs: 100_000 });
    expect(c.sessionId).not.toBe(0n);
    expect(c.sessionTimeoutMs).toBe(60_000); // clamped to maxSessionTimeout
    const short = await open('', { sessionTimeoutMs: 100 });
    expect(short.sessionTimeoutMs).toBe(1000); // raised to 2 ticks of 500 ms
    expect(c.sessionPasswd.length).toBe(16);
  });

  it('creates, reads, updates and deletes znodes, keeping null and empty data apart', async () => {
    const c = await open();
    expect(await c.create('/crud', null)).toBe('/crud');
    const got = await c.getData('/crud');
    expect(got.data).toBeNull();
    expect(got.stat.dataLength).toBe(0);
    const stat = await c.setData('/crud', Buffer.from('hello'), 0);
    expect(stat.version).toBe(1);
    await expect(c.setData('/crud', Buffer.from('x'), 0)).rejects.toMatchObject({ code: Err.BADVERSION, message: 'KeeperErrorCode = BadVersion for /crud' });
    expect((await c.getData('/crud')).data?.toString()).toBe('hello');
    await c.create('/crud/empty', Buffer.alloc(0));
    expect((await c.getData('/crud/empty')).data).toEqual(Buffer.alloc(0));
    const kids = await c.getChildren('/crud');
    expect(kids.children).toEqual(['empty']);
    expect(kids.stat.numChildren).toBe(1);
    await expect(c.delete('/crud')).rejects.toMatchObject({ code: Err.NOTEMPTY });
    await c.delete('/crud/empty');
    await c.delete('/crud', 1);
    expect(await c.exists('/crud')).toBeNull();
    await expect(c.getData('/crud')).rejects.toThrow('KeeperErrorCode = NoNode for /crud');
    await expect(c.create('/crud', null)).resolves.toBe('/crud');
    await expect(c.create('/crud', null)).rejects.toMatchObject({ code: Err.NODEEXISTS, path: '/crud' });
  });

  it('numbers sequential nodes and returns create2 stats', async () => {
    const c = await open();
    await c.create('/seq', null);
    expect(await c.create('/seq/n-', null, { mode: CreateMode.PERSISTENT_SEQUENTIAL })).toBe('/seq/n-0000000000');
    const two = await c.create2('/seq/n-', Buffer.from('x'), { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    expect(two.path).toBe('/seq/n-0000000001');
    expect(two.stat.dataLength).toBe(1);
    const ttl = await c.create2('/seq/ttl', null, { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 60_000n });
    expect(ttl.path).toBe('/seq/ttl');
  });

  it('applies and strips a chroot everywhere', async () => {
    const root = await open();
    await root.create('/chroot', null);
    const c = await open('/chroot');
    expect(await c.create('/a', Buffer.from('1'))).toBe('/a');
    expect((await root.getData('/chroot/a')).data?.toString()).toBe('1');
    expect((await c.getChildren('/')).children).toEqual(['a']);
    await expect(c.getData('/missing')).rejects.toThrow('KeeperErrorCode = NoNode for /missing');
    const w = nextEvent();
    await c.getData('/a', w.watcher);
    await root.setData('/chroot/a', Buffer.from('2'));
    expect(await within(w.event, 5000, 'data watch')).toEqual({ type: EventType.NodeDataChanged, state: 3, path: '/a' });
    const results = await c.multi([
      { type: OpCode.create, request: { path: '/m-', data: null, acl: [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }], flags: CreateMode.PERSISTENT_SEQUENTIAL } },
    ]);
    expect(results[0]!.response).toEqual({ path: '/m-0000000001' });
    await c.create('/eph', null, { mode: CreateMode.EPHEMERAL });
    expect(await c.getEphemerals('/')).toEqual(['/eph']);
  });

  it('fires one-shot watches once: exists on a missing node, data, children, deletion', async () => {
    const c = await open();
    const other = await open();
    const created = nextEvent();
    let createdCount = 0;
    const counting = (e: WatchedEvent): void => {
      createdCount++;
      created.watcher(e);
    };
    expect(await c.exists('/w', counting)).toBeNull();
    expect(await c.exists('/w', counting)).toBeNull(); // same watcher twice: one event
    await other.create('/w', null);
    expect(await within(created.event, 5000, 'NodeCreated')).toEqual({ type: EventType.NodeCreated, state: 3, path: '/w' });
    const child = nextEvent();
    await c.getChildren('/w', child.watcher);
    await other.create('/w/x', null);
    expect((await within(child.event, 5000, 'NodeChildrenChanged')).type).toBe(EventType.NodeChildrenChanged);
    const deleted = nextEvent();
    await c.getData('/w/x', deleted.watcher);
    await other.delete('/w/x');
    expect(await within(deleted.event, 5000, 'NodeDeleted')).toEqual({ type: EventType.NodeDeleted, state: 3, path: '/w/x' });
    await other.create('/w/y', null); // no watch left on /w's children
    await c.sync('/w');
    expect(createdCount).toBe(1);
  });

  it('keeps persistent watches and reports whoAmI and getAllChildrenNumber', async () => {
    const c = await open();
    const other = await open();
    await c.create('/p', null);
    const events: WatchedEvent[] = [];
    await c.addWatch('/p', AddWatchMode.PERSISTENT_RECURSIVE, (e) => events.push(e));
    await other.create('/p/a', null);
    await other.create('/p/a/b', null);
    await other.setData('/p/a/b', Buffer.from('z'));
    await c.sync('/p');
    await new Promise((r) => setTimeout(r, 200));
    expect(events.map((e) => [e.type, e.path])).toEqual([
      [EventType.NodeCreated, '/p/a'],
      [EventType.NodeCreated, '/p/a/b'],
      [EventType.NodeDataChanged, '/p/a/b'],
    ]);
    expect(await c.getAllChildrenNumber('/p')).toBe(2);
    expect(await c.whoAmI()).toEqual([{ authScheme: 'ip', user: '127.0.0.1' }]);
  });

  it('runs multi atomically and reports the first failing op with its path', async () => {
    const c = await open();
    await c.create('/tx', null);
    const open31 = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
    // Kafka's registration shape: create ephemeral with null data, then setData version 0.
    const ok = await c.multi([
      { type: OpCode.create, request: { path: '/tx/e', data: null, acl: open31, flags: CreateMode.EPHEMERAL } },
      { type: OpCode.setData, request: { path: '/tx/e', data: Buffer.from('{}'), version: 0 } },
    ]);
    expect(ok.map((r) => r.type)).toEqual([OpCode.create, OpCode.setData]);
    const stat = (await c.exists('/tx/e'))!;
    expect(stat.version).toBe(1);
    expect(stat.mzxid).toBe(stat.czxid);
    expect(stat.ephemeralOwner).toBe(c.sessionId);
    const err = await c
      .multi([
        { type: OpCode.check, request: { path: '/tx', version: 0 } },
        { type: OpCode.create, request: { path: '/tx/e', data: null, acl: open31, flags: 0 } },
        { type: OpCode.delete, request: { path: '/tx', version: -1 } },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MultiKeeperError);
    expect((err as MultiKeeperError).message).toBe('KeeperErrorCode = NodeExists for /tx/e');
    expect((err as MultiKeeperError).results.map((r) => r.err)).toEqual([0, Err.NODEEXISTS, Err.RUNTIMEINCONSISTENCY]);
    expect(await c.multi([])).toEqual([]);
  });

  it('authenticates with digest and enforces ACLs', async () => {
    const c = await open();
    await c.addAuth('digest', Buffer.from('alice:secret'));
    await c.create('/secret', Buffer.from('s'), { acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }] });
    const acl = await c.getACL('/secret');
    expect(acl.acl[0]!.id.scheme).toBe('digest');
    expect(acl.acl[0]!.id.id.startsWith('alice:')).toBe(true);
    const stranger = await open();
    await expect(stranger.getData('/secret')).rejects.toMatchObject({ code: Err.NOAUTH });
    await expect(stranger.addAuth('nosuchscheme', Buffer.from('x'))).rejects.toMatchObject({ code: Err.AUTHFAILED });
    await c.setACL('/secret', [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }]);
    expect((await (await open()).getData('/secret')).data?.toString()).toBe('s');
  });

  it('pipelines many requests and matches replies in order', async () => {
    const c = await open();
    await c.create('/pipe', null);
    const creates = Array.from({ length: 200 }, (_, i) => c.create(`/pipe/n${i}`, Buffer.from(String(i))));
    expect(await Promise.all(creates)).toEqual(Array.from({ length: 200 }, (_, i) => `/pipe/n${i}`));
    const reads = await Promise.all(Array.from({ length: 200 }, (_, i) => c.getData(`/pipe/n${i}`)));
    expect(reads.map((r) => r.data!.toString())).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
  });

  it('closing removes the session ephemerals and rejects later calls', async () => {
    const c = await open();
    const watcher = await open();
    await c.create('/gone', null, { mode: CreateMode.EPHEMERAL });
    const deleted = nextEvent();
    await watcher.exists('/gone', deleted.watcher);
    const states: ZkState[] = [];
    c.onState((s) => states.push(s));
    await c.close();
    expect((await within(deleted.event, 5000, 'ephemeral deletion')).type).toBe(EventType.NodeDeleted);
    expect(states).toEqual(['closed']);
    await expect(c.getData('/')).rejects.toBeInstanceOf(KeeperError);
  });

  it('times out connecting with Kafka\'s message when nothing listens', async () => {
    await expect(ZkClient.connect({ connectString: '127.0.0.1:1', sessionTimeoutMs: 6000, connectTimeoutMs: 300 })).rejects.toThrow(
      'Timed out waiting for connection while in state: CONNECTING',
    );
  });

  it('survives a server restart: reconnects with the same session, keeps ephemerals, replays watches', async () => {
    const c = await open('', { sessionTimeoutMs: 30_000 });
    const other = await open('', { sessionTimeoutMs: 30_000 });
    await c.create('/restart', null);
    await c.create('/restart/eph', null, { mode: CreateMode.EPHEMERAL });
    const changed = nextEvent();
    await c.getData('/restart', changed.watcher);
    const states: ZkState[] = [];
    c.onState((s) => states.push(s));
    const session = c.sessionId;
    await zk.stop();
    await within(
      new Promise<void>((r) => {
        const off = c.onState((s) => s === 'disconnected' && (off(), r()));
        if (states.includes('disconnected')) r();
      }),
      30_000,
      'disconnect',
    );
    const whileDown = c.exists('/restart/eph'); // queued until the reconnect
    await zk.start();
    expect(await within(whileDown, 60_000, 'queued request after reconnect')).not.toBeNull();
    expect(c.sessionId).toBe(session);
    expect(states).toEqual(['disconnected', 'connected']);
    await within(other.setData('/restart', Buffer.from('v')), 60_000, 'other client reconnect');
    expect((await within(changed.event, 30_000, 'replayed data watch')).type).toBe(EventType.NodeDataChanged);
  }, 180_000);

  it('reports expiry when another client closes the session', async () => {
    const c = await open('', { sessionTimeoutMs: 6000 });
    await c.create('/expiring', null, { mode: CreateMode.EPHEMERAL });
    const watched = nextEvent();
    await c.exists('/expiring', watched.watcher);
    const expired = new Promise<void>((r) => c.onState((s) => s === 'expired' && r()));
    const twin = await ZkClient.connect({ connectString: zk.connectString, sessionTimeoutMs: 6000, session: { id: c.sessionId, passwd: c.sessionPasswd } });
    expect(twin.sessionId).toBe(c.sessionId);
    await twin.close();
    await within(expired, 30_000, 'expiry');
    expect(await within(watched.event, 30_000, 'session event')).toEqual({ type: EventType.None, state: -112, path: '' });
    await expect(c.exists('/')).rejects.toMatchObject({ code: Err.SESSIONEXPIRED });
    const fresh = await open();
    expect(await fresh.exists('/expiring')).toBeNull();
  }, 60_000);
}
