import { describe, expect, it } from 'vitest';
import { KtoolError, UsageError } from '../../../src/errors.js';
import { parseArgs } from '../../../src/commands/shared/options.js';
import { topicsCommand, describeTopicLines, parseReplicaAssignment, parseTopicConfigs, selectTopics, topicsOptions } from '../../../src/commands/topics.js';
import type { TopicInfo } from '../../../src/client/topic-admin.js';
import { ZERO_UUID } from '../../../src/protocol/codec.js';

const B = ['--bootstrap-server', 'localhost:9092'];
const options = (argv: string[]) => topicsOptions(parseArgs(topicsCommand.options, argv));
const failure = (argv: string[]): Error => {
  try {
    options(argv);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
};

describe('topicsOptions (TopicCommandOptions.checkArgs)', () => {
  it.each([
    [[...B], 'Command must include exactly one action: --list, --describe, --create, --alter or --delete'],
    [[...B, '--list', '--describe'], 'Command must include exactly one action: --list, --describe, --create, --alter or --delete'],
    [[...B, '--create'], 'Missing required argument "[topic]"'],
    [[...B, '--delete'], 'Missing required argument "[topic]"'],
    [[...B, '--alter', '--topic', 't'], 'Missing required argument "[partitions]"'],
    [[...B, '--alter', '--topic', 't', '--config', 'a=b', '--partitions', '2'], 'Option combination "[bootstrap-server, config]" can\'t be used with option "[alter]" (To alter topic configurations, the kafka-configs tool can be used.)'],
    [[...B, '--describe', '--partitions', '3'], 'Option "[partitions]" can\'t be used with option "[describe]"'],
    [[...B, '--alter', '--topic', 't', '--partitions', '3', '--replication-factor', '2'], 'Option "[replication-factor]" can\'t be used with option "[alter]"'],
    [[...B, '--create', '--topic', 't', '--replica-assignment', '0', '--partitions', '1'], 'Option "[replica-assignment]" can\'t be used with option "[partitions]"'],
    [[...B, '--list', '--under-replicated-partitions'], 'Option "[under-replicated-partitions]" can\'t be used with option "[list]"'],
    [[...B, '--describe', '--under-replicated-partitions', '--topics-with-overrides'], 'Option "[under-replicated-partitions]" can\'t be used with option "[topics-with-overrides]"'],
    [[...B, '--create', '--topic', 't', '--if-exists'], 'Option "[if-exists]" can\'t be used with option "[create]"'],
    [[...B, '--delete', '--topic', 't', '--if-not-exists'], 'Option "[if-not-exists]" can\'t be used with option "[delete]"'],
    [[...B, '--create', '--topic', 't', '--exclude-internal'], 'Option "[exclude-internal]" can\'t be used with option "[create]"'],
    [[...B, '--describe', '--if-exists'], '--topic or --topic-id is required to describe a topic'],
  ])('%j ⇒ usage error %s', (argv, message) => {
    const err = failure(argv);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(message);
  });

  it('requires --bootstrap-server with a plain error (not usage)', () => {
    const err = failure(['--list']);
    expect(err).toBeInstanceOf(KtoolError);
    expect(err).not.toBeInstanceOf(UsageError);
    expect(err.message).toBe('--bootstrap-server must be specified');
  });

  it('builds typed options', () => {
    const o = options([...B, '--create', '--topic', 'a.b', '--partitions', '3', '--replication-factor', '1', '--config', 'x=1', '--config', 'y=2', '--if-not-exists']);
    expect(o).toMatchObject({ action: 'create', topic: 'a.b', partitions: 3, replicationFactor: 1, configs: ['x=1', 'y=2'], ifNotExists: true, bootstrapServer: 'localhost:9092' });
  });
});

describe('parseTopicConfigs', () => {
  it('splits on = with surrounding spaces', () => {
    expect(parseTopicConfigs(['cleanup.policy = compact', 'retention.ms=1000'])).toEqual(new Map([['cleanup.policy', 'compact'], ['retention.ms', '1000']]));
  });
  it.each([['a=b=c'], ['retention.ms='], ['retention.ms']])('rejects %j', (item) => {
    expect(() => parseTopicConfigs([item])).toThrow('requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".');
  });
  it('rejects unknown names', () => {
    expect(() => parseTopicConfigs(['no.such.config=1'])).toThrow('Unknown topic config name: no.such.config');
  });
});

describe('parseReplicaAssignment', () => {
  it('reads partitions and replicas', () => {
    expect(parseReplicaAssignment('0:1, 1:2 ,2:0')).toEqual([[0, 1], [1, 2], [2, 0]]);
  });
  it('rejects duplicates and uneven replication', () => {
    expect(() => parseReplicaAssignment('1:1')).toThrow('Partition replica lists may not contain duplicate entries: 1');
    expect(() => parseReplicaAssignment('0:1,2')).toThrow('Partition 1 has different replication factor: [2]');
    expect(() => parseReplicaAssignment('0:x')).toThrow('For input string: "x"');
  });
});

describe('selectTopics', () => {
  const all = ['b', '__consumer_offsets', 'a', 'my.topic', 'myXtopic'];
  it.each([
    [undefined, false, ['__consumer_offsets', 'a', 'b', 'my.topic', 'myXtopic']],
    [undefined, true, ['a', 'b', 'my.topic', 'myXtopic']],
    ['my.topic', false, ['my.topic', 'myXtopic']],
    ['a,b', false, ['a', 'b']],
    ['__.*', true, []],
  ] as const)('filter %j, excludeInternal %s', (filter, exclude, expected) => {
    expect(selectTopics(all, filter, exclude)).toEqual(expected);
  });
});

describe('describeTopicLines', () => {
  const topic: TopicInfo = {
    name: 't',
    topicId: '0c2c05f8-1fbf-4d4b-b7ab-1e2eb0a5e10f',
    isInternal: false,
    partitions: [
      { partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2] },
      { partition: 1, leader: -1, replicas: [2, 1], isr: [1] },
    ],
  };
  const none = { topicsWithOverrides: false, underReplicated: false, unavailable: false, underMinIsr: false, atMinIsr: false };
  const configs = [
    { name: 'cleanup.policy', value: 'compact', isDefault: false },
    { name: 'segment.bytes', value: '1073741824', isDefault: false },
    { name: 'retention.ms', value: '604800000', isDefault: true },
  ];

  it('prints the topic line and TAB-separated partition lines (4.x form)', () => {
    expect(describeTopicLines(topic, configs, new Set([1, 2]), none)).toBe(
      'Topic: t\tTopicId: DCwF-B-_TUu3qx4usKXhDw\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: cleanup.policy=compact,segment.bytes=1073741824\n'
      + '\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tElr: N/A\tLastKnownElr: N/A\n'
      + '\tTopic: t\tPartition: 1\tLeader: none\tReplicas: 2,1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A\n',
    );
  });

  it('omits the TopicId for the zero UUID and prints empty Configs', () => {
    const out = describeTopicLines({ ...topic, topicId: ZERO_UUID, partitions: [topic.partitions[0]!] }, [], new Set([1]), none);
    expect(out.split('\n')[0]).toBe('Topic: t\tPartitionCount: 1\tReplicationFactor: 2\tConfigs: ');
  });

  it('applies the partition filters without the topic line', () => {
    expect(describeTopicLines(topic, configs, new Set([1, 2]), { ...none, underReplicated: true })).toBe(
      '\tTopic: t\tPartition: 1\tLeader: none\tReplicas: 2,1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A\n',
    );
    expect(describeTopicLines(topic, configs, new Set([2]), { ...none, unavailable: true }).split('\n').length).toBe(3);
  });

  it('topics-with-overrides prints only topics with overrides, without partitions', () => {
    expect(describeTopicLines(topic, configs, new Set([1, 2]), { ...none, topicsWithOverrides: true })).toMatch(/^Topic: t\t.*\n$/);
    expect(describeTopicLines(topic, [configs[2]!], new Set([1, 2]), { ...none, topicsWithOverrides: true })).toBe('');
  });
});
