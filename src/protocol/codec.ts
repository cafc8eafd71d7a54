// Reads and writes every message from its schema (schema.ts), at a given version. Each struct's
// field list is compiled, once per version, into one straight-line decoder and one encoder (the
// schema stays the only description of the protocol; this is how it is executed). Why compile:
// an interpreter that walks field lists is one large polymorphic function that the JIT compiles
// again and again for every shape it meets, and the objects it builds property by property get
// hidden classes that die between garbage collections, throwing optimised code away with them.
// A client sending thousands of Produce requests spent more CPU compiling the interpreter than
// building its batches. A compiled decoder builds each object with one literal (one stable shape)
// and is small enough to optimise in a fraction of a millisecond.
import { ProtocolError } from './errors.js';
import { Reader } from './reader.js';
import { inRange, type Field, type MessageSchema } from './schema.js';
import { Writer } from './writer.js';

type Decoder = (r: Reader) => Record<string, unknown>;
type Encoder = (w: Writer, obj: Record<string, unknown>) => void;

interface Plan {
  readonly inline: readonly Field[];
  /** Tagged fields at this version, by tag. */
  readonly tagged: readonly Field[];
  /** Fields not inline at this version: filled with their default when decoding. */
  readonly absent: readonly Field[];
}

function planFor(fields: readonly Field[], version: number): Plan {
  const inline: Field[] = [];
  const tagged: Field[] = [];
  const absent: Field[] = [];
  for (const f of fields) {
    if (f.tag !== undefined && inRange(version, f.taggedVersions)) {
      tagged.push(f);
      absent.push(f);
    } else if (inRange(version, f.versions) && f.tag === undefined) {
      inline.push(f);
    } else {
      absent.push(f);
    }
  }
  tagged.sort((a, b) => a.tag! - b.tag!);
  return { inline, tagged, absent };
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

function nullOrThrow(f: Field, version: number): null {
  if (!inRange(version, f.nullable)) throw new ProtocolError(`${f.name} is null but not nullable in v${version}`);
  return null;
}

function notAnObject(f: Field): never {
  throw new TypeError(`${f.name}: expected an object`);
}

/** Whether a field's compact (flexible) encoding applies: its own range, or the message's. */
function isCompact(f: Field, version: number, flexible: boolean): boolean {
  return f.flexible ? inRange(version, f.flexible) : flexible;
}

// ---- code generation ------------------------------------------------------------------------

/**
 * One function being generated. Values the code needs (sub-decoders, field descriptions,
 * defaults, helpers) become parameters of an enclosing function, so the optimiser sees them as
 * constants and can inline a sub-struct's decoder into its parent's.
 */
class Source {
  private readonly values: unknown[] = [];
  private readonly lines: string[] = [];

  /** An expression naming `value` inside the generated code. */
  ref(value: unknown): string {
    let i = this.values.indexOf(value);
    if (i < 0) i = this.values.push(value) - 1;
    return `c${i}`;
  }

  line(code: string): this {
    this.lines.push(code);
    return this;
  }

  build<F>(params: string): F {
    const names = this.values.map((_, i) => `c${i}`);
    const make = new Function(...names, `'use strict';\nreturn function (${params}) {\n${this.lines.join('\n')}\n};`) as (...values: unknown[]) => F;
    return make(...this.values);
  }
}

const READ_PRIMITIVE: Partial<Record<Field['type'], string>> = {
  bool: 'r.bool()', int8: 'r.int8()', int16: 'r.int16()', uint16: 'r.uint16()', int32: 'r.int32()',
  uint32: 'r.uint32()', int64: 'r.int64()', float64: 'r.float64()', uuid: 'r.uuid()',
};

/** An expression for the value of `f` as its default (fresh arrays and structs each time). */
function defaultExpr(s: Source, f: Field, version: number): string {
  if (f.default !== undefined) return s.ref(f.default);
  if (f.array) return '[]';
  if (f.type === 'struct' && !inRange(version, f.nullable)) return `${s.ref(defaultStruct)}(${s.ref(f.fields)}, ${version})`;
  if (f.type === 'bytes') return `${s.ref(Buffer)}.alloc(0)`;
  return s.ref(defaultValue(f, version));
}

/** An expression reading one value of `f` (one element, for an array). */
function readValueExpr(s: Source, f: Field, version: number, flexible: boolean, compact: boolean): string {
  const primitive = READ_PRIMITIVE[f.type];
  if (primitive !== undefined) return primitive;
  if (f.type === 'struct') return `${s.ref(decoderFor(f.fields!, version, flexible))}(r)`;
  const read = f.type === 'string'
    ? (compact ? 'r.compactNullableString()' : 'r.nullableString()')
    : (compact ? 'r.compactNullableBytes()' : 'r.nullableBytes()');
  // A null element of an array is kept; a null field must be nullable at this version.
  if (f.array || inRange(version, f.nullable)) return read;
  return `${s.ref(nonNull)}(${read}, ${s.ref(f)}, ${version})`;
}

function nonNull(value: unknown, f: Field, version: number): unknown {
  return value === null ? nullOrThrow(f, version) : value;
}

/** Statements that read field `f` into the new constant `name`. */
function readField(s: Source, f: Field, name: string, version: number, flexible: boolean): void {
  const compact = isCompact(f, version, flexible);
  if (f.array) {
    s.line(`let ${name};`);
    s.line(`{ const n = r.arrayLength(${compact});`);
    s.line(`  if (n < 0) ${name} = ${s.ref(nullOrThrow)}(${s.ref(f)}, ${version});`);
    s.line(`  else { ${name} = new Array(n); for (let i = 0; i < n; i++) ${name}[i] = ${readValueExpr(s, f, version, flexible, compact)}; } }`);
  } else if (f.type === 'struct' && inRange(version, f.nullable)) {
    s.line(`const ${name} = r.int8() < 0 ? null : ${readValueExpr(s, f, version, flexible, compact)};`);
  } else {
    s.line(`const ${name} = ${readValueExpr(s, f, version, flexible, compact)};`);
  }
}

interface TaggedReader {
  readonly name: string;
  readonly read: (r: Reader) => unknown;
}

/** Reads a tagged-field section into `obj`; unknown tags are skipped, as the format allows. */
function readTaggedFields(r: Reader, byTag: ReadonlyMap<number, TaggedReader>, obj: Record<string, unknown>): void {
  const count = r.uvarint();
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    if (tag <= previous) throw new ProtocolError(`tagged fields out of order (${tag} after ${previous})`);
    previous = tag;
    const size = r.uvarint();
    const at = r.pos;
    const value = r.bytes(size);
    const field = byTag.get(tag);
    if (field) obj[field.name] = field.read(new Reader(r.buf, at, at + value.length));
  }
}

function compileDecoder(fields: readonly Field[], version: number, flexible: boolean): Decoder {
  const plan = planFor(fields, version);
  const s = new Source();
  plan.inline.forEach((f, i) => readField(s, f, `v${i}`, version, flexible));
  // Same property order as ever: absent fields (defaults) first, then the fields on the wire.
  const props = [
    ...plan.absent.map((f) => `${JSON.stringify(f.name)}: ${defaultExpr(s, f, version)}`),
    ...plan.inline.map((f, i) => `${JSON.stringify(f.name)}: v${i}`),
  ];
  s.line(`const o = { ${props.join(', ')} };`);
  if (flexible) {
    const byTag = new Map<number, TaggedReader>(plan.tagged.map((f) => [f.tag!, { name: f.name, read: compileFieldReader(f, version) }]));
    s.line(`${s.ref(readTaggedFields)}(r, ${s.ref(byTag)}, o);`);
  }
  s.line('return o;');
  return s.build<Decoder>('r');
}

/** A reader of one tagged field's value (tagged fields are always in flexible versions). */
function compileFieldReader(f: Field, version: number): (r: Reader) => unknown {
  const s = new Source();
  readField(s, f, 'v', version, true);
  s.line('return v;');
  return s.build('r');
}

const WRITE_PRIMITIVE: Partial<Record<Field['type'], string>> = {
  bool: 'bool', int8: 'int8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32', float64: 'float64', uuid: 'uuid',
};

/** Statements writing one value `x` of `f` (one element, for an array). */
function writeValue(s: Source, f: Field, x: string, version: number, flexible: boolean, compact: boolean): void {
  const primitive = WRITE_PRIMITIVE[f.type];
  if (primitive !== undefined) {
    s.line(`w.${primitive}(${x});`);
  } else if (f.type === 'int64') {
    s.line(`w.int64(typeof ${x} === 'bigint' ? ${x} : BigInt(${x}));`);
  } else if (f.type === 'struct') {
    s.line(`if (${x} === null || typeof ${x} !== 'object') ${s.ref(notAnObject)}(${s.ref(f)});`);
    s.line(`${s.ref(encoderFor(f.fields!, version, flexible))}(w, ${x});`);
  } else {
    if (!f.array && !inRange(version, f.nullable)) s.line(`if (${x} === null) ${s.ref(nullOrThrow)}(${s.ref(f)}, ${version});`);
    const method = f.type === 'string' ? (compact ? 'compactNullableString' : 'nullableString') : compact ? 'compactNullableBytes' : 'nullableBytes';
    s.line(`w.${method}(${x});`);
  }
}

/** Statements writing field `f` whose value is in `v`. */
function writeField(s: Source, f: Field, version: number, flexible: boolean): void {
  const compact = isCompact(f, version, flexible);
  if (f.array) {
    s.line(`if (v === null) { ${s.ref(nullOrThrow)}(${s.ref(f)}, ${version}); w.arrayLength(null, ${compact}); }`);
    s.line(`else { w.arrayLength(v.length, ${compact}); for (let i = 0; i < v.length; i++) { const x = v[i];`);
    writeValue(s, f, 'x', version, flexible, compact);
    s.line('} }');
  } else if (f.type === 'struct' && inRange(version, f.nullable)) {
    s.line('if (v === null) w.int8(-1); else {');
    s.line('w.int8(1);');
    writeValue(s, f, 'v', version, flexible, compact);
    s.line('}');
  } else {
    writeValue(s, f, 'v', version, flexible, compact);
  }
}

interface TaggedWriter {
  readonly field: Field;
  readonly write: (w: Writer, v: unknown) => void;
}

/** Whether a tagged field's value is its default, and so is left out. */
function isDefault(f: Field, v: unknown, version: number): boolean {
  if (f.type === 'struct' && !f.array && v !== null && typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    return f.fields!.every((sf) => obj[sf.name] === undefined || isDefault(sf, obj[sf.name], version));
  }
  const d = defaultValue(f, version);
  if (v === d) return true;
  if (Array.isArray(v)) return v.length === 0 && Array.isArray(d);
  if (Buffer.isBuffer(v) && Buffer.isBuffer(d)) return v.equals(d);
  return false;
}

/** Writes the tagged-field section: the fields (in tag order) whose values are not their defaults. */
function writeTaggedFields(w: Writer, tagged: readonly TaggedWriter[], obj: Record<string, unknown>, version: number): void {
  const present: Array<[TaggedWriter, unknown]> = [];
  for (const t of tagged) {
    const v = obj[t.field.name];
    if (v !== undefined && !isDefault(t.field, v, version)) present.push([t, v]);
  }
  w.uvarint(present.length);
  for (const [t, v] of present) {
    const sub = new Writer();
    t.write(sub, v);
    w.uvarint(t.field.tag!).uvarint(sub.length).append(sub);
  }
}

function compileEncoder(fields: readonly Field[], version: number, flexible: boolean): Encoder {
  const plan = planFor(fields, version);
  const s = new Source();
  s.line('let v;');
  for (const f of plan.inline) {
    s.line(`v = o[${JSON.stringify(f.name)}]; if (v === undefined) v = ${defaultExpr(s, f, version)};`);
    writeField(s, f, version, flexible);
  }
  if (flexible) {
    const tagged: TaggedWriter[] = plan.tagged.map((field) => ({ field, write: compileFieldWriter(field, version) }));
    s.line(`${s.ref(writeTaggedFields)}(w, ${s.ref(tagged)}, o, ${version});`);
  }
  return s.build<Encoder>('w, o');
}

function compileFieldWriter(f: Field, version: number): (w: Writer, v: unknown) => void {
  const s = new Source();
  writeField(s, f, version, true);
  return s.build('w, v');
}

// ---- the compiled functions, made on first use ------------------------------------------------

const decoders = new WeakMap<readonly Field[], Map<number, Decoder>>();
const encoders = new WeakMap<readonly Field[], Map<number, Encoder>>();

/** The cache slot of (version, flexible): a header's tag section is flexible at "version 0". */
const slot = (version: number, flexible: boolean): number => (flexible ? -1 - version : version);

/** The compiled function for (fields, version, flexible) in `cache`, compiled on first use. */
function compiled<F>(cache: WeakMap<readonly Field[], Map<number, F>>, compile: (fields: readonly Field[], version: number, flexible: boolean) => F, fields: readonly Field[], version: number, flexible: boolean): F {
  let byVersion = cache.get(fields);
  if (!byVersion) cache.set(fields, (byVersion = new Map()));
  let fn = byVersion.get(slot(version, flexible));
  if (!fn) byVersion.set(slot(version, flexible), (fn = compile(fields, version, flexible)));
  return fn;
}

const decoderFor = (fields: readonly Field[], version: number, flexible: boolean): Decoder => compiled(decoders, compileDecoder, fields, version, flexible);
const encoderFor = (fields: readonly Field[], version: number, flexible: boolean): Encoder => compiled(encoders, compileEncoder, fields, version, flexible);

export function decodeStruct(r: Reader, fields: readonly Field[], version: number, flexible: boolean): Record<string, unknown> {
  return decoderFor(fields, version, flexible)(r);
}

export function encodeStruct(w: Writer, fields: readonly Field[], obj: Record<string, unknown>, version: number, flexible: boolean): void {
  encoderFor(fields, version, flexible)(w, obj);
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
