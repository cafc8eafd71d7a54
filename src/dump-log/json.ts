// Decoded protocol structs as the JSON Kafka's generated `*JsonConverter.write(message, version)`
// produces, printed as Jackson's `ObjectNode.toString()` does (compact, fields in schema order).
//
// The converter's rules, mirrored here: a field is written when its versions include the version;
// a field tagged in that version only when it differs from its default; int64 values are JSON
// numbers (kept exact: bigint); bytes are base64 (BinaryNode); UUIDs are Kafka's base64url form;
// nullable values that are null print null.
import { defaultValue } from '../protocol/codec.js';
import { inRange, type Field } from '../protocol/schema.js';

/** A JSON value; bigint prints as an exact integer, Buffer as base64. */
export type JsonValue = null | boolean | number | bigint | string | Buffer | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The JSON object for `value` (decoded with `fields` at `version`). */
export function structToJson(fields: readonly Field[], value: Record<string, unknown>, version: number): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) {
    if (!inRange(version, f.versions)) continue;
    const v = value[f.name];
    if (inRange(version, f.taggedVersions) && sameValue(v, defaultValue(f, version))) continue;
    out[f.name] = fieldToJson(f, v, version);
  }
  return out;
}

function fieldToJson(f: Field, v: unknown, version: number): JsonValue {
  if (v === null || v === undefined) return null;
  if (f.array) return (v as unknown[]).map((e) => elementToJson(f, e, version));
  return elementToJson(f, v, version);
}

function elementToJson(f: Field, v: unknown, version: number): JsonValue {
  if (v === null || v === undefined) return null;
  switch (f.type) {
    case 'struct': return structToJson(f.fields!, v as Record<string, unknown>, version);
    case 'uuid': return uuidToKafkaString(v as string);
    case 'bytes':
    case 'records': return v as Buffer;
    case 'bool': return v as boolean;
    case 'string': return v as string;
    case 'int64': return v as bigint;
    default: return v as number;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** Kafka's Uuid.toString(): the 16 bytes in URL-safe base64 without padding. */
export function uuidToKafkaString(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

/** Jackson's compact rendering. */
export function stringifyJson(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : javaDouble(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('base64'));
  if (Array.isArray(v)) return `[${v.map(stringifyJson).join(',')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${stringifyJson(x)}`).join(',')}}`;
}

/** Java's Double.toString for the values a float64 field holds (DoubleNode). */
function javaDouble(v: number): string {
  if (Number.isNaN(v)) return '"NaN"';
  if (!Number.isFinite(v)) return v > 0 ? '"Infinity"' : '"-Infinity"';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) return String(v);
  const [mantissa, exp] = v.toExponential().split('e');
  return `${mantissa!.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}
