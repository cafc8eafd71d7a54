import { describe, expect, it } from 'vitest';
import { lineReaderConfig, parseLine, parseLineBytes, type ParsedLine } from '../../../src/client/line-reader.js';

const cfg = (props: Record<string, string> = {}) => lineReaderConfig(new Map(Object.entries(props)));
const rec = (key: string | null, value: string | null, headers: ParsedLine['headers'] = []): ParsedLine => ({ key, value, headers });

describe('parseLine (LineMessageReader)', () => {
  it.each<[string, Record<string, string>, string, ParsedLine]>([
    ['plain value', {}, 'hello\tworld', rec(null, 'hello\tworld')],
    ['empty line is an empty value', {}, '', rec(null, '')],
    ['key and value', { 'parse.key': 'true' }, 'k\tv', rec('k', 'v')],
    ['only the first key separator splits', { 'parse.key': 'true' }, 'k\tv\tw', rec('k', 'v\tw')],
    ['custom key separator, not a regex', { 'parse.key': 'true', 'key.separator': '.' }, 'a.b.c', rec('a', 'b.c')],
    ['multi-char key separator', { 'parse.key': ' TRUE ', 'key.separator': '::' }, 'k::v', rec('k', 'v')],
    ['empty key', { 'parse.key': 'true' }, '\tv', rec('', 'v')],
    ['headers, key and value', { 'parse.key': 'true', 'parse.headers': 'true' }, 'h1:v1,h2:v2\tk1\tpayload', rec('k1', 'payload', [['h1', 'v1'], ['h2', 'v2']])],
    ['header value keeps later key separators', { 'parse.headers': 'true' }, 'h:a:b\tv', rec(null, 'v', [['h', 'a:b']])],
    ['duplicate headers keep order', { 'parse.headers': 'true' }, 'a:1,b:2,a:3\tv', rec(null, 'v', [['a', '1'], ['b', '2'], ['a', '3']])],
    ['headers separator is a regex', { 'parse.headers': 'true', 'headers.separator': '[;|]' }, 'a:1;b:2|c:3\tv', rec(null, 'v', [['a', '1'], ['b', '2'], ['c', '3']])],
    ['trailing empty header pairs are dropped (Java split)', { 'parse.headers': 'true' }, 'a:1,,\tv', rec(null, 'v', [['a', '1']])],
    ['null marker for key, value and header value', { 'parse.key': 'true', 'parse.headers': 'true', 'null.marker': 'NULL' }, 'h:NULL\tNULL\tNULL', rec(null, null, [['h', null]])],
    ['null marker for the whole headers section', { 'parse.headers': 'true', 'null.marker': 'N' }, 'N\tv', rec(null, 'v')],
    ['ignore.error: missing key separator ⇒ null key', { 'parse.key': 'true', 'ignore.error': 'true' }, 'novalue', rec(null, 'novalue')],
    ['ignore.error: missing headers delimiter ⇒ no headers', { 'parse.headers': 'true', 'ignore.error': 'true' }, 'v', rec(null, 'v')],
    ['ignore.error: pair without key separator ⇒ null header value', { 'parse.headers': 'true', 'ignore.error': 'true' }, 'lonely\tv', rec(null, 'v', [['lonely', null]])],
  ])('%s', (_name, props, line, expected) => {
    expect(parseLine(line, 1, cfg(props))).toEqual(expected);
  });

  it.each<[Record<string, string>, string, string]>([
    [{ 'parse.key': 'true' }, 'no separator here', "No key separator found on line number 3: 'no separator here'"],
    [{ 'parse.headers': 'true' }, 'no delimiter', "No headers delimiter found on line number 3: 'no delimiter'"],
    [{ 'parse.headers': 'true' }, 'a:1,b\tv', "No header key separator found in pair 'b' on line number 3"],
    [{ 'parse.headers': 'true', 'null.marker': 'N' }, 'N:1\tv', "Header keys should not be equal to the null marker 'N' as they can't be null"],
  ])('%j %j fails: %s', (props, line, message) => {
    expect(() => parseLine(line, 3, cfg(props))).toThrow(message);
  });

  it.each([
    [{ 'headers.delimiter': ',' }, 'headers.delimiter and headers.separator may not be equal'],
    [{ 'headers.delimiter': ':' }, 'headers.delimiter and headers.key.separator may not be equal'],
    [{ 'headers.separator': ':' }, 'headers.separator and headers.key.separator may not be equal'],
    [{ 'null.marker': '\t' }, 'null.marker and key.separator may not be equal'],
  ])('validates separators at start-up: %j', (props, message) => {
    expect(() => cfg(props)).toThrow(message);
  });
});

describe('parseLineBytes', () => {
  it('returns the value as a view of the line when nothing is parsed', () => {
    const line = Buffer.from('héllo\tworld');
    const r = parseLineBytes(line, 1, cfg());
    expect(r.key).toBeNull();
    expect(r.value).toBe(line);
    expect(r.headers).toEqual([]);
  });

  it('splits key and value at the separator bytes, even multi-byte ones', () => {
    const line = Buffer.from('ключ→значение→ещё');
    const r = parseLineBytes(line, 1, cfg({ 'parse.key': 'true', 'key.separator': '→' }));
    expect(r.key!.toString()).toBe('ключ');
    expect(r.value!.toString()).toBe('значение→ещё');
    expect(r.value!.buffer).toBe(line.buffer);
  });

  it('turns the null marker into null keys, values and header values', () => {
    const r = parseLineBytes(Buffer.from('a:ø,b:1\tø\tø'), 1, cfg({ 'parse.key': 'true', 'parse.headers': 'true', 'null.marker': 'ø' }));
    expect(r.key).toBeNull();
    expect(r.value).toBeNull();
    expect(r.headers).toEqual([{ key: 'a', value: null }, { key: 'b', value: Buffer.from('1') }]);
  });

  it('names the line in errors as text', () => {
    expect(() => parseLineBytes(Buffer.from('ünkeyed'), 7, cfg({ 'parse.key': 'true' }))).toThrow("No key separator found on line number 7: 'ünkeyed'");
  });
});
