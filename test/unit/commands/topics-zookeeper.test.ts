import { describe, expect, it } from 'vitest';
import { KtoolError, UsageError } from '../../../src/errors.js';
import { parseArgs } from '../../../src/commands/shared/options.js';
import { describeTopicLines, topicsCommand, topicsOptions } from '../../../src/commands/topics.js';
import { javaHashOrder } from '../../../src/commands/topics-zookeeper.js';
import { assignReplicasToBrokers, rackAlternatedBrokers } from '../../../src/zookeeper/replica-assignment.js';
import { validateTopicName } from '../../../src/zookeeper/admin-zk-client.js';
import { ZERO_UUID } from '../../../src/protocol/codec.js';

const Z = ['--zookeeper', 'localhost:2181'];
const options = (argv: string[]) => topicsOptions(parseArgs(topicsCommand.options, argv));
const failure = (argv: string[]): Error => {
  try {
    options(argv);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
};

describe('topicsOptions with --zookeeper (TopicCommandOptions.checkArgs, 2.8)', () => {
  it('takes exactly one of --bootstrap-server and --zookeeper', () => {
    const err = failure([...Z, '--bootstrap-server', 'b:9092', '--list']);
    expect(err).toBeInstanceOf(KtoolError);
    expect(err).not.toBeInstanceOf(UsageError);
    expect(err.message).toBe('Only one of --bootstrap-server or --zookeeper must be specified');
    expect(options([...Z, '--list'])).toMatchObject({ action: 'list', zookeeper: 'localhost:2181', bootstrapServer: undefined });
  });

  it.each([
    [[...Z, '--create', '--topic', 't'], 'Missing required argument "[partitions]"'],
    [[...Z, '--create', '--topic', 't', '--partitions', '1'], 'Missing required argument "[replication-factor]"'],
    [[...Z, '--describe', '--if-exists'], 'Missing required argument "[topic]"'],
    [[...Z, '--describe', '--under-min-isr-partitions'], 'Option "[under-min-isr-partitions]" can\'t be used with option "[zookeeper]"'],
    [[...Z, '--describe', '--at-min-isr-partitions'], 'Option "[at-min-isr-partitions]" can\'t be used with option "[zookeeper]"'],
    [[...Z, '--create', '--topic', 't', '--partitions', '1', '--replication-factor', '1', '--delete-config', 'x'], 'Option "[delete-config]" can\'t be used with option "[create]"'],
  ])('%j ⇒ usage error %s', (argv, message) => {
    const err = failure(argv);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(message);
  });

  it('allows --config and --delete-config on --alter, and --partitions is optional there', () => {
    expect(options([...Z, '--alter', '--topic', 't', '--config', 'a=b', '--delete-config', 'c'])).toMatchObject({ action: 'alter', configs: ['a=b'], deleteConfigs: ['c'] });
    expect(options([...Z, '--create', '--topic', 't', '--replica-assignment', '0:1', '--disable-rack-aware'])).toMatchObject({ replicaAssignment: '0:1', disableRackAware: true });
  });
});

describe('assignReplicasToBrokers (AdminUtils, rack unaware)', () => {
  const brokers = [0, 1, 2, 3, 4].map((id) => ({ id }));
  it('round-robins leaders and shifts followers (AdminUtilsTest expectations)', () => {
    const expected = new Map([
      [0, [0, 1, 2]], [1, [1, 2, 3]], [2, [2, 3, 4]], [3, [3, 4, 0]], [4, [4, 0, 1]],
      [5, [0, 2, 3]], [6, [1, 3, 4]], [7, [2, 4, 0]], [8, [3, 0, 1]], [9, [4, 1, 2]],
    ]);
    expect(assignReplicasToBrokers(brokers, 10, 3, { fixedStartIndex: 0 })).toEqual(expected);
  });
  it('continues from a partition id when adding partitions', () => {
    expect(assignReplicasToBrokers(brokers, 2, 3, { fixedStartIndex: 0, startPartitionId: 5 })).toEqual(new Map([[5, [0, 2, 3]], [6, [1, 3, 4]]]));
  });
  it('uses the random start and shift', () => {
    expect(assignReplicasToBrokers([{ id: 7 }, { id: 9 }], 2, 2, { random: () => 1 })).toEqual(new Map([[0, [9, 7]], [1, [7, 9]]]));
  });
  it.each([
    [0, 1, 'Number of partitions must be larger than 0.'],
    [1, 0, 'Replication factor must be larger than 0.'],
    [1, 6, 'Replication factor: 6 larger than available brokers: 5.'],
  ])('partitions %i rf %i ⇒ %s', (p, rf, message) => {
    expect(() => assignReplicasToBrokers(brokers, p, rf)).toThrow(message);
  });
});

describe('assignReplicasToBrokers (rack aware)', () => {
  const racks = [
    { id: 0, rack: 'rack1' }, { id: 1, rack: 'rack3' }, { id: 2, rack: 'rack3' },
    { id: 3, rack: 'rack2' }, { id: 4, rack: 'rack2' }, { id: 5, rack: 'rack1' },
  ];
  it('alternates racks in the broker list', () => {
    expect(rackAlternatedBrokers(racks)).toEqual([0, 3, 1, 5, 4, 2]);
  });
  it('puts each partition on three racks', () => {
    const a = assignReplicasToBrokers(racks, 6, 3, { fixedStartIndex: 2 });
    const rackOf = new Map(racks.map((b) => [b.id, b.rack]));
    for (const replicas of a.values()) expect(new Set(replicas.map((b) => rackOf.get(b))).size).toBe(3);
    expect(a.get(0)).toEqual([1, 4, 0]); // leader at index 2 (broker 1), then the shifted walk skipping rack3
  });
  it('refuses a mix of brokers with and without racks', () => {
    expect(() => assignReplicasToBrokers([{ id: 0, rack: 'a' }, { id: 1 }], 1, 1)).toThrow('Not all brokers have rack information for replica rack aware assignment.');
  });
});

describe('Kafka 2.8 details', () => {
  it('validates topic names with 2.8 wording', () => {
    expect(() => validateTopicName('a b')).toThrow('Topic name "a b" is illegal, it contains a character other than ASCII alphanumerics, \'.\', \'_\' and \'-\'');
    expect(() => validateTopicName('..')).toThrow('Topic name cannot be "." or ".."');
    expect(() => validateTopicName('')).toThrow("Topic name is illegal, it can't be empty");
  });

  it('orders configs as Java hash maps iterate', () => {
    const m = new Map([['retention.ms', '1'], ['cleanup.policy', 'compact']]);
    expect([...javaHashOrder(m, 'HashMap').keys()]).toEqual(['cleanup.policy', 'retention.ms']);
    expect([...javaHashOrder(new Map([['segment.ms', '1'], ['cleanup.policy', 'x']]), 'Properties').keys()]).toEqual(['cleanup.policy', 'segment.ms']);
  });

  it('describes in 2.8 layout: no Elr columns, MarkedForDeletion on every line', () => {
    const topic = { name: 't', topicId: ZERO_UUID, isInternal: false, partitions: [{ partition: 0, leader: -1, replicas: [0], isr: [] }] };
    const f = { topicsWithOverrides: false, underReplicated: false, unavailable: false, underMinIsr: false, atMinIsr: false };
    expect(describeTopicLines(topic, [{ name: 'a', value: '1', isDefault: false }], new Set([0]), f, { elr: false, markedForDeletion: true })).toBe(
      'Topic: t\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: a=1\tMarkedForDeletion: true\n'
      + '\tTopic: t\tPartition: 0\tLeader: none\tReplicas: 0\tIsr: \tMarkedForDeletion: true\n',
    );
  });
});
