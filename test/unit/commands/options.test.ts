import { describe, expect, it } from 'vitest';
import { KtoolError, UsageError } from '../../../src/errors.js';
import { formatHelp, isValidNumber, parseArgs, type OptionSpec } from '../../../src/commands/shared/options.js';

const SPECS: OptionSpec[] = [
  { name: 'topic', arg: 'required', describedAs: 'topic', description: 'The topic.' },
  { name: 'bootstrap-server', arg: 'required', description: 'Servers.' },
  { name: 'config', arg: 'required', multiple: true, description: 'Configs.' },
  { name: 'partitions', arg: 'required', type: 'Integer', description: 'Count.' },
  { name: 'offset', arg: 'required', type: 'Long', description: 'Offset.' },
  { name: 'compression-codec', arg: 'optional', description: 'Codec.' },
  { name: 'timeout', arg: 'optional', type: 'Integer', description: 'Timeout.', defaultValue: '10000' },
  { name: 'list', description: 'List.' },
];

describe('parseArgs (jopt-simple rules)', () => {
  it.each([
    [['--topic', 'foo'], 'foo'],
    [['-topic', 'foo'], 'foo'],
    [['--topic=foo'], 'foo'],
    [['-topic=foo'], 'foo'],
    [['--topic=a=b'], 'a=b'],
    [['--topic', '--list'], '--list'], // a required argument is taken even if it looks like an option
    [['--topic', '-'], '-'],
  ])('%j sets topic to %j', (argv, topic) => {
    expect(parseArgs(SPECS, argv).value('topic')).toBe(topic);
  });

  it('collects repeatable options in order', () => {
    const args = parseArgs(SPECS, ['--config', 'a=1', '-config', 'b=2', '--config=c=3']);
    expect(args.values('config')).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it('treats flags as present and ignores a value given with =', () => {
    const args = parseArgs(SPECS, ['--list=yes']);
    expect(args.has('list')).toBe(true);
    expect(args.has('topic')).toBe(false);
  });

  it('stops at -- and keeps a lone - as a positional', () => {
    const args = parseArgs(SPECS, ['a', '-', '--list', '--', '--topic', 'x']);
    expect(args.positionals).toEqual(['a', '-', '--topic', 'x']);
    expect(args.has('topic')).toBe(false);
  });

  it('optional arguments take the next token only when it does not look like an option', () => {
    expect(parseArgs(SPECS, ['--compression-codec', '--list']).value('compression-codec')).toBeUndefined();
    expect(parseArgs(SPECS, ['--compression-codec', '--list']).has('compression-codec')).toBe(true);
    expect(parseArgs(SPECS, ['--compression-codec', 'lz4']).value('compression-codec')).toBe('lz4');
    expect(parseArgs(SPECS, ['--compression-codec']).value('compression-codec')).toBeUndefined();
    // ...and only when it converts to the option's type
    const t = parseArgs(SPECS, ['--timeout', 'abc']);
    expect(t.value('timeout')).toBeUndefined();
    expect(t.positionals).toEqual(['abc']);
  });

  it.each([
    [['--bootstrap'], 'bootstrap is not a recognized option'], // no abbreviations
    [['--zookeeper', 'x'], 'zookeeper is not a recognized option'],
    [['-zookeeper', 'x'], 'z is not a recognized option'], // single dash falls back to short-option clusters
    [['--topic'], 'Option topic requires an argument'],
    [['--partitions', 'x'], "Cannot parse argument 'x' of option partitions"],
    [['--partitions', '99999999999'], "Cannot parse argument '99999999999' of option partitions"],
    [['--offset', '1.5'], "Cannot parse argument '1.5' of option offset"],
  ])('%j fails with a usage error: %s', (argv, message) => {
    const err = (() => {
      try {
        parseArgs(SPECS, argv);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(message);
  });

  it('rejects a single-valued option given twice', () => {
    expect(() => parseArgs(SPECS, ['--topic', 'a', '--topic', 'b'])).toThrow(KtoolError);
    expect(() => parseArgs(SPECS, ['--topic', 'a', '--topic', 'b'])).toThrow('Found multiple arguments for option topic, but you asked for only one');
  });

  it('parses numbers as Java does', () => {
    expect(parseArgs(SPECS, ['--partitions', '+3']).number('partitions')).toBe(3);
    expect(parseArgs(SPECS, ['--offset', '9223372036854775807']).bigint('offset')).toBe(9223372036854775807n);
    expect(isValidNumber('Long', '9223372036854775808')).toBe(false);
    expect(isValidNumber('Integer', '-2147483648')).toBe(true);
    expect(isValidNumber('Integer', '2147483648')).toBe(false);
    expect(isValidNumber('Double', '1e3')).toBe(true);
  });
});

describe('formatHelp', () => {
  const help = formatHelp(SPECS);
  const lines = help.split('\n');

  it('has the jopt header and sorts options by name', () => {
    expect(lines[0]).toMatch(/^Option {35}Description$/);
    expect(lines[1]).toMatch(/^------ {35}-----------$/);
    const names = lines.slice(2).filter((l) => l.startsWith('--')).map((l) => l.split(/\s/)[0]);
    expect(names).toEqual(['--bootstrap-server', '--compression-codec', '--config', '--list', '--offset', '--partitions', '--timeout', '--topic']);
  });

  it('shows argument types, optional brackets and defaults', () => {
    expect(help).toContain('--topic <String: topic>');
    expect(help).toContain('--partitions <Integer>');
    expect(help).toContain('--compression-codec [String]');
    expect(help).toContain('(default: 10000)');
  });
});
