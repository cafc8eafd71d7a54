// A connector written in plain JavaScript, found through plugin.path, runs like the built-ins:
// listed with its version, validated against its own config definitions, resumed from its
// source offsets, and addressed by its full class name or its short alias.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';
import { rest, startWorker, waitFor, testWorkerFile, type RunningWorker } from '../helpers/connect-worker.js';

const PLUGIN = `
export class CounterSourceConnector {
  static className = 'com.example.CounterSourceConnector';
  type = 'source';
  version() { return '1.2.3'; }
  config() {
    return [
      { name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'Where the numbers go' },
      { name: 'count', type: 'INT', defaultValue: 3, atLeast: 1, importance: 'LOW', documentation: 'How many numbers' },
    ];
  }
  start(config) { this.config = config; }
  taskClass() { return CounterSourceTask; }
  taskConfigs() { return [{ ...this.config }]; }
  stop() {}
}

export class CounterSourceTask {
  version() { return '1.2.3'; }
  initialize(context) { this.context = context; }
  start(config) {
    this.topic = config.topic;
    this.count = Number(config.count ?? 3);
    const stored = this.context.offsetStorageReader().offset({ counter: this.topic });
    this.next = stored ? stored.n + 1 : 0;
  }
  async poll() {
    if (this.next >= this.count) {
      await new Promise((r) => setTimeout(r, 50));
      return null;
    }
    const n = this.next++;
    return [{ sourcePartition: { counter: this.topic }, sourceOffset: { n }, topic: this.topic, valueSchema: { type: 'INT64', optional: false }, value: n }];
  }
  stop() {}
}

/** Starts with one task and, once it "discovers" a second shard, asks for reconfiguration. */
export class ShardSourceConnector {
  type = 'source';
  version() { return '0.1'; }
  config() { return []; }
  initialize(context) { this.context = context; }
  start() {
    this.shards = 1;
    this.timer = setTimeout(() => { this.shards = 2; this.context.requestTaskReconfiguration(); }, 300);
  }
  taskClass() { return IdleTask; }
  taskConfigs(max) { return Array.from({ length: Math.min(max, this.shards) }, (_, i) => ({ shard: String(i) })); }
  stop() { clearTimeout(this.timer); }
}

class IdleTask {
  version() { return '0.1'; }
  initialize() {}
  start() {}
  async poll() { await new Promise((r) => setTimeout(r, 50)); return null; }
  stop() {}
}
`;

let broker: TestBroker;
let worker: RunningWorker;

beforeAll(async () => {
  broker = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0' });
  const dir = tempDir('ktool-connect-plugins-');
  mkdirSync(join(dir, 'plugins', 'counter'), { recursive: true });
  writeFileSync(join(dir, 'plugins', 'counter', 'package.json'), JSON.stringify({ name: 'counter', type: 'module', main: 'counter.js' }));
  writeFileSync(join(dir, 'plugins', 'counter', 'counter.js'), PLUGIN);
  const file = testWorkerFile(dir, broker.bootstrap, { 'plugin.path': 'plugins' });
  worker = await startWorker([file], { cwd: dir });
});

afterAll(async () => {
  if (worker) await worker.stop();
  await broker?.cleanup();
});

describe('connector plugins from plugin.path', () => {
  it('restarts the tasks of a connector that asks for task reconfiguration', async () => {
    const url = worker.restUrl;
    const created = await rest(url, 'POST', '/connectors', { name: 'shards', config: { 'connector.class': 'ShardSource', 'tasks.max': '4' } });
    expect(created.body.tasks).toEqual([{ connector: 'shards', task: 0 }]);
    await waitFor('two tasks', async () => (await rest(url, 'GET', '/connectors/shards/tasks')).body.length === 2);
    const tasks = (await rest(url, 'GET', '/connectors/shards/tasks')).body;
    expect(tasks.map((t: any) => t.config)).toEqual([{ shard: '0', 'task.class': 'IdleTask' }, { shard: '1', 'task.class': 'IdleTask' }]);
    await waitFor('both running', async () => (await rest(url, 'GET', '/connectors/shards/status')).body.tasks.every((t: any) => t.state === 'RUNNING'));
    expect((await rest(url, 'DELETE', '/connectors/shards')).status).toBe(204);
  });

  it('lists, validates and runs a JavaScript connector', async () => {
    const url = worker.restUrl;
    expect((await rest(url, 'GET', '/connector-plugins')).body).toContainEqual({ class: 'com.example.CounterSourceConnector', type: 'source', version: '1.2.3' });
    const invalid = await rest(url, 'PUT', '/connector-plugins/CounterSource/config/validate', { 'connector.class': 'CounterSource', name: 'c', count: '0' });
    expect(invalid.body.error_count).toBe(2);
    expect(invalid.body.configs.flatMap((c: any) => c.value.errors)).toEqual([
      'Missing required configuration "topic" which has no default value.',
      'Invalid value 0 for configuration count: Value must be at least 1',
    ]);
    const definitions = await rest(url, 'GET', '/connector-plugins/com.example.CounterSourceConnector/config');
    expect(definitions.body.map((d: any) => d.name)).toContain('count');

    const created = await rest(url, 'POST', '/connectors', { name: 'counter', config: { 'connector.class': 'CounterSource', topic: 'numbers', count: '3' } });
    expect(created.status).toBe(201);
    await waitFor('offsets of all three', async () => (await rest(url, 'GET', '/connectors/counter/offsets')).body.offsets[0]?.offset.n === 2);
    const consumed = await runCli(['console-consumer', '--bootstrap-server', broker.bootstrap, '--topic', 'numbers', '--from-beginning', '--max-messages', '3', '--timeout-ms', '10000']);
    expect(consumed.stdout.trim().split('\n')).toEqual([0, 1, 2].map((n) => `{"schema":{"type":"int64","optional":false},"payload":${n}}`));

    // Raising the count restarts it from its stored offset: 3 and 4 follow, nothing repeats.
    const updated = await rest(url, 'PUT', '/connectors/counter/config', { 'connector.class': 'com.example.CounterSourceConnector', topic: 'numbers', count: '5' });
    expect(updated.status).toBe(200);
    await waitFor('offsets of all five', async () => (await rest(url, 'GET', '/connectors/counter/offsets')).body.offsets[0]?.offset.n === 4);
    const all = await runCli(['console-consumer', '--bootstrap-server', broker.bootstrap, '--topic', 'numbers', '--from-beginning', '--max-messages', '6', '--timeout-ms', '3000']);
    expect(all.stdout.trim().split('\n').map((l) => JSON.parse(l).payload)).toEqual([0, 1, 2, 3, 4]);
  });
});
