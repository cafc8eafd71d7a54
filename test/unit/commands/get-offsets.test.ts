import { describe, expect, it } from 'vitest';
import { getOffsetsCommand, getOffsetsOptions, offsetLines, parseTime, sortPartitions } from '../../../src/commands/get-offsets.js';
import { partitionSet, topicAndPartitionsFilter, topicPartitionsFilter } from '../../../src/commands/get-offsets/partition-filter.js';
import { parseArgs } from '../../../src/commands/shared/options.js';
import { UsageError } from '../../../src/errors.js';
import { runCli } from '../../helpers/run-cli.js';

const options = (argv: string[]) => getOffsetsOptions(parseArgs(getOffsetsCommand.options, argv));

describe('get-offsets options', () => {
  it.each([
    [[], 'Missing required argument "[bootstrap-server]"'],
    [['--bootstrap-server', ' '], 'Error while validating the bootstrap address'],
    [['--bootstrap-server', 'localhost'], 'Please provide valid host:port like host1:9091,host2:9092'],
  ])('%j ⇒ usage: %s', (argv, message) => {
    expect(() => options(argv)).toThrow(UsageError);
    expect(() => options(argv)).toThrow(message);
  });

  it('takes --broker-list when --bootstrap-server is absent, and defaults --time to latest', () => {
    expect(options(['--broker-list', 'a:1'])).toMatchObject({ bootstrapServer: 'a:1', time: 'latest', excludeInternalTopics: false });
    expect(options(['--broker-list', 'a:1', '--bootstrap-server', 'b:2']).bootstrapServer).toBe('b:2');
  });
});

describe('--time', () => {
  it.each([
    ['latest', -1n], ['-1', -1n], ['earliest', -2n], ['-2', -2n], ['max-timestamp', -3n], ['-3', -3n],
    ['earliest-local', -4n], ['-4', -4n], ['latest-tiered', -5n], ['-5', -5n], ['1700000000000', 1700000000000n], ['+7', 7n],
  ])('%s ⇒ %s', (text, value) => expect(parseTime(text)).toBe(value));

  it.each(['', 'LATEST', '1.5', 'now', '9223372036854775808'])('%j is malformed', (text) => {
    expect(() => parseTime(text)).toThrow(`Malformed time argument ${text}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp`);
  });
});

describe('partition filters', () => {
  it('--topic is a whole-name regex; --partitions a set (empty: all)', () => {
    const f = topicAndPartitionsFilter('t.*', '0,2');
    expect([f.isTopicAllowed('t1'), f.isTopicAllowed('xt')]).toEqual([true, false]);
    expect([0, 1, 2].map((p) => f.isTopicPartitionAllowed('t1', p))).toEqual([true, false, true]);
    expect(topicAndPartitionsFilter(undefined, '').isTopicPartitionAllowed('any', 9)).toBe(true);
  });

  it('rejects non-numeric --partitions with Kafka\'s message', () => {
    expect(() => partitionSet('1,a')).toThrow('--partitions expects a comma separated list of numeric partition ids, but received: 1,a');
    expect([...partitionSet('1,2,')]).toEqual([1, 2]);
  });

  it.each([
    ['t:1', [['t', 1, true], ['t', 0, false], ['u', 1, false]]],
    ['t:1-3', [['t', 0, false], ['t', 1, true], ['t', 2, true], ['t', 3, false]]],
    ['t:2-', [['t', 1, false], ['t', 99, true]]],
    ['t:-2', [['t', 1, true], ['t', 2, false]]],
    [':0', [['a', 0, true], ['b', 0, true], ['b', 1, false]]],
    ['t', [['t', 5, true], ['tt', 5, false]]],
    ['a:0,b:1', [['a', 0, true], ['a', 1, false], ['b', 1, true]]],
  ] as const)('--topic-partitions %s', (spec, cases) => {
    const f = topicPartitionsFilter(spec);
    for (const [topic, partition, want] of cases) expect(f.isTopicPartitionAllowed(topic, partition)).toBe(want);
  });

  it('an unparseable rule fails as Kafka\'s wrapped TerseException', () => {
    expect(() => topicPartitionsFilter('t:x')).toThrow('org.apache.kafka.tools.TerseException: Invalid rule specification: t:x');
  });
});

describe('output', () => {
  it('sorts by topic, then partition number, one topic:partition:offset line each', () => {
    const tps = sortPartitions([{ topic: 'b', partition: 0 }, { topic: 'a', partition: 10 }, { topic: 'a', partition: 2 }]);
    expect(offsetLines(tps.map((tp, i) => ({ ...tp, offset: BigInt(i * 5) })))).toBe('a:2:0\na:10:5\nb:0:10\n');
  });
});

describe('ktool get-offsets without a cluster', () => {
  it('no arguments: usage on stderr, exit 1', async () => {
    const r = await runCli(['get-offsets']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^An interactive shell for getting topic-partition offsets\.\nOption +Description\n/);
  });

  it('an unknown option is a terse error, without the help table', async () => {
    const r = await runCli(['get-offsets', '--bootstrap-server', 'h:1', '--nope']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'Error occurred: nope is not a recognized option\n' });
  });

  it('--topic-partitions with --topic, and a malformed --time, fail before connecting', async () => {
    expect(await runCli(['get-offsets', '--bootstrap-server', 'h:1', '--topic-partitions', 't', '--topic', 't'])).toMatchObject({ code: 1, stderr: 'Error occurred: --topic-partitions cannot be used with --topic or --partitions\n' });
    const r = await runCli(['get-offsets', '--bootstrap-server', 'h:1', '--time', 'soon']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error occurred: Malformed time argument soon\. /);
  });

  it('--version prints the Kafka version', async () => {
    expect(await runCli(['kafka-get-offsets.sh', '--version'])).toMatchObject({ code: 0, stdout: '4.0.0\n' });
  });
});
