// Connect's schema model (Java's org.apache.kafka.connect.data.Schema / ConnectSchema /
// SchemaBuilder). Schemas are plain frozen objects, so they can be compared structurally, printed
// and cached by the converters.
//
// How Connect values look in TypeScript (what a schema of each type accepts and what converters
// return):
//   INT8, INT16, INT32   number (an integer in range)
//   INT64                bigint (a safe-integer `number` is accepted on input)
//   FLOAT32, FLOAT64     number
//   BOOLEAN              boolean
//   STRING               string
//   BYTES                Buffer (any Uint8Array is accepted on input)
//   ARRAY                unknown[]
//   MAP                  Map<unknown, unknown> (a plain object is accepted on input)
//   STRUCT               Struct
//   logical types        Decimal → BigDecimal, Date/Time/Timestamp → JS Date (see logical-types.ts)
// Schemaless values read by JsonConverter follow Java: integers are bigint (Java Long), other numbers
// are number (Double), objects are Map, arrays are arrays.

import { SchemaBuilderException } from './errors.js';
// struct.ts imports this module too; the cycle is safe because neither uses the other at load time.
import { validateValue } from './struct.js';

export { Struct, validateValue } from './struct.js';

export type SchemaType =
  | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT32' | 'FLOAT64'
  | 'BOOLEAN' | 'STRING' | 'BYTES' | 'ARRAY' | 'MAP' | 'STRUCT';

export const PRIMITIVE_TYPES: readonly SchemaType[] = [
  'INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES',
];

export interface Field {
  name: string;
  index: number;
  schema: Schema;
}

export interface Schema {
  type: SchemaType;
  optional: boolean;
  defaultValue?: unknown;
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Record<string, string>;
  /** MAP only. */
  keySchema?: Schema;
  /** ARRAY (element schema) and MAP. */
  valueSchema?: Schema;
  /** STRUCT only, in declaration order; `index` is the position. */
  fields?: Field[];
}

/** A converter's result: the schema may be null (schemaless data), and so may the value. */
export interface SchemaAndValue {
  schema: Schema | null;
  value: unknown;
}

export const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });

function constant(type: SchemaType, optional: boolean): Schema {
  return Object.freeze({ type, optional });
}

/** Java's `Schema.*_SCHEMA` constants: `Schemas.INT32` is `Schema.INT32_SCHEMA`. */
export const Schemas = Object.freeze({
  INT8: constant('INT8', false),
  INT16: constant('INT16', false),
  INT32: constant('INT32', false),
  INT64: constant('INT64', false),
  FLOAT32: constant('FLOAT32', false),
  FLOAT64: constant('FLOAT64', false),
  BOOLEAN: constant('BOOLEAN', false),
  STRING: constant('STRING', false),
  BYTES: constant('BYTES', false),
  OPTIONAL_INT8: constant('INT8', true),
  OPTIONAL_INT16: constant('INT16', true),
  OPTIONAL_INT32: constant('INT32', true),
  OPTIONAL_INT64: constant('INT64', true),
  OPTIONAL_FLOAT32: constant('FLOAT32', true),
  OPTIONAL_FLOAT64: constant('FLOAT64', true),
  OPTIONAL_BOOLEAN: constant('BOOLEAN', true),
  OPTIONAL_STRING: constant('STRING', true),
  OPTIONAL_BYTES: constant('BYTES', true),
});

/** The field of a struct schema by name, or undefined. */
export function fieldOf(schema: Schema, name: string): Field | undefined {
  return schema.fields?.find((f) => f.name === name);
}

/** Structural equality, as Java's ConnectSchema.equals (default values compared by content). */
export function schemaEquals(a: Schema | null | undefined, b: Schema | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.type !== b.type || a.optional !== b.optional) return false;
  if (a.name !== b.name || a.version !== b.version || a.doc !== b.doc) return false;
  if (!recordsEqual(a.parameters, b.parameters)) return false;
  if (!valuesEqual(a.defaultValue, b.defaultValue)) return false;
  if (!schemaEquals(a.keySchema, b.keySchema) || !schemaEquals(a.valueSchema, b.valueSchema)) return false;
  const fa = a.fields ?? [];
  const fb = b.fields ?? [];
  if ((a.fields === undefined) !== (b.fields === undefined) || fa.length !== fb.length) return false;
  return fa.every((f, i) => f.name === fb[i]!.name && f.index === fb[i]!.index && schemaEquals(f.schema, fb[i]!.schema));
}

function recordsEqual(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** Deep equality over Connect values (Buffers by content, Dates by time, Structs by schema and values). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (b.has(k)) {
        if (!valuesEqual(v, b.get(k))) return false;
        continue;
      }
      // Keys that are objects (arrays, buffers) match by content, as Java's equals does.
      let found = false;
      for (const [k2, v2] of b) if (valuesEqual(k, k2) && valuesEqual(v, v2)) { found = true; break; }
      if (!found) return false;
    }
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const eq = (a as { equals?: (o: unknown) => boolean }).equals;
    if (typeof eq === 'function') return eq.call(a, b);
    if (Object.getPrototypeOf(a) === Object.prototype && Object.getPrototypeOf(b) === Object.prototype) {
      const ka = Object.keys(a);
      return ka.length === Object.keys(b).length
        && ka.every((k) => Object.hasOwn(b, k) && valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
    }
  }
  return false;
}

/**
 * Java's SchemaBuilder, fluent: `SchemaBuilder.struct().name('com.example.User')
 * .field('id', Schemas.INT32).field('name', Schemas.OPTIONAL_STRING).build()`.
 * Each property may be set once, as in Java; a second set is a SchemaBuilderException.
 */
export class SchemaBuilder {
  private readonly schemaType: SchemaType;
  private isOptional = false;
  private defaultVal: unknown = undefined;
  private schemaName: string | undefined;
  private schemaVersion: number | undefined;
  private schemaDoc: string | undefined;
  private params: Record<string, string> | undefined;
  private keySch: Schema | undefined;
  private valueSch: Schema | undefined;
  private readonly fieldList: Field[] | undefined;

  constructor(type: SchemaType) {
    this.schemaType = type;
    if (type === 'STRUCT') this.fieldList = [];
  }

  static type(type: SchemaType): SchemaBuilder { return new SchemaBuilder(type); }
  static int8(): SchemaBuilder { return new SchemaBuilder('INT8'); }
  static int16(): SchemaBuilder { return new SchemaBuilder('INT16'); }
  static int32(): SchemaBuilder { return new SchemaBuilder('INT32'); }
  static int64(): SchemaBuilder { return new SchemaBuilder('INT64'); }
  static float32(): SchemaBuilder { return new SchemaBuilder('FLOAT32'); }
  static float64(): SchemaBuilder { return new SchemaBuilder('FLOAT64'); }
  static bool(): SchemaBuilder { return new SchemaBuilder('BOOLEAN'); }
  static string(): SchemaBuilder { return new SchemaBuilder('STRING'); }
  static bytes(): SchemaBuilder { return new SchemaBuilder('BYTES'); }
  static struct(): SchemaBuilder { return new SchemaBuilder('STRUCT'); }

  static array(valueSchema: Schema): SchemaBuilder {
    if (!valueSchema) throw new SchemaBuilderException('valueSchema cannot be null.');
    const b = new SchemaBuilder('ARRAY');
    b.valueSch = valueSchema;
    return b;
  }

  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    if (!keySchema) throw new SchemaBuilderException('keySchema cannot be null.');
    if (!valueSchema) throw new SchemaBuilderException('valueSchema cannot be null.');
    const b = new SchemaBuilder('MAP');
    b.keySch = keySchema;
    b.valueSch = valueSchema;
    return b;
  }

  get type(): SchemaType { return this.schemaType; }

  optional(): this { this.isOptional = true; return this; }
  required(): this { this.isOptional = false; return this; }

  name(name: string): this {
    this.checkUnset('name', this.schemaName);
    this.schemaName = name;
    return this;
  }

  version(version: number): this {
    this.checkUnset('version', this.schemaVersion);
    this.schemaVersion = version;
    return this;
  }

  doc(doc: string): this {
    this.checkUnset('doc', this.schemaDoc);
    this.schemaDoc = doc;
    return this;
  }

  parameter(key: string, value: string): this {
    this.params ??= {};
    this.params[key] = value;
    return this;
  }

  parameters(params: Record<string, string>): this {
    for (const [k, v] of Object.entries(params)) this.parameter(k, v);
    return this;
  }

  /** The default must fit the schema as built so far (checked when build() runs). */
  defaultValue(value: unknown): this {
    this.checkUnset('default', this.defaultVal);
    this.defaultVal = value;
    return this;
  }

  field(name: string, schema: Schema | SchemaBuilder): this {
    if (!this.fieldList) throw new SchemaBuilderException('Cannot create fields on type ' + this.schemaType);
    if (name === null || name === undefined || name === '') throw new SchemaBuilderException('fieldName cannot be null.');
    if (!schema) throw new SchemaBuilderException('fieldSchema for field ' + name + ' cannot be null.');
    if (this.fieldList.some((f) => f.name === name)) {
      throw new SchemaBuilderException('Cannot create field because of field name duplication ' + name);
    }
    const built = schema instanceof SchemaBuilder ? schema.build() : schema;
    this.fieldList.push(Object.freeze({ name, index: this.fieldList.length, schema: built }));
    return this;
  }

  build(): Schema {
    const s: Schema = { type: this.schemaType, optional: this.isOptional };
    if (this.schemaName !== undefined) s.name = this.schemaName;
    if (this.schemaVersion !== undefined) s.version = this.schemaVersion;
    if (this.schemaDoc !== undefined) s.doc = this.schemaDoc;
    if (this.params !== undefined) s.parameters = Object.freeze({ ...this.params }) as Record<string, string>;
    if (this.keySch !== undefined) s.keySchema = this.keySch;
    if (this.valueSch !== undefined) s.valueSchema = this.valueSch;
    if (this.fieldList !== undefined) s.fields = Object.freeze([...this.fieldList]) as Field[];
    if (this.defaultVal !== undefined && this.defaultVal !== null) {
      // Checked against the schema as it was before the default: a struct default is built from
      // that schema, so comparing it with the final one (which includes itself) could never match.
      try {
        validateValue(Object.freeze({ ...s }), this.defaultVal);
      } catch (e) {
        throw new SchemaBuilderException('Invalid default value: ' + (e as Error).message);
      }
      s.defaultValue = this.defaultVal;
    }
    return Object.freeze(s);
  }

  private checkUnset(what: string, current: unknown): void {
    if (current !== undefined && current !== null) {
      throw new SchemaBuilderException(`Invalid SchemaBuilder call: ${what} has already been set.`);
    }
  }
}
