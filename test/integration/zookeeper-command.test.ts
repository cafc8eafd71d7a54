// `ktool zookeeper-start` / `zookeeper-stop` as real processes (node bin/ktool.js, built into
// dist/): ZooKeeper's log lines (the `binding to port` one tutorials look for), unknown keys
// warned about, a bad config exiting 2, -daemon with zookeeper.out, zookeeper-stop, and the
// data surviving a stop and start.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ids } from '../../src/zookeeper/protocol/constants.js';
import { OpCode } from '../../src/zookeeper/protocol/op-codes.js';
import { assertBuilt, runKtool } from '../helpers/run-process.js';
import { freePort } from '../helpers/real-zookeeper.js';
import { fourLetterWord, RawZk } from '../helpers/zk-raw-client.js';

let dir: string;
let env: NodeJS.ProcessEnv;

const ktool = (args: string[], timeoutMs = 60_000) => runKtool(args, { env, cwd: dir, timeoutMs });

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ktool-zk-cmd-'));
  env = { ...process.env, KTOOL_RUN_DIR: join(dir, 'run'), LOG_DIR: join(dir, 'logs') };
});
afterAll(async () => {
  await ktool(['zookeeper-stop']).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('zookeeper-start / zookeeper-stop', () => {
  it('says there is nothing to stop, exit 1', async () => {
    const r = await ktool(['zookeeper-stop']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('No zookeeper server to stop\n');
  });

  it('exits 2 with ZooKeeper\'s message on an invalid config', async () => {
    writeFileSync(join(dir, 'bad.properties'), 'tickTime=0\n');
    const r = await ktool(['zookeeper-start', 'bad.properties']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/ERROR Invalid config, exiting abnormally: .*tickTime.* \(org\.apache\.zookeeper\.server\.quorum\.QuorumPeerMain\)/);
  });

  it('starts as a daemon, logs as ZooKeeper does, serves, stops, and keeps its data', async () => {
    const port = await freePort();
    const props = join(dir, 'zookeeper.properties');
    writeFileSync(props, `dataDir=${join(dir, 'data')}\nclientPort=${port}\nmaxClientCnxns=0\nadmin.enableServer=false\nno.such.key=1\n4lw.commands.whitelist=ruok\n`);
    const started = await ktool(['zookeeper-server-start', '-daemon', props]);
    expect(started.code, started.stderr).toBe(0);
    expect(await fourLetterWord(port, 'ruok')).toBe('imok');
    const c = await RawZk.connect(port);
    expect((await c.req(OpCode.create, { path: '/kept', data: Buffer.from('yes'), acl: Ids.OPEN_ACL_UNSAFE, flags: 0 })).err).toBe(0);
    c.close();

    const stopped = await ktool(['zookeeper-stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    const log = readFileSync(join(dir, 'logs', 'zookeeper.out'), 'utf8');
    expect(log).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO Reading configuration from: /);
    expect(log).toContain('WARN Unknown configuration key no.such.key (ignored) (org.apache.zookeeper.server.quorum.QuorumPeerConfig)');
    expect(log).toContain(`INFO binding to port /127.0.0.1:${port} (org.apache.zookeeper.server.NIOServerCnxnFactory)`);
    expect(log).toMatch(/INFO Established session 0x[0-9a-f]+ with negotiated timeout 6000 for client \/127\.0\.0\.1:\d+ \(org\.apache\.zookeeper\.server\.ZooKeeperServer\)/);
    expect(log).toContain('INFO shutting down (org.apache.zookeeper.server.ZooKeeperServer)');
    expect((await ktool(['zookeeper-stop'])).code).toBe(1);

    const again = await ktool(['zookeeper-start', '-daemon', props]);
    expect(again.code, again.stderr).toBe(0);
    const d = await RawZk.connect(port);
    const got = await d.req<{ data: Buffer }>(OpCode.getData, { path: '/kept', watch: false });
    expect(got.body!.data.toString()).toBe('yes');
    d.close();
    expect((await ktool(['zookeeper-stop'])).code).toBe(0);
  });
});
