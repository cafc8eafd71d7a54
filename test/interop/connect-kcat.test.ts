// kcat (librdkafka) on both ends of connect-standalone: records kcat produces reach a
// FileStreamSink's file, and a FileStreamSource's lines are read back by kcat, with both the
// StringConverter and the JsonConverter envelope of Kafka's example config.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process.js';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';
import { rest, startWorker, waitFor, testWorkerFile, type RunningWorker } from '../helpers/connect-worker.js';

let broker: TestBroker;
let worker: RunningWorker;
let dir: string;
const kcat = (args: string[], input?: string) => runProcess('kcat', ['-b', broker.bootstrap, ...args], { input, timeoutMs: 30_000 });
const STRING = 'org.apache.kafka.connect.storage.StringConverter';

beforeAll(async () => {
  broker = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0' });
  dir = tempDir('ktool-connect-kcat-');
  const file = testWorkerFile(dir, broker.bootstrap);
  worker = await startWorker([file], { cwd: dir });
});

afterAll(async () => {
  if (worker) await worker.stop();
  await broker?.cleanup();
});

describe('connect-standalone with kcat', () => {
  it('writes records produced by kcat to the sink file', async () => {
    const p = await kcat(['-P', '-t', 'kcat-to-sink', '-K:', '-H', 'origin=kcat'], 'k1:first\nk2:second é\n:third\n');
    expect(p.code).toBe(0);
    const res = await rest(worker.restUrl, 'POST', '/connectors', {
      name: 'kcat-sink',
      config: { 'connector.class': 'FileStreamSink', topics: 'kcat-to-sink', file: 'kcat-sink.txt', 'value.converter': STRING, 'key.converter': STRING },
    });
    expect(res.status).toBe(201);
    const file = join(dir, 'kcat-sink.txt');
    await waitFor('three lines', () => existsSync(file) && readFileSync(file, 'utf8').split('\n').length > 3);
    expect(readFileSync(file, 'utf8')).toBe('first\nsecond é\nthird\n');
  });

  it('produces file lines that kcat reads back, as text and as JsonConverter envelopes', async () => {
    appendFileSync(join(dir, 'to-kcat.txt'), 'alpha\r\nbeta\n\ngamma ü\n');
    const text = await rest(worker.restUrl, 'POST', '/connectors', {
      name: 'text-source',
      config: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', file: 'to-kcat.txt', topic: 'from-file-text', 'value.converter': STRING },
    });
    expect(text.status).toBe(201);
    const json = await rest(worker.restUrl, 'POST', '/connectors', {
      name: 'json-source',
      config: { 'connector.class': 'FileStreamSourceConnector', file: 'to-kcat.txt', topic: 'from-file-json' },
    });
    expect(json.status).toBe(201);

    const read = async (topic: string, expected: number): Promise<string[]> => waitFor(`${expected} records in ${topic}`, async () => {
      const c = await kcat(['-C', '-t', topic, '-e', '-o', 'beginning', '-f', '%k|%s\\n']);
      const lines = c.stdout.split('\n').slice(0, -1);
      return lines.length >= expected ? lines : undefined;
    }, 30_000, 300);
    expect(await read('from-file-text', 4)).toEqual(['|alpha', '|beta', '|', '|gamma ü']);
    expect(await read('from-file-json', 4)).toEqual([
      '|{"schema":{"type":"string","optional":false},"payload":"alpha"}',
      '|{"schema":{"type":"string","optional":false},"payload":"beta"}',
      '|{"schema":{"type":"string","optional":false},"payload":""}',
      '|{"schema":{"type":"string","optional":false},"payload":"gamma ü"}',
    ]);
    // A null key: kcat's %K shows the key length, -1 for null.
    const keys = await kcat(['-C', '-t', 'from-file-text', '-e', '-o', 'beginning', '-f', '%K\\n']);
    expect(keys.stdout.split('\n').slice(0, -1)).toEqual(['-1', '-1', '-1', '-1']);
  });
});
