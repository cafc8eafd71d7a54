// kafka-configs and kafka-log-dirs against the in-process broker: topic and broker configs altered,
// described and deleted through the CLI, with real effects (a compacted topic refuses keyless
// records, open logs and the retention pass read the new values) that survive a restart; the
// broker APIs straight from the wire (APPEND/SUBTRACT, validateOnly, errors) and from kafkajs'
// admin; log-dirs' JSON against the sizes of the files on disk; and, in ZooKeeper mode, an alter
// that writes /config/topics/<t> and a config_change_ notification as Kafka 2.x does.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broker } from '../../src/broker/index.js';
import { connectionSettings } from '../../src/client/client-config.js';
import { ConfigAdmin, ResourceType } from '../../src/client/config-admin.js';
import { KafkaWireClient } from '../../src/client/wire-client.js';
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { retentionPolicyFor } from '../../src/broker/log-maintenance.js';
import { ZkClient } from '../../src/zookeeper/client/zk-client.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, tempDir, type TestBroker } from '../helpers/start-broker.js';
import { startKtoolZooKeeper, type ZooKeeperUnderTest } from '../helpers/zookeeper-servers.js';

const cli = (...args: string[]) => runCli(args);

describe('kafka-configs against the bundled broker', () => {
  let tb: TestBroker;
  let logDir: string;
  const bs = () => ['--bootstrap-server', tb.bootstrap];
  const kafka = () => new Kafka({ clientId: 'configs-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });

  beforeAll(async () => {
    logDir = tempDir('ktool-configs-');
    tb = await startTestBroker({}, logDir);
    for (const t of ['cfg', 'effects', 'wire', 'kjs']) expect((await cli('topics', '--create', '--topic', t, ...bs())).code).toBe(0);
  }, 30_000);

  afterAll(async () => {
    await tb?.cleanup();
  });

  it('alters, describes and deletes topic overrides with Kafka\'s texts', async () => {
    const alter = await cli('configs', ...bs(), '--alter', '--entity-type', 'topics', '--entity-name', 'cfg', '--add-config', 'retention.ms=1000,cleanup.policy=[compact,delete]');
    expect(alter).toMatchObject({ code: 0, stdout: 'Completed updating config for topic cfg.\n', stderr: '' });
    const described = await cli('configs', ...bs(), '--describe', '--topic', 'cfg');
    expect(described).toMatchObject({ code: 0, stderr: '' });
    expect(described.stdout).toBe([
      'Dynamic configs for topic cfg are:',
      '  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}',
      '  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000}',
      '',
    ].join('\n'));
    const topics = await cli('topics', '--describe', '--topic', 'cfg', ...bs());
    expect(topics.stdout).toContain('\tConfigs: cleanup.policy=compact,delete,retention.ms=1000\n');

    const deleted = await cli('configs', ...bs(), '--alter', '--topic', 'cfg', '--delete-config', 'cleanup.policy');
    expect(deleted.stdout).toBe('Completed updating config for topic cfg.\n');
    expect([...tb.broker.state.metadata.get('cfg')!.configs]).toEqual([['retention.ms', '1000']]);

    const all = await cli('configs', ...bs(), '--describe', '--topic', 'cfg', '--all');
    expect(all.stdout.split('\n')[0]).toBe('All configs for topic cfg are:');
    expect(all.stdout).toContain('\n  cleanup.policy=delete sensitive=false synonyms={DEFAULT_CONFIG:log.cleanup.policy=delete}\n');
    expect(all.stdout).toContain('\n  segment.ms=604800000 sensitive=false synonyms={}\n');
  });

  it('reports bad input as Kafka does, on stderr with exit 1', async () => {
    const missing = await cli('configs', ...bs(), '--alter', '--topic', 'cfg', '--delete-config', 'segment.ms,flush.ms');
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'Invalid config(s): segment.ms,flush.ms\n' });

    const unknown = await cli('configs', ...bs(), '--alter', '--topic', 'cfg', '--add-config', 'retention.mss=1');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`Error while executing config command with args '${[...bs(), '--alter', '--topic', 'cfg', '--add-config', 'retention.mss=1'].join(' ')}'\n`
      + 'java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.InvalidConfigurationException: Unknown topic config name: retention.mss\n');

    const badValue = await cli('configs', ...bs(), '--alter', '--topic', 'cfg', '--add-config', 'retention.ms=soon');
    expect(badValue.stderr).toContain('InvalidConfigurationException: Invalid value soon for configuration retention.ms: Not a number of type LONG\n');

    const noTopic = await cli('configs', ...bs(), '--describe', '--topic', 'nope');
    expect(noTopic.code).toBe(1);
    expect(noTopic.stderr).toContain('java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.\n');

    const staticKey = await cli('configs', ...bs(), '--alter', '--broker', '0', '--add-config', 'log.cleaner.threads=4');
    expect(staticKey.code).toBe(1);
    expect(staticKey.stderr).toContain("InvalidRequestException: Invalid config value for resource ConfigResource(type=BROKER, name='0'): Cannot update these configs dynamically: Set(log.cleaner.threads)\n");
    expect([...tb.broker.state.dynamicConfig.configs('broker')]).toEqual([]);
  });

  it('changes what the broker does: cleanup.policy=compact refuses keyless records, retention reads the new value', async () => {
    const producer = kafka().producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic: 'effects', messages: [{ value: 'no key yet' }] });
      expect((await cli('configs', ...bs(), '--alter', '--topic', 'effects', '--add-config', 'cleanup.policy=compact,retention.ms=60000')).code).toBe(0);
      await expect(producer.send({ topic: 'effects', messages: [{ value: 'no key' }] })).rejects.toThrow();
      await producer.send({ topic: 'effects', messages: [{ key: 'k', value: 'keyed' }] });
    } finally {
      await producer.disconnect();
    }
    const topic = tb.broker.state.metadata.get('effects')!;
    expect(retentionPolicyFor(topic.configs, tb.broker.state.config.props)).toMatchObject({ retentionMs: 60000, deleteEnabled: false });
  });

  it('round-trips dynamic broker configs (per broker and cluster default), effective at once', async () => {
    expect((await cli('configs', ...bs(), '--alter', '--broker', '0', '--add-config', 'log.retention.ms=5000')).stdout).toBe('Completed updating config for broker 0.\n');
    expect((await cli('configs', ...bs(), '--alter', '--broker-defaults', '--add-config', 'log.retention.bytes=1000000')).stdout)
      .toBe('Completed updating default config for brokers in the cluster.\n');
    const broker = await cli('configs', ...bs(), '--describe', '--broker', '0');
    expect(broker.stdout).toBe([
      'Dynamic configs for broker 0 are:',
      '  log.retention.ms=5000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.retention.ms=5000, DEFAULT_CONFIG:log.retention.hours=168}',
      '',
    ].join('\n'));
    const all = await cli('configs', ...bs(), '--describe', '--entity-type', 'brokers');
    expect(all.stdout).toBe([
      'Dynamic configs for broker 0 are:',
      '  log.retention.ms=5000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.retention.ms=5000, DEFAULT_CONFIG:log.retention.hours=168}',
      'Default configs for brokers in the cluster are:',
      '  log.retention.bytes=1000000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.bytes=1000000}',
      '',
    ].join('\n'));
    // A topic without its own retention.ms now inherits the broker's dynamic value.
    const topicAll = await cli('configs', ...bs(), '--describe', '--topic', 'wire', '--all');
    expect(topicAll.stdout).toContain('\n  retention.ms=5000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.retention.ms=5000, DEFAULT_CONFIG:log.retention.hours=168}\n');
    expect(topicAll.stdout).toContain('\n  retention.bytes=1000000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.bytes=1000000, DEFAULT_CONFIG:log.retention.bytes=-1}\n');
    expect(retentionPolicyFor(new Map(), tb.broker.state.config.props)).toMatchObject({ retentionMs: 5000, retentionBytes: 1000000 });

    // Kept across a restart.
    await tb.stop();
    tb = await startTestBroker({}, logDir);
    expect((await cli('configs', ...bs(), '--describe', '--entity-type', 'brokers')).stdout).toBe(all.stdout);
    expect((await cli('configs', ...bs(), '--describe', '--topic', 'cfg')).stdout).toContain('  retention.ms=1000 sensitive=false');

    expect((await cli('configs', ...bs(), '--alter', '--broker-defaults', '--delete-config', 'log.retention.bytes')).code).toBe(0);
    expect((await cli('configs', ...bs(), '--alter', '--broker', '0', '--delete-config', 'log.retention.ms')).code).toBe(0);
    expect((await cli('configs', ...bs(), '--describe', '--broker-defaults')).stdout).toBe('Default configs for brokers in the cluster are:\n');
    expect(retentionPolicyFor(new Map(), tb.broker.state.config.props)).toMatchObject({ retentionMs: 604800000, retentionBytes: -1 });
  }, 30_000);

  it('serves IncrementalAlterConfigs APPEND/SUBTRACT and validateOnly on the wire, advertised in ApiVersions', async () => {
    const client = new KafkaWireClient(connectionSettings(tb.bootstrap, new Map()), {});
    try {
      const admin = new ConfigAdmin(client);
      const topic = { type: ResourceType.TOPIC, name: 'wire' };
      await admin.incrementalAlterConfigs(topic, [{ name: 'cleanup.policy', op: 'APPEND', value: 'compact' }]);
      expect(tb.broker.state.metadata.get('wire')!.configs.get('cleanup.policy')).toBe('delete,compact');
      await admin.incrementalAlterConfigs(topic, [{ name: 'cleanup.policy', op: 'SUBTRACT', value: 'delete' }]);
      expect(tb.broker.state.metadata.get('wire')!.configs.get('cleanup.policy')).toBe('compact');
      await expect(admin.incrementalAlterConfigs(topic, [{ name: 'retention.ms', op: 'APPEND', value: '1' }])).rejects.toThrow("Can't APPEND to key retention.ms because its type is not LIST.");
      await admin.incrementalAlterConfigs(topic, [{ name: 'segment.ms', op: 'SET', value: '1000' }], true);
      expect(tb.broker.state.metadata.get('wire')!.configs.has('segment.ms')).toBe(false);
      await expect(admin.incrementalAlterConfigs({ type: ResourceType.TOPIC, name: 'absent' }, [{ name: 'segment.ms', op: 'SET', value: '1' }])).rejects.toThrow("The topic 'absent' does not exist.");
      await expect(admin.incrementalAlterConfigs({ type: ResourceType.BROKER, name: '7' }, [{ name: 'log.retention.ms', op: 'SET', value: '1' }]))
        .rejects.toThrow('Unexpected broker id, expected 0 or empty string, but received 7');
    } finally {
      client.close();
    }
    const keys = new Map(tb.broker.state.routes().advertised().map((a) => [a.apiKey, [a.minVersion, a.maxVersion]]));
    expect(keys.get(33)).toEqual([0, 2]);
    expect(keys.get(35)).toEqual([1, 4]);
    expect(keys.get(44)).toEqual([0, 1]);
  });

  it('works with kafkajs admin.alterConfigs (AlterConfigs, replacing the set) and describeConfigs', async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'kjs', configEntries: [{ name: 'segment.bytes', value: '1048576' }, { name: 'retention.ms', value: '86400000' }] }] });
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'kjs', configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
      expect([...tb.broker.state.metadata.get('kjs')!.configs]).toEqual([['retention.ms', '3600000']]);
      const res = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'kjs', configNames: ['retention.ms', 'segment.bytes'] }] });
      const entries = new Map(res.resources[0]!.configEntries.map((e) => [e.configName, e]));
      expect(entries.get('retention.ms')).toMatchObject({ configValue: '3600000', isDefault: false, configSource: 1 });
      expect(entries.get('segment.bytes')).toMatchObject({ configValue: '1073741824', isDefault: true, configSource: 5 });
      await expect(admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'kjs', configEntries: [{ name: 'bogus', value: '1' }] }] }))
        .rejects.toThrow();
    } finally {
      await admin.disconnect();
    }
  });

  it('log-dirs prints Kafka\'s JSON with sizes matching the files on disk', async () => {
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic: 'cfg', messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(100) })) });
    await producer.disconnect();
    const r = await cli('log-dirs', '--describe', ...bs(), '--topic-list', 'cfg,wire');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['Querying brokers for log directories information', 'Received log directory information from brokers 0']);
    const json = JSON.parse(lines[2]!) as { version: number; brokers: Array<{ broker: number; logDirs: Array<{ logDir: string; error: null; partitions: Array<{ partition: string; size: number; offsetLag: number; isFuture: boolean }> }> }> };
    expect(lines[2]!.startsWith('{"brokers":[{"broker":0,"logDirs":[{"partitions":[')).toBe(true);
    expect(lines[2]!.endsWith(`],"error":null,"logDir":${JSON.stringify(logDir)}}]}],"version":1}`)).toBe(true);
    const parts = json.brokers[0]!.logDirs[0]!.partitions;
    expect(parts.map((p) => p.partition).sort()).toEqual(['cfg-0', 'wire-0']);
    const onDisk = (dir: string) => readdirSync(join(logDir, dir)).filter((f) => f.endsWith('.log')).reduce((n, f) => n + statSync(join(logDir, dir, f)).size, 0);
    for (const p of parts) expect(p).toEqual({ partition: p.partition, size: onDisk(p.partition), offsetLag: 0, isFuture: false });
    expect(parts.find((p) => p.partition === 'cfg-0')!.size).toBeGreaterThan(2000);

    const unknown = await cli('log-dirs', '--describe', ...bs(), '--broker-list', '0,5');
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: 'ERROR: The given brokers do not exist from --broker-list: 5. Current existent brokers: 0\n' });
    const usage = await cli('log-dirs', ...bs());
    expect(usage.code).toBe(1);
    expect(usage.stderr.split('\n')[0]).toBe('Missing required argument "[describe]"');
  });
});

describe('kafka-configs against a broker in ZooKeeper mode', () => {
  let zk: ZooKeeperUnderTest;
  let broker: Broker;
  let logDir: string;
  let admin: ZkClient;

  beforeAll(async () => {
    zk = await startKtoolZooKeeper();
    logDir = tempDir('ktool-configs-zk-');
    const props = new Map([
      ['listeners', 'PLAINTEXT://127.0.0.1:0'], ['log.dirs', logDir], ['zookeeper.connect', `${zk.connectString}/kafka`],
      ['zookeeper.session.timeout.ms', '6000'], ['offsets.topic.replication.factor', '1'],
    ]);
    broker = await Broker.start(brokerConfigFrom(props));
    admin = await ZkClient.connect({ connectString: `${zk.connectString}/kafka`, sessionTimeoutMs: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await admin?.close();
    await broker?.close();
    await zk?.cleanup();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  }, 30_000);

  it('writes /config/topics/<t> and a config_change_ notification, as a Kafka 2.x broker does', async () => {
    const bs = ['--bootstrap-server', `127.0.0.1:${broker.port}`];
    expect((await cli('topics', '--create', '--topic', 'zt', ...bs)).code).toBe(0);
    const before = (await admin.getChildren('/config/changes')).children.filter((c) => c.startsWith('config_change_'));
    const r = await cli('configs', ...bs, '--alter', '--topic', 'zt', '--add-config', 'retention.ms=1000,segment.bytes=1048576');
    expect(r).toMatchObject({ code: 0, stdout: 'Completed updating config for topic zt.\n' });
    expect(JSON.parse((await admin.getData('/config/topics/zt')).data!.toString())).toEqual({ version: 1, config: { 'retention.ms': '1000', 'segment.bytes': '1048576' } });
    const after = (await admin.getChildren('/config/changes')).children.filter((c) => c.startsWith('config_change_') && !before.includes(c));
    expect(after).toHaveLength(1);
    expect((await admin.getData(`/config/changes/${after[0]}`)).data!.toString()).toBe('{"version":2,"entity_path":"topics/zt"}');
    expect((await cli('configs', ...bs, '--describe', '--topic', 'zt')).stdout).toBe([
      'Dynamic configs for topic zt are:',
      '  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000}',
      '  segment.bytes=1048576 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:segment.bytes=1048576, DEFAULT_CONFIG:log.segment.bytes=1073741824}',
      '',
    ].join('\n'));
  }, 30_000);
});
