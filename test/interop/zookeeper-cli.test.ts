// Apache ZooKeeper's own Java client, Debian's zkCli.sh (ZooKeeper 3.8.0, Java 17), against the
// bundled server in-process. zkCli takes a second to start, so the whole session is a couple of
// invocations: one command on the command line (the form scripts use) and a scripted session on
// stdin covering CRUD, sequential ephemerals, ls -R, ACLs with addauth, whoami, persistent
// recursive watches (3.6+ ops) and the errors zkCli prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process.js';
import { startTestZk, type TestZk } from '../helpers/zk-server.js';

const ZKCLI = '/usr/share/zookeeper/bin/zkCli.sh';
let zk: TestZk;
beforeAll(async () => {
  zk = await startTestZk({ tickTime: '2000' });
});
afterAll(async () => {
  await zk?.cleanup();
});

/** stdout and stderr (zkCli prints "Created ..." and errors there), without SLF4J noise. */
async function zkCli(args: string[], input = ''): Promise<{ out: string; err: string }> {
  const r = await runProcess(ZKCLI, ['-server', zk.connect, ...args], { input, timeoutMs: 60_000 });
  const clean = (s: string): string => s.split('\n').filter((l) => !l.startsWith('SLF4J') && l.trim() !== '').join('\n');
  return { out: clean(r.stdout), err: clean(r.stderr) };
}

describe('zkCli.sh (ZooKeeper 3.8 Java client) against ktool zookeeper-start', () => {
  it('runs a command given on the command line', async () => {
    expect((await zkCli(['ls', '/'])).out).toContain('[zookeeper]');
  });

  it('runs a scripted session: CRUD, stat, ls -R, ACLs, whoami, recursive watches and errors', async () => {
    const { out, err } = await zkCli([], [
      'create /cli hello',
      'get /cli',
      'set /cli world',
      'get -s /cli',
      'create -e -s /cli/e- x',
      'ls -R /cli',
      'getAllChildrenNumber /cli',
      'getEphemerals /cli',
      'addWatch -m PERSISTENT_RECURSIVE /cli',
      'create /cli/w data',
      'delete /cli',
      'create /cli',
      'addauth digest u:p',
      'create /sec data auth:u:p:cdrwa',
      'getAcl /sec',
      'whoami',
      'quit',
      '',
    ].join('\n'));
    expect(err).toContain('Created /cli\nCreated /cli/e-0000000000\nCreated /cli/w\nNode not empty: /cli\nNode already exists: /cli\nCreated /sec');
    expect(out).toContain('hello\nworld\n');
    expect(out).toMatch(/world\ncZxid = 0x[0-9a-f]+\nctime = .*\nmZxid = 0x[0-9a-f]+\nmtime = .*\npZxid = 0x[0-9a-f]+\ncversion = 0\ndataVersion = 1\naclVersion = 0\nephemeralOwner = 0x0\ndataLength = 5\nnumChildren = 0\n/);
    expect(out).toContain('numChildren = 0\n/cli\n/cli/e-0000000000\n1\n[/cli/e-0000000000]\n');
    expect(out).toContain('WatchedEvent state:SyncConnected type:NodeCreated path:/cli/w\n');
    expect(out).toContain("'digest,'u:Jq7wMyA/w2Vd5WIDAKdu4OIIFEQ=\n: cdrwa");
    expect(out).toMatch(/Auth scheme: User\nip: 127\.0\.0\.1\ndigest: u:Jq7wMyA\/w2Vd5WIDAKdu4OIIFEQ=/);
  });
});
