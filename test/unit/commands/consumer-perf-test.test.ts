import { describe, expect, it } from 'vitest';
import { consumerPerfOptions, consumerPerfTestCommand, headerLine, progressLine, summaryLine } from '../../../src/commands/consumer-perf-test.js';
import { simpleDateFormat } from '../../../src/commands/consumer-perf-test/simple-date-format.js';
import { parseArgs } from '../../../src/commands/shared/options.js';
import { UsageError } from '../../../src/errors.js';
import { runCli } from '../../helpers/run-cli.js';

const options = (argv: string[], files: Record<string, Record<string, string>> = {}) =>
  consumerPerfOptions(parseArgs(consumerPerfTestCommand.options, argv), (p) => new Map(Object.entries(p === undefined ? {} : files[p] ?? {})));

describe('consumer-perf-test options', () => {
  it.each([
    [['--topic', 't'], 'Missing required argument "[messages]"'],
    [['--messages', '1'], 'Exactly one of the following arguments is required: [topic], [include]'],
    [['--messages', '1', '--topic', 't', '--include', 'x'], 'Exactly one of the following arguments is required: [topic], [include]'],
    [['--messages', '1', '--topic', 't', '--reporting-interval', '-5'], "Cannot parse argument '-5' of option reporting-interval"],
    [['--messages', 'x'], "Cannot parse argument 'x' of option messages"],
  ])('%j ⇒ %s', (argv, message) => {
    expect(() => options(argv)).toThrow(UsageError);
    expect(() => options(argv)).toThrow(message);
  });

  it('forces the consumer settings Kafka\'s tool forces, over the config file', () => {
    const o = options(['--messages', '5', '--topic', 't', '--bootstrap-server', 'h:1', '--fetch-size', '777', '--consumer.config', 'c'], { c: { 'check.crcs': 'true', 'auto.offset.reset': 'none', 'client.id': 'mine' } });
    expect(Object.fromEntries(o.consumerProps)).toMatchObject({ 'bootstrap.servers': 'h:1', 'max.partition.fetch.bytes': '777', 'auto.offset.reset': 'earliest', 'check.crcs': 'false', 'client.id': 'mine', 'receive.buffer.bytes': '2097152' });
    expect(o).toMatchObject({ numMessages: 5, timeoutMs: 10000, reportingIntervalMs: 5000, dateFormat: 'yyyy-MM-dd HH:mm:ss:SSS', hideHeader: false, showDetailedStats: false });
    expect(o.groupId).toMatch(/^perf-consumer-\d+$/);
  });

  it('--from-latest, --group, and --timeout with or without its value', () => {
    expect(options(['--messages', '1', '--topic', 't', '--from-latest']).consumerProps.get('auto.offset.reset')).toBe('latest');
    expect(options(['--messages', '1', '--topic', 't', '--group', 'g']).groupId).toBe('g');
    expect(options(['--messages', '1', '--topic', 't', '--timeout']).timeoutMs).toBe(10000);
    expect(options(['--messages', '1', '--topic', 't', '--timeout', '250']).timeoutMs).toBe(250);
    expect(options(['--messages', '1', '--topic', 't', '--command-config', 'c'], { c: { 'client.id': 'via-alias' } }).consumerProps.get('client.id')).toBe('via-alias');
  });
});

describe('output', () => {
  const fmt = (ms: number): string => `T${ms}`;

  it('the header, plain and detailed', () => {
    expect(headerLine(false)).toBe('start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n');
    expect(headerLine(true)).toBe('time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n');
  });

  it('the summary row with four decimals', () => {
    expect(summaryLine({ startMs: 0, endMs: 2000, bytes: 2 * 1048576, messages: 1000, joinTimeMs: 1000 }, fmt)).toBe('T0, T2000, 2.0000, 1.0000, 1000, 500.0000, 1000, 1000, 2.0000, 1000.0000\n');
  });

  it('zero divisors print as Java prints them', () => {
    expect(summaryLine({ startMs: 5, endMs: 5, bytes: 0, messages: 0, joinTimeMs: 0 }, fmt)).toBe('T5, T5, 0.0000, NaN, 0, NaN, 0, 0, NaN, NaN\n');
    expect(summaryLine({ startMs: 0, endMs: 1000, bytes: 1048576, messages: 1, joinTimeMs: 1000 }, fmt)).toBe('T0, T1000, 1.0000, 1.0000, 1, 1.0000, 1000, 0, Infinity, Infinity\n');
  });

  it('a detailed row per interval', () => {
    expect(progressLine({ bytes: 3 * 1048576, lastBytes: 1048576, messages: 30, lastMessages: 10, startMs: 1000, endMs: 3000, joinTimeMs: 1000 }, fmt)).toBe('T3000, 0, 3.0000, 1.0000, 30, 10.0000, 1000, 1000, 2.0000, 20.0000\n');
  });
});

describe('SimpleDateFormat', () => {
  const at = new Date(2024, 0, 5, 7, 8, 9, 45).getTime();

  it('the default pattern, with the colon before the milliseconds', () => {
    expect(simpleDateFormat('yyyy-MM-dd HH:mm:ss:SSS')(at)).toBe('2024-01-05 07:08:09:045');
  });

  it('text forms, 12-hour clock, quotes and literals', () => {
    expect(simpleDateFormat("EEE, d MMM yy h:mm a 'at' ''S''")(at)).toBe("Fri, 5 Jan 24 7:08 AM at '45'");
    expect(simpleDateFormat('EEEE MMMM')(at)).toBe('Friday January');
  });

  it('refuses an unknown pattern letter as Java does', () => {
    expect(() => simpleDateFormat('yyyy-bb')).toThrow("Illegal pattern character 'b'");
  });
});

describe('ktool consumer-perf-test without a cluster', () => {
  it('--help: usage on stderr, exit 1', async () => {
    const r = await runCli(['consumer-perf-test', '--help']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^This tool is used to verify the consumer performance\.\nOption/);
  });

  it('an unknown option: jopt\'s message and usage, exit 1', async () => {
    const r = await runCli(['consumer-perf-test', '--threads', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('threads is not a recognized option');
  });
});
