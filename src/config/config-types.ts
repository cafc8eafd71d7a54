// Value checks of Kafka's ConfigDef for the types topic and dynamic broker configs use, with the
// messages ConfigException builds (`Invalid value <v> for configuration <name>: <reason>`), which
// the tools print verbatim.

export type ConfigType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list';

export interface ValueRule {
  type: ConfigType;
  min?: number;
  max?: number;
  oneOf?: readonly string[];
}

const INT_RANGE = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const LONG_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;

function integerIn(text: string, [lo, hi]: readonly [bigint, bigint]): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n < lo || n > hi ? undefined : n;
}

/** Kafka's message for a bad value, or undefined when `value` is valid for `rule`. */
export function validateConfigValue(name: string, value: string, rule: ValueRule): string | undefined {
  const bad = (why: string, shown: string = value): string => `Invalid value ${shown} for configuration ${name}: ${why}`;
  const text = value.trim();
  let n: number | undefined;
  switch (rule.type) {
    case 'int':
    case 'long': {
      const parsed = integerIn(text, rule.type === 'int' ? INT_RANGE : LONG_RANGE);
      if (parsed === undefined) return bad(`Not a number of type ${rule.type === 'int' ? 'INT' : 'LONG'}`);
      n = Number(parsed);
      break;
    }
    case 'double':
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return bad('Not a number of type DOUBLE');
      n = Number(text);
      break;
    case 'boolean':
      if (!/^(true|false)$/i.test(text)) return bad('Expected value to be either true or false');
      return undefined;
    case 'list':
      if (rule.oneOf) {
        const items = text === '' ? [] : text.split(/\s*,\s*/);
        const wrong = items.find((i) => !rule.oneOf!.includes(i));
        if (wrong !== undefined) return bad(`String must be one of: ${rule.oneOf.join(', ')}`, wrong);
      }
      return undefined;
    case 'string':
      if (rule.oneOf && !rule.oneOf.includes(text)) return bad(`String must be one of: ${rule.oneOf.join(', ')}`);
      return undefined;
  }
  if (rule.min !== undefined && n < rule.min) return bad(`Value must be at least ${rule.min}`, text);
  if (rule.max !== undefined && n > rule.max) return bad(`Value must be no more than ${rule.max}`, text);
  return undefined;
}
