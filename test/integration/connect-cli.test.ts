// connect-standalone's command line: Kafka's usage text and exit codes (usage 1, an error before
// start 2, a connector that cannot be created 3), and connector files in JSON.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';
import { rest, startWorker, workerFile } from '../helpers/connect-worker.js';

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.cleanup();
});

describe('connect-standalone command line', () => {
  it('prints the usage as a log line and exits 1 without arguments or with --help', async () => {
    for (const args of [['connect-standalone'], ['connect-standalone', '--help'], ['connect-standalone.sh']]) {
      const r = await runCli(args);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^\[[\d-]+ [\d:,]+\] INFO Usage: ConnectStandalone worker\.properties \[connector1\.properties connector2\.json \.\.\.\] \(org\.apache\.kafka\.connect\.cli\.AbstractConnectCli\)\n$/);
    }
  });

  it('exits 2 when the worker config cannot be used', async () => {
    const missing = await runCli(['connect-standalone', '/no/such/worker.properties']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('ERROR Stopping due to error (org.apache.kafka.connect.cli.AbstractConnectCli)');
    expect(missing.stdout).toContain('java.nio.file.NoSuchFileException: /no/such/worker.properties');
    const dir = tempDir('ktool-connect-cli-');
    const incomplete = join(dir, 'w.properties');
    writeFileSync(incomplete, `bootstrap.servers=${broker.bootstrap}\n`);
    const r = await runCli(['connect-standalone', incomplete]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('org.apache.kafka.common.config.ConfigException: Missing required configuration "key.converter" which has no default value.');
  });

  it('exits 2 when the REST port is taken, and 3 when the offsets file cannot be read', async () => {
    const dir = tempDir('ktool-connect-cli-');
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (taken.address() as AddressInfo).port;
      const busy = workerFile(dir, { 'bootstrap.servers': broker.bootstrap, 'offset.storage.file.filename': join(dir, 'o'), listeners: `http://127.0.0.1:${port}` });
      const r = await runCli(['connect-standalone', busy], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('org.apache.kafka.connect.errors.ConnectException: Unable to initialize REST server');
    } finally {
      taken.close();
    }
    writeFileSync(join(dir, 'java.offsets'), Buffer.concat([Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72, 0x00, 0x13]), Buffer.from('java.util.ArrayList'), Buffer.alloc(20)]));
    const worker = workerFile(dir, { 'bootstrap.servers': broker.bootstrap, 'offset.storage.file.filename': 'java.offsets', listeners: 'http://127.0.0.1:0' });
    const r = await runCli(['connect-standalone', worker], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('ERROR Failed to start Connect (org.apache.kafka.connect.cli.AbstractConnectCli)');
    expect(r.stdout).toContain('is a Java serialization stream that ktool cannot read: not a Kafka offsets file: it holds a java.util.ArrayList');
  });

  it('exits 3 when a connector file cannot be created', async () => {
    const dir = tempDir('ktool-connect-cli-');
    const worker = workerFile(dir, { 'bootstrap.servers': broker.bootstrap, 'offset.storage.file.filename': join(dir, 'o'), listeners: 'http://127.0.0.1:0' });
    const bad = join(dir, 'bad.properties');
    writeFileSync(bad, 'name=bad\nconnector.class=FileStreamSource\n');
    const r = await runCli(['connect-standalone', worker, bad], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`ERROR Failed to create connector for ${bad} (org.apache.kafka.connect.cli.ConnectStandalone)`);
    expect(r.stdout).toContain('ERROR Stopping after connector error (org.apache.kafka.connect.cli.ConnectStandalone)');
    expect(r.stdout).toContain('Missing required configuration "topic" which has no default value.');
    expect(r.stdout).toContain('Kafka Connect stopped');
  });

  it('accepts JSON connector files, nested with an initial state or flat', async () => {
    const dir = tempDir('ktool-connect-cli-');
    const worker = workerFile(dir, { 'bootstrap.servers': broker.bootstrap, 'offset.storage.file.filename': join(dir, 'o'), listeners: 'http://127.0.0.1:0' });
    writeFileSync(join(dir, 'nested.json'), JSON.stringify({ name: 'nested', config: { 'connector.class': 'FileStreamSink', topics: 'j', file: 'n.txt' }, initial_state: 'PAUSED' }));
    writeFileSync(join(dir, 'flat.json'), JSON.stringify({ name: 'flat', 'connector.class': 'FileStreamSource', topic: 'j', file: 'f.txt', 'tasks.max': 1 }));
    const w = await startWorker([worker, 'nested.json', 'flat.json'], { cwd: dir });
    try {
      expect(w.output()).toContain('Created connector nested');
      expect(w.output()).toContain('Created connector flat');
      expect((await rest(w.restUrl, 'GET', '/connectors/nested/status')).body.connector.state).toBe('PAUSED');
      expect((await rest(w.restUrl, 'GET', '/connectors/flat/config')).body).toEqual({ name: 'flat', 'connector.class': 'FileStreamSource', topic: 'j', file: 'f.txt', 'tasks.max': '1' });
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });
});
