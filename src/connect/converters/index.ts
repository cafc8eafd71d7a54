// Converter lookup by Java class name, as a worker or connector config names them
// (`value.converter=org.apache.kafka.connect.json.JsonConverter`), or by the short alias
// (`JsonConverter`), which Connect's plugin loader also accepts.

import { ConfigException } from '../config-def.js';
import type { NamedConverter } from './converter.js';
import { ByteArrayConverter } from './byte-array.js';
import { JsonConverter } from './json.js';
import {
  BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter,
} from './number.js';
import { StringConverter } from './string.js';

export type { Converter, NamedConverter } from './converter.js';
export { DataException } from './converter.js';
export { JsonConverter, internalJson } from './json.js';
export { StringConverter } from './string.js';
export { ByteArrayConverter } from './byte-array.js';
export {
  BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter,
} from './number.js';

const FACTORIES: ReadonlyMap<string, () => NamedConverter> = new Map<string, () => NamedConverter>([
  ['org.apache.kafka.connect.json.JsonConverter', () => new JsonConverter()],
  ['org.apache.kafka.connect.storage.StringConverter', () => new StringConverter()],
  ['org.apache.kafka.connect.converters.ByteArrayConverter', () => new ByteArrayConverter()],
  ['org.apache.kafka.connect.converters.BooleanConverter', () => new BooleanConverter()],
  ['org.apache.kafka.connect.converters.DoubleConverter', () => new DoubleConverter()],
  ['org.apache.kafka.connect.converters.FloatConverter', () => new FloatConverter()],
  ['org.apache.kafka.connect.converters.IntegerConverter', () => new IntegerConverter()],
  ['org.apache.kafka.connect.converters.LongConverter', () => new LongConverter()],
  ['org.apache.kafka.connect.converters.ShortConverter', () => new ShortConverter()],
]);

/** Fully-qualified Java class names of every converter ktool provides, sorted as Connect lists plugins. */
export const CONVERTER_CLASSES: readonly string[] = Object.freeze([...FACTORIES.keys()].sort());

function simpleName(fqcn: string): string {
  return fqcn.slice(fqcn.lastIndexOf('.') + 1);
}

/** The FQCN a class name or alias stands for, or undefined if ktool has no such converter. */
export function resolveConverterClass(className: string): string | undefined {
  const name = className.trim();
  if (FACTORIES.has(name)) return name;
  // Aliases: the simple class name, and Connect's shortened form without the "Converter" suffix.
  for (const fqcn of FACTORIES.keys()) {
    const simple = simpleName(fqcn);
    if (name === simple || name === simple.replace(/Converter$/, '')) return fqcn;
  }
  return undefined;
}

/**
 * A new, unconfigured converter for a class name or alias. An unknown name throws a ConfigException with
 * Kafka's ConfigException text: "Invalid value X for configuration <key>: Class X could not be found."
 * when `configKey` (e.g. `value.converter`) is given, else "Class X could not be found.".
 */
export function createConverter(className: string, configKey?: string): NamedConverter {
  const fqcn = resolveConverterClass(className);
  if (fqcn === undefined) {
    const reason = `Class ${className} could not be found.`;
    throw new ConfigException(configKey === undefined ? reason : `Invalid value ${className} for configuration ${configKey}: ${reason}`);
  }
  return FACTORIES.get(fqcn)!();
}
