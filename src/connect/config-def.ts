// Config definitions with validation, as Kafka's ConfigDef: each key has a type, an optional
// default (no default = required), an importance, documentation and an optional check. Plugins
// declare their keys as plain objects; the worker parses and validates a connector's string map
// against them and reports, per key, the errors Kafka would report, with Kafka's messages. The
// REST API shows the definitions and results in Kafka's ConfigKeyInfo / ConfigValueInfo shapes.

export type ConfigType = 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';
export type Importance = 'HIGH' | 'MEDIUM' | 'LOW';
export type Width = 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';

/** A parsed value: string, number, boolean, string[] (LIST) or null. */
export type ConfigValueType = string | number | boolean | string[] | null;

export interface ConfigKey {
  name: string;
  type: ConfigType;
  /** Left out: the key is required. `null` is a real default ("no value"). */
  defaultValue?: ConfigValueType;
  importance: Importance;
  documentation: string;
  group?: string | null;
  orderInGroup?: number;
  width?: Width;
  displayName?: string;
  /** The only allowed values (shown as recommended values); compared case-sensitively. */
  validValues?: readonly string[];
  /** Smallest allowed number (Range.atLeast). */
  atLeast?: number;
  /** Extra check on the parsed value: an error message, or undefined when fine. */
  validator?: (value: ConfigValueType, name: string) => string | undefined;
}

/** One key's outcome, as Kafka's ConfigValue. */
export interface ConfigValueResult {
  name: string;
  /** The parsed value (or the raw text when it did not parse). */
  value: ConfigValueType | undefined;
  errors: string[];
}

export class ConfigException extends Error {
  readonly javaClassName = 'org.apache.kafka.common.config.ConfigException';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigException';
  }
}

const invalid = (name: string, value: unknown, why: string): string => `Invalid value ${String(value)} for configuration ${name}: ${why}`;

/** Parses one value as ConfigDef.parseType does; throws ConfigException with Kafka's message. */
export function parseConfigValue(key: ConfigKey, raw: string): ConfigValueType {
  const text = raw.trim();
  switch (key.type) {
    case 'BOOLEAN': {
      const v = text.toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
      throw new ConfigException(invalid(key.name, raw, 'Expected value to be either true or false'));
    }
    case 'STRING':
    case 'CLASS':
      return text;
    case 'PASSWORD':
      return raw;
    case 'INT':
    case 'SHORT':
    case 'LONG': {
      const max = key.type === 'SHORT' ? 0x7fff : key.type === 'INT' ? 0x7fffffff : Number.MAX_SAFE_INTEGER;
      const n = Number(text);
      if (!/^[+-]?\d+$/.test(text) || n > max || n < -max - 1) throw new ConfigException(invalid(key.name, raw, `Not a number of type ${key.type}`));
      return Number(text);
    }
    case 'DOUBLE': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw new ConfigException(invalid(key.name, raw, 'Not a number of type DOUBLE'));
      return n;
    }
    case 'LIST':
      return text === '' ? [] : text.split(/\s*,\s*/);
  }
}

/** The string form of a value, as ConfigDef.convertToString (LIST joined by commas). */
export function configValueToString(value: ConfigValueType | undefined, type: ConfigType): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.join(',');
  if (type === 'PASSWORD') return '[hidden]';
  return String(value);
}

function check(key: ConfigKey, value: ConfigValueType): string | undefined {
  if (key.validValues && value !== null && !key.validValues.includes(String(value))) {
    return invalid(key.name, value, `String must be one of: ${key.validValues.join(', ')}`);
  }
  if (key.atLeast !== undefined && typeof value === 'number' && value < key.atLeast) {
    return invalid(key.name, value, `Value must be at least ${key.atLeast}`);
  }
  if (key.validator) {
    const why = key.validator(value, key.name);
    if (why !== undefined) return invalid(key.name, Array.isArray(value) ? value.join(',') : value, why);
  }
  return undefined;
}

/** Validates every defined key of `config`; keys without a definition are not reported. */
export function validateConfig(keys: readonly ConfigKey[], config: Readonly<Record<string, string>>): ConfigValueResult[] {
  return keys.map((key) => {
    const raw = Object.hasOwn(config, key.name) ? config[key.name] : undefined;
    if (raw === undefined) {
      if (!('defaultValue' in key) || key.defaultValue === undefined) {
        return { name: key.name, value: null, errors: [`Missing required configuration "${key.name}" which has no default value.`] };
      }
      const why = key.defaultValue === null ? undefined : check(key, key.defaultValue);
      return { name: key.name, value: key.defaultValue, errors: why ? [why] : [] };
    }
    let value: ConfigValueType;
    try {
      value = parseConfigValue(key, raw);
    } catch (err) {
      return { name: key.name, value: raw, errors: [(err as Error).message] };
    }
    const why = check(key, value);
    return { name: key.name, value, errors: why ? [why] : [] };
  });
}

/** Parses a config, throwing the first error (for code paths that need the values, not a report). */
export function parseConfig(keys: readonly ConfigKey[], config: Readonly<Record<string, string>>): Map<string, ConfigValueType> {
  const out = new Map<string, ConfigValueType>();
  for (const r of validateConfig(keys, config)) {
    if (r.errors.length > 0) throw new ConfigException(r.errors[0]!);
    out.set(r.name, r.value ?? null);
  }
  return out;
}

/** Kafka's ConfigKeyInfo JSON (the "definition" of a validate answer). */
export function configKeyInfo(key: ConfigKey): Record<string, unknown> {
  const hasDefault = 'defaultValue' in key && key.defaultValue !== undefined;
  return {
    name: key.name,
    type: key.type,
    required: !hasDefault,
    default_value: hasDefault ? configValueToString(key.defaultValue, key.type) : null,
    importance: key.importance,
    documentation: key.documentation,
    group: key.group ?? null,
    width: key.width ?? 'NONE',
    display_name: key.displayName ?? key.name,
    dependents: [],
    order: key.orderInGroup ?? -1,
  };
}
