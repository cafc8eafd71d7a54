import { describe, expect, it } from 'vitest';
import { PARSER, perfTestConfig, readProps } from '../../../src/commands/producer-perf-test.js';
import { ArgumentParserError, HelpRequested, formatError, formatUsage, parseArguments } from '../../../src/commands/producer-perf-test/argparse.js';
import { SplittableRandom } from '../../../src/commands/producer-perf-test/splittable-random.js';
import { Stats, percentiles } from '../../../src/commands/producer-perf-test/stats.js';
import { ThroughputThrottler } from '../../../src/commands/producer-perf-test/throttler.js';
import { runCli } from '../../helpers/run-cli.js';

const BASE = ['--topic', 't', '--num-records', '10', '--throughput', '-1'];
const parse = (argv: string[]) => parseArguments(PARSER, argv);
const config = (argv: string[], files: Record<string, Record<string, string>> = {}) =>
  perfTestConfig(parse(argv), (p) => new Map(Object.entries(files[p] ?? {})));

describe('argparse4j-style parsing', () => {
  it('reads values, flags, nargs+ lists, --opt=value and unique prefixes', () => {
    const ns = parse(['--topic=t', '--num-rec', '5', '--record-size', '100', '--throughput', '-1', '--producer-props', 'a=1', 'b=2', '--print-metrics']);
    expect(Object.fromEntries(ns)).toMatchObject({ topic: 't', numRecords: '5', recordSize: '100', throughput: '-1', producerConfig: ['a=1', 'b=2'], printMetrics: true, payloadDelimiter: '\\n' });
  });

  it.each([
    [['--num-records', '1', '--throughput', '1', '--record-size', '1'], 'argument --topic is required'],
    [[...BASE], 'one of the arguments --record-size --payload-file --payload-monotonic is required'],
    [[...BASE, '--record-size', '1', '--payload-monotonic'], 'argument --payload-monotonic: not allowed with argument --record-size'],
    [[...BASE, '--record-size', 'x'], 'argument --record-size: could not convert \'x\' to Integer (For input string: "x")'],
    [[...BASE, '--record-size', '1', '--bogus'], "unrecognized arguments: '--bogus'"],
    [[...BASE, '--record-size', '1', '--pay', 'x'], 'ambiguous option: --pay could match --payload-file, --payload-monotonic, --payload-delimiter'],
    [[...BASE, '--record-size'], 'argument --record-size: expected one argument'],
    [[...BASE, '--record-size', '1', '--producer-props'], 'argument --producer-props: expected at least one argument'],
  ])('%j ⇒ %s', (argv, message) => {
    expect(() => parse(argv)).toThrow(ArgumentParserError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('-h and --help ask for the help page', () => {
    expect(() => parse(['-h'])).toThrow(HelpRequested);
    expect(() => parse([...BASE, '--help'])).toThrow(HelpRequested);
  });

  it('errors print the usage, then `producer-performance: error: <message>`', () => {
    const text = formatError(PARSER, 'argument --topic is required');
    expect(text.startsWith('usage: producer-performance [-h] --topic TOPIC --num-records NUM-RECORDS')).toBe(true);
    expect(text.endsWith('\nproducer-performance: error: argument --topic is required\n')).toBe(true);
    expect(formatUsage(PARSER)).toContain('(--record-size RECORD-SIZE | --payload-file PAYLOAD-FILE | --payload-monotonic)');
  });
});

describe('ConfigPostProcessor checks and properties', () => {
  it.each([
    [['--topic', 't', '--num-records', '0', '--throughput', '1', '--record-size', '1', '--producer-props', 'a=b'], '--num-records should be greater than zero'],
    [[...BASE, '--record-size', '0', '--producer-props', 'a=b'], '--record-size should be greater than zero'],
    [[...BASE, '--record-size', '1'], 'Either --producer-props or --producer.config must be specified.'],
    [[...BASE, '--record-size', '1', '--producer-props', 'a=b', '--transaction-duration-ms', '0'], '--transaction-duration-ms should be greater than zero'],
  ])('%j ⇒ %s', (argv, message) => expect(() => config(argv)).toThrow(message));

  it('merges the file under --producer-props, with byte-array serializers and the perf client id', () => {
    const c = config([...BASE, '--payload-monotonic', '--producer.config', 'p', '--producer-props', 'acks=1'], { p: { acks: '0', 'linger.ms': '9' } });
    expect(Object.fromEntries(c.producerProps)).toMatchObject({ acks: '1', 'linger.ms': '9', 'client.id': 'perf-producer-client', 'value.serializer': 'org.apache.kafka.common.serialization.ByteArraySerializer' });
    expect(c).toMatchObject({ payloadMonotonic: true, throughput: -1, numRecords: 10, transactionsEnabled: false, payloadDelimiter: '\n' });
  });

  it('a --producer-props item must split into exactly two on "="', () => {
    expect(() => readProps(['a=b=c'], new Map())).toThrow('Invalid property: a=b=c');
    expect(() => readProps(['a='], new Map())).toThrow('Invalid property: a=');
  });

  it('turns transactions on for --transaction-duration-ms, with a generated id and the 3000 ms default', () => {
    const c = config([...BASE, '--record-size', '1', '--producer-props', 'a=b', '--transactional-id', 'tx']);
    expect(c).toMatchObject({ transactionsEnabled: true, transactionDurationMs: 3000 });
    expect(c.producerProps.get('transactional.id')).toBe('tx');
    expect(config([...BASE, '--record-size', '1', '--producer-props', 'a=b', '--transaction-duration-ms', '50']).producerProps.get('transactional.id')).toMatch(/^performance-producer-/);
  });
});

/** java.util.SplittableRandom written with BigInt, straight from its published algorithm. */
function referenceInts(seed: bigint, n: number): number[] {
  const M = (1n << 64n) - 1n;
  let s = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s + 0x9e3779b97f4a7c15n) & M;
    let z = ((s ^ (s >> 33n)) * 0x62a9d9ed799705f5n) & M;
    z = (((z ^ (z >> 28n)) * 0xcb24d0a5c88c35b3n) & M) >> 32n;
    out.push(Number(BigInt.asIntN(32, z)));
  }
  return out;
}

describe('SplittableRandom', () => {
  it('matches the 64-bit algorithm for the first 10,000 draws', () => {
    const r = new SplittableRandom(0n);
    expect(Array.from({ length: 10000 }, () => r.nextInt())).toEqual(referenceInts(0n, 10000));
  });

  it('bounded draws stay in range and are uppercase letters for the payload', () => {
    const r = new SplittableRandom(0n);
    const letters = Buffer.from(Array.from({ length: 1000 }, () => r.nextIntBounded(26) + 65)).toString('latin1');
    expect(letters).toMatch(/^[A-Z]{1000}$/);
    expect(new Set(letters).size).toBe(26);
    expect(Array.from({ length: 100 }, () => r.nextIntBounded(8)).every((v) => v >= 0 && v < 8)).toBe(true);
  });
});

describe('Stats', () => {
  it('prints a window line after the reporting interval and Kafka 4.0\'s summary line', () => {
    let now = 1000;
    const lines: string[] = [];
    const stats = new Stats(4, 5000, (l) => lines.push(l), () => now);
    stats.record(10, 100, 1000);
    stats.record(20, 100, 1000);
    now = 6000;
    stats.record(30, 100, 6000);
    expect(lines).toEqual(['3 records sent, 0.6 records/sec (0.00 MB/sec), 20.0 ms avg latency, 30.0 ms max latency.\n']);
    stats.record(40, 100, 6000);
    now = 11000;
    expect(stats.totalLine()).toBe('4 records sent, 0.4 records/sec (0.00 MB/sec), 25.00 ms avg latency, 40.00 ms max latency, 30 ms 50th, 40 ms 95th, 40 ms 99th, 40 ms 99.9th.\n');
  });

  it('percentiles index the sorted sample at (int) (p * size)', () => {
    const sample = Int32Array.from([5, 1, 4, 2, 3, 0, 0]);
    expect(percentiles(sample, 5, [0.5, 0.95])).toEqual([3, 5]);
  });
});

describe('ThroughputThrottler', () => {
  it('throttles only when ahead of the target, never with -1', () => {
    expect(new ThroughputThrottler(-1, 0).shouldThrottle(1e9, 1)).toBe(false);
    const t = new ThroughputThrottler(100, 0);
    expect(t.shouldThrottle(50, 1000)).toBe(false);
    expect(t.shouldThrottle(150, 1000)).toBe(true);
    expect(t.shouldThrottle(1, 0)).toBe(false);
  });
});

describe('ktool producer-perf-test exits', () => {
  it('no arguments: the help page on stdout, exit 0', async () => {
    const r = await runCli(['producer-perf-test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: producer-performance \[-h\]/);
    expect(r.stdout).toContain('\noptional arguments:\n');
    expect(r.stderr).toBe('');
  });

  it('-h: the help page on stdout, exit 1 (Kafka sends it through its error path)', async () => {
    const r = await runCli(['producer-perf-test', '-h']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^usage: producer-performance/);
  });

  it('an argument error: usage and the error on stderr, exit 1', async () => {
    const r = await runCli(['producer-perf-test', '--topic', 't']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usage: producer-performance \[-h\][\s\S]*\nproducer-performance: error: argument --num-records is required\n$/);
  });

  it('a bad property or a missing payload file ends as an uncaught exception, exit 1', async () => {
    const bad = await runCli(['producer-perf-test', ...BASE, '--record-size', '1', '--producer-props', 'x']);
    expect(bad).toMatchObject({ code: 1, stderr: 'Exception in thread "main" java.lang.IllegalArgumentException: Invalid property: x\n' });
    const missing = await runCli(['producer-perf-test', ...BASE, '--payload-file', '/nonexistent/p.txt', '--producer-props', 'bootstrap.servers=h:1'], { cwd: '/' });
    expect(missing).toMatchObject({ code: 1, stdout: 'Reading payloads from: /nonexistent/p.txt\n', stderr: 'Exception in thread "main" java.lang.IllegalArgumentException: File does not exist or empty file provided.\n' });
    const noBootstrap = await runCli(['producer-perf-test', ...BASE, '--record-size', '1', '--producer-props', 'acks=1']);
    expect(noBootstrap).toMatchObject({ code: 1, stderr: 'Exception in thread "main" org.apache.kafka.common.config.ConfigException: Missing required configuration "bootstrap.servers" which has no default value.\n' });
  });
});
