import { describe, expect, it } from 'vitest';
import { configKeyInfo, validateConfig, type ConfigKey } from '../../../src/connect/config-def.js';
import { validateCommonConfig } from '../../../src/connect/connector-config.js';

const KEYS: ConfigKey[] = [
  { name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'd' },
  { name: 'size', type: 'INT', defaultValue: 5, atLeast: 1, importance: 'LOW', documentation: 'd' },
  { name: 'mode', type: 'STRING', defaultValue: 'a', validValues: ['a', 'b'], importance: 'LOW', documentation: 'd' },
  { name: 'list', type: 'LIST', defaultValue: [], importance: 'LOW', documentation: 'd' },
  { name: 'flag', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: 'd' },
];

describe('validateConfig', () => {
  it("parses values and reports Kafka's messages", () => {
    const r = validateConfig(KEYS, { size: '0', mode: 'c', list: 'x, y', flag: 'maybe' });
    expect(r.map((x) => [x.name, x.value, x.errors])).toEqual([
      ['topic', null, ['Missing required configuration "topic" which has no default value.']],
      ['size', 0, ['Invalid value 0 for configuration size: Value must be at least 1']],
      ['mode', 'c', ['Invalid value c for configuration mode: String must be one of: a, b']],
      ['list', ['x', 'y'], []],
      ['flag', 'maybe', ['Invalid value maybe for configuration flag: Expected value to be either true or false']],
    ]);
    expect(validateConfig(KEYS, { size: '2147483648' })[1]!.errors).toEqual(['Invalid value 2147483648 for configuration size: Not a number of type INT']);
  });

  it("describes a key as Kafka's ConfigKeyInfo", () => {
    expect(configKeyInfo(KEYS[1]!)).toEqual({ name: 'size', type: 'INT', required: false, default_value: '5', importance: 'LOW', documentation: 'd', group: null, width: 'NONE', display_name: 'size', dependents: [], order: -1 });
    expect(configKeyInfo(KEYS[0]!).required).toBe(true);
  });
});

describe('common connector config', () => {
  it('checks the sink topic keys across each other', () => {
    const errorsOf = (config: Record<string, string>): string[] => validateCommonConfig('sink', { name: 'n', 'connector.class': 'c', ...config }).flatMap((r) => r.errors);
    expect(errorsOf({ topics: 'a' })).toEqual([]);
    expect(errorsOf({})).toEqual(['Must configure one of topics or topics.regex', 'Must configure one of topics or topics.regex']);
    expect(errorsOf({ topics: 'a', 'topics.regex': 'a.*' })).toHaveLength(2);
    expect(errorsOf({ topics: 'a,dlq', 'errors.deadletterqueue.topic.name': 'dlq' })).toEqual(["The DLQ topic 'dlq' may not be included in the list of topics ('topics=a,dlq') to be consumed."]);
    expect(errorsOf({ topics: 'a', transforms: 'mask' })).toEqual(["Invalid value mask for configuration transforms: ktool's Connect worker does not support transformations (single message transforms) yet"]);
    expect(errorsOf({ topics: 'a', 'errors.tolerance': 'some' })).toEqual(['Invalid value some for configuration errors.tolerance: String must be one of: none, all']);
  });
});
