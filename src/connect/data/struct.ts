// Struct values and value-against-schema validation (Java's Struct and ConnectSchema.validateValue).
// Validation is what keeps a Struct honest: every put() checks the value against the field's schema,
// so a converter can trust a Struct's contents, and validate() catches required fields left unset.

import { BigDecimal } from './big-decimal.js';
import { DataException } from './errors.js';
import { javaClassOf, javaToString } from './java-text.js';
import { fieldOf, schemaEquals, valuesEqual, type Field, type Schema } from './schema.js';

// Logical type names whose values are not the underlying type (kept here, free of imports, so this
// module does not depend on logical-types.ts).
const DECIMAL = 'org.apache.kafka.connect.data.Decimal';
const DATE_LIKE = new Set([
  'org.apache.kafka.connect.data.Date',
  'org.apache.kafka.connect.data.Time',
  'org.apache.kafka.connect.data.Timestamp',
]);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isIntIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Whether `value` has the TypeScript shape schema.ts documents for this schema's type. */
export function hasExpectedShape(schema: Schema, value: unknown): boolean {
  if (schema.name === DECIMAL) return value instanceof BigDecimal;
  if (schema.name !== undefined && DATE_LIKE.has(schema.name)) return value instanceof Date;
  switch (schema.type) {
    case 'INT8': return isIntIn(value, -128, 127);
    case 'INT16': return isIntIn(value, -32768, 32767);
    case 'INT32': return isIntIn(value, -2147483648, 2147483647);
    case 'INT64':
      return (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) || Number.isSafeInteger(value);
    case 'FLOAT32':
    case 'FLOAT64': return typeof value === 'number';
    case 'BOOLEAN': return typeof value === 'boolean';
    case 'STRING': return typeof value === 'string';
    case 'BYTES': return value instanceof Uint8Array;
    case 'ARRAY': return Array.isArray(value);
    case 'MAP': return value instanceof Map || isPlainObject(value);
    case 'STRUCT': return value instanceof Struct;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A Map or a plain object, as [key, value] pairs in iteration order. */
export function mapEntries(value: Map<unknown, unknown> | Record<string, unknown>): Iterable<[unknown, unknown]> {
  return value instanceof Map ? value.entries() : Object.entries(value);
}

/**
 * Java's ConnectSchema.validateValue: throws DataException (with Java's message) when `value` does
 * not fit `schema`. `field` names the struct field in the message; without it the message says "value".
 */
export function validateValue(schema: Schema, value: unknown, field?: string | null): void {
  validateAt(schema, value, field === undefined || field === null ? 'value' : `field: "${field}"`);
}

function validateAt(schema: Schema, value: unknown, location: string): void {
  if (value === null || value === undefined) {
    if (!schema.optional) {
      throw new DataException(`Invalid value: null used for required ${location}, schema type: ${schema.type}`);
    }
    return;
  }
  if (!hasExpectedShape(schema, value)) {
    const named = schema.name !== undefined ? ` "${schema.name}"` : '';
    throw new DataException(`Invalid Java object for schema${named} with type ${schema.type}: ${javaClassOf(value)} for ${location}`);
  }
  switch (schema.type) {
    case 'STRUCT': {
      const struct = value as Struct;
      if (!schemaEquals(struct.schema, schema)) throw new DataException('Struct schemas do not match.');
      struct.validate();
      break;
    }
    case 'ARRAY': {
      const where = 'element of array ' + location;
      const elementSchema = requireSchema(schema.valueSchema, where);
      for (const element of value as unknown[]) validateAt(elementSchema, element, where);
      break;
    }
    case 'MAP': {
      const keyWhere = 'key of map ' + location;
      const valueWhere = 'value of map ' + location;
      const keySchema = requireSchema(schema.keySchema, keyWhere);
      const valueSchema = requireSchema(schema.valueSchema, valueWhere);
      for (const [k, v] of mapEntries(value as Map<unknown, unknown>)) {
        validateAt(keySchema, k, keyWhere);
        validateAt(valueSchema, v, valueWhere);
      }
      break;
    }
    default:
      break;
  }
}

function requireSchema(schema: Schema | undefined, location: string): Schema {
  if (!schema) throw new DataException('No schema defined for ' + location);
  return schema;
}

/** Java's Schema.toString: "Schema{STRING}" or "Schema{com.example.User:STRUCT}". */
export function schemaToString(schema: Schema): string {
  return schema.name !== undefined ? `Schema{${schema.name}:${schema.type}}` : `Schema{${schema.type}}`;
}

/** A value of a STRUCT schema: one slot per field, checked on every put. */
export class Struct {
  static readonly javaClassName = 'org.apache.kafka.connect.data.Struct';
  readonly schema: Schema;
  private readonly values: unknown[];

  constructor(schema: Schema) {
    if (schema.type !== 'STRUCT') throw new DataException('Not a struct schema: ' + schemaToString(schema));
    this.schema = schema;
    this.values = new Array<unknown>(schema.fields?.length ?? 0).fill(null);
  }

  /** The field's value, or the field schema's default when the value is null (as Java's get). */
  get(field: string | Field): unknown {
    const f = this.lookupField(field);
    const v = this.values[f.index];
    return v === null && f.schema.defaultValue !== undefined ? f.schema.defaultValue : v;
  }

  /** The field's value as set, ignoring defaults. */
  getWithoutDefault(field: string | Field): unknown {
    return this.values[this.lookupField(field).index];
  }

  /** Sets a field after checking the value against its schema; returns this for chaining. */
  put(field: string | Field, value: unknown): this {
    const f = this.lookupField(field);
    const v = value === undefined ? null : value;
    validateValue(f.schema, v, f.name);
    this.values[f.index] = v;
    return this;
  }

  /** Checks every field: required fields without a default must have been set. */
  validate(): void {
    for (const f of this.schema.fields ?? []) {
      const v = this.values[f.index];
      if (v === null && (f.schema.optional || f.schema.defaultValue !== undefined)) continue;
      validateValue(f.schema, v, f.name);
    }
  }

  equals(other: unknown): boolean {
    if (!(other instanceof Struct)) return false;
    return schemaEquals(this.schema, other.schema)
      && this.values.length === other.values.length
      && this.values.every((v, i) => valuesEqual(v, other.values[i]));
  }

  /** Java's Struct.toString: "Struct{id=1,name=Ann}", null fields left out. */
  toString(): string {
    const parts: string[] = [];
    for (const f of this.schema.fields ?? []) {
      const v = this.values[f.index];
      if (v !== null) parts.push(f.name + '=' + javaToString(v, f.schema));
    }
    return 'Struct{' + parts.join(',') + '}';
  }

  private lookupField(field: string | Field): Field {
    if (field === null || field === undefined) throw new DataException('field cannot be null.');
    const name = typeof field === 'string' ? field : field.name;
    const found = fieldOf(this.schema, name);
    if (!found) throw new DataException(name + ' is not a valid field name');
    return found;
  }
}
