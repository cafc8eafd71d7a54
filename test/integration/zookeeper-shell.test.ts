// `ktool zookeeper-shell` against Debian's real Apache ZooKeeper, with Debian's own zkCli (the
// Java ZooKeeperMain) run on the same commands as the reference for every byte of output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { runProcess } from '../helpers/run-process.js';
import { realZooKeeperMissing, startRealZooKeeper, type RealZooKeeper } from '../helpers/real-zookeeper.js';

const missing = realZooKeeperMissing();
let zk: RealZooKeeper;
beforeAll(async () => {
  if (!missing) zk = await startRealZooKeeper();
});
afterAll(async () => {
  await zk?.cleanup();
});

const HEADER = (server: string) => `Connecting to ${server}\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n`;
/** Java prints the connection event from its event thread, at times amid other output: compared apart. */
const unevented = (t: string) => t.replace('\nWATCHER::\n', '').replace('\nWatchedEvent state:SyncConnected type:None path:null\n', '');
const shell = (args: string[], stdin?: string) => runCli(['zookeeper-shell', zk.connectString, ...args], { stdin, env: { TZ: 'UTC' } });

/** Debian's zkCli on the same arguments; SLF4J's start-up noise dropped from stderr. */
async function zkCli(args: string[], input?: string) {
  const r = await runProcess('/usr/bin/java', ['-Duser.timezone=UTC', '-cp', '/usr/share/java/zookeeper.jar', 'org.apache.zookeeper.ZooKeeperMain', '-server', zk.connectString, ...args], { input, timeoutMs: 60_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('SLF4J:')).join('\n') };
}

describe.skipIf(missing)('zookeeper-shell one-shot commands, as zkCli prints them', () => {
  it('create, get, set, stat, ls, delete, deleteall match Java zkCli byte for byte', async () => {
    const steps: string[][] = [
      ['create', '/ours', 'hello'],
      ['create', '/ours', 'again'],
      ['get', '/ours'],
      ['create', '/ours/child'],
      ['get', '/ours/child'],
      ['ls', '/ours'],
      ['ls', '/nope'],
      ['get', '/nope'],
      ['delete', '/ours'],
      ['create', 'nopath'],
      ['get', '//x'],
      ['ls'],
      ['set', '-v', '7', '/ours', 'x'],
      ['stat', '/nope'],
      ['create', '-c', '-e', '/x'],
      ['getAcl', '/ours'],
      ['deleteall', '/ours'],
      ['deleteall', '/ours'],
    ];
    // The sequence ends where it started (no /ours), so each tool runs it on the same tree. Java
    // prints the connection event from another thread, sometimes amid the command's output, so
    // the comparison leaves those two lines out; ours prints them right after `Connecting to`.
    const java = [];
    for (const step of steps) {
      const r = await zkCli(step);
      java.push({ label: step.join(' '), code: r.code, stdout: unevented(r.stdout), stderr: r.stderr });
    }
    for (const [i, step] of steps.entries()) {
      const ours = await shell(step);
      expect({ label: step.join(' '), code: ours.code, stdout: unevented(ours.stdout), stderr: ours.stderr }).toEqual(java[i]);
      if (ours.stdout.includes('WATCHER')) expect(ours.stdout.startsWith(HEADER(zk.connectString))).toBe(true);
    }
  });

  it('stat and get -s print the Stat block; sequential names come back', async () => {
    const c = await shell(['create', '-s', '/seq-', 'x']);
    expect(c).toMatchObject({ code: 0, stdout: HEADER(zk.connectString) });
    expect(c.stderr).toMatch(/^Created \/seq-\d{10}\n$/);
    const name = c.stderr.trim().slice('Created '.length);
    const ours = await shell(['stat', name]);
    const java = await zkCli(['stat', name]);
    expect(ours.stdout).toBe(java.stdout);
    expect((await shell(['get', '-s', name])).stdout).toBe((await zkCli(['get', '-s', name])).stdout);
  });

  it('an unknown command lists the usage and exits 127', async () => {
    const r = await shell(['bogus']);
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/^ZooKeeper -server host:port cmd args\n(\t\S+ .*\n)+Command not found: Command not found bogus\n$/);
    expect(r.stderr).toContain('\tls [-s] [-w] [-R] path\n');
  });

  it('works under a chroot', async () => {
    await shell(['create', '/kafka']);
    const r = await runCli(['zookeeper-shell', `${zk.connectString}/kafka`, 'create', '/inside', 'v']);
    expect(r).toMatchObject({ code: 0, stderr: 'Created /inside\n' });
    expect((await shell(['get', '/kafka/inside'])).stdout).toBe(`${HEADER(zk.connectString)}v\n`);
    await shell(['deleteall', '/kafka']);
  });
});

describe.skipIf(missing)('zookeeper-shell reading commands from stdin', () => {
  it('runs each line, numbers history, and ends with the last exit code', async () => {
    const input = 'create /piped "a b c"\nget /piped\n\nls /nope\nhistory\nredo 1\ndeleteall /piped\n';
    const ours = await shell([], input);
    const java = await zkCli([], input);
    expect(unevented(ours.stdout)).toBe(unevented(java.stdout));
    expect(ours.stderr).toBe(java.stderr);
    expect(ours.code).toBe(java.code);
    expect(ours.stdout).toContain('Welcome to ZooKeeper!\nJLine support is disabled\n');
    expect(ours.stdout).toContain('a b c\n');
  });

  it('quit closes the session (the Closed event) and keeps the exit code of the last command', async () => {
    const ours = await shell([], 'get /missing\nquit\nls /\n');
    const java = await zkCli([], 'get /missing\nquit\nls /\n');
    expect({ code: ours.code, stdout: unevented(ours.stdout), stderr: ours.stderr }).toEqual({ code: java.code, stdout: unevented(java.stdout), stderr: java.stderr });
    expect(ours.stdout.endsWith('\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n')).toBe(true);
  });

  it('shows the prompt on a terminal', async () => {
    const r = await runCli(['zookeeper-shell', zk.connectString], { stdin: 'ls /zookeeper\n', stdinIsTTY: true, stdoutIsTTY: true, env: { TZ: 'UTC' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('JLine support is enabled\n');
    expect(r.stdout).toContain(`[zk: ${zk.connectString}(CONNECTED) 0] `);
    expect(r.stdout).toContain('[config, quota]');
    expect(r.stdout).toContain(`[zk: ${zk.connectString}(CONNECTED) 1] `);
  });

  it('a watch set by get -w fires while the shell runs', async () => {
    await shell(['create', '/watched', 'v1']);
    const r = await shell([], 'get -w /watched\nset /watched v2\n');
    expect(r.stdout).toContain('v1\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:/watched\n');
  });
});

describe('zookeeper-shell without arguments', () => {
  it('prints the script usage and exits 1', async () => {
    const r = await runCli(['zookeeper-shell']);
    expect(r).toMatchObject({ code: 1, stdout: 'USAGE: ktool zookeeper-shell zookeeper_host:port[/path] [args...]\n', stderr: '' });
  });
});
