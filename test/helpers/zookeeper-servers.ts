// The two ZooKeeper servers ZooKeeper-mode tests run against, behind one shape: Debian's real
// Apache ZooKeeper (a JVM, see real-zookeeper.ts) and ktool's own server, in-process. Both on a
// free loopback port with a temp data dir and tickTime 500 ms (sessions of 1–10 s).
import { rmSync } from 'node:fs';
import { ZooKeeperServer } from '../../src/zookeeper/server/server.js';
import { zkConfigFrom } from '../../src/zookeeper/server/config.js';
import { startRealZooKeeper } from './real-zookeeper.js';
import { tempDir } from './start-broker.js';

export interface ZooKeeperUnderTest {
  readonly connectString: string;
  /** Stops the server, keeping its data and port. */
  stop(): Promise<void>;
  /** Starts it again after stop(). */
  start(): Promise<void>;
  cleanup(): Promise<void>;
}

export interface ZooKeeperOptions {
  /** Default 20 ticks (10 s). Tests that restart the server ask for more, so a slow restart costs no session. */
  maxSessionTimeout?: number;
}

export async function startDebianZooKeeper(opts: ZooKeeperOptions = {}): Promise<ZooKeeperUnderTest> {
  return startRealZooKeeper(opts);
}

/** ktool's server, as `ktool zookeeper-start` runs it (TTL nodes enabled, like the real one here). */
export async function startKtoolZooKeeper(opts: ZooKeeperOptions = {}): Promise<ZooKeeperUnderTest> {
  const dataDir = tempDir('ktool-zk-server-');
  const config = new Map([['dataDir', dataDir], ['clientPortAddress', '127.0.0.1'], ['tickTime', '500'], ['extendedTypesEnabled', 'true'], ['4lw.commands.whitelist', '*']]);
  if (opts.maxSessionTimeout) config.set('maxSessionTimeout', String(opts.maxSessionTimeout));
  const launch = (port: number) => ZooKeeperServer.start(zkConfigFrom(new Map([...config, ['clientPort', String(port)]])));
  let server: ZooKeeperServer | undefined = await launch(0);
  const port = server.port;
  return {
    connectString: `127.0.0.1:${port}`,
    stop: async () => {
      await server?.close();
      server = undefined;
    },
    start: async () => {
      server = await launch(port);
    },
    cleanup: async () => {
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
