import { describe, expect, it } from 'vitest';
import { KtoolError, UsageError } from '../../../src/errors.js';
import { parseArgs } from '../../../src/commands/shared/options.js';
import { consoleConsumerCommand, consoleConsumerOptions, parseOffsetSpec } from '../../../src/commands/console-consumer.js';

const options = (argv: string[], file: Record<string, string> = {}) =>
  consoleConsumerOptions(parseArgs(consoleConsumerCommand.options, argv), (p) => new Map(p === undefined ? [] : Object.entries(file)));
const B = ['--bootstrap-server', 'h:1'];

describe('parseOffsetSpec', () => {
  it.each([
    ['earliest', { kind: 'earliest' }],
    ['EARLIEST', { kind: 'earliest' }],
    ['Latest', { kind: 'latest' }],
    ['0', { kind: 'offset', offset: 0n }],
    ['42', { kind: 'offset', offset: 42n }],
    ['9223372036854775807', { kind: 'offset', offset: 9223372036854775807n }],
  ])('%j', (text, spec) => expect(parseOffsetSpec(text)).toEqual(spec));

  it.each(['-1', 'first', '1.5', '', '9223372036854775808'])('rejects %j', (text) => {
    expect(() => parseOffsetSpec(text)).toThrow(UsageError);
    expect(() => parseOffsetSpec(text)).toThrow(`The provided offset value '${text}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`);
  });
});

describe('consoleConsumerOptions', () => {
  it.each([
    [[...B], 'Exactly one of --include/--topic is required.'],
    [[...B, '--topic', 't', '--include', 'x'], 'Exactly one of --include/--topic is required.'],
    [[...B, '--include', 'x', '--partition', '0'], 'The topic is required when partition is specified.'],
    [[...B, '--topic', 't', '--offset', '1'], 'The partition is required when offset is specified.'],
    [['--topic', 't'], 'Missing required argument "[bootstrap-server]"'],
    [[...B, '--topic', 't', '--partition', '0', '--offset', '1', '--from-beginning'], 'Options from-beginning and offset cannot be specified together.'],
    [[...B, '--topic', 't', '--partition', '0', '--group', 'g'], 'Options group and partition cannot be specified together.'],
    [[...B, '--topic', 't', '--group', 'a', '--consumer-property', 'group.id=b'], "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: 'a', 'b'"],
  ])('%j ⇒ %s', (argv, message) => {
    expect(() => options(argv)).toThrow(UsageError);
    expect(() => options(argv)).toThrow(message);
  });

  it('refuses --from-beginning with a different auto.offset.reset', () => {
    expect(() => options([...B, '--topic', 't', '--from-beginning', '--consumer-property', 'auto.offset.reset=latest'])).toThrow(
      "Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', please remove one option",
    );
  });

  it('derives start position and reset policy', () => {
    expect(options([...B, '--topic', 't'])).toMatchObject({ start: { kind: 'latest' }, reset: 'latest' });
    expect(options([...B, '--topic', 't', '--from-beginning'])).toMatchObject({ start: { kind: 'earliest' }, reset: 'earliest' });
    expect(options([...B, '--topic', 't', '--partition', '2', '--offset', '5'])).toMatchObject({ partition: 2, start: { kind: 'offset', offset: 5n }, reset: 'latest' });
    expect(options([...B, '--topic', 't', '--consumer.config', 'c.properties'], { 'auto.offset.reset': 'earliest' })).toMatchObject({ start: { kind: 'earliest' } });
  });

  it('reads limits, isolation and formatter choices', () => {
    const o = options([...B, '--topic', 't', '--max-messages', '3', '--timeout-ms', '100', '--isolation-level', 'read_committed', '--property', 'print.key=true']);
    expect(o).toMatchObject({ maxMessages: 3, timeoutMs: 100, readCommitted: true, formatter: 'default' });
    expect(o.formatterProps.get('print.key')).toBe('true');
    expect(options([...B, '--topic', 't', '--timeout-ms', '-1']).timeoutMs).toBeUndefined();
    expect(options([...B, '--topic', 't', '--formatter', 'org.apache.kafka.tools.consumer.NoOpMessageFormatter']).formatter).toBe('noop');
    expect(() => options([...B, '--topic', 't', '--formatter', 'com.acme.Fancy'])).toThrow(KtoolError);
    expect(() => options([...B, '--topic', 't', '--isolation-level', 'dirty'])).toThrow('Invalid value dirty for configuration isolation.level');
  });
});
