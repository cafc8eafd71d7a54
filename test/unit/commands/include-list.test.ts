import { describe, expect, it } from 'vitest';
import { includeList, includeListSource } from '../../../src/commands/shared/include-list.js';

describe('IncludeList', () => {
  it.each([
    [' a, b ', 'a|b'],
    ['"x.*"', 'x.*'],
    ["'t1,t2'", 't1|t2'],
    ['my topic', 'mytopic'],
  ])('normalises %j to %j', (raw, source) => {
    expect(includeListSource(raw)).toBe(source);
  });

  it.each([
    ['a,b', 'a', true],
    ['a,b', 'b', true],
    ['a,b', 'ab', false],
    ['my.topic', 'my.topic', true],
    ['my.topic', 'myXtopic', true], // the dot is a regex
    ['t', 'test', false], // full match, not find
    ['t.*', 'test', true],
    ['x.*', '__consumer_offsets', false],
    ['__.*', '__consumer_offsets', true],
  ])('%j matches %j: %s', (raw, topic, matches) => {
    expect(includeList(raw)(topic)).toBe(matches);
  });

  it('reports an invalid pattern as Kafka does', () => {
    expect(() => includeList('a(')).toThrow('a( is an invalid regex.');
  });
});
