// org.apache.kafka.connect.json.JsonConverter, byte-for-byte, and the internal JSON converter the
// worker uses for source offsets (JsonConverter with schemas.enable=false, whatever the user set).

import type { ConfigKey } from '../config-def.js';
import { parseConfig } from '../config-def.js';
import { DataException } from '../data/errors.js';
import type { Schema, SchemaAndValue } from '../data/schema.js';
import { NULL_SCHEMA_AND_VALUE } from '../data/schema.js';
import type { NamedConverter } from './converter.js';
import { parseJson, serializeJson, type JsonNode } from './jackson-json.js';
import {
  asConnectSchema, asJsonSchema, convertToConnect, convertToJson, type DecimalFormat, type JsonDataOptions,
} from './json-data.js';

/** JsonConverterConfig's keys, in Kafka's order and with its defaults (for config validation and REST). */
export const JSON_CONVERTER_CONFIG_KEYS: readonly ConfigKey[] = [
  {
    name: 'schemas.enable', type: 'BOOLEAN', defaultValue: true, importance: 'HIGH',
    documentation: 'Include schemas within each of the serialized values and keys.',
    group: 'Schemas', orderInGroup: 0, width: 'MEDIUM', displayName: 'Enable Schemas',
  },
  {
    name: 'schemas.cache.size', type: 'INT', defaultValue: 1000, importance: 'HIGH',
    documentation: 'The maximum number of schemas that can be cached in this converter instance.',
    group: 'Schemas', orderInGroup: 1, width: 'MEDIUM', displayName: 'Schema Cache Size',
  },
  {
    name: 'decimal.format', type: 'STRING', defaultValue: 'BASE64', importance: 'LOW',
    documentation: "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
    group: 'Serialization', orderInGroup: 0, width: 'MEDIUM', displayName: 'Decimal Format',
    validator: (v) => (typeof v === 'string' && /^(BASE64|NUMERIC)$/i.test(v)
      ? undefined : 'String must be one of (case insensitive): BASE64, NUMERIC'),
  },
  {
    name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'LOW',
    documentation: 'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
    group: 'Serialization', orderInGroup: 1, width: 'MEDIUM', displayName: 'Replace null with default',
  },
];

export interface JsonConverterSettings extends JsonDataOptions {
  schemasEnable: boolean;
}

const ENVELOPE_REQUIRED = 'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields.'
  + ' If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';

export class JsonConverter implements NamedConverter {
  static readonly javaClassName = 'org.apache.kafka.connect.json.JsonConverter';
  readonly javaClassName = JsonConverter.javaClassName;
  private settings: JsonConverterSettings = { schemasEnable: true, decimalFormat: 'BASE64', replaceNullWithDefault: true };

  /** Throws ConfigException (Kafka's message) for a bad option value. */
  configure(configs: Record<string, string>, _isKey: boolean): void {
    const parsed = parseConfig(JSON_CONVERTER_CONFIG_KEYS, configs);
    this.settings = {
      schemasEnable: parsed.get('schemas.enable') as boolean,
      decimalFormat: (parsed.get('decimal.format') as string).toUpperCase() as DecimalFormat,
      replaceNullWithDefault: parsed.get('replace.null.with.default') as boolean,
    };
  }

  get config(): Readonly<JsonConverterSettings> {
    return this.settings;
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null && (value === null || value === undefined)) return null;
    return serializeJson(this.toJsonTree(schema, value));
  }

  /** The JSON tree fromConnectData writes (the envelope when schemas are enabled). */
  toJsonTree(schema: Schema | null, value: unknown): JsonNode {
    const payload = convertToJson(schema, value, this.settings);
    if (!this.settings.schemasEnable) return payload;
    const schemaNode: JsonNode = schema === null ? { t: 'null' } : asJsonSchema(schema, this.settings);
    return { t: 'object', fields: new Map([['schema', schemaNode], ['payload', payload]]) };
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    let node: JsonNode | undefined;
    try {
      node = parseJson(value);
    } catch (e) {
      throw new DataException('Converting byte[] to Kafka Connect data failed due to serialization error: ', { cause: e });
    }
    if (!this.settings.schemasEnable) return { schema: null, value: convertToConnect(null, node, this.settings) };
    if (node?.t !== 'object' || node.fields.size !== 2 || !node.fields.has('schema') || !node.fields.has('payload')) {
      throw new DataException(ENVELOPE_REQUIRED);
    }
    const schema = asConnectSchema(node.fields.get('schema'), this.settings);
    return { schema, value: convertToConnect(schema, node.fields.get('payload'), this.settings) };
  }
}

function newInternalConverter(): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': 'false' }, false);
  return c;
}

const internal = newInternalConverter();

/** A Connect map value as a plain object, for callers that prefer `offset.position` to `offset.get('position')`. */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = toPlain(v);
    return out;
  }
  return value;
}

/**
 * The worker's internal converter: schemaless JsonConverter. Values in are plain JS (objects, arrays,
 * strings, numbers, bigints, booleans, null); `deserialize` returns Connect's schemaless values
 * (objects as Map, integers as bigint), `deserializePlain` returns plain objects and safe numbers.
 */
export const internalJson = {
  serialize(value: unknown): Buffer | null {
    return internal.fromConnectData('', null, value);
  },
  deserialize(bytes: Buffer | null): unknown {
    return internal.toConnectData('', bytes).value;
  },
  deserializePlain(bytes: Buffer | null): unknown {
    return toPlain(internal.toConnectData('', bytes).value);
  },
  /** A source offset's key bytes: `["<connector>",{<source partition>}]`. */
  offsetKey(connector: string, partition: Record<string, unknown> | Map<string, unknown>): Buffer {
    return internal.fromConnectData('', null, [connector, partition])!;
  },
  /** The connector name and source partition of offset key bytes, or undefined if they are not one. */
  parseOffsetKey(bytes: Buffer): { connector: string; partition: Record<string, unknown> } | undefined {
    let key: unknown;
    try {
      key = internal.toConnectData('', bytes).value;
    } catch {
      return undefined;
    }
    if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string' || !(key[1] instanceof Map)) return undefined;
    return { connector: key[0], partition: toPlain(key[1]) as Record<string, unknown> };
  },
} as const;
