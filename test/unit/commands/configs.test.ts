// kafka-configs and kafka-log-dirs without a cluster: option checks in Kafka's order and words,
// --add-config parsing, the describe lines, log-dirs' HashMap-ordered JSON, and the broker-side
// config rules (synonyms, validation) they rely on.
import { describe, expect, it } from 'vitest';
import { completedMessage, describeHeader, describeLine, entriesToShow, parseAddConfig } from '../../../src/commands/configs/configs-text.js';
import { configsOptions, CONFIGS_OPTIONS } from '../../../src/commands/configs/configs-options.js';
import { formatLogDirsJson } from '../../../src/commands/log-dirs.js';
import { parseArgs } from '../../../src/commands/shared/options.js';
import { javaHashOrder, javaStringHash, javaTopicPartitionHash } from '../../../src/commands/shared/java-hash.js';
import { configSynonyms, brokerSynonyms, validateDynamicBrokerConfig } from '../../../src/config/broker-config-layers.js';
import { resolveTopicConfig, validateTopicConfig } from '../../../src/config/topic-config.js';
import { runCli } from '../../helpers/run-cli.js';

const opts = (...argv: string[]) => configsOptions(parseArgs(CONFIGS_OPTIONS, argv));
const BS = ['--bootstrap-server', 'localhost:9'];

describe('configs options (ConfigCommandOptions.checkArgs)', () => {
  it('maps shorthands and --entity-* to types and names, keeping --entity-name/--entity-default order', () => {
    expect(opts(...BS, '--describe', '--topic', 't')).toMatchObject({ action: 'describe', entityTypes: ['topics'], entityNames: ['t'] });
    expect(opts(...BS, '--alter', '--broker-defaults', '--add-config', 'a=1')).toMatchObject({ entityTypes: ['brokers'], entityNames: [''] });
    expect(opts(...BS, '--describe', '--entity-type', 'users', '--entity-default', '--entity-type', 'clients', '--entity-name', 'c1'))
      .toMatchObject({ entityTypes: ['users', 'clients'], entityNames: ['', 'c1'] });
    expect(opts(...BS, '--alter', '--topic', 't', '--delete-config', 'a, b', '--delete-config', 'c').deleteConfigs).toEqual(['a', 'b', 'c']);
  });

  it.each([
    [['--describe', '--topic', 't'], 'Either --bootstrap-server or --bootstrap-controller must be specified.'],
    [[...BS, '--describe'], 'At least one entity type must be specified'],
    [[...BS, '--describe', '--entity-type', 'topic', '--entity-name', 't'], 'Invalid entity type topic, the entity type must be one of topics, clients, users, brokers, ips, broker-loggers, client-metrics, groups with a --bootstrap-server or --bootstrap-controller argument'],
    [[...BS, '--describe', '--topic', 't', '--broker', '0'], "Only 'users' and 'clients' entity types may be specified together"],
    [[...BS, '--describe', '--topic', 't', '--entity-type', 'topics'], 'Duplicate entity type(s) specified: topics'],
    [[...BS, '--describe', '--topic', 't', '--entity-name', 'x'], '--entity-{type,name,default} should not be used in conjunction with specific entity flags'],
    [[...BS, '--describe', '--broker', 'b1'], 'The entity name for brokers must be a valid integer broker id, but it is: b1'],
    [[...BS, '--describe', '--entity-type', 'topics', '--entity-default'], '--entity-default must not be specified with --describe of topics'],
    [[...BS, '--alter', '--entity-type', 'topics', '--add-config', 'a=1'], 'An entity name must be specified with --alter of topics'],
    [[...BS, '--alter', '--entity-type', 'brokers', '--add-config', 'a=1'], 'An entity-name or default entity must be specified with --alter of users, clients, brokers or ips'],
    [[...BS, '--alter', '--topic', 't'], 'At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter'],
    [[...BS, '--alter', '--topic', 't', '--add-config', 'a=1', '--add-config-file', 'f'], 'Only one of --add-config or --add-config-file must be specified'],
  ])('%j → stderr %s, exit 1, nothing else', async (argv, message) => {
    const r = await runCli(['configs', ...argv]);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `${message}\n` });
  });

  it('prints usage for a missing or doubled action, and for --describe with --add-config', async () => {
    for (const [argv, reason] of [
      [[...BS, '--topic', 't'], 'Command must include exactly one action: --describe, --alter'],
      [[...BS, '--topic', 't', '--describe', '--alter'], 'Command must include exactly one action: --describe, --alter'],
      [[...BS, '--topic', 't', '--describe', '--add-config', 'a=1'], 'Option "[describe]" can\'t be used with option "[add-config]"'],
    ] as const) {
      const r = await runCli(['configs', ...argv]);
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n')[0]).toBe(reason);
      expect(r.stderr).toContain('--add-config <String>');
    }
  });

  it('refuses the entity types it cannot handle yet with a clear error', async () => {
    const r = await runCli(['configs', ...BS, '--describe', '--client', 'c1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ktool configs does not support entity type 'clients' yet: only topics, brokers, broker-loggers and users (SCRAM credentials) can be described or altered.\n");
  });

  it('rejects a malformed --add-config before connecting', async () => {
    const r = await runCli(['configs', ...BS, '--alter', '--topic', 't', '--add-config', 'retention.ms']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('requirement failed: Invalid entity config: all configs to be added must be in the format "key=val" or  "key=[val1,val2]" to group values which contain commas.\n');
    const bad = await runCli(['configs', ...BS, '--alter', '--topic', 't', '--add-config', 'a b=1']);
    expect(bad.stderr).toBe('Invalid character found for config key: a b\n');
  });
});

describe('--add-config parsing', () => {
  it('splits on commas outside brackets, strips brackets, trims, allows empty values', () => {
    expect([...parseAddConfig('a=1,b=[x,y],c=')]).toEqual([['a', '1'], ['b', 'x,y'], ['c', '']]);
    expect([...parseAddConfig(' k1 = v1 ,k2=[v1,v2,v2]')]).toEqual([['k1', 'v1'], ['k2', 'v1,v2,v2']]);
    expect([...parseAddConfig('a=1,a=2')]).toEqual([['a', '2']]);
    expect(() => parseAddConfig('a=1,,b=2')).toThrow(/requirement failed/);
    expect(() => parseAddConfig('a=b=c')).toThrow(/requirement failed/);
  });
});

describe('describe output', () => {
  const entry = (name: string, value: string | null, source: string, synonyms: Array<[string, string, string | null]> = []) => ({
    name, value, source, isSensitive: false, readOnly: false, synonyms: synonyms.map(([s, n, v]) => ({ source: s, name: n, value: v })),
  });

  it('formats headers, lines and the completion message as ConfigCommand', () => {
    expect(describeHeader('topics', 't', false)).toBe('Dynamic configs for topic t are:');
    expect(describeHeader('brokers', '0', true)).toBe('All configs for broker 0 are:');
    expect(describeHeader('brokers', '', false)).toBe('Default configs for brokers in the cluster are:');
    expect(describeLine(entry('retention.ms', '1000', 'DYNAMIC_TOPIC_CONFIG', [['DYNAMIC_TOPIC_CONFIG', 'retention.ms', '1000'], ['STATIC_BROKER_CONFIG', 'log.retention.hours', '168']])))
      .toBe('  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, STATIC_BROKER_CONFIG:log.retention.hours=168}');
    expect(describeLine({ ...entry('ssl.key.password', null, 'DYNAMIC_BROKER_CONFIG', [['DYNAMIC_BROKER_CONFIG', 'ssl.key.password', null]]), isSensitive: true }))
      .toBe('  ssl.key.password=null sensitive=true synonyms={DYNAMIC_BROKER_CONFIG:ssl.key.password=null}');
    expect(completedMessage('topics', 't')).toBe('Completed updating config for topic t.');
    expect(completedMessage('brokers', '')).toBe('Completed updating default config for brokers in the cluster.');
  });

  it('keeps only the entity\'s dynamic source unless --all, sorted by name', () => {
    const entries = [entry('segment.ms', '1', 'DYNAMIC_TOPIC_CONFIG'), entry('cleanup.policy', 'delete', 'DEFAULT_CONFIG'), entry('a.b', '1', 'DYNAMIC_TOPIC_CONFIG')];
    expect(entriesToShow(entries, 'topics', 't', false).map((e) => e.name)).toEqual(['a.b', 'segment.ms']);
    expect(entriesToShow(entries, 'topics', 't', true).map((e) => e.name)).toEqual(['a.b', 'cleanup.policy', 'segment.ms']);
    expect(entriesToShow([entry('x', '1', 'DYNAMIC_BROKER_CONFIG'), entry('y', '1', 'DYNAMIC_DEFAULT_BROKER_CONFIG')], 'brokers', '', false).map((e) => e.name)).toEqual(['y']);
  });
});

describe('Java hash order and the log-dirs JSON', () => {
  it('orders as java.util.HashMap does', () => {
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaHashOrder(['version', 'brokers'], javaStringHash)).toEqual(['brokers', 'version']);
    expect(javaHashOrder(['logDir', 'error', 'partitions'], javaStringHash)).toEqual(['partitions', 'error', 'logDir']);
    expect(javaHashOrder(['partition', 'size', 'offsetLag', 'isFuture'], javaStringHash)).toEqual(['partition', 'size', 'offsetLag', 'isFuture']);
    expect(javaHashOrder([17, 1, 33, 2], (n) => n)).toEqual([17, 1, 33, 2].sort((a, b) => (a & 15) - (b & 15)));
    expect(javaTopicPartitionHash('t', 0)).toBe((31 * 31 + 't'.charCodeAt(0)) | 0);
  });

  it('prints LogDirsCommand\'s JSON, filtering by topic', () => {
    const byBroker = new Map([[0, [{ logDir: '/data/a', errorCode: 0, partitions: [{ topic: 't', partition: 0, size: 120n, offsetLag: 0n, isFuture: false }, { topic: 'u', partition: 1, size: 0n, offsetLag: 0n, isFuture: false }] }]]]);
    expect(formatLogDirsJson(byBroker, new Set(['t'])))
      .toBe('{"brokers":[{"broker":0,"logDirs":[{"partitions":[{"partition":"t-0","size":120,"offsetLag":0,"isFuture":false}],"error":null,"logDir":"/data/a"}]}],"version":1}');
    const failed = new Map([[0, [{ logDir: '/data/b', errorCode: 56, partitions: [] }]]]);
    expect(formatLogDirsJson(failed, new Set())).toContain('"error":"org.apache.kafka.common.errors.KafkaStorageException","logDir":"/data/b"');
  });
});

describe('topic and dynamic broker config rules', () => {
  it('validates names and values with Kafka\'s messages', () => {
    expect(validateTopicConfig('retention.mss', '1')).toBe('Unknown topic config name: retention.mss');
    expect(validateTopicConfig('retention.ms', 'abc')).toBe('Invalid value abc for configuration retention.ms: Not a number of type LONG');
    expect(validateTopicConfig('retention.ms', '-5')).toBe('Invalid value -5 for configuration retention.ms: Value must be at least -1');
    expect(validateTopicConfig('segment.bytes', '3000000000')).toBe('Invalid value 3000000000 for configuration segment.bytes: Not a number of type INT');
    expect(validateTopicConfig('cleanup.policy', 'compact,nope')).toBe('Invalid value nope for configuration cleanup.policy: String must be one of: compact, delete');
    expect(validateTopicConfig('preallocate', 'yes')).toBe('Invalid value yes for configuration preallocate: Expected value to be either true or false');
    expect(validateTopicConfig('min.cleanable.dirty.ratio', '1.5')).toBe('Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1');
    expect(validateTopicConfig('cleanup.policy', 'compact,delete')).toBeUndefined();
    expect(validateDynamicBrokerConfig('log.cleaner.threads', '2')).toBe('Cannot update these configs dynamically: Set(log.cleaner.threads)');
    expect(validateDynamicBrokerConfig('log.retention.hours', 'x')).toBe('Invalid value x for configuration log.retention.hours: Not a number of type INT');
    expect(validateDynamicBrokerConfig('log.retention.ms', '1000')).toBeUndefined();
  });

  it('lists synonyms layer by layer and drops leading ones for other keys, as ConfigHelper', () => {
    const layers = { dynamicBroker: new Map([['log.retention.ms', '5000']]), dynamicDefault: new Map([['log.retention.hours', '2']]), static: new Map([['log.retention.hours', '100']]) };
    expect(configSynonyms('log.retention.ms', brokerSynonyms('log.retention.ms'), layers).map((s) => `${s.source}:${s.name}=${s.value}`)).toEqual([
      'DYNAMIC_BROKER_CONFIG:log.retention.ms=5000', 'DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.hours=2', 'STATIC_BROKER_CONFIG:log.retention.hours=100', 'DEFAULT_CONFIG:log.retention.hours=168',
    ]);
    const none = { dynamicBroker: new Map(), dynamicDefault: new Map(), static: new Map([['log.retention.hours', '100']]) };
    const resolved = resolveTopicConfig('retention.ms', new Map(), none.static, none);
    expect(resolved).toMatchObject({ value: '360000000', source: 'DEFAULT_CONFIG', synonyms: [] });
    expect(resolveTopicConfig('retention.ms', new Map([['retention.ms', '7']]), none.static, none)).toMatchObject({ value: '7', source: 'DYNAMIC_TOPIC_CONFIG', synonyms: [{ name: 'retention.ms', value: '7', source: 'DYNAMIC_TOPIC_CONFIG' }] });
  });
});
