// Jute, ZooKeeper's "binary archive": big-endian ints and longs, int32-length strings, buffers
// and vectors (-1 = null), records as their fields in order with no framing. Records are described
// as data (records.ts) and one interpreter here reads and writes any of them, the way the Kafka
// codec does for API messages. Longs (zxids, session ids) are bigints: they use all 64 bits.
import { ProtocolError } from '../../protocol/errors.js';
import { Reader } from '../../protocol/reader.js';
import { Writer } from '../../protocol/writer.js';

export type JuteType = 'int' | 'long' | 'boolean' | 'ustring' | 'buffer' | VectorType | RecordSchema;

export interface VectorType {
  readonly vector: JuteType;
}

export interface Fields {
  readonly [name: string]: JuteType;
}

export interface RecordSchema<F extends Fields = Fields> {
  readonly name: string;
  readonly fields: F;
}

/** The TypeScript value of a jute type. Buffers may be null (Kafka stores "no data" znodes). */
export type ValueOf<T> = T extends 'int'
  ? number
  : T extends 'long'
    ? bigint
    : T extends 'boolean'
      ? boolean
      : T extends 'ustring'
        ? string
        : T extends 'buffer'
          ? Buffer | null
          : T extends VectorType
            ? ValueOf<T['vector']>[]
            : T extends RecordSchema<infer F>
              ? RecordValue<F>
              : never;

export type RecordValue<F extends Fields> = { -readonly [K in keyof F]: ValueOf<F[K]> };

/** The value type of a record schema: `Rec<typeof Stat>`. */
export type Rec<S extends RecordSchema> = S extends RecordSchema<infer F> ? RecordValue<F> : never;

/** Declares a record; field order is the order of the object's keys, as in the .jute file. */
export function record<const F extends Fields>(name: string, fields: F): RecordSchema<F> {
  return { name, fields };
}

export function vector<const T extends JuteType>(of: T): { readonly vector: T } {
  return { vector: of };
}

export function writeRecord<S extends RecordSchema>(w: Writer, schema: S, value: Rec<S>): Writer {
  const v = value as Record<string, unknown>;
  for (const [name, type] of Object.entries(schema.fields)) writeValue(w, type, v[name], `${schema.name}.${name}`);
  return w;
}

export function readRecord<S extends RecordSchema>(r: Reader, schema: S): Rec<S> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(schema.fields)) out[name] = readValue(r, type, `${schema.name}.${name}`);
  return out as Rec<S>;
}

/** One record as a standalone Buffer. */
export function encodeRecord<S extends RecordSchema>(schema: S, value: Rec<S>): Buffer {
  return writeRecord(new Writer(), schema, value).toBuffer();
}

/** Decodes one record that must fill `buf` exactly. */
export function decodeRecord<S extends RecordSchema>(schema: S, buf: Buffer): Rec<S> {
  const r = new Reader(buf);
  const value = readRecord(r, schema);
  if (r.remaining !== 0) throw new ProtocolError(`${r.remaining} bytes left after ${schema.name}`);
  return value;
}

function writeValue(w: Writer, type: JuteType, v: unknown, where: string): void {
  switch (type) {
    case 'int':
      w.int32(v as number);
      return;
    case 'long':
      w.int64(v as bigint);
      return;
    case 'boolean':
      w.bool(v as boolean);
      return;
    case 'ustring': {
      if (typeof v !== 'string') throw new TypeError(`${where}: expected a string`);
      const b = Buffer.from(v, 'utf8');
      w.int32(b.length).raw(b);
      return;
    }
    case 'buffer':
      w.nullableBytes((v as Buffer | null | undefined) ?? null);
      return;
    default:
      if ('vector' in type) {
        const items = (v as unknown[] | null | undefined) ?? null;
        if (items === null) {
          w.int32(-1);
          return;
        }
        w.int32(items.length);
        for (const item of items) writeValue(w, type.vector, item, where);
        return;
      }
      writeRecord(w, type, v as never);
  }
}

function readValue(r: Reader, type: JuteType, where: string): unknown {
  switch (type) {
    case 'int':
      return r.int32();
    case 'long':
      return r.int64();
    case 'boolean':
      return r.bool();
    case 'ustring': {
      const n = r.int32();
      // Java reads -1 as a null String; no request in the protocol has a meaningful null string.
      if (n < 0) throw new ProtocolError(`${where}: null string`);
      return r.bytes(n).toString('utf8');
    }
    case 'buffer':
      return r.nullableBytes();
    default:
      if ('vector' in type) {
        const n = r.int32();
        if (n < 0) return [];
        if (n > r.remaining) throw new ProtocolError(`${where}: vector of ${n} elements with ${r.remaining} bytes left`);
        const items: unknown[] = [];
        for (let i = 0; i < n; i++) items.push(readValue(r, type.vector, where));
        return items;
      }
      return readRecord(r, type);
  }
}
