// -daemon as real processes (node bin/ktool.js, built into dist/): server-start returns once the
// broker accepts connections and server-stop stops it; connect-standalone returns once its REST
// API answers; a daemon that dies while starting fails the caller with its log's tail.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canConnect } from '../../src/commands/shared/daemon.js';
import { runningServers } from '../../src/commands/shared/server-registry.js';
import { assertBuilt, runKtool, runProcess } from '../helpers/run-process.js';
import { freePort } from '../helpers/real-zookeeper.js';
import { rest, workerFile } from '../helpers/connect-worker.js';

let dir: string;
let env: NodeJS.ProcessEnv;

const ktool = (args: string[], timeoutMs = 60_000) => runKtool(args, { env, cwd: dir, timeoutMs });

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ktool-daemons-'));
  env = { ...process.env, KTOOL_RUN_DIR: join(dir, 'run'), LOG_DIR: join(dir, 'logs') };
});

afterAll(async () => {
  await ktool(['server-stop']).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('-daemon', () => {
  it('server-start -daemon returns once the broker accepts connections; server-stop stops it', async () => {
    const port = await freePort();
    const started = await ktool(['server-start', '-daemon', '--override', `listeners=PLAINTEXT://127.0.0.1:${port}`, '--override', `log.dirs=${join(dir, 'kafka-logs')}`]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toBe('');
    expect(await canConnect('127.0.0.1', port)).toBe(true);
    expect(runningServers(join(dir, 'run'))).toHaveLength(1);

    const stopped = await ktool(['server-stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(await canConnect('127.0.0.1', port)).toBe(false);
    const log = readFileSync(join(dir, 'logs', 'kafkaServer.out'), 'utf8');
    expect(log).toMatch(/INFO \[KafkaRaftServer nodeId=0\] Kafka Server started, listening on PLAINTEXT:\/\/127\.0\.0\.1:\d+/);
    expect(log).toContain('shut down completed');
    expect((await ktool(['server-stop'])).stdout).toBe('No kafka server to stop\n');
  });

  it('a daemon that dies while starting fails the caller with the end of its log', async () => {
    const taken = await freePort();
    // The first broker holds the port, so the second cannot bind it.
    const first = await ktool(['server-start', '-daemon', '--override', `listeners=PLAINTEXT://127.0.0.1:${taken}`, '--override', `log.dirs=${join(dir, 'first')}`]);
    expect(first.code, first.stderr).toBe(0);
    try {
      const second = await ktool(['server-start', '-daemon', '--override', `listeners=PLAINTEXT://127.0.0.1:${taken}`, '--override', `log.dirs=${join(dir, 'second')}`]);
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/Kafka server exited during startup \(exit code \d+\); see .*kafkaServer\.out/);
    } finally {
      expect((await ktool(['server-stop'])).code).toBe(0);
    }
  });

  it('connect-standalone -daemon returns once the REST API answers', async () => {
    const restPort = await freePort();
    const brokerPort = await freePort();
    expect((await ktool(['server-start', '-daemon', '--override', `listeners=PLAINTEXT://127.0.0.1:${brokerPort}`, '--override', `log.dirs=${join(dir, 'connect-logs')}`])).code).toBe(0);
    const worker = workerFile(dir, {
      'bootstrap.servers': `127.0.0.1:${brokerPort}`,
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      listeners: `http://127.0.0.1:${restPort}`,
    });
    const source = join(dir, 'source.properties');
    writeFileSync(source, `name=daemon-source\nconnector.class=FileStreamSource\ntasks.max=1\nfile=${join(dir, 'in.txt')}\ntopic=daemon-test\n`);
    try {
      const started = await ktool(['connect-standalone', '-daemon', worker, source], 90_000);
      expect(started.code, started.stderr).toBe(0);
      const base = `http://127.0.0.1:${restPort}`;
      expect((await rest(base, 'GET', '/connectors')).body).toEqual(['daemon-source']);
      expect(readFileSync(join(dir, 'logs', 'connectStandalone.out'), 'utf8')).toContain('Kafka Connect started');
    } finally {
      // Kafka has no connect-stop script: stop the worker as users do, with a signal.
      const pids = await runProcess('pgrep', ['-f', worker]);
      for (const pid of pids.stdout.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGTERM');
      await ktool(['server-stop']);
    }
  });
});
