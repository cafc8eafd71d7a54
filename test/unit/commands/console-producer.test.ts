import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseArgs } from '../../../src/commands/shared/options.js';
import { consoleProducerCommand, consoleProducerOptions } from '../../../src/commands/console-producer.js';
import { parseAcks, parseCompression } from '../../../src/client/producer-config.js';

const files = (contents: Record<string, Record<string, string>>) => (path: string | undefined) =>
  new Map(Object.entries(path === undefined ? {} : contents[path] ?? {}));
const options = (argv: string[], fileContents: Record<string, Record<string, string>> = {}) =>
  consoleProducerOptions(parseArgs(consoleProducerCommand.options, argv), files(fileContents));
const T = ['--topic', 't'];

describe('consoleProducerOptions', () => {
  it.each([
    [['--bootstrap-server', 'h:1'], 'Missing required argument "[topic]"'],
    [[...T], 'Missing required argument "[bootstrap-server]"'],
    [[...T, '--bootstrap-server', ' '], 'Error while validating the bootstrap address'],
    [[...T, '--bootstrap-server', 'localhost'], 'Please provide valid host:port like host1:9091,host2:9092'],
    [[...T, '--bootstrap-server', 'h:1,h2'], 'Please provide valid host:port like host1:9091,host2:9092'],
  ])('%j ⇒ %s', (argv, message) => {
    expect(() => options(argv)).toThrow(UsageError);
    expect(() => options(argv)).toThrow(message);
  });

  it('accepts the deprecated --broker-list, which --bootstrap-server overrides', () => {
    expect(options([...T, '--broker-list', 'a:1']).bootstrapServer).toBe('a:1');
    expect(options([...T, '--broker-list', 'a:1', '--bootstrap-server', 'b:2']).bootstrapServer).toBe('b:2');
  });

  it('applies Kafka defaults where nothing is configured', () => {
    const p = options([...T, '--bootstrap-server', 'h:1']).producerProps;
    expect(Object.fromEntries(p)).toMatchObject({
      'bootstrap.servers': 'h:1', 'compression.type': 'none', 'client.id': 'console-producer',
      'linger.ms': '1000', acks: '-1', 'request.timeout.ms': '1500', retries: '3', 'batch.size': '16384',
    });
  });

  it('merges file < --producer-property < explicit flags; file values beat flag defaults', () => {
    const p = options(
      [...T, '--bootstrap-server', 'h:1', '--producer.config', 'p.properties', '--producer-property', 'acks=1', '--producer-property', 'client.id=mine', '--timeout', '5'],
      { 'p.properties': { acks: '0', 'linger.ms': '7', 'request.timeout.ms': '9000', 'compression.type': 'lz4', 'bootstrap.servers': 'ignored:1' } },
    ).producerProps;
    expect(p.get('acks')).toBe('1'); // inline beats file, no explicit flag
    expect(p.get('linger.ms')).toBe('5'); // explicit flag beats file
    expect(p.get('request.timeout.ms')).toBe('9000'); // file beats the flag's default
    expect(p.get('client.id')).toBe('mine');
    expect(p.get('compression.type')).toBe('none'); // always forced
    expect(p.get('bootstrap.servers')).toBe('h:1');
  });

  it('--compression-codec without a value means gzip', () => {
    expect(options([...T, '--bootstrap-server', 'h:1', '--compression-codec']).producerProps.get('compression.type')).toBe('gzip');
    expect(options([...T, '--bootstrap-server', 'h:1', '--compression-codec', 'zstd']).producerProps.get('compression.type')).toBe('zstd');
  });

  it('merges reader properties: --reader-config < --property', () => {
    const r = options([...T, '--bootstrap-server', 'h:1', '--reader-config', 'r', '--property', 'parse.key=true'], { r: { 'parse.key': 'false', 'key.separator': ':' } }).readerProps;
    expect(Object.fromEntries(r)).toEqual({ 'parse.key': 'true', 'key.separator': ':' });
  });
});

describe('producer config values', () => {
  it.each([['all', -1], ['-1', -1], ['0', 0], ['1', 1], [' ALL ', -1]])('acks %j ⇒ %d', (v, n) => expect(parseAcks(v)).toBe(n));
  it('rejects other acks', () => expect(() => parseAcks('2')).toThrow('Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1'));
  it('validates compression codecs', () => {
    expect(parseCompression('LZ4')).toBe('lz4');
    expect(() => parseCompression('brotli')).toThrow('Invalid value brotli for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd');
  });
});
