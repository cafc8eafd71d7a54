// Starts Debian's real Apache ZooKeeper (the `zookeeper` package: /usr/share/java/zookeeper.jar,
// whose manifest class path names its dependencies) as a standalone server on a free loopback
// port with a temp dataDir. One per test file: the JVM takes a second or two to start.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JAR = '/usr/share/java/zookeeper.jar';
const JAVA = process.env.JAVA ?? '/usr/bin/java';

/** Why the real ZooKeeper cannot run here, or undefined when it can. */
export function realZooKeeperMissing(): string | undefined {
  if (!existsSync(JAVA)) return `java not found at ${JAVA} (apt-get install zookeeper)`;
  if (!existsSync(JAR)) return `${JAR} not found (apt-get install zookeeper)`;
  return undefined;
}

export interface RealZooKeeperOptions {
  /** Default 500 ms, so sessions can be as short as 1 s (minSessionTimeout = 2 ticks). */
  tickTime?: number;
  /** Default 20 ticks (10 s). */
  maxSessionTimeout?: number;
}

export interface RealZooKeeper {
  readonly port: number;
  readonly connectString: string;
  readonly dataDir: string;
  /** Stops the server (SIGTERM), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops and removes the data. */
  cleanup(): Promise<void>;
  /** The server's output so far (for failure messages). */
  output(): string;
}

export async function startRealZooKeeper(opts: RealZooKeeperOptions = {}): Promise<RealZooKeeper> {
  const missing = realZooKeeperMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'ktool-real-zk-'));
  const port = await freePort();
  const tick = opts.tickTime ?? 500;
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    [
      `tickTime=${tick}`,
      ...(opts.maxSessionTimeout ? [`maxSessionTimeout=${opts.maxSessionTimeout}`] : []),
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'maxClientCnxns=0',
      'admin.enableServer=false',
      '4lw.commands.whitelist=*',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let out = '';
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const start = async (): Promise<void> => {
    const proc = spawn(
      JAVA,
      ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Dzookeeper.extendedTypesEnabled=true', '-cp', JAR, 'org.apache.zookeeper.server.ZooKeeperServerMain', cfg],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    // Generous: a loaded machine can take many seconds to start the JVM.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`ZooKeeper exited with ${proc.exitCode}:\n${out}`);
      if ((await fourLetterWord(port, 'srvr')).includes('Mode: standalone')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    proc.kill('SIGKILL');
    throw new Error(`ZooKeeper did not start within 60 s:\n${out}`);
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    dataDir: dir,
    stop,
    start,
    cleanup: async () => {
      await stop();
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
    output: () => out,
  };
}

/** Sends a four-letter word and returns the reply ('' if the server is not answering). */
export function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    let reply = '';
    const sock = connect({ host: '127.0.0.1', port }, () => sock.write(word));
    const timer = setTimeout(() => sock.destroy(), 2000);
    sock.on('data', (d: Buffer) => (reply += d.toString()));
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
