// One interpreter for every message: walks a schema (schema.ts) to decode bytes into a plain
// object or encode one back, at a given version. Plans (which fields are on the wire, which are
// tagged) are computed once per (field list, version) and cached.
import { ProtocolError } from './errors.js';
import { Reader } from './reader.js';
import { inRange, type Field, type MessageSchema } from './schema.js';
import { Writer } from './writer.js';

interface Plan {
  readonly inline: readonly Field[];
  readonly tagged: ReadonlyMap<number, Field>;
  /** Fields not inline at this version: filled with their default when decoding. */
  readonly absent: readonly Field[];
}

const plans = new WeakMap<readonly Field[], Map<number, Plan>>();

function planFor(fields: readonly Field[], version: number): Plan {
  let byVersion = plans.get(fields);
  if (!byVersion) plans.set(fields, (byVersion = new Map()));
  let plan = byVersion.get(version);
  if (!plan) {
    const inline: Field[] = [];
    const tagged = new Map<number, Field>();
    const absent: Field[] = [];
    for (const f of fields) {
      if (f.tag !== undefined && inRange(version, f.taggedVersions)) {
        tagged.set(f.tag, f);
        absent.push(f);
      } else if (inRange(version, f.versions) && f.tag === undefined) {
        inline.push(f);
      } else {
        absent.push(f);
      }
    }
    plan = { inline, tagged, absent };
    byVersion.set(version, plan);
  }
  return plan;
}

/** The value a reader fills in for a field that is not on the wire. */
export function defaultValue(f: Field, version: number): unknown {
  if (f.default !== undefined) return f.default;
  if (f.array) return [];
  switch (f.type) {
    case 'bool': return false;
    case 'int64': return 0n;
    case 'string': return '';
    case 'bytes': return Buffer.alloc(0);
    case 'records': return null;
    case 'uuid': return ZERO_UUID;
    case 'struct': return inRange(version, f.nullable) ? null : defaultStruct(f.fields!, version);
    default: return 0;
  }
}

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

function defaultStruct(fields: readonly Field[], version: number): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const f of fields) obj[f.name] = defaultValue(f, version);
  return obj;
}

// ---- decoding -------------------------------------------------------------------------------

export function decodeStruct(r: Reader, fields: readonly Field[], version: number, flexible: boolean): Record<string, unknown> {
  const plan = planFor(fields, version);
  const obj: Record<string, unknown> = {};
  for (const f of plan.absent) obj[f.name] = defaultValue(f, version);
  for (const f of plan.inline) obj[f.name] = readField(r, f, version, flexible);
  if (flexible) readTaggedFields(r, plan.tagged, obj, version);
  return obj;
}

function readTaggedFields(r: Reader, tagged: ReadonlyMap<number, Field>, obj: Record<string, unknown>, version: number): void {
  const count = r.uvarint();
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    if (tag <= previous) throw new ProtocolError(`tagged fields out of order (${tag} after ${previous})`);
    previous = tag;
    const size = r.uvarint();
    const f = tagged.get(tag);
    if (!f) {
      r.bytes(size); // an unknown tag is skipped, as the format allows
      continue;
    }
    const sub = new Reader(r.buf, r.pos, r.pos + size);
    r.bytes(size);
    obj[f.name] = readField(sub, f, version, true);
  }
}

function readField(r: Reader, f: Field, version: number, flexible: boolean): unknown {
  const compact = f.flexible ? inRange(version, f.flexible) : flexible;
  if (f.array) {
    const n = r.arrayLength(compact);
    if (n < 0) return nullOrThrow(f, version);
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = readValue(r, f, version, flexible, compact);
    return out;
  }
  if (f.type === 'struct' && inRange(version, f.nullable)) {
    if (r.int8() < 0) return null;
  }
  return readValue(r, f, version, flexible, compact);
}

function nullOrThrow(f: Field, version: number): null {
  if (!inRange(version, f.nullable)) throw new ProtocolError(`${f.name} is null but not nullable in v${version}`);
  return null;
}

function readValue(r: Reader, f: Field, version: number, flexible: boolean, compact: boolean): unknown {
  switch (f.type) {
    case 'bool': return r.bool();
    case 'int8': return r.int8();
    case 'int16': return r.int16();
    case 'uint16': return r.uint16();
    case 'int32': return r.int32();
    case 'uint32': return r.uint32();
    case 'int64': return r.int64();
    case 'float64': return r.float64();
    case 'uuid': return r.uuid();
    case 'string': {
      const s = compact ? r.compactNullableString() : r.nullableString();
      return s === null && !f.array ? nullOrThrow(f, version) : s;
    }
    case 'bytes':
    case 'records': {
      const b = compact ? r.compactNullableBytes() : r.nullableBytes();
      return b === null && !f.array ? nullOrThrow(f, version) : b;
    }
    case 'struct': return decodeStruct(r, f.fields!, version, flexible);
  }
}

// ---- encoding -------------------------------------------------------------------------------

export function encodeStruct(w: Writer, fields: readonly Field[], obj: Record<string, unknown>, version: number, flexible: boolean): void {
  const plan = planFor(fields, version);
  for (const f of plan.inline) writeField(w, f, valueOf(obj, f, version), version, flexible);
  if (flexible) writeTaggedFields(w, plan.tagged, obj, version);
}

function valueOf(obj: Record<string, unknown>, f: Field, version: number): unknown {
  const v = obj[f.name];
  return v === undefined ? defaultValue(f, version) : v;
}

function writeTaggedFields(w: Writer, tagged: ReadonlyMap<number, Field>, obj: Record<string, unknown>, version: number): void {
  const present: Array<[Field, unknown]> = [];
  for (const f of tagged.values()) {
    const v = obj[f.name];
    if (v !== undefined && !isDefault(f, v, version)) present.push([f, v]);
  }
  present.sort((a, b) => a[0].tag! - b[0].tag!);
  w.uvarint(present.length);
  for (const [f, v] of present) {
    const sub = new Writer();
    writeField(sub, f, v, version, true);
    w.uvarint(f.tag!).uvarint(sub.length).append(sub);
  }
}

function isDefault(f: Field, v: unknown, version: number): boolean {
  if (f.type === 'struct' && !f.array && v !== null && typeof v === 'object') {
    const fields = f.fields!;
    const obj = v as Record<string, unknown>;
    return fields.every((sf) => obj[sf.name] === undefined || isDefault(sf, obj[sf.name], version));
  }
  const d = defaultValue(f, version);
  if (v === d) return true;
  if (Array.isArray(v)) return v.length === 0 && Array.isArray(d);
  if (Buffer.isBuffer(v) && Buffer.isBuffer(d)) return v.equals(d);
  return false;
}

function writeField(w: Writer, f: Field, v: unknown, version: number, flexible: boolean): void {
  const compact = f.flexible ? inRange(version, f.flexible) : flexible;
  if (f.array) {
    if (v === null) {
      nullOrThrow(f, version);
      w.arrayLength(null, compact);
      return;
    }
    const items = v as unknown[];
    w.arrayLength(items.length, compact);
    for (const item of items) writeValue(w, f, item, version, flexible, compact);
    return;
  }
  if (f.type === 'struct' && inRange(version, f.nullable)) {
    if (v === null) {
      w.int8(-1);
      return;
    }
    w.int8(1);
  }
  writeValue(w, f, v, version, flexible, compact);
}

function writeValue(w: Writer, f: Field, v: unknown, version: number, flexible: boolean, compact: boolean): void {
  switch (f.type) {
    case 'bool': w.bool(v as boolean); return;
    case 'int8': w.int8(v as number); return;
    case 'int16': w.int16(v as number); return;
    case 'uint16': w.uint16(v as number); return;
    case 'int32': w.int32(v as number); return;
    case 'uint32': w.uint32(v as number); return;
    case 'int64': w.int64(BigInt(v as bigint | number)); return;
    case 'float64': w.float64(v as number); return;
    case 'uuid': w.uuid(v as string); return;
    case 'string': {
      if (v === null && !f.array) nullOrThrow(f, version);
      if (compact) w.compactNullableString(v as string | null);
      else w.nullableString(v as string | null);
      return;
    }
    case 'bytes':
    case 'records': {
      if (v === null && !f.array) nullOrThrow(f, version);
      if (compact) w.compactNullableBytes(v as Buffer | null);
      else w.nullableBytes(v as Buffer | null);
      return;
    }
    case 'struct':
      if (v === null || typeof v !== 'object') throw new TypeError(`${f.name}: expected an object`);
      encodeStruct(w, f.fields!, v as Record<string, unknown>, version, flexible);
      return;
  }
}

// ---- whole messages -------------------------------------------------------------------------

export function isFlexible(schema: MessageSchema, version: number): boolean {
  return inRange(version, schema.flexibleVersions);
}

export function decodeMessage<T>(schema: MessageSchema, version: number, r: Reader): T {
  return decodeStruct(r, schema.fields, version, isFlexible(schema, version)) as T;
}

export function encodeMessage<T>(schema: MessageSchema, version: number, value: T, w = new Writer()): Writer {
  encodeStruct(w, schema.fields, value as Record<string, unknown>, version, isFlexible(schema, version));
  return w;
}
