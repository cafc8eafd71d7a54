import { describe, expect, it } from 'vitest';
import { createFormatter, formatterConfig, type RecordContext } from '../../../src/client/message-formatter.js';
import { OutputBuffer } from '../../../src/client/output-buffer.js';
import type { KafkaRecord } from '../../../src/protocol/records/records.js';

const record = (over: Partial<KafkaRecord> = {}): KafkaRecord => ({
  offset: 42n,
  timestamp: 1729843200000n,
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  headers: [{ key: 'h1', value: Buffer.from('v1') }, { key: 'h2', value: null }],
  ...over,
});
const ctx: RecordContext = { partition: 3, timestampType: 'CreateTime', leaderEpoch: 7 };

function format(props: Record<string, string>, r = record(), c = ctx): string {
  const out = new OutputBuffer();
  createFormatter(formatterConfig(new Map(Object.entries(props))))(r, c, out);
  return Buffer.concat(out.take()).toString('utf8');
}

describe('DefaultMessageFormatter layout', () => {
  it.each<[string, Record<string, string>, string]>([
    ['value only by default', {}, 'v\n'],
    ['key and value', { 'print.key': 'true' }, 'k\tv\n'],
    ['everything, in Kafka order', { 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true', 'print.headers': 'true', 'print.key': 'true' }, 'CreateTime:1729843200000\tPartition:3\tOffset:42\th1:v1,h2:null\tk\tv\n'],
    ['epoch and delivery', { 'print.epoch': 'true', 'print.delivery': 'true', 'print.value': 'false' }, 'Delivery:NOT_PRESENT\tEpoch:7\n'],
    ['key without value ends with the line separator', { 'print.key': 'true', 'print.value': 'false' }, 'k\n'],
    ['nothing enabled prints nothing', { 'print.value': 'false' }, ''],
    ['custom separators', { 'print.key': 'true', 'print.headers': 'true', 'key.separator': ' | ', 'line.separator': '\r\n', 'headers.separator': ';' }, 'h1:v1;h2:null | k | v\r\n'],
    ['booleans are case-insensitive and trimmed', { 'print.key': ' TRUE ' }, 'k\tv\n'],
  ])('%s', (_n, props, expected) => {
    expect(format(props)).toBe(expected);
  });

  it('prints null.literal for null key, value and header value', () => {
    expect(format({ 'print.key': 'true', 'print.headers': 'true', 'null.literal': '<nil>' }, record({ key: null, value: null }))).toBe('h1:v1,h2:<nil>\t<nil>\t<nil>\n');
  });

  it('prints NO_HEADERS, LogAppendTime, NO_TIMESTAMP and a missing epoch', () => {
    expect(format({ 'print.headers': 'true' }, record({ headers: [] }))).toBe('NO_HEADERS\tv\n');
    expect(format({ 'print.timestamp': 'true' }, record(), { ...ctx, timestampType: 'LogAppendTime' })).toBe('LogAppendTime:1729843200000\tv\n');
    expect(format({ 'print.timestamp': 'true' }, record(), { ...ctx, timestampType: 'NO_TIMESTAMP' })).toBe('NO_TIMESTAMP\tv\n');
    expect(format({ 'print.epoch': 'true' }, record(), { ...ctx, leaderEpoch: -1 })).toBe('Epoch:NOT_PRESENT\tv\n');
  });

  it('writes values as raw bytes', () => {
    const bytes = Buffer.from([0, 255, 10, 128]);
    const out = new OutputBuffer();
    createFormatter(formatterConfig(new Map()))(record({ value: bytes }), ctx, out);
    expect(Buffer.concat(out.take())).toEqual(Buffer.concat([bytes, Buffer.from('\n')]));
  });
});

describe('OutputBuffer', () => {
  it('keeps order across blocks and large pieces', () => {
    const out = new OutputBuffer();
    const big = Buffer.alloc(300_000, 0x61);
    out.writeAscii('x');
    out.write(big);
    out.write(Buffer.from('y'));
    for (let i = 0; i < 100_000; i++) out.writeAscii('0123456789');
    const all = Buffer.concat(out.take());
    expect(all.length).toBe(1 + 300_000 + 1 + 1_000_000);
    expect(all.subarray(0, 1).toString()).toBe('x');
    expect(all[300_001]).toBe(0x79);
    expect(out.take()).toEqual([]);
  });
});
