// The Connect data model: schema builder, struct validation with Java's messages, Java's number and
// value printing, BigDecimal and the two's-complement decimal bytes.
import { describe, expect, it } from 'vitest';
import { bigIntToTwosComplement, twosComplementToBigInt } from '../../../src/connect/data/big-decimal.js';
import {
  BigDecimal, DataException, Decimal, SchemaBuilder, SchemaBuilderException, Schemas, Struct, javaDoubleToString, javaFloatToString,
  schemaEquals, validateValue,
} from '../../../src/connect/data/index.js';
import { inJavaHashMapOrder, javaStringHash } from '../../../src/connect/data/java-hash-order.js';

describe('SchemaBuilder', () => {
  it('builds frozen schemas with indexed fields', () => {
    const s = SchemaBuilder.struct().name('x').field('a', Schemas.INT32).field('b', SchemaBuilder.string().optional()).build();
    expect(s.fields!.map((f) => [f.name, f.index, f.schema.type, f.schema.optional])).toEqual([['a', 0, 'INT32', false], ['b', 1, 'STRING', true]]);
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('refuses duplicate fields, fields on non-structs, resetting a property and bad defaults', () => {
    expect(() => SchemaBuilder.struct().field('a', Schemas.INT32).field('a', Schemas.INT32))
      .toThrow('Cannot create field because of field name duplication a');
    expect(() => SchemaBuilder.int32().field('a', Schemas.INT32)).toThrow(SchemaBuilderException);
    expect(() => SchemaBuilder.int32().name('a').name('b')).toThrow('Invalid SchemaBuilder call: name has already been set.');
    expect(() => SchemaBuilder.int32().defaultValue('x').build()).toThrow(/^Invalid default value/);
  });

  it('compares schemas structurally', () => {
    expect(schemaEquals(Decimal.schema(2), Decimal.schema(2))).toBe(true);
    expect(schemaEquals(Decimal.schema(2), Decimal.schema(3))).toBe(false);
    expect(schemaEquals(SchemaBuilder.int32().build(), Schemas.INT32)).toBe(true);
  });
});

describe('Struct', () => {
  const s = SchemaBuilder.struct().field('id', Schemas.INT32).field('name', Schemas.OPTIONAL_STRING)
    .field('n', SchemaBuilder.int64().defaultValue(5n).build()).build();

  it('checks values on put with Java\'s messages', () => {
    expect(() => new Struct(s).put('id', 'x'))
      .toThrow('Invalid Java object for schema with type INT32: class java.lang.String for field: "id"');
    expect(() => new Struct(s).put('id', null)).toThrow('Invalid value: null used for required field: "id", schema type: INT32');
    expect(() => new Struct(s).put('nope', 1)).toThrow('nope is not a valid field name');
    expect(() => new Struct(Schemas.INT32)).toThrow('Not a struct schema: Schema{INT32}');
  });

  it('returns defaults from get, not from getWithoutDefault', () => {
    const v = new Struct(s).put('id', 1);
    expect(v.get('n')).toBe(5n);
    expect(v.getWithoutDefault('n')).toBeNull();
  });

  it('validate() requires required fields without defaults', () => {
    expect(() => new Struct(s).validate()).toThrow(DataException);
    expect(() => new Struct(s).put('id', 1).validate()).not.toThrow();
  });

  it('prints as Java\'s toString, skipping nulls', () => {
    const d = SchemaBuilder.struct().field('id', Schemas.INT32).field('name', Schemas.OPTIONAL_STRING).field('f', Schemas.OPTIONAL_FLOAT64)
      .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build()).build();
    expect(new Struct(d).put('id', 1).put('name', 'Ann').toString()).toBe('Struct{id=1,name=Ann}');
    expect(new Struct(d).put('id', 1).put('f', 2).put('tags', ['a', 'b']).toString()).toBe('Struct{id=1,f=2.0,tags=[a, b]}');
  });

  it('validates nested arrays and maps with their location', () => {
    expect(() => validateValue(SchemaBuilder.array(Schemas.INT32).build(), [1, 'x']))
      .toThrow('Invalid Java object for schema with type INT32: class java.lang.String for element of array value');
    expect(() => validateValue(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), new Map([['a', null]])))
      .toThrow('Invalid value: null used for required value of map value, schema type: INT32');
  });
});

describe('Java number printing', () => {
  const doubles: [number, string][] = [
    [1, '1.0'], [100, '100.0'], [0.1, '0.1'], [1e7, '1.0E7'], [9999999, '9999999.0'], [0.001, '0.001'], [0.0001, '1.0E-4'],
    [1.234e-5, '1.234E-5'], [-0, '-0.0'], [123456789.123, '1.23456789123E8'], [Number.MAX_VALUE, '1.7976931348623157E308'],
    [Number.MIN_VALUE, '4.9E-324'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-1.5, '-1.5'],
  ];
  it.each(doubles)('Double.toString(%s) = %s', (v, s) => expect(javaDoubleToString(v)).toBe(s));

  const floats: [number, string][] = [
    [0.1, '0.1'], [1e10, '1.0E10'], [3.4028234663852886e38, '3.4028235E38'], [1.401298464324817e-45, '1.4E-45'],
    [16777216, '1.6777216E7'], [1.1, '1.1'], [12.34, '12.34'], [1 / 3, '0.33333334'],
  ];
  it.each(floats)('Float.toString(%s) = %s', (v, s) => expect(javaFloatToString(v)).toBe(s));
});

describe('BigDecimal', () => {
  const cases: [bigint, number, string][] = [
    [0n, 0, '0'], [0n, 2, '0.00'], [1n, -2, '1E+2'], [123n, -2, '1.23E+4'], [1n, 7, '1E-7'], [1n, 6, '0.000001'],
    [-156n, 2, '-1.56'], [12345n, 2, '123.45'],
  ];
  it.each(cases)('(%s, scale %s) prints %s and parses back', (unscaled, scale, s) => {
    const d = new BigDecimal(unscaled, scale);
    expect(d.toString()).toBe(s);
    expect(BigDecimal.parse(s).equals(d)).toBe(true);
  });

  it('encodes the unscaled value as minimal two\'s complement', () => {
    expect(bigIntToTwosComplement(0n)).toEqual(Buffer.from([0]));
    expect(bigIntToTwosComplement(127n)).toEqual(Buffer.from([0x7f]));
    expect(bigIntToTwosComplement(128n)).toEqual(Buffer.from([0x00, 0x80]));
    expect(bigIntToTwosComplement(-1n)).toEqual(Buffer.from([0xff]));
    expect(bigIntToTwosComplement(-129n)).toEqual(Buffer.from([0xff, 0x7f]));
    for (const v of [0n, 1n, -1n, 255n, -256n, 2n ** 100n, -(2n ** 100n)]) expect(twosComplementToBigInt(bigIntToTwosComplement(v))).toBe(v);
  });
});

describe('Java HashMap order', () => {
  it('hashes strings as Java', () => {
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('')).toBe(0);
  });

  it('grows the table past 12 entries', () => {
    const keys = Array.from({ length: 13 }, (_, i) => 'k' + i);
    const ordered = [...inJavaHashMapOrder(new Map(keys.map((k) => [k, 1]))).keys()];
    expect(ordered.sort()).toEqual([...keys].sort());
  });
});
