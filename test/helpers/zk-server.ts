// Starts the ZooKeeper-protocol server in-process on a free port with a temp dataDir. Logs stay
// off unless KTOOL_TEST_LOGS is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, silentLogger } from '../../src/log.js';
import { zkConfigFrom } from '../../src/zookeeper/server/config.js';
import { ZooKeeperServer } from '../../src/zookeeper/server/server.js';

export interface TestZk {
  server: ZooKeeperServer;
  port: number;
  connect: string;
  dataDir: string;
  /** Stops the server; keeps the data dir so a test can restart on it. */
  stop(): Promise<void>;
  /** Stops and removes the data dir. */
  cleanup(): Promise<void>;
}

export function zkTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ktool-zk-'));
}

export async function startTestZk(overrides: Record<string, string> = {}, dataDir = zkTempDir()): Promise<TestZk> {
  const props = new Map<string, string>([
    ['clientPort', '0'],
    ['dataDir', dataDir],
    ['tickTime', '200'],
    ['4lw.commands.whitelist', '*'],
    ...Object.entries(overrides),
  ]);
  const logger = process.env.KTOOL_TEST_LOGS ? createLogger('test', process.stderr, 'DEBUG') : silentLogger;
  const server = await ZooKeeperServer.start(zkConfigFrom(props), { logger });
  return {
    server,
    port: server.port,
    connect: `127.0.0.1:${server.port}`,
    dataDir,
    stop: () => server.close(),
    cleanup: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
