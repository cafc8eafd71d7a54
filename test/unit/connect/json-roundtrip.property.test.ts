// Properties of JsonConverter: whatever Connect data goes out through fromConnectData comes back
// equal through toConnectData (schema and value), with and without the envelope, in both decimal
// formats; and arbitrary bytes either read or fail with a DataException, never another error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonConverter } from '../../../src/connect/converters/json.js';
import {
  BigDecimal, ConnectDate, DataException, Decimal, Struct, Time, Timestamp, schemaEquals, valuesEqual,
  type Field, type Schema, type SchemaType,
} from '../../../src/connect/data/index.js';

const freeze = (s: Schema): Schema => Object.freeze(s);

const primitiveValues: Record<string, fc.Arbitrary<unknown>> = {
  INT8: fc.integer({ min: -128, max: 127 }),
  INT16: fc.integer({ min: -32768, max: 32767 }),
  INT32: fc.integer({ min: -2147483648, max: 2147483647 }),
  INT64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  FLOAT32: fc.float({ noNaN: true, noDefaultInfinity: true }),
  FLOAT64: fc.double({ noNaN: true, noDefaultInfinity: true }),
  BOOLEAN: fc.boolean(),
  STRING: fc.string({ unit: 'binary', maxLength: 20 }),
  BYTES: fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)),
};

const primitiveSchema = fc.constantFrom(...Object.keys(primitiveValues) as SchemaType[]).map((type) => freeze({ type, optional: false }));
const logicalSchema = fc.oneof(
  fc.integer({ min: -4, max: 8 }).map((scale) => Decimal.schema(scale)),
  fc.constant(ConnectDate.SCHEMA), fc.constant(Time.SCHEMA), fc.constant(Timestamp.SCHEMA),
);

function withOptional(schema: fc.Arbitrary<Schema>): fc.Arbitrary<Schema> {
  return fc.tuple(schema, fc.boolean()).map(([s, optional]) => (optional ? freeze({ ...s, optional: true }) : s));
}

function schemaArb(depth: number): fc.Arbitrary<Schema> {
  const leaf = withOptional(fc.oneof(primitiveSchema, logicalSchema));
  if (depth === 0) return leaf;
  const child = schemaArb(depth - 1);
  const array = child.map((valueSchema) => freeze({ type: 'ARRAY', optional: false, valueSchema }));
  const map = fc.tuple(fc.constantFrom<Schema>(freeze({ type: 'STRING', optional: false }), freeze({ type: 'INT32', optional: false })), child)
    .map(([keySchema, valueSchema]) => freeze({ type: 'MAP', optional: false, keySchema, valueSchema }));
  const struct = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), child), { maxLength: 4, selector: ([name]) => name })
    .map((entries) => freeze({
      type: 'STRUCT', optional: false, name: 'test.S',
      fields: entries.map(([name, schema], index): Field => Object.freeze({ name, index, schema })),
    }));
  return fc.oneof({ depthSize: 'small' }, leaf, withOptional(array), withOptional(map), withOptional(struct));
}

function valueArb(schema: Schema): fc.Arbitrary<unknown> {
  const base = ((): fc.Arbitrary<unknown> => {
    switch (schema.name) {
      case Decimal.LOGICAL_NAME:
        return fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((u) => new BigDecimal(u, Decimal.scale(schema)));
      case ConnectDate.LOGICAL_NAME: return fc.integer({ min: -100000, max: 100000 }).map((d) => new Date(d * 86400000));
      case Time.LOGICAL_NAME: return fc.integer({ min: 0, max: 86400000 }).map((ms) => new Date(ms));
      case Timestamp.LOGICAL_NAME: return fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms));
    }
    switch (schema.type) {
      case 'ARRAY': return fc.array(valueArb(schema.valueSchema!), { maxLength: 4 });
      case 'MAP':
        return fc.array(fc.tuple(valueArb({ ...schema.keySchema!, optional: false }), valueArb(schema.valueSchema!)), { maxLength: 4 })
          .map((entries) => new Map(entries));
      case 'STRUCT':
        return fc.tuple(...schema.fields!.map((f) => valueArb(f.schema))).map((values) => {
          const s = new Struct(schema);
          schema.fields!.forEach((f, i) => s.put(f, values[i]));
          return s;
        });
      default: return primitiveValues[schema.type]!;
    }
  })();
  return schema.optional ? fc.option(base, { nil: null, freq: 5 }) : base;
}

const schemaAndValue = schemaArb(3).chain((schema) => valueArb(schema).map((value) => ({ schema, value })));

function converter(configs: Record<string, string>): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}

describe('JsonConverter round trip', () => {
  for (const decimalFormat of ['BASE64', 'NUMERIC']) {
    it(`with the envelope, decimal.format=${decimalFormat}`, () => {
      const c = converter({ 'decimal.format': decimalFormat });
      fc.assert(fc.property(schemaAndValue, ({ schema, value }) => {
        const bytes = c.fromConnectData('t', schema, value);
        const back = c.toConnectData('t', bytes);
        expect(schemaEquals(back.schema, schema)).toBe(true);
        expect(valuesEqual(back.value, value)).toBe(true);
      }), { numRuns: 300 });
    });
  }

  it('without the envelope, for schemaless values (integers come back as int64)', () => {
    const c = converter({ 'schemas.enable': 'false' });
    const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' },
        fc.constant(null), fc.boolean(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ unit: 'binary', maxLength: 10 }),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.array(fc.tuple(fc.string({ maxLength: 5 }), tie('v')), { maxLength: 4 }).map((e) => new Map(e))),
    })).v;
    const normalize = (v: unknown): unknown => {
      if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
      if (Array.isArray(v)) return v.map(normalize);
      if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, normalize(x)]));
      return v;
    };
    fc.assert(fc.property(json, (value) => {
      const back = c.toConnectData('t', c.fromConnectData('t', null, value));
      expect(back.schema).toBeNull();
      expect(valuesEqual(back.value, normalize(value))).toBe(true);
    }), { numRuns: 300 });
  });
});

describe('JsonConverter on arbitrary bytes', () => {
  it('reads them or throws a DataException, nothing else', () => {
    const withSchemas = converter({});
    const without = converter({ 'schemas.enable': 'false' });
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
      fc.json().map((s) => Buffer.from(s)),
      fc.json().map((s) => Buffer.from(`{"schema":${s},"payload":${s}}`)),
    );
    fc.assert(fc.property(inputs, (bytes) => {
      for (const c of [withSchemas, without]) {
        try {
          c.toConnectData('t', bytes);
        } catch (e) {
          if (!(e instanceof DataException)) throw e;
        }
      }
    }), { numRuns: 500 });
  });
});
