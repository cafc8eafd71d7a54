// ktool consumer-perf-test against the in-process broker: a real group member reading what
// producer-perf-test wrote, the CSV header and row, the timeout warning, detailed stats, and the
// group's committed offsets afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
const bs = () => ['--bootstrap-server', b.bootstrap];
const HEADER = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
const DATE = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d:\\d{3}';
const NUM = '(?:-?\\d+\\.\\d{4}|NaN|Infinity)';
const ROW = new RegExp(`^${DATE}, ${DATE}, (${NUM}), ${NUM}, (\\d+), ${NUM}, (\\d+), (-?\\d+), ${NUM}, ${NUM}$`);

beforeAll(async () => {
  b = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0' });
  expect((await runCli(['topics', '--create', '--topic', 'cperf', '--partitions', '3', ...bs()])).code).toBe(0);
  const p = await runCli(['producer-perf-test', '--topic', 'cperf', '--num-records', '5000', '--record-size', '200', '--throughput', '-1', '--producer-props', `bootstrap.servers=${b.bootstrap}`]);
  expect(p.code).toBe(0);
});
afterAll(async () => {
  await b?.cleanup();
});

describe('ktool consumer-perf-test', () => {
  it('reads the records through a group and prints the header and one summary row', async () => {
    const r = await runCli(['consumer-perf-test', '--topic', 'cperf', '--messages', '5000', '--group', 'perf-g', '--timeout', '20000', ...bs()]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(HEADER);
    const m = ROW.exec(lines[1]!);
    expect(m).not.toBeNull();
    expect(m![1]).toBe((5000 * 200 / 1048576).toFixed(4));
    expect(m![2]).toBe('5000');
    // The group committed what it read.
    const described = await runCli(['consumer-groups', '--describe', '--group', 'perf-g', ...bs()]);
    expect(described.stdout).toMatch(/cperf\s+0\s+\d+\s+\d+\s+0\s/);
  });

  it('stops after --timeout without records, warns on stdout, and still prints the row', async () => {
    const r = await runCli(['consumer-perf-test', '--topic', 'cperf', '--messages', '6000', '--timeout', '1000', '--hide-header', ...bs()]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('WARNING: Exiting before consuming the expected number of messages: timeout (1000 ms) exceeded. You can use the --timeout option to increase the timeout.');
    expect(ROW.exec(lines[1]!)![2]).toBe('5000');
    expect(lines).toHaveLength(2);
  });

  it('--show-detailed-stats prints interval rows and no summary row', async () => {
    const r = await runCli(['consumer-perf-test', '--topic', 'cperf', '--messages', '5000', '--show-detailed-stats', '--reporting-interval', '1', '--fetch-size', '4096', '--date-format', 'HH:mm', ...bs()]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec');
    for (const row of lines.slice(1)) expect(row).toMatch(new RegExp(`^\\d\\d:\\d\\d, 0, ${NUM}, ${NUM}, \\d+, ${NUM}, \\d+, -?\\d+, ${NUM}, ${NUM}$`));
  });
});
