// Starts the real broker in-process on a free port with a temp log dir. Logs stay off unless
// KTOOL_TEST_LOGS is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { Broker } from '../../src/broker/index.js';
import { createLogger, silentLogger } from '../../src/log.js';

export interface TestBroker {
  broker: Broker;
  bootstrap: string;
  logDir: string;
  /** Stops the broker; keeps the log dir so a test can restart on it. */
  stop(): Promise<void>;
  /** Stops and removes the log dir. */
  cleanup(): Promise<void>;
}

export function tempDir(prefix = 'ktool-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestBroker(overrides: Record<string, string> = {}, logDir = tempDir()): Promise<TestBroker> {
  const props = new Map<string, string>([
    ['listeners', 'PLAINTEXT://127.0.0.1:0'],
    ['log.dirs', logDir],
    ...Object.entries(overrides),
  ]);
  const logger = process.env.KTOOL_TEST_LOGS ? createLogger('test', process.stderr, 'DEBUG') : silentLogger;
  const broker = await Broker.start(brokerConfigFrom(props), logger);
  return {
    broker,
    bootstrap: `127.0.0.1:${broker.port}`,
    logDir,
    stop: () => broker.close(),
    cleanup: async () => {
      await broker.close();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
