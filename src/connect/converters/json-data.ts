// Connect data ↔ Jackson JSON trees, as Java's JsonConverter maps them: schemas to and from their
// JSON form ({"type":...,"optional":...}), values to and from payloads. Kept apart from the
// converter class so the schema and value mappings can be tested on their own.

import { BigDecimal } from '../data/big-decimal.js';
import { DataException } from '../data/errors.js';
import { inJavaHashMapOrder } from '../data/java-hash-order.js';
import { javaClassOf } from '../data/java-text.js';
import { ConnectDate, Decimal, Time, Timestamp } from '../data/logical-types.js';
import { SchemaBuilder, schemaEquals, type Schema, type SchemaType } from '../data/schema.js';
import { Struct, hasExpectedShape, isPlainObject, mapEntries } from '../data/struct.js';
import {
  NULL_NODE, binaryValue, doubleValue, intValue, isInt, isNumber, longValue, nodeTypeName, type JsonNode,
} from './jackson-json.js';

export type DecimalFormat = 'BASE64' | 'NUMERIC';

export interface JsonDataOptions {
  decimalFormat: DecimalFormat;
  /** A null with a schema default becomes the default, in both directions. */
  replaceNullWithDefault: boolean;
}

export const DEFAULT_JSON_DATA_OPTIONS: JsonDataOptions = Object.freeze({ decimalFormat: 'BASE64', replaceNullWithDefault: true });

const TYPE_NAMES: Record<SchemaType, string> = {
  INT8: 'int8', INT16: 'int16', INT32: 'int32', INT64: 'int64', FLOAT32: 'float', FLOAT64: 'double',
  BOOLEAN: 'boolean', STRING: 'string', BYTES: 'bytes', ARRAY: 'array', MAP: 'map', STRUCT: 'struct',
};

const TYPES_BY_NAME = new Map<string, SchemaType>(
  Object.entries(TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]),
);

const str = (v: string): JsonNode => ({ t: 'string', v });
const int = (v: number | bigint): JsonNode => ({ t: 'int', v: BigInt(v) });
const obj = (entries: [string, JsonNode][]): JsonNode => ({ t: 'object', fields: new Map(entries) });

// ---------------------------------------------------------------- schemas

/** A schema's JSON form, with Java's key order: type, type-specific keys, optional, name, version, doc, parameters, default. */
export function asJsonSchema(schema: Schema, options: JsonDataOptions = DEFAULT_JSON_DATA_OPTIONS): JsonNode {
  const entries: [string, JsonNode][] = [['type', str(TYPE_NAMES[schema.type])]];
  switch (schema.type) {
    case 'ARRAY':
      entries.push(['items', asJsonSchema(requireChild(schema.valueSchema, schema), options)]);
      break;
    case 'MAP':
      entries.push(['keys', asJsonSchema(requireChild(schema.keySchema, schema), options)]);
      entries.push(['values', asJsonSchema(requireChild(schema.valueSchema, schema), options)]);
      break;
    case 'STRUCT':
      entries.push(['fields', {
        t: 'array',
        items: (schema.fields ?? []).map((f) => {
          const fieldSchema = asJsonSchema(f.schema, options) as Extract<JsonNode, { t: 'object' }>;
          // The field name goes last, after the field schema's own keys.
          return obj([...fieldSchema.fields, ['field', str(f.name)]]);
        }),
      }]);
      break;
    default:
      break;
  }
  entries.push(['optional', { t: 'boolean', v: schema.optional }]);
  if (schema.name !== undefined) entries.push(['name', str(schema.name)]);
  if (schema.version !== undefined) entries.push(['version', int(schema.version)]);
  if (schema.doc !== undefined) entries.push(['doc', str(schema.doc)]);
  if (schema.parameters !== undefined) {
    entries.push(['parameters', obj(Object.entries(schema.parameters).map(([k, v]) => [k, str(v)]))]);
  }
  if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
    entries.push(['default', convertToJson(schema, schema.defaultValue, options)]);
  }
  return obj(entries);
}

function requireChild(child: Schema | undefined, parent: Schema): Schema {
  if (!child) throw new DataException(`Couldn't translate unsupported schema type ${parent.type}.`);
  return child;
}

function field(node: JsonNode | undefined, name: string): JsonNode | undefined {
  return node?.t === 'object' ? node.fields.get(name) : undefined;
}

/** A schema from its JSON form; JSON null (or a missing schema) is no schema. */
export function asConnectSchema(node: JsonNode | undefined, options: JsonDataOptions = DEFAULT_JSON_DATA_OPTIONS): Schema | null {
  if (node === undefined || node.t === 'null') return null;
  const typeNode = field(node, 'type');
  if (typeNode?.t !== 'string') throw new DataException("Schema must contain 'type' field");
  const type = TYPES_BY_NAME.get(typeNode.v);
  let builder: SchemaBuilder;
  switch (type) {
    case 'ARRAY': {
      const items = field(node, 'items');
      if (items === undefined || items.t === 'null') throw new DataException('Array schema did not specify the element type');
      builder = SchemaBuilder.array(childSchema(items, options));
      break;
    }
    case 'MAP': {
      const keys = field(node, 'keys');
      if (keys === undefined) throw new DataException('Map schema did not specify the key type');
      const values = field(node, 'values');
      if (values === undefined) throw new DataException('Map schema did not specify the value type');
      builder = SchemaBuilder.map(childSchema(keys, options), childSchema(values, options));
      break;
    }
    case 'STRUCT': {
      builder = SchemaBuilder.struct();
      const fields = field(node, 'fields');
      if (fields?.t !== 'array') throw new DataException('Struct schema\'s "fields" argument is not an array.');
      for (const f of fields.items) {
        const name = field(f, 'field');
        if (name?.t !== 'string') throw new DataException("Struct schema's field name not specified properly");
        builder.field(name.v, childSchema(f, options));
      }
      break;
    }
    case undefined:
      throw new DataException('Unknown schema type: ' + typeNode.v);
    default:
      builder = SchemaBuilder.type(type);
  }

  const optional = field(node, 'optional');
  if (optional?.t === 'boolean' && optional.v) builder.optional();
  const name = field(node, 'name');
  if (name?.t === 'string') builder.name(name.v);
  const version = field(node, 'version');
  if (version?.t === 'int') builder.version(intValue(version));
  const doc = field(node, 'doc');
  if (doc?.t === 'string') builder.doc(doc.v);
  const params = field(node, 'parameters');
  if (params?.t === 'object') {
    for (const [k, v] of params.fields) {
      if (v.t !== 'string') throw new DataException('Schema parameters must have string values.');
      builder.parameter(k, v.v);
    }
  }
  const defaultNode = field(node, 'default');
  if (defaultNode !== undefined) {
    // The default is read against the schema as declared so far, as Java reads it against its builder.
    builder.defaultValue(convertToConnect(builder.build(), defaultNode, options));
  }
  return builder.build();
}

/** A nested schema; JSON null there means "no schema", which Java's builders refuse. */
function childSchema(node: JsonNode, options: JsonDataOptions): Schema {
  const s = asConnectSchema(node, options);
  if (s === null) throw new DataException('Schema must contain \'type\' field');
  return s;
}

// ---------------------------------------------------------------- values: Connect → JSON

/** Java's convertToJson. A null value with a null schema is JSON null (callers handle the top level). */
export function convertToJson(schema: Schema | null, value: unknown, options: JsonDataOptions = DEFAULT_JSON_DATA_OPTIONS): JsonNode {
  if (value === null || value === undefined) {
    if (schema === null) return NULL_NODE;
    if (schema.defaultValue !== undefined && schema.defaultValue !== null && options.replaceNullWithDefault) {
      return convertToJson(schema, schema.defaultValue, options);
    }
    if (schema.optional) return NULL_NODE;
    throw new DataException('Conversion error: null value for field that is required and has no default value');
  }
  if (schema === null) return schemalessToJson(value, options);
  if (schema.name !== undefined) {
    const logical = logicalToJson(schema, value, options);
    if (logical !== undefined) return logical;
  }
  const invalid = () => new DataException(`Invalid type for ${schema.type}: ${javaClassOf(value)}`);
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      if (!hasExpectedShape({ type: schema.type, optional: false }, value)) throw invalid();
      return int(value as number | bigint);
    case 'FLOAT32':
      if (typeof value !== 'number') throw invalid();
      return { t: 'float', v: value };
    case 'FLOAT64':
      if (typeof value !== 'number') throw invalid();
      return { t: 'double', v: value };
    case 'BOOLEAN':
      if (typeof value !== 'boolean') throw invalid();
      return { t: 'boolean', v: value };
    case 'STRING':
      if (typeof value !== 'string') throw invalid();
      return str(value);
    case 'BYTES':
      if (!(value instanceof Uint8Array)) throw new DataException('Invalid type for bytes type: ' + javaClassOf(value));
      return { t: 'binary', v: value };
    case 'ARRAY': {
      if (!Array.isArray(value)) throw invalid();
      const elementSchema = schema.valueSchema ?? null;
      return { t: 'array', items: value.map((v) => convertToJson(elementSchema, v, options)) };
    }
    case 'MAP': {
      if (!(value instanceof Map) && !isPlainObject(value)) throw invalid();
      const objectMode = schema.keySchema?.type === 'STRING';
      return mapToJson(value, objectMode, schema.keySchema ?? null, schema.valueSchema ?? null, options);
    }
    case 'STRUCT': {
      if (!(value instanceof Struct)) throw invalid();
      if (!sameStructSchema(value.schema, schema)) throw new DataException('Mismatching schema.');
      return obj((schema.fields ?? []).map((f) => [f.name, convertToJson(f.schema, value.getWithoutDefault(f.name), options)]));
    }
  }
}

/** A struct default is built from its schema before the default was added, so allow that difference. */
function sameStructSchema(structSchema: Schema, schema: Schema): boolean {
  if (schemaEquals(structSchema, schema)) return true;
  if (schema.defaultValue === undefined) return false;
  const { defaultValue: _ignored, ...withoutDefault } = schema;
  return schemaEquals(structSchema, withoutDefault);
}

function logicalToJson(schema: Schema, value: unknown, options: JsonDataOptions): JsonNode | undefined {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!(value instanceof BigDecimal)) throw new DataException('Invalid type for Decimal, expected BigDecimal but was ' + javaClassOf(value));
      return options.decimalFormat === 'NUMERIC' ? { t: 'decimal', v: value } : { t: 'binary', v: Decimal.fromLogical(schema, value) };
    case ConnectDate.LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataException('Invalid type for Date, expected Date but was ' + javaClassOf(value));
      return int(ConnectDate.fromLogical(schema, value));
    case Time.LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataException('Invalid type for Time, expected Date but was ' + javaClassOf(value));
      return int(Time.fromLogical(schema, value));
    case Timestamp.LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataException('Invalid type for Timestamp, expected Date but was ' + javaClassOf(value));
      return int(Timestamp.fromLogical(schema, value));
    default:
      return undefined;
  }
}

/** Schemaless values: the JSON type follows the value's own type, as Java infers it from the class. */
function schemalessToJson(value: unknown, options: JsonDataOptions): JsonNode {
  switch (typeof value) {
    case 'string': return str(value);
    case 'boolean': return { t: 'boolean', v: value };
    case 'bigint': return int(value);
    case 'number': return Number.isSafeInteger(value) ? int(value) : { t: 'double', v: value };
    default: break;
  }
  if (value instanceof Uint8Array) return { t: 'binary', v: value };
  if (Array.isArray(value)) return { t: 'array', items: value.map((v) => convertToJson(null, v, options)) };
  if (value instanceof Map || isPlainObject(value)) {
    let objectMode = true;
    for (const [k] of mapEntries(value)) if (typeof k !== 'string') { objectMode = false; break; }
    return mapToJson(value, objectMode, null, null, options);
  }
  if (value instanceof Struct) throw new DataException('Mismatching schema.');
  throw new DataException(`Java class ${javaClassOf(value)} does not have corresponding schema type.`);
}

/** String-keyed maps are JSON objects; any other map is an array of [key, value] pairs. */
function mapToJson(
  value: Map<unknown, unknown> | Record<string, unknown>, objectMode: boolean,
  keySchema: Schema | null, valueSchema: Schema | null, options: JsonDataOptions,
): JsonNode {
  if (objectMode) {
    const fields = new Map<string, JsonNode>();
    for (const [k, v] of mapEntries(value)) {
      fields.set(asText(convertToJson(keySchema, k, options)), convertToJson(valueSchema, v, options));
    }
    return { t: 'object', fields };
  }
  const items: JsonNode[] = [];
  for (const [k, v] of mapEntries(value)) {
    items.push({ t: 'array', items: [convertToJson(keySchema, k, options), convertToJson(valueSchema, v, options)] });
  }
  return { t: 'array', items };
}

/** Jackson's JsonNode.asText() for a map key. */
function asText(node: JsonNode): string {
  switch (node.t) {
    case 'string': return node.v;
    case 'null': return 'null';
    case 'boolean':
    case 'int': return String(node.v);
    default: return '';
  }
}

// ---------------------------------------------------------------- values: JSON → Connect

/**
 * Java's convertToConnect. With a schema, values are read through Jackson's lenient accessors (a
 * string where an int32 belongs reads as 0, as in Java); without one, the type is inferred:
 * integer → bigint (Long), other number → number (Double), object → Map, array → array.
 */
export function convertToConnect(schema: Schema | null, node: JsonNode | undefined, options: JsonDataOptions = DEFAULT_JSON_DATA_OPTIONS): unknown {
  let type: SchemaType;
  if (schema !== null) {
    if (node === undefined || node.t === 'null') {
      if (schema.defaultValue !== undefined && schema.defaultValue !== null && options.replaceNullWithDefault) return schema.defaultValue;
      if (schema.optional) return null;
      throw new DataException(`Invalid null value for required ${schema.type} field`);
    }
    type = schema.type;
  } else {
    if (node === undefined) return null;
    switch (node.t) {
      case 'null': return null;
      case 'boolean': type = 'BOOLEAN'; break;
      case 'int': type = 'INT64'; break;
      case 'decimal':
      case 'double':
      case 'float': type = 'FLOAT64'; break;
      case 'array': type = 'ARRAY'; break;
      case 'object': type = 'MAP'; break;
      case 'string': type = 'STRING'; break;
      case 'binary': throw new DataException('Unknown schema type: null');
    }
  }
  if (schema?.name !== undefined) {
    const logical = logicalToConnect(schema, node);
    if (logical !== undefined) return logical;
  }
  switch (type) {
    case 'BOOLEAN': return node.t === 'boolean' ? node.v : false;
    case 'INT8': return (intValue(node) << 24) >> 24;
    case 'INT16': return (intValue(node) << 16) >> 16;
    case 'INT32': return intValue(node);
    case 'INT64': return longValue(node);
    case 'FLOAT32': return Math.fround(doubleValue(node));
    case 'FLOAT64': return doubleValue(node);
    case 'STRING': return node.t === 'string' ? node.v : null;
    case 'BYTES':
      try {
        return binaryValue(node);
      } catch (e) {
        throw new DataException('Invalid bytes field', { cause: e });
      }
    case 'ARRAY': {
      const elementSchema = schema?.valueSchema ?? null;
      // Jackson iterates an object's values and nothing for a scalar; Java's loop does the same.
      const items = node.t === 'array' ? node.items : node.t === 'object' ? [...node.fields.values()] : [];
      return items.map((item) => convertToConnect(elementSchema, item, options));
    }
    case 'MAP': return mapToConnect(schema, node, options);
    case 'STRUCT': {
      if (node.t !== 'object') throw new DataException('Structs should be encoded as JSON objects, but found ' + nodeTypeName(node));
      const struct = new Struct(schema!);
      for (const f of schema!.fields ?? []) struct.put(f, convertToConnect(f.schema, node.fields.get(f.name), options));
      return struct;
    }
  }
}

function mapToConnect(schema: Schema | null, node: JsonNode, options: JsonDataOptions): Map<unknown, unknown> {
  const keySchema = schema?.keySchema ?? null;
  const valueSchema = schema?.valueSchema ?? null;
  const result = new Map<unknown, unknown>();
  if (schema === null || keySchema?.type === 'STRING') {
    if (node.t !== 'object') throw new DataException('Maps with string fields should be encoded as JSON objects, but found ' + nodeTypeName(node));
    for (const [k, v] of node.fields) result.set(k, convertToConnect(valueSchema, v, options));
  } else {
    if (node.t !== 'array') throw new DataException('Maps with non-string fields should be encoded as JSON array of tuples, but found ' + nodeTypeName(node));
    for (const entry of node.items) {
      if (entry.t !== 'array') throw new DataException('Found invalid map entry instead of array tuple: ' + nodeTypeName(entry));
      if (entry.items.length !== 2) throw new DataException('Found invalid map entry, expected length 2 but found :' + entry.items.length);
      putMapEntry(result, convertToConnect(keySchema, entry.items[0], options), convertToConnect(valueSchema, entry.items[1], options));
    }
  }
  return inJavaHashMapOrder(result);
}

/** Keys that JS compares by identity (buffers, arrays) replace an equal earlier key, as Java's equals would. */
function putMapEntry(map: Map<unknown, unknown>, key: unknown, value: unknown): void {
  if (key !== null && typeof key === 'object') {
    for (const existing of map.keys()) {
      if (existing !== null && typeof existing === 'object' && structurallyEqualKey(existing, key)) {
        map.set(existing, value);
        return;
      }
    }
  }
  map.set(key, value);
}

function structurallyEqualKey(a: object, b: object): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return false; // Java byte[] keys compare by identity
  const eq = (a as { equals?: (o: unknown) => boolean }).equals;
  return typeof eq === 'function' ? eq.call(a, b) : false;
}

function logicalToConnect(schema: Schema, node: JsonNode): unknown {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (node.t === 'int') return new BigDecimal(node.v, 0);
      if (node.t === 'decimal') return node.v;
      if (isNumber(node)) return BigDecimal.from(doubleValue(node));
      if (node.t === 'string' || node.t === 'binary') {
        try {
          return Decimal.toLogical(schema, binaryValue(node)!);
        } catch (e) {
          throw new DataException('Invalid bytes for Decimal field', { cause: e });
        }
      }
      throw new DataException('Invalid type for Decimal, underlying representation should be numeric or bytes but was ' + nodeTypeName(node));
    case ConnectDate.LOGICAL_NAME:
      if (!isInt(node)) throw new DataException('Invalid type for Date, underlying representation should be integer but was ' + nodeTypeName(node));
      return ConnectDate.toLogical(schema, intValue(node));
    case Time.LOGICAL_NAME:
      if (!isInt(node)) throw new DataException('Invalid type for Time, underlying representation should be integer but was ' + nodeTypeName(node));
      return Time.toLogical(schema, intValue(node));
    case Timestamp.LOGICAL_NAME:
      if (node.t !== 'int') throw new DataException('Invalid type for Timestamp, underlying representation should be integral but was ' + nodeTypeName(node));
      return Timestamp.toLogical(schema, longValue(node));
    default:
      return undefined;
  }
}
