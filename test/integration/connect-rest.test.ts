// Kafka Connect's REST API through real HTTP against a running worker: connector lifecycle
// (create, pause, resume, restart, stop, delete) with the status changing as Kafka shows it, and
// Kafka's JSON shapes and error bodies for validation failures and unknown names.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';
import { rest, startWorker, waitFor, testWorkerFile, type RunningWorker } from '../helpers/connect-worker.js';

let broker: TestBroker;
let worker: RunningWorker;
let dir: string;
let url: string;

beforeAll(async () => {
  broker = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0' });
  dir = tempDir('ktool-connect-rest-');
  const file = testWorkerFile(dir, broker.bootstrap, {
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  });
  worker = await startWorker([file], { cwd: dir });
  url = worker.restUrl;
});

afterAll(async () => {
  if (worker) await worker.stop();
  await broker?.cleanup();
});

const sourceConfig = (file: string, topic: string): Record<string, string> => ({ 'connector.class': 'FileStreamSource', 'tasks.max': '1', file, topic });

describe('connect REST API', () => {
  it('answers GET / with the version and the cluster id', async () => {
    const res = await rest(url, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ version: '4.0.0', commit: expect.stringMatching(/^[0-9a-f]{16}$/), kafka_cluster_id: expect.any(String) });
    expect(res.body.kafka_cluster_id.length).toBeGreaterThan(0);
  });

  it('lists the connector plugins, sinks first', async () => {
    const res = await rest(url, 'GET', '/connector-plugins');
    expect(res.body).toEqual([
      { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '4.0.0' },
      { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '4.0.0' },
    ]);
    const all = await rest(url, 'GET', '/connector-plugins?connectorsOnly=false');
    expect(all.body).toContainEqual({ class: 'org.apache.kafka.connect.json.JsonConverter', type: 'converter', version: '4.0.0' });
  });

  it('creates, pauses, resumes, restarts, stops and deletes a connector', async () => {
    appendFileSync(join(dir, 'in.txt'), 'one\n');
    const created = await rest(url, 'POST', '/connectors', { name: 'src', config: sourceConfig('in.txt', 'rest-topic') });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/connectors/src');
    expect(created.body).toEqual({
      name: 'src',
      config: { ...sourceConfig('in.txt', 'rest-topic'), name: 'src' },
      tasks: [{ connector: 'src', task: 0 }],
      type: 'source',
    });

    const workerId = url.replace('http://', '');
    await waitFor('task RUNNING', async () => (await rest(url, 'GET', '/connectors/src/status')).body.tasks[0]?.state === 'RUNNING');
    expect((await rest(url, 'GET', '/connectors/src/status')).body).toEqual({
      name: 'src',
      connector: { state: 'RUNNING', worker_id: workerId },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: workerId }],
      type: 'source',
    });
    expect((await rest(url, 'GET', '/connectors')).body).toEqual(['src']);
    expect((await rest(url, 'GET', '/connectors/src/config')).body).toEqual({ ...sourceConfig('in.txt', 'rest-topic'), name: 'src' });
    const tasks = await rest(url, 'GET', '/connectors/src/tasks');
    expect(tasks.body).toEqual([{ id: { connector: 'src', task: 0 }, config: { ...sourceConfig('in.txt', 'rest-topic'), name: 'src', 'task.class': 'org.apache.kafka.connect.file.FileStreamSourceTask' } }]);
    expect((await rest(url, 'GET', '/connectors/src/tasks/0/status')).body).toEqual({ id: 0, state: 'RUNNING', worker_id: workerId });

    const expanded = await rest(url, 'GET', '/connectors?expand=status&expand=info');
    expect(Object.keys(expanded.body)).toEqual(['src']);
    expect(expanded.body.src.status.connector.state).toBe('RUNNING');
    expect(expanded.body.src.info.type).toBe('source');

    expect((await rest(url, 'PUT', '/connectors/src/pause')).status).toBe(202);
    const paused = (await rest(url, 'GET', '/connectors/src/status')).body;
    expect(paused.connector.state).toBe('PAUSED');
    expect(paused.tasks[0].state).toBe('PAUSED');

    expect((await rest(url, 'PUT', '/connectors/src/resume')).status).toBe(202);
    expect((await rest(url, 'GET', '/connectors/src/status')).body.connector.state).toBe('RUNNING');

    expect((await rest(url, 'POST', '/connectors/src/restart')).status).toBe(204);
    const restarting = await rest(url, 'POST', '/connectors/src/restart?includeTasks=true');
    expect(restarting.status).toBe(202);
    expect(restarting.body.connector.state).toBe('RESTARTING');
    expect(restarting.body.tasks[0].state).toBe('RESTARTING');
    await waitFor('running again', async () => (await rest(url, 'GET', '/connectors/src/status')).body.tasks[0]?.state === 'RUNNING');
    expect((await rest(url, 'POST', '/connectors/src/tasks/0/restart')).status).toBe(204);

    // The source offsets of what was sent are committed and shown.
    await waitFor('offsets committed', async () => (await rest(url, 'GET', '/connectors/src/offsets')).body.offsets.length > 0);
    expect((await rest(url, 'GET', '/connectors/src/offsets')).body).toEqual({ offsets: [{ partition: { filename: 'in.txt' }, offset: { position: 4 } }] });

    expect((await rest(url, 'GET', '/connectors/src/topics')).body).toEqual({ src: { topics: ['rest-topic'] } });
    expect((await rest(url, 'PUT', '/connectors/src/topics/reset')).status).toBe(202);
    expect((await rest(url, 'GET', '/connectors/src/topics')).body).toEqual({ src: { topics: [] } });

    const refused = await rest(url, 'DELETE', '/connectors/src/offsets');
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('Connectors must be in the STOPPED state');
    expect((await rest(url, 'PUT', '/connectors/src/stop')).status).toBe(204);
    expect((await rest(url, 'GET', '/connectors/src/status')).body).toEqual({ name: 'src', connector: { state: 'STOPPED', worker_id: workerId }, tasks: [], type: 'source' });
    expect(await rest(url, 'DELETE', '/connectors/src/offsets')).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been reset successfully' } });
    expect((await rest(url, 'GET', '/connectors/src/offsets')).body).toEqual({ offsets: [] });

    expect((await rest(url, 'DELETE', '/connectors/src')).status).toBe(204);
    expect((await rest(url, 'GET', '/connectors')).body).toEqual([]);
    expect(await rest(url, 'GET', '/connectors/src')).toMatchObject({ status: 404, body: { error_code: 404, message: 'Connector src not found' } });
  });

  it('moves no data while paused, and catches up on resume', async () => {
    appendFileSync(join(dir, 'p.txt'), 'a\n');
    expect((await rest(url, 'POST', '/connectors', { name: 'pausable', config: sourceConfig('p.txt', 'pause-topic') })).status).toBe(201);
    const position = async (): Promise<number | undefined> => (await rest(url, 'GET', '/connectors/pausable/offsets')).body.offsets[0]?.offset.position;
    await waitFor('first line committed', async () => (await position()) === 2);
    expect((await rest(url, 'PUT', '/connectors/pausable/pause')).status).toBe(202);
    appendFileSync(join(dir, 'p.txt'), 'b\n');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await position()).toBe(2);
    expect((await rest(url, 'PUT', '/connectors/pausable/resume')).status).toBe(202);
    await waitFor('second line committed', async () => (await position()) === 4);
    expect((await rest(url, 'DELETE', '/connectors/pausable')).status).toBe(204);
  });

  it('writes nothing to a paused sink, and catches up on resume', async () => {
    const produce = async (line: string): Promise<void> => {
      expect((await runCli(['console-producer', '--bootstrap-server', broker.bootstrap, '--topic', 'pause-sink'], { stdin: `${line}\n` })).code).toBe(0);
    };
    const out = join(dir, 'paused-sink.txt');
    const content = (): string => (existsSync(out) ? readFileSync(out, 'utf8') : '');
    await produce('x');
    expect((await rest(url, 'POST', '/connectors', { name: 'pausable-sink', config: { 'connector.class': 'FileStreamSink', topics: 'pause-sink', file: 'paused-sink.txt' } })).status).toBe(201);
    await waitFor('x in the file', () => content() === 'x\n');
    expect((await rest(url, 'PUT', '/connectors/pausable-sink/pause')).status).toBe(202);
    await produce('y');
    await new Promise((r) => setTimeout(r, 1500));
    expect(content()).toBe('x\n');
    expect((await rest(url, 'PUT', '/connectors/pausable-sink/resume')).status).toBe(202);
    await waitFor('y in the file', () => content() === 'x\ny\n');
    expect((await rest(url, 'DELETE', '/connectors/pausable-sink')).status).toBe(204);
  });

  it('updates a config with PUT (201 when new, 200 after) and refuses a mismatched name', async () => {
    const first = await rest(url, 'PUT', '/connectors/put-src/config', sourceConfig('put.txt', 'put-topic'));
    expect(first.status).toBe(201);
    const second = await rest(url, 'PUT', '/connectors/put-src/config', { ...sourceConfig('put.txt', 'put-topic'), 'batch.size': '10' });
    expect(second.status).toBe(200);
    expect(second.body.config['batch.size']).toBe('10');
    const mismatch = await rest(url, 'PUT', '/connectors/put-src/config', { ...sourceConfig('put.txt', 'put-topic'), name: 'other' });
    expect(mismatch).toMatchObject({ status: 400, body: { error_code: 400, message: "Connector name configuration (other) doesn't match connector name in the URL (put-src)" } });
    expect((await rest(url, 'DELETE', '/connectors/put-src')).status).toBe(204);
  });

  it('gives Kafka error bodies for conflicts, unknown names and invalid configs', async () => {
    expect((await rest(url, 'POST', '/connectors', { name: 'dup', config: sourceConfig('dup.txt', 'dup') })).status).toBe(201);
    expect(await rest(url, 'POST', '/connectors', { name: 'dup', config: sourceConfig('dup.txt', 'dup') })).toMatchObject({ status: 409, body: { error_code: 409, message: 'Connector dup already exists' } });
    expect((await rest(url, 'DELETE', '/connectors/dup')).status).toBe(204);

    expect(await rest(url, 'GET', '/connectors/nope/status')).toMatchObject({ status: 404, body: { error_code: 404, message: 'No status found for connector nope' } });
    expect(await rest(url, 'PUT', '/connectors/nope/pause')).toMatchObject({ status: 404, body: { error_code: 404, message: 'Unknown connector nope' } });
    expect(await rest(url, 'DELETE', '/connectors/nope')).toMatchObject({ status: 404, body: { error_code: 404, message: 'Connector nope not found' } });
    expect(await rest(url, 'GET', '/no/such/path')).toMatchObject({ status: 404, body: { error_code: 404, message: 'HTTP 404 Not Found' } });
    expect(await rest(url, 'POST', '/connectors/x/status')).toMatchObject({ status: 405, body: { error_code: 405, message: 'HTTP 405 Method Not Allowed' } });

    const invalid = await rest(url, 'POST', '/connectors', { name: 'bad', config: { 'connector.class': 'FileStreamSource', 'tasks.max': 'x' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error_code).toBe(400);
    expect(invalid.body.message).toBe([
      'Connector configuration is invalid and contains the following 2 error(s):',
      'Invalid value x for configuration tasks.max: Not a number of type INT',
      'Missing required configuration "topic" which has no default value.',
      'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    ].join('\n'));

    const unknown = await rest(url, 'POST', '/connectors', { name: 'bad', config: { 'connector.class': 'com.example.Nope' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/^Failed to find any class that implements Connector and which name matches com\.example\.Nope/);
  });

  it('validates a config in Kafka ConfigInfos shape', async () => {
    const res = await rest(url, 'PUT', '/connector-plugins/FileStreamSink/config/validate', { 'connector.class': 'FileStreamSink', name: 'v' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('FileStreamSink');
    expect(res.body.error_count).toBe(2);
    expect(res.body.groups).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling']);
    const topics = res.body.configs.find((c: any) => c.definition.name === 'topics');
    expect(topics.value).toEqual({ name: 'topics', value: '', recommended_values: [], errors: ['Must configure one of topics or topics.regex'], visible: true });
    expect(topics.definition).toMatchObject({ name: 'topics', type: 'LIST', required: false, default_value: '', importance: 'HIGH', group: 'Common' });
    const file = res.body.configs.find((c: any) => c.definition.name === 'file');
    expect(file.definition).toEqual({
      name: 'file', type: 'STRING', required: false, default_value: null, importance: 'HIGH',
      documentation: 'Destination filename. If not specified, the standard output will be used', group: null, width: 'NONE', display_name: 'file', dependents: [], order: -1,
    });
    const mismatch = await rest(url, 'PUT', '/connector-plugins/FileStreamSource/config/validate', { 'connector.class': 'FileStreamSink' });
    expect(mismatch).toMatchObject({ status: 400, body: { message: 'Included connector type FileStreamSink does not match request type FileStreamSource' } });
  });

  it('shows a failing task as FAILED with its trace', async () => {
    // The sink cannot open a file inside a missing directory.
    const created = await rest(url, 'POST', '/connectors', { name: 'broken-sink', config: { 'connector.class': 'FileStreamSink', topics: 'x', file: join(dir, 'missing', 'out.txt') } });
    expect(created.status).toBe(201);
    const status = await waitFor('FAILED task', async () => {
      const s = (await rest(url, 'GET', '/connectors/broken-sink/status')).body;
      return s.tasks[0]?.state === 'FAILED' ? s : undefined;
    });
    expect(status.connector.state).toBe('RUNNING');
    expect(status.tasks[0].trace).toMatch(/^org\.apache\.kafka\.connect\.errors\.ConnectException: Couldn't find or create file '.*out\.txt' for FileStreamSinkTask/);
    const restarted = await rest(url, 'POST', '/connectors/broken-sink/restart?includeTasks=true&onlyFailed=true');
    expect(restarted.status).toBe(202);
    expect(restarted.body.connector.state).toBe('RUNNING');
    expect(restarted.body.tasks[0].state).toBe('RESTARTING');
    expect(restarted.body.tasks[0].trace).toBeUndefined();
    expect((await rest(url, 'DELETE', '/connectors/broken-sink')).status).toBe(204);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(readFileSync(join(dir, 'in.txt'), 'utf8')).toBe('one\n');
  });
});
