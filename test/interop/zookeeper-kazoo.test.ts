// kazoo (python3-kazoo 2.8, Debian's; it imports only under /usr/bin/python3) against the bundled
// ZooKeeper server in-process: CRUD with versions, ephemeral and sequential nodes, data/exists/child
// watches, transactions, digest ACLs, session expiry, and reconnect with session resumption after
// the server drops the TCP connection. kazoo 2.8 has no add_watch: persistent and recursive watches
// are covered by the raw-socket tests. One small Python script per scenario; every wait is bounded.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, SYSTEM_PYTHON } from '../helpers/run-process.js';
import { startTestZk, type TestZk } from '../helpers/zk-server.js';

let zk: TestZk;
beforeAll(async () => {
  zk = await startTestZk({ tickTime: '200' });
});
afterAll(async () => {
  await zk?.cleanup();
});

const PRELUDE = `
import json, os, sys, threading, time
from kazoo.client import KazooClient, KazooState
from kazoo.exceptions import *
from kazoo.security import make_digest_acl, OPEN_ACL_UNSAFE
HOSTS = sys.argv[1]
def client(**kw):
    c = KazooClient(hosts=HOSTS, timeout=kw.pop('timeout', 4.0), **kw)
    c.start(timeout=10)
    return c
def wait(ev, what, t=5.0):
    if not ev.wait(t):
        raise Exception('timed out waiting for ' + what)
out = {}
`;

async function python(body: string, args: string[] = [], timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const r = await runProcess(SYSTEM_PYTHON, ['-c', PRELUDE + body + '\nprint(json.dumps(out))', zk.connect, ...args], { timeoutMs });
  if (r.code !== 0) throw new Error(`python exited ${r.code ?? r.signal}:\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('kazoo against ktool zookeeper-start', () => {
  it('creates, reads, updates and deletes with versions and Stat', async () => {
    const out = await python(`
zk = client()
zk.create('/crud', b'one')
data, stat = zk.get('/crud')
out['get'] = [data.decode(), stat.version, stat.dataLength, stat.czxid == stat.mzxid]
out['set'] = zk.set('/crud', b'two', version=0).version
for name, fn in [('badversion', lambda: zk.set('/crud', b'x', version=0)), ('exists', lambda: zk.create('/crud')),
                 ('nonode', lambda: zk.get('/missing')), ('notempty', lambda: (zk.create('/crud/kid'), zk.delete('/crud')))]:
    try:
        fn(); out[name] = 'no error'
    except Exception as e:
        out[name] = type(e).__name__
zk.ensure_path('/deep/er/path')
out['children'] = sorted(zk.get_children('/'))
kids, stat = zk.get_children('/crud', include_data=True)
out['children2'] = [kids, stat.numChildren, stat.cversion]
zk.delete('/crud', recursive=True)
out['gone'] = zk.exists('/crud') is None
out['null'] = repr(zk.get('/deep')[0])
zk.stop(); zk.close()
`);
    expect(out).toEqual({
      get: ['one', 0, 3, true],
      set: 1,
      badversion: 'BadVersionError',
      exists: 'NodeExistsError',
      nonode: 'NoNodeError',
      notempty: 'NotEmptyError',
      children: ['crud', 'deep', 'zookeeper'],
      children2: [['kid'], 1, 1],
      gone: true,
      null: "b''",
    });
  });

  it('numbers sequential nodes and drops a closed session\'s ephemerals', async () => {
    const out = await python(`
a = client(); b = client()
a.ensure_path('/seq')
out['paths'] = [a.create('/seq/n-', b'', sequence=True), a.create('/seq/e-', b'', ephemeral=True, sequence=True)]
a.create('/seq/eph', b'x', ephemeral=True)
out['owner'] = b.exists('/seq/eph').ephemeralOwner == a.client_id[0]
gone = threading.Event()
b.exists('/seq/eph', watch=lambda ev: gone.set() if ev.type == 'DELETED' else None)
a.stop(); a.close()
wait(gone, 'ephemeral deletion')
out['left'] = sorted(b.get_children('/seq'))
b.stop(); b.close()
`);
    expect(out).toEqual({ paths: ['/seq/n-0000000000', '/seq/e-0000000001'], owner: true, left: ['n-0000000000'] });
  });

  it('delivers data, exists and child watches, once each, and DataWatch/ChildrenWatch recipes', async () => {
    const out = await python(`
a = client(); b = client()
events = []
lock = threading.Lock()
got = threading.Event()
def record(ev):
    with lock:
        events.append([ev.type, ev.path])
        if len(events) >= 4: got.set()
b.exists('/w', watch=record)
a.create('/w', b'1')
b.get('/w', watch=record)
b.get_children('/w', watch=record)
a.set('/w', b'2')
a.create('/w/c')
a.set('/w', b'3')
b.exists('/w/c', watch=record)
a.delete('/w/c')
wait(got, 'four events')
out['events'] = events
seen = []; kids = []
ready = threading.Event(); kid_ready = threading.Event()
@b.DataWatch('/w')
def dw(data, stat):
    seen.append(data.decode() if data else None)
    if len(seen) == 2: ready.set()
@b.ChildrenWatch('/w')
def cw(children):
    kids.append(sorted(children))
    if len(kids) == 2: kid_ready.set()
a.set('/w', b'4'); a.create('/w/k')
wait(ready, 'DataWatch'); wait(kid_ready, 'ChildrenWatch')
out['datawatch'] = seen; out['childrenwatch'] = kids
a.stop(); b.stop()
`);
    expect(out).toEqual({
      events: [['CREATED', '/w'], ['CHANGED', '/w'], ['CHILD', '/w'], ['DELETED', '/w/c']],
      datawatch: ['3', '4'],
      childrenwatch: [[], ['k']],
    });
  });

  it('commits transactions atomically and reports per-op results on failure', async () => {
    const out = await python(`
zk = client()
t = zk.transaction(); t.create('/tx', b'a'); t.set_data('/tx', b'b', version=0); t.check('/tx', 1); t.create('/tx/c', b'')
out['ok'] = [r if isinstance(r, (str, bool)) else r.version for r in t.commit()]
t = zk.transaction(); t.create('/tx2', b''); t.delete('/tx', version=99); t.create('/tx3', b'')
out['failed'] = [type(r).__name__ for r in t.commit()]
out['none'] = [zk.exists('/tx2') is None, zk.exists('/tx3') is None, zk.get('/tx')[0].decode()]
zk.stop()
`);
    expect(out).toEqual({
      ok: ['/tx', 1, true, '/tx/c'],
      failed: ['RolledBackError', 'BadVersionError', 'RuntimeInconsistency'],
      none: [true, true, 'b'],
    });
  });

  it('enforces digest ACLs: NoAuth without the credentials, access after add_auth', async () => {
    const out = await python(`
owner = client(auth_data=[('digest', 'alice:secret')])
acl = make_digest_acl('alice', 'secret', all=True)
owner.create('/private', b'data', acl=[acl])
stranger = client()
for name, fn in [('read', lambda: stranger.get('/private')), ('write', lambda: stranger.set('/private', b'x')), ('child', lambda: stranger.create('/private/x'))]:
    try:
        fn(); out[name] = 'allowed'
    except NoAuthError:
        out[name] = 'NoAuthError'
stranger.add_auth('digest', 'alice:secret')
out['after'] = stranger.get('/private')[0].decode()
acls, stat = owner.get_acls('/private')
out['acl'] = [[a.perms, a.id.scheme, a.id.id] for a in acls]
owner.stop(); stranger.stop()
`);
    expect(out).toEqual({
      read: 'NoAuthError',
      write: 'NoAuthError',
      child: 'NoAuthError',
      after: 'data',
      acl: [[31, 'digest', expect.stringMatching(/^alice:[A-Za-z0-9+/]{27}=$/)]],
    });
  });

  it('expires the session of a client that vanished: its ephemeral goes and watchers hear it', async () => {
    // The first client dies without closing its session (os._exit): only expiry can clean up.
    const first = await python(`
a = client(timeout=0.6)
a.create('/expiring', b'', ephemeral=True)
out['session'] = [a.client_id[0], a.client_id[1].hex()]
sys.stdout.write(json.dumps(out) + '\\n'); sys.stdout.flush()
os._exit(0)
`);
    const [sessionId, passwd] = first.session as [number, string];
    const out = await python(`
b = client()
gone = threading.Event()
start = time.time()
if b.exists('/expiring', watch=lambda ev: gone.set() if ev.type == 'DELETED' else None) is None:
    gone.set()
wait(gone, 'expiry', 6)
out['deleted'] = True
states = []
lost = threading.Event()
def listener(s):
    states.append(s)
    if s == KazooState.LOST: lost.set()
c = KazooClient(hosts=HOSTS, timeout=4.0, client_id=(int(sys.argv[2]), bytes.fromhex(sys.argv[3])))
c.add_listener(listener)
try:
    c.start(timeout=3)
except Exception:
    pass
lost.wait(3)
out['old_session'] = 'LOST' in states or c.client_id is None or c.client_id[0] != int(sys.argv[2])
b.stop()
c.stop()
`, [String(sessionId), passwd]);
    expect(out).toEqual({ deleted: true, old_session: true });
  });

  it('resumes the session after the server drops the connection: same id, ephemeral and watch kept', async () => {
    const script = `${PRELUDE}
states = []
suspended = threading.Event(); back = threading.Event()
def listener(s):
    states.append(s)
    if s == KazooState.SUSPENDED: suspended.set()
    elif s == KazooState.CONNECTED and suspended.is_set(): back.set()
a = client()
a.add_listener(listener)
a.create('/resume', b'', ephemeral=True)
changed = threading.Event()
a.get('/resume', watch=lambda ev: changed.set())
sid = a.client_id[0]
print('READY %d' % sid); sys.stdout.flush()
sys.stdin.readline()
wait(suspended, 'SUSPENDED'); wait(back, 'CONNECTED again', 10)
out['same_session'] = a.client_id[0] == sid
out['ephemeral'] = a.exists('/resume') is not None
b = client(); b.set('/resume', b'changed')
wait(changed, 'watch re-registered with setWatches')
out['watch'] = True
out['states'] = [str(s) for s in states]
a.stop(); b.stop()
print(json.dumps(out))
`;
    const child = spawn(SYSTEM_PYTHON, ['-c', script, zk.connect], { stdio: ['pipe', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout });
    let result: Record<string, unknown> | undefined;
    try {
      for await (const line of lines) {
        const ready = /^READY (\d+)$/.exec(line);
        if (ready) {
          const id = BigInt(ready[1]!);
          const conn = zk.server.connections.find((c) => c.sessionId === id);
          expect(conn).toBeDefined();
          conn!.close('dropped by the test');
          child.stdin.write('go\n');
        } else if (line.startsWith('{')) result = JSON.parse(line) as Record<string, unknown>;
      }
    } finally {
      clearTimeout(killer);
    }
    expect(result, stderr).toEqual({ same_session: true, ephemeral: true, watch: true, states: ['SUSPENDED', 'CONNECTED'] });
  });
});
