// A record the value converter cannot read (plain JSON under JsonConverter with schemas enabled):
// errors.tolerance=none fails the task with Kafka's trace; errors.tolerance=all skips it, sends
// its original bytes to the dead letter queue with __connect.errors.* headers, and keeps going.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';
import { rest, startWorker, waitFor, testWorkerFile, type RunningWorker } from '../helpers/connect-worker.js';

let broker: TestBroker;
let worker: RunningWorker;
let dir: string;

const GOOD = '{"schema":{"type":"string","optional":false},"payload":"good line"}';
const BAD = '{"a":1}';

beforeAll(async () => {
  broker = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0' });
  const produced = await runCli(['console-producer', '--bootstrap-server', broker.bootstrap, '--topic', 'mixed'], { stdin: `${BAD}\n${GOOD}\n` });
  expect(produced.code).toBe(0);
  dir = tempDir('ktool-connect-errors-');
  const file = testWorkerFile(dir, broker.bootstrap);
  worker = await startWorker([file], { cwd: dir });
});

afterAll(async () => {
  if (worker) await worker.stop();
  await broker?.cleanup();
});

describe('connect error handling', () => {
  it('fails the task on a bad record with errors.tolerance=none', async () => {
    const res = await rest(worker.restUrl, 'POST', '/connectors', { name: 'strict', config: { 'connector.class': 'FileStreamSink', topics: 'mixed', file: 'strict.txt' } });
    expect(res.status).toBe(201);
    const status = await waitFor('FAILED', async () => {
      const s = (await rest(worker.restUrl, 'GET', '/connectors/strict/status')).body;
      return s.tasks[0]?.state === 'FAILED' ? s : undefined;
    });
    const trace: string = status.tasks[0].trace;
    expect(trace.split('\n')[0]).toBe('org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler');
    expect(trace).toContain('Caused by: org.apache.kafka.connect.errors.DataException: JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields.');
    // The good record after the bad one was not written: the task stopped at the failure.
    expect(existsSync(join(dir, 'strict.txt')) ? readFileSync(join(dir, 'strict.txt'), 'utf8') : '').toBe('');
  });

  it('skips the bad record to the dead letter queue with errors.tolerance=all', async () => {
    const res = await rest(worker.restUrl, 'POST', '/connectors', {
      name: 'tolerant',
      config: {
        'connector.class': 'FileStreamSink',
        topics: 'mixed',
        file: 'tolerant.txt',
        'errors.tolerance': 'all',
        'errors.log.enable': 'true',
        'errors.deadletterqueue.topic.name': 'dlq',
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    });
    expect(res.status).toBe(201);
    await waitFor('the good line in the file', () => existsSync(join(dir, 'tolerant.txt')) && readFileSync(join(dir, 'tolerant.txt'), 'utf8') === 'good line\n');
    expect((await rest(worker.restUrl, 'GET', '/connectors/tolerant/status')).body.tasks[0].state).toBe('RUNNING');
    const dlq = await runCli(['console-consumer', '--bootstrap-server', broker.bootstrap, '--topic', 'dlq', '--from-beginning', '--max-messages', '1', '--timeout-ms', '10000', '--property', 'print.headers=true']);
    // The stack trace header holds tabs too: the value is after the last one.
    const line = dlq.stdout.trim();
    const headers = line.slice(0, line.lastIndexOf('\t'));
    const value = line.slice(line.lastIndexOf('\t') + 1);
    expect(value).toBe(BAD);
    expect(headers).toContain('__connect.errors.topic:mixed');
    expect(headers).toContain('__connect.errors.partition:0');
    expect(headers).toContain('__connect.errors.offset:0');
    expect(headers).toContain('__connect.errors.connector.name:tolerant');
    expect(headers).toContain('__connect.errors.task.id:0');
    expect(headers).toContain('__connect.errors.stage:VALUE_CONVERTER');
    expect(headers).toContain('__connect.errors.class.name:org.apache.kafka.connect.json.JsonConverter');
    expect(headers).toContain('__connect.errors.exception.class.name:org.apache.kafka.connect.errors.DataException');
    expect(worker.output()).toContain("Error encountered in task tolerant-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter'.");
    // Offsets of both records (the skipped one too) are committed to the sink's group.
    await waitFor('committed offsets', async () => {
      const o = (await rest(worker.restUrl, 'GET', '/connectors/tolerant/offsets')).body;
      return o.offsets.length === 1 && o.offsets[0].offset.kafka_offset === 2 ? o : undefined;
    });
    expect((await rest(worker.restUrl, 'GET', '/connectors/tolerant/offsets')).body).toEqual({ offsets: [{ partition: { kafka_topic: 'mixed', kafka_partition: 0 }, offset: { kafka_offset: 2 } }] });
  });
});
