// kafka-consumer-groups without a broker: option checks with Kafka's messages, the flag-value
// parsers, and the output formats byte for byte.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseArgs } from '../../../src/commands/shared/options.js';
import { consumerGroupsCommand, consumerGroupsOptions } from '../../../src/commands/consumer-groups.js';
import {
  deleteOffsetsHeadline, formatAssignment, formatDeleteGroups, formatDeleteOffsetsTable, formatGroupTable, formatMembersTable,
  formatOffsetsTable, formatResetTable, formatStateTable, stateNotice,
} from '../../../src/commands/consumer-groups/format.js';
import {
  csvFields, durationTimestamp, exportCsv, javaSplit, parseDateTime, parseDuration, parseResetPlan, parseStateList,
  parseTopicWithPartitions, parseTypeList, splitTopicArgs, ValueError,
} from '../../../src/commands/consumer-groups/values.js';
import { runCli } from '../../helpers/run-cli.js';

const B = ['--bootstrap-server', 'localhost:9092'];
const options = (argv: string[], warn?: (l: string) => void) => consumerGroupsOptions(parseArgs(consumerGroupsCommand.options, argv), warn);
const failure = (argv: string[]): Error => {
  try {
    options(argv);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
};

describe('consumerGroupsOptions (ConsumerGroupCommandOptions.checkArgs)', () => {
  const ACTIONS = 'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets';
  it.each([
    [['--list'], 'Missing required argument "[bootstrap-server]"'],
    [[...B], ACTIONS],
    [[...B, '--list', '--delete-offsets', '--group', 'g', '--topic', 't'], 'Option "[group]" can\'t be used with option "[list]"'],
    [[...B, '--list', '--describe', '--all-groups'], ACTIONS],
    [[...B, '--describe'], 'Option [describe] takes one of these options: [group], [all-groups]'],
    [[...B, '--describe', '--group', 'g', '--members', '--state'], 'Option [describe] takes at most one of these options: [members], [offsets], [state]'],
    [[...B, '--describe', '--group', 'g', '--members', '--offsets'], 'Option [describe] takes at most one of these options: [members], [offsets], [state]'],
    [[...B, '--describe', '--group', 'g', '--state', 'stable'], 'Option [describe] does not take a value for [state]'],
    [[...B, '--describe', '--group', 'g', '--all-groups'], 'Option "[group]" can\'t be used with option "[all-groups]"'],
    [[...B, '--describe', '--group', 'g', '--topic', 't'], 'Option "[topic]" can\'t be used with option "[describe]"'],
    [[...B, '--delete'], 'Option [delete] takes one of these options: [group], [all-groups]'],
    [[...B, '--delete', '--group', 'g', '--topic', 't'], 'The consumer does not support topic-specific offset deletion from a consumer group.'],
    [[...B, '--delete-offsets', '--group', 'g'], 'Option [delete-offsets] takes the following options: [group], [topic]'],
    [[...B, '--delete-offsets', '--topic', 't'], 'Option [delete-offsets] takes the following options: [group], [topic]'],
    [[...B, '--reset-offsets', '--group', 'g', '--dry-run', '--execute'], 'Option [reset-offsets] only accepts one of [execute] and [dry-run]'],
    [[...B, '--reset-offsets', '--dry-run', '--to-earliest'], 'Option [reset-offsets] takes one of these options: [group], [all-groups]'],
    [[...B, '--reset-offsets', '--group', 'g', '--dry-run', '--to-earliest', '--to-latest'], 'Option "[to-earliest]" can\'t be used with option "[to-latest]"'],
    [[...B, '--reset-offsets', '--group', 'g', '--dry-run', '--to-offset', '3', '--shift-by', '1'], 'Option "[to-offset]" can\'t be used with option "[shift-by]"'],
    [[...B, '--list', '--members'], 'Option(s) [members] are unavailable given other options on the command line'],
    [[...B, '--delete', '--group', 'g', '--state'], 'Option(s) [state] are unavailable given other options on the command line'],
    [[...B, '--describe', '--group', 'g', '--type'], 'Option(s) [type] are unavailable given other options on the command line'],
  ])('%j ⇒ usage error %s', (argv, message) => {
    const err = failure(argv);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(message);
  });

  it('numbers are checked by the parser, as jopt does', () => {
    expect(() => options([...B, '--describe', '--group', 'g', '--timeout', 'x'])).toThrow("Cannot parse argument 'x' of option timeout");
    expect(() => options([...B, '--reset-offsets', '--group', 'g', '--to-offset', '1.5'])).toThrow("Cannot parse argument '1.5' of option to-offset");
  });

  it('warns on stderr (during the checks) when neither --execute nor --dry-run is given', () => {
    const lines: string[] = [];
    expect(() => options([...B, '--reset-offsets', '--to-earliest'], (l) => lines.push(l))).toThrow(UsageError);
    expect(lines).toEqual(['WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.']);
    const quiet: string[] = [];
    options([...B, '--reset-offsets', '--group', 'g', '--to-earliest', '--all-topics', '--dry-run'], (l) => quiet.push(l));
    expect(quiet).toEqual([]);
  });

  it('builds typed options', () => {
    expect(options([...B, '--describe', '--group', 'a', '--group', 'b', '--members', '--verbose', '--timeout', '1500'])).toMatchObject({
      action: 'describe', groups: ['a', 'b'], view: 'members', verbose: true, timeoutMs: 1500, bootstrapServer: 'localhost:9092',
    });
    expect(options([...B, '--describe', '--all-groups', '--state'])).toMatchObject({ view: 'state', allGroups: true, timeoutMs: 5000 });
    expect(options([...B, '--list', '--state', 'stable,empty', '--type'])).toMatchObject({ listState: true, stateFilter: 'stable,empty', listType: true, typeFilter: undefined });
    expect(options([...B, '--reset-offsets', '--group', 'g', '--topic', 't:0,1', '--topic', 'u', '--shift-by', '-3', '--execute', '--export'])).toMatchObject({
      action: 'reset-offsets', topics: ['t:0,1', 'u'], scenario: { kind: 'shift-by', shift: -3n }, execute: true, exportCsv: true,
    });
    expect(options([...B, '--reset-offsets', '--group', 'g', '--all-topics', '--to-datetime', '2024-01-01T00:00:00.000', '--dry-run']).scenario).toEqual({ kind: 'to-datetime', text: '2024-01-01T00:00:00.000' });
    expect(options([...B, '--reset-offsets', '--group', 'g', '--all-topics', '--dry-run']).scenario).toBeUndefined();
  });
});

describe('through main()', () => {
  it('--help and no arguments print usage on stderr, exit 1; --version prints 4.0.0', async () => {
    const help = await runCli(['consumer-groups', '--help']);
    expect(help.code).toBe(1);
    expect(help.stdout).toBe('');
    expect(help.stderr).toMatch(/^This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets\.\nOption +Description\n/);
    expect(help.stderr).toContain('--reset-offsets');
    expect(await runCli(['kafka-consumer-groups', '--version'])).toMatchObject({ code: 0, stdout: '4.0.0\n' });
  });

  it('an unknown option is a usage error', async () => {
    const r = await runCli(['consumer-groups', '--bootstrap-server', 'h:1', '--zookeeper', 'z:2181', '--list']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('zookeeper is not a recognized option');
  });

  it('runtime failures print the Error line on stdout and still exit 0', async () => {
    // Port 1 refuses connections: the call times out after --timeout.
    const r = await runCli(['consumer-groups', '--bootstrap-server', '127.0.0.1:1', '--list', '--timeout', '300']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('\nError: Executing consumer group command failed due to org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listGroups\n');
    expect(r.stderr).toContain('org.apache.kafka.common.errors.TimeoutException');
  });

  it('a missing --command-config file is a runtime failure (exit 0)', async () => {
    const r = await runCli(['consumer-groups', '--bootstrap-server', 'h:1', '--list', '--command-config', '/nonexistent/admin.properties']);
    expect(r).toMatchObject({ code: 0, stdout: '\nError: Executing consumer group command failed due to /nonexistent/admin.properties (No such file or directory)\n' });
  });
});

describe('flag values', () => {
  it.each([
    ['a:b', ['a', 'b']],
    ['a:', ['a']],
    [':', []],
    ['a::', ['a']],
    ['', ['']],
    [':a', ['', 'a']],
  ])('javaSplit(%j, ":") = %j', (text, parts) => {
    expect(javaSplit(text, ':')).toEqual(parts);
  });

  it.each([
    ['t:0,1,2', [['t', 0], ['t', 1], ['t', 2]]],
    ['t:3', [['t', 3]]],
    ['t:0,', [['t', 0]]],
    ['t:+1', [['t', 1]]],
  ])('--topic %j', (arg, expected) => {
    expect(parseTopicWithPartitions(arg)).toEqual(expected.map(([topic, partition]) => ({ topic, partition })));
  });

  it.each([
    ['t:x', "Invalid partition 'x' specified in topic arg 't:x''"],
    ['t:,1', "Invalid partition '' specified in topic arg 't:,1''"],
    ['t:0,99999999999', "Invalid partition '99999999999' specified in topic arg 't:0,99999999999''"],
    ['t:', "Invalid topic arg 't:', expected topic name and partitions"],
    ['t:0:1', "Invalid topic arg 't:0:1', expected topic name and partitions"],
  ])('--topic %j is a usage error', (arg, message) => {
    expect(() => parseTopicWithPartitions(arg)).toThrow(new UsageError(message));
  });

  it('splits --topic values into explicit partitions and whole topics', () => {
    expect(splitTopicArgs(['a:1', 'b', 'c:0,2'])).toEqual({ partitions: [{ topic: 'a', partition: 1 }, { topic: 'c', partition: 0 }, { topic: 'c', partition: 2 }], topics: ['b'] });
  });

  it.each([
    [undefined, []],
    ['', []],
    ['stable', ['Stable']],
    ['Stable, EMPTY ,preparingrebalance', ['Stable', 'Empty', 'PreparingRebalance']],
    ['dead,completingrebalance,assigning,reconciling', ['Dead', 'CompletingRebalance', 'Assigning', 'Reconciling']],
  ])('--state %j', (input, states) => {
    expect(parseStateList(input)).toEqual(states);
  });

  it('rejects unknown states', () => {
    expect(() => parseStateList('stable,bogus')).toThrow(new UsageError("Invalid state list 'stable,bogus'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, Empty, Assigning, Reconciling"));
  });

  it('--type lists', () => {
    expect(parseTypeList('CLASSIC, consumer')).toEqual(['Classic', 'Consumer']);
    expect(parseTypeList(undefined)).toEqual([]);
    expect(() => parseTypeList('share')).toThrow(new UsageError("Invalid types list 'share'. Valid types are: Classic, Consumer"));
  });

  it.each([
    ['2024-10-25T10:01:02.345', Date.UTC(2024, 9, 25, 10, 1, 2, 345)],
    ['2024-10-25T10:01:02.345Z', Date.UTC(2024, 9, 25, 10, 1, 2, 345)],
    ['2024-10-25T10:01:02.345+02:00', Date.UTC(2024, 9, 25, 8, 1, 2, 345)],
    ['2024-10-25T10:01:02.345-0530', Date.UTC(2024, 9, 25, 15, 31, 2, 345)],
    ['2024-10-25T10:01:02.345+01', Date.UTC(2024, 9, 25, 9, 1, 2, 345)],
    ['2024-02-29T00:00:00.5', Date.UTC(2024, 1, 29, 0, 0, 0, 5)],
    ['1970-01-01T00:00:00.000', 0],
  ])('--to-datetime %j', (text, ms) => {
    expect(parseDateTime(text)).toBe(ms);
  });

  it.each([
    ['2024-10-25', "java.text.ParseException: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format"],
    ['2024-10-25T10:01:02', 'java.text.ParseException: Unparseable date: "2024-10-25T10:01:02Z"'],
    ['2023-02-29T00:00:00.000', 'java.text.ParseException: Unparseable date: "2023-02-29T00:00:00.000Z"'],
    ['2024-13-01T00:00:00.000', 'java.text.ParseException: Unparseable date: "2024-13-01T00:00:00.000Z"'],
    ['2024-01-01T24:00:00.000', 'java.text.ParseException: Unparseable date: "2024-01-01T24:00:00.000Z"'],
    ['2024-01-01T00:00:00.1234', 'java.text.ParseException: Unparseable date: "2024-01-01T00:00:00.1234Z"'],
  ])('--to-datetime %j fails as %s', (text, message) => {
    try {
      parseDateTime(text);
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(ValueError);
      expect(`${(err as ValueError).javaClass}: ${(err as ValueError).message}`).toBe(message);
    }
  });

  const S = 1_000_000_000n;
  it.each([
    ['PT1H', 3600n * S],
    ['P1D', 86400n * S],
    ['P1DT2H30M', (86400n + 2n * 3600n + 30n * 60n) * S],
    ['PT0.5S', S / 2n],
    ['pt-1.5s', -(S + S / 2n)],
    ['-PT10M', -600n * S],
    ['PT1,25S', S + S / 4n],
    ['P-1DT1H', (-86400n + 3600n) * S],
  ])('--by-duration %j', (text, nanos) => {
    expect(parseDuration(text)).toBe(nanos);
  });

  it.each([['P'], ['PT'], ['1H'], ['PT1'], ['P1H'], ['PT1.5M'], ['']])('--by-duration %j is refused as Duration.parse does', (text) => {
    expect(() => parseDuration(text)).toThrow('Text cannot be parsed to a Duration');
  });

  it('--by-duration counts back from now, flooring to milliseconds', () => {
    expect(durationTimestamp(10_000, 1_500_000n)).toBe(9_998n);
    expect(durationTimestamp(10_000, 3_600n * S)).toBe(10_000n - 3_600_000n);
    expect(durationTimestamp(0, 1n)).toBe(-1n);
  });
});

describe('CSV', () => {
  const plan = new Map([
    ['g1', [{ topic: 't', partition: 0, offset: 5n }, { topic: 't', partition: 1, offset: 7n }]],
    ['g,2', [{ topic: 'u', partition: 0, offset: 0n }]],
  ]);

  it('exports without a group column for one --group, with it otherwise (quoting as CSV needs)', () => {
    expect(exportCsv(new Map([['g1', plan.get('g1')!]]), true)).toBe('t,0,5\nt,1,7\n');
    expect(exportCsv(plan, false)).toBe('g1,t,0,5\ng1,t,1,7\n"g,2",u,0,0\n');
  });

  it('splits fields, quoted ones included', () => {
    expect(csvFields('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
  });

  it('reads both shapes back', () => {
    const single = parseResetPlan('t,0,5\nt,1,7\n', ['g1']);
    expect([...single.get('g1')!.values()]).toEqual(plan.get('g1'));
    const multi = parseResetPlan('g1,t,0,5\r\ng1,t,1,7\n"g,2",u,0,0\n', ['g1', 'g,2']);
    expect([...multi.keys()]).toEqual(['g1', 'g,2']);
    expect([...multi.get('g,2')!.values()]).toEqual([{ topic: 'u', partition: 0, offset: 0n }]);
    // With one --group, lines that carry a group column are read with it.
    expect([...parseResetPlan('g9,t,0,5\n', ['g1']).keys()]).toEqual(['g9']);
    // Without a group column and several groups, the lines do not fit.
    expect(() => parseResetPlan('t,0,5\n', ['a', 'b'])).toThrow(ValueError);
    expect(() => parseResetPlan('t,x,5\n', ['a'])).toThrow(ValueError);
  });
});

describe('output formats', () => {
  it('--list --state / --type tables: GROUP is max(15, longest) + 10 wide, then 20-wide columns', () => {
    const groups = [{ groupId: 'g', state: 'Stable', type: 'classic' }, { groupId: 'a-much-longer-group-id', state: 'empty', type: '' }];
    expect(formatGroupTable(groups, false, true)).toBe(
      `${'GROUP'.padEnd(32)} ${'STATE'.padEnd(20)}\n${'g'.padEnd(32)} ${'Stable'.padEnd(20)}\n${'a-much-longer-group-id'.padEnd(32)} ${'Empty'.padEnd(20)}\n`,
    );
    expect(formatGroupTable([{ groupId: 'g', state: 'Stable', type: 'classic' }], true, true)).toBe(
      'GROUP                     TYPE                 STATE               \ng                         Classic              Stable              \n',
    );
    expect(formatGroupTable([], true, false)).toBe('GROUP                     TYPE                \n');
  });

  it('--describe offsets: widths follow the longest GROUP/TOPIC/CONSUMER-ID/HOST, missing values are -', () => {
    const text = formatOffsetsTable([
      { group: 'g', topic: 't', partition: 0, offset: 5n, logEndOffset: 8n, lag: 3n, consumerId: 'console-consumer-0f1e2d3c-aaaa-bbbb-cccc-000011112222', host: '/127.0.0.1', clientId: 'console-consumer' },
      { group: 'g', topic: 't', partition: 1, logEndOffset: 2n, consumerId: 'console-consumer-0f1e2d3c-aaaa-bbbb-cccc-000011112222', host: '/127.0.0.1', clientId: 'console-consumer' },
      { group: 'g', topic: 'other-topic-name', partition: 0, offset: 1n, logEndOffset: 1n, lag: 0n, consumerId: '-', host: '-', clientId: '-' },
    ]);
    expect(text.split('\n')).toEqual([
      '',
      'GROUP           TOPIC            PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                           HOST            CLIENT-ID',
      'g               t                0          5               8               3               console-consumer-0f1e2d3c-aaaa-bbbb-cccc-000011112222 /127.0.0.1      console-consumer',
      'g               t                1          -               2               -               console-consumer-0f1e2d3c-aaaa-bbbb-cccc-000011112222 /127.0.0.1      console-consumer',
      'g               other-topic-name 0          1               1               0               -                                                     -               -',
      '',
    ]);
  });

  it('--describe --members [--verbose]: #PARTITIONS has a trailing space; ASSIGNMENT in the 3.6 form', () => {
    const rows = [
      { group: 'grp', consumerId: 'c-1', groupInstanceId: null, host: '/10.0.0.1', clientId: 'app', assignment: [{ topic: 'b', partition: 2 }, { topic: 'a', partition: 1 }, { topic: 'a', partition: 0 }] },
      { group: 'grp', consumerId: 'c-2', groupInstanceId: null, host: '/10.0.0.2', clientId: 'app', assignment: [] },
    ];
    expect(formatMembersTable(rows, false)).toBe(
      '\nGROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     \n'
      + 'grp             c-1             /10.0.0.1       app             3               \n'
      + 'grp             c-2             /10.0.0.2       app             0               \n',
    );
    expect(formatMembersTable(rows, true)).toBe(
      '\nGROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     ASSIGNMENT\n'
      + 'grp             c-1             /10.0.0.1       app             3               a(0,1), b(2)\n'
      + 'grp             c-2             /10.0.0.2       app             0               -\n',
    );
    const withInstance = formatMembersTable([{ ...rows[0]!, groupInstanceId: 'i-1' }], false);
    expect(withInstance).toBe(
      '\nGROUP           CONSUMER-ID     GROUP-INSTANCE-ID HOST            CLIENT-ID       #PARTITIONS     \n'
      + 'grp             c-1             i-1               /10.0.0.1       app             3               \n',
    );
    expect(formatAssignment([{ topic: 't', partition: 10 }, { topic: 't', partition: 9 }])).toBe('t(9,10)');
  });

  it('--describe --state: GROUP takes the coordinator width (at least 25)', () => {
    expect(formatStateTable({ group: 'g', coordinator: { nodeId: 0, host: 'localhost', port: 9092 }, assignmentStrategy: 'range', state: 'Stable', members: 2 })).toBe(
      '\nGROUP                     COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS'
      + '\ng                         localhost:9092 (0)        range                Stable          2\n',
    );
    const long = formatStateTable({ group: 'g', coordinator: { nodeId: 1001, host: 'broker-1.example.internal', port: 9092 }, assignmentStrategy: '', state: 'Empty', members: 0 });
    expect(long.split('\n')[2]).toBe(`${'g'.padEnd(37)} broker-1.example.internal:9092 (1001) ${''.padEnd(20)} Empty           0`);
  });

  it('group-state notices', () => {
    expect(stateNotice('g', false, 'Dead', 0)).toEqual({ stdout: "\nError: The consumer group 'g' does not exist.\n", stderr: '', print: false });
    expect(stateNotice('g', true, 'Dead', 0)).toEqual({ stdout: "\nError: Consumer group 'g' does not exist.\n", stderr: '', print: false });
    expect(stateNotice('g', true, 'Empty', 2)).toEqual({ stdout: '', stderr: "\nConsumer group 'g' has no active members.\n", print: true });
    expect(stateNotice('g', true, 'Empty', 0).print).toBe(false);
    expect(stateNotice('g', true, 'PreparingRebalance', 1)).toEqual({ stdout: '', stderr: "\nWarning: Consumer group 'g' is rebalancing.\n", print: true });
    expect(stateNotice('g', true, 'CompletingRebalance', 0).stderr).toBe("\nWarning: Consumer group 'g' is rebalancing.\n");
    expect(stateNotice('g', true, 'Stable', 3)).toEqual({ stdout: '', stderr: '', print: true });
    expect(() => stateNotice('g', true, 'Weird', 1)).toThrow("Expected a valid consumer group state, but found 'Weird'.");
  });

  it('--reset-offsets table: 30/30/10/15 columns, header only when some group was considered', () => {
    expect(formatResetTable(new Map([['g', [{ topic: 't', partition: 0, offset: 42n }]]]))).toBe(
      `\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n${'g'.padEnd(30)} ${'t'.padEnd(30)} ${'0'.padEnd(10)} ${'42'.padEnd(15)}\n`,
    );
    expect(formatResetTable(new Map([['g', []]]))).toBe(`\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n`);
    expect(formatResetTable(new Map())).toBe('');
  });

  it('--delete results', () => {
    expect(formatDeleteGroups([{ groupId: 'g1', error: null }, { groupId: 'g2', error: null }])).toBe("Deletion of requested consumer groups ('g1', 'g2') was successful.\n");
    expect(formatDeleteGroups([{ groupId: 'g1', error: null }, { groupId: 'g2', error: 'org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.' }])).toBe(
      "\nError: Deletion of some consumer groups failed:\n* Group 'g2' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.\n\nThese consumer groups were deleted successfully: 'g1'\n",
    );
    expect(formatDeleteGroups([{ groupId: 'g2', error: 'x' }])).toBe("\nError: Deletion of some consumer groups failed:\n* Group 'g2' could not be deleted due to: x\n");
  });

  it('--delete-offsets headline and table', () => {
    expect(deleteOffsetsHeadline('g', ['t1', 't2:0'], 'NONE')).toBe('Request succeed for deleting offsets with topic t1, t2:0 group g\n');
    expect(deleteOffsetsHeadline('g', ['t'], 'GROUP_ID_NOT_FOUND')).toBe("\nError: 'g' does not exist.\n");
    expect(deleteOffsetsHeadline('g', ['t'], 'NON_EMPTY_GROUP')).toBe("\nError: Deleting offsets of a consumer group 'g' is forbidden if the group is not empty.\n");
    expect(deleteOffsetsHeadline('g', ['t'], 'GROUP_SUBSCRIBED_TO_TOPIC')).toBe('\nError: Encounter some partition level error, see the follow-up details:\n');
    expect(deleteOffsetsHeadline('g', ['t'], 'REQUEST_TIMED_OUT')).toBe('\nError: Encounter some unknown error: REQUEST_TIMED_OUT\n');
    expect(formatDeleteOffsetsTable([{ topic: 't', partition: 1, error: null }, { topic: 'missing', partition: -1, error: 'E' }, { topic: 't', partition: 0, error: null }])).toBe(
      `\n${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(15)} ${'STATUS'.padEnd(15)}\n`
      + `${'missing'.padEnd(30)} ${'Not Provided'.padEnd(15)} ${'Error: E'.padEnd(15)}\n`
      + `${'t'.padEnd(30)} ${'0'.padEnd(15)} ${'Successful'.padEnd(15)}\n`
      + `${'t'.padEnd(30)} ${'1'.padEnd(15)} ${'Successful'.padEnd(15)}\n`,
    );
  });
});
