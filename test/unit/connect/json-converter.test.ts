// JsonConverter against the exact bytes Java's JsonConverter writes (CONNECT.md §1.1 and Java's
// JsonConverterTest cases), and against Java's reading rules and error messages.
import { describe, expect, it } from 'vitest';
import { JsonConverter, internalJson } from '../../../src/connect/converters/json.js';
import {
  BigDecimal, ConnectDate, DataException, Decimal, SchemaBuilder, Schemas, Struct, Time, Timestamp, type Schema,
} from '../../../src/connect/data/index.js';

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));
const env = (schema: string, payload: string): string => `{"schema":${schema},"payload":${payload}}`;

const user = SchemaBuilder.struct().name('com.example.User')
  .field('id', Schemas.INT32).field('name', Schemas.OPTIONAL_STRING).build();

describe('JsonConverter.fromConnectData with schemas.enable=true', () => {
  const c = converter();
  const cases: [string, Schema | null, unknown, string][] = [
    ['string (CONNECT.md)', Schemas.STRING, 'hello world', env('{"type":"string","optional":false}', '"hello world"')],
    ['boolean', Schemas.BOOLEAN, true, env('{"type":"boolean","optional":false}', 'true')],
    ['int8', Schemas.INT8, 12, env('{"type":"int8","optional":false}', '12')],
    ['int16', Schemas.INT16, -12, env('{"type":"int16","optional":false}', '-12')],
    ['int32', Schemas.INT32, 2147483647, env('{"type":"int32","optional":false}', '2147483647')],
    ['int64 beyond 2^53', Schemas.INT64, 9223372036854775807n, env('{"type":"int64","optional":false}', '9223372036854775807')],
    ['int64 from a number', Schemas.INT64, 4000000000, env('{"type":"int64","optional":false}', '4000000000')],
    ['float prints like Java', Schemas.FLOAT32, 12.34, env('{"type":"float","optional":false}', '12.34')],
    ['float integral', Schemas.FLOAT32, 1, env('{"type":"float","optional":false}', '1.0')],
    ['double integral', Schemas.FLOAT64, 1, env('{"type":"double","optional":false}', '1.0')],
    ['double large', Schemas.FLOAT64, 1e10, env('{"type":"double","optional":false}', '1.0E10')],
    ['double NaN is a string', Schemas.FLOAT64, NaN, env('{"type":"double","optional":false}', '"NaN"')],
    ['double -Infinity', Schemas.FLOAT64, -Infinity, env('{"type":"double","optional":false}', '"-Infinity"')],
    ['bytes as base64', Schemas.BYTES, Buffer.from('test-string'), env('{"type":"bytes","optional":false}', '"dGVzdC1zdHJpbmc="')],
    ['optional null', Schemas.OPTIONAL_STRING, null, env('{"type":"string","optional":true}', 'null')],
    ['no schema', null, true, env('null', 'true')],
    ['no schema, array', null, [1, '2', 3n], env('null', '[1,"2",3]')],
    ['struct (CONNECT.md)', user, new Struct(user).put('id', 1).put('name', 'Ann'),
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"}],"optional":false,"name":"com.example.User"},"payload":{"id":1,"name":"Ann"}}'],
    ['struct, missing optional field is null', user, new Struct(user).put('id', 7),
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"}],"optional":false,"name":"com.example.User"},"payload":{"id":7,"name":null}}'],
    ['array', SchemaBuilder.array(Schemas.INT32).build(), [1, 2, 3],
      env('{"type":"array","items":{"type":"int32","optional":false},"optional":false}', '[1,2,3]')],
    ['map with string keys', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), new Map([['key1', 12], ['key2', 15]]),
      env('{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false}', '{"key1":12,"key2":15}')],
    ['map with string keys from a plain object', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), { a: 1 },
      env('{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false}', '{"a":1}')],
    ['map with other keys is an array of pairs', SchemaBuilder.map(Schemas.INT32, Schemas.INT32).build(), new Map([[1, 12], [2, 15]]),
      env('{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"int32","optional":false},"optional":false}', '[[1,12],[2,15]]')],
    ['schema name, version, doc, parameters in order',
      SchemaBuilder.string().optional().doc('a doc').version(3).name('n').parameter('k', 'v').build(), 'x',
      env('{"type":"string","optional":true,"name":"n","version":3,"doc":"a doc","parameters":{"k":"v"}}', '"x"')],
    ['default value is written after parameters', SchemaBuilder.int32().defaultValue(42).parameter('p', '1').build(), 5,
      env('{"type":"int32","optional":false,"parameters":{"p":"1"},"default":42}', '5')],
    ['null with a default writes the default', SchemaBuilder.int32().defaultValue(42).build(), null,
      env('{"type":"int32","optional":false,"default":42}', '42')],
    ['decimal as base64 (CONNECT.md)', Decimal.schema(2), new BigDecimal(12345n, 2),
      env('{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}', '"MDk="')],
    ['decimal needing a sign byte', Decimal.schema(2), new BigDecimal(156n, 2),
      env('{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}', '"AJw="')],
    ['negative decimal', Decimal.schema(2), new BigDecimal(-156n, 2),
      env('{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}', '"/2Q="')],
    ['date', ConnectDate.SCHEMA, new Date(10000 * 86400000),
      env('{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1}', '10000')],
    ['time', Time.SCHEMA, new Date(14400000),
      env('{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1}', '14400000')],
    ['timestamp', Timestamp.SCHEMA, new Date(4000000000),
      env('{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1}', '4000000000')],
  ];
  it.each(cases)('%s', (_name, schema, value, expected) => {
    expect(text(c.fromConnectData('t', schema, value))).toBe(expected);
  });

  it('returns null bytes (a tombstone) for a null schema and value', () => {
    expect(c.fromConnectData('t', null, null)).toBeNull();
  });

  it('writes the decimal as a JSON number with decimal.format=NUMERIC (case-insensitive)', () => {
    const numeric = converter({ 'decimal.format': 'numeric' });
    expect(text(numeric.fromConnectData('t', Decimal.schema(2), new BigDecimal(156n, 2)))).toBe(
      env('{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}', '1.56'));
    expect(text(numeric.fromConnectData('t', Decimal.schema(-2), new BigDecimal(1n, -2)))).toContain('"payload":1E+2');
  });

  it('with replace.null.with.default=false writes null for an optional field that has a default', () => {
    const s = SchemaBuilder.int32().optional().defaultValue(42).build();
    expect(text(converter({ 'replace.null.with.default': 'false' }).fromConnectData('t', s, null)))
      .toBe(env('{"type":"int32","optional":true,"default":42}', 'null'));
    expect(text(c.fromConnectData('t', s, null))).toBe(env('{"type":"int32","optional":true,"default":42}', '42'));
  });
});

describe('JsonConverter.fromConnectData with schemas.enable=false', () => {
  const c = converter({ 'schemas.enable': 'false' });
  const cases: [string, Schema | null, unknown, string | null][] = [
    ['string', Schemas.STRING, 'hello', '"hello"'],
    ['optional null with a schema is the JSON null', Schemas.OPTIONAL_STRING, null, 'null'],
    ['double', Schemas.FLOAT64, 0.1, '0.1'],
    ['schemaless integer', null, 12, '12'],
    ['schemaless fraction', null, 1.5, '1.5'],
    ['schemaless object', null, { filename: 'test.txt' }, '{"filename":"test.txt"}'],
    ['schemaless Map with non-string keys', null, new Map<unknown, unknown>([[1n, 'a'], ['b', 2n]]), '[[1,"a"],["b",2]]'],
    ['schemaless nested nulls', null, [null, { a: null }], '[null,{"a":null}]'],
    ['schemaless bytes', null, Buffer.from([0, 255]), '"AP8="'],
  ];
  it.each(cases)('%s', (_name, schema, value, expected) => {
    expect(text(c.fromConnectData('t', schema, value))).toBe(expected);
  });

  it('escapes as Jackson does: only quote, backslash and control characters; surrogates as \\u escapes', () => {
    const out = text(c.fromConnectData('t', Schemas.STRING, 'a/é\u2028\u007f😀\b\t\n\f\r\u0001\u001f"\\'));
    expect(out).toBe('"a/é\u2028\u007f\\uD83D\\uDE00\\b\\t\\n\\f\\r\\u0001\\u001F\\"\\\\"');
  });

  it('writes non-ASCII as UTF-8', () => {
    expect(c.fromConnectData('t', Schemas.STRING, 'é')).toEqual(Buffer.from([0x22, 0xc3, 0xa9, 0x22]));
  });
});

describe('JsonConverter.fromConnectData errors', () => {
  const c = converter();
  const cases: [string, Schema | null, unknown, string][] = [
    ['required null', Schemas.STRING, null, 'Conversion error: null value for field that is required and has no default value'],
    ['wrong primitive', Schemas.INT32, 'x', 'Invalid type for INT32: class java.lang.String'],
    ['int8 out of range', Schemas.INT8, 300, 'Invalid type for INT8: class java.lang.Integer'],
    ['bytes', Schemas.BYTES, 'x', 'Invalid type for bytes type: class java.lang.String'],
    ['struct with another schema', user, new Struct(SchemaBuilder.struct().field('id', Schemas.INT32).build()).put('id', 1), 'Mismatching schema.'],
    ['schemaless struct', null, new Struct(user), 'Mismatching schema.'],
    ['schemaless Date', null, new Date(0), 'Java class class java.util.Date does not have corresponding schema type.'],
    ['decimal with the wrong class', Decimal.schema(2), 1.5, 'Invalid type for Decimal, expected BigDecimal but was class java.lang.Double'],
    ['decimal with the wrong scale', Decimal.schema(2), new BigDecimal(15n, 1),
      'Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1.'],
    ['date with a time part', ConnectDate.SCHEMA, new Date(1000), 'Kafka Connect Date type should not have any time fields set to non-zero values.'],
    ['time with a date part', Time.SCHEMA, new Date(2 * 86400000), 'Kafka Connect Time type should not have any date fields set to non-zero values.'],
    ['required struct field null', user, new Struct(user), 'Conversion error: null value for field that is required and has no default value'],
  ];
  it.each(cases)('%s', (_name, schema, value, message) => {
    let error: unknown;
    try {
      c.fromConnectData('t', schema, value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataException);
    expect((error as Error).message).toBe(message);
  });
});

describe('JsonConverter.toConnectData', () => {
  const c = converter();
  const read = (json: string) => c.toConnectData('t', Buffer.from(json));

  it('reads null bytes as no schema and no value', () => {
    expect(c.toConnectData('t', null)).toEqual({ schema: null, value: null });
  });

  it('reads each primitive type from its envelope', () => {
    expect(read(env('{"type":"boolean"}', 'true'))).toEqual({ schema: Schemas.BOOLEAN, value: true });
    expect(read(env('{"type":"int8"}', '12')).value).toBe(12);
    expect(read(env('{"type":"int16"}', '12')).value).toBe(12);
    expect(read(env('{"type":"int32"}', '12')).value).toBe(12);
    expect(read(env('{"type":"int64"}', '9223372036854775807')).value).toBe(9223372036854775807n);
    expect(read(env('{"type":"float"}', '12.34')).value).toBe(Math.fround(12.34));
    expect(read(env('{"type":"double"}', '12.34')).value).toBe(12.34);
    expect(read(env('{"type":"bytes"}', '"dGVzdC1zdHJpbmc="')).value).toEqual(Buffer.from('test-string'));
    expect(read(env('{"type":"string","optional":true}', '"x"'))).toEqual({ schema: Schemas.OPTIONAL_STRING, value: 'x' });
  });

  it('keeps name, version, doc and parameters', () => {
    const { schema } = read(env('{"type":"string","optional":true,"name":"n","version":3,"doc":"d","parameters":{"k":"v"}}', '"x"'));
    expect(schema).toEqual({ type: 'STRING', optional: true, name: 'n', version: 3, doc: 'd', parameters: { k: 'v' } });
  });

  it('reads a struct, filling a missing optional field with null', () => {
    const { schema, value } = read('{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"}],"optional":false,"name":"com.example.User"},"payload":{"id":1}}');
    expect(schema).toEqual(user);
    expect((value as Struct).equals(new Struct(user).put('id', 1))).toBe(true);
  });

  it('reads maps with string keys from objects and others from pairs', () => {
    expect(read(env('{"type":"map","keys":{"type":"string"},"values":{"type":"int32"}}', '{"a":1}')).value).toEqual(new Map([['a', 1]]));
    expect(read(env('{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}}', '[[1,12],[2,15]]')).value)
      .toEqual(new Map([[1, 12], [2, 15]]));
  });

  it('replaces a null with the schema default, unless told not to', () => {
    const json = env('{"type":"int32","optional":true,"default":42}', 'null');
    expect(read(json).value).toBe(42);
    expect(converter({ 'replace.null.with.default': 'false' }).toConnectData('t', Buffer.from(json)).value).toBeNull();
  });

  it('reads logical types', () => {
    const decimalSchema = '{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}';
    expect(read(env(decimalSchema, '"AJw="')).value).toEqual(new BigDecimal(156n, 2));
    // A numeric payload is read as written, whatever the decimal.format.
    expect(read(env(decimalSchema, '1.560')).value).toEqual(new BigDecimal(1560n, 3));
    expect(read(env('{"type":"int32","name":"org.apache.kafka.connect.data.Date","version":1}', '10000')).value)
      .toEqual(new Date(10000 * 86400000));
    expect(read(env('{"type":"int32","name":"org.apache.kafka.connect.data.Time","version":1}', '14400000')).value).toEqual(new Date(14400000));
    expect(read(env('{"type":"int64","name":"org.apache.kafka.connect.data.Timestamp","version":1}', '4000000000')).value)
      .toEqual(new Date(4000000000));
  });

  it('reads through Jackson\'s lenient accessors, as Java does', () => {
    expect(read(env('{"type":"int32"}', '"abc"')).value).toBe(0);
    expect(read(env('{"type":"int32"}', '1.9')).value).toBe(1);
    expect(read(env('{"type":"int8"}', '300')).value).toBe(44);
    expect(read(env('{"type":"boolean"}', '1')).value).toBe(false);
    expect(read(env('{"type":"string","optional":true}', '5')).value).toBeNull();
  });

  it('infers schemaless values with schemas.enable=false', () => {
    const plain = converter({ 'schemas.enable': 'false' });
    const r = (json: string) => plain.toConnectData('t', Buffer.from(json));
    expect(r('12')).toEqual({ schema: null, value: 12n });
    expect(r('1.0')).toEqual({ schema: null, value: 1 });
    expect(r('"x"').value).toBe('x');
    expect(r('null').value).toBeNull();
    expect(r('').value).toBeNull();
    expect(r('[1,"a",true,null]').value).toEqual([1n, 'a', true, null]);
    expect(r('{"position":12}').value).toEqual(new Map([['position', 12n]]));
    // An envelope is just an object when schemas are off.
    expect(r(env('{"type":"string"}', '"x"')).value).toBeInstanceOf(Map);
  });

  it('orders map entries as a Java HashMap iterates them', () => {
    const plain = converter({ 'schemas.enable': 'false' });
    // "b" hashes to bucket 2, "a" to 1, "zz" (3904) to bucket 0 of 16.
    const map = plain.toConnectData('t', Buffer.from('{"b":1,"a":2,"zz":3}')).value as Map<string, bigint>;
    expect([...map.keys()]).toEqual(['zz', 'a', 'b']);
    expect(text(plain.fromConnectData('t', null, map))).toBe('{"zz":3,"a":2,"b":1}');
  });

  const errors: [string, string, string][] = [
    ['no envelope', '{"a":1}', 'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.'],
    ['an extra field', '{"schema":null,"payload":1,"x":2}', 'JsonConverter with schemas.enable requires'],
    ['plain text', 'hello', 'Converting byte[] to Kafka Connect data failed due to serialization error: '],
    ['truncated JSON', '{"schema":null', 'Converting byte[] to Kafka Connect data failed due to serialization error: '],
    ['empty input', '', 'JsonConverter with schemas.enable requires'],
    ['schema without type', env('{}', '1'), "Schema must contain 'type' field"],
    ['unknown type', env('{"type":"int128"}', '1'), 'Unknown schema type: int128'],
    ['array without items', env('{"type":"array"}', '[]'), 'Array schema did not specify the element type'],
    ['map without keys', env('{"type":"map","values":{"type":"int32"}}', '{}'), 'Map schema did not specify the key type'],
    ['struct without fields', env('{"type":"struct"}', '{}'), 'Struct schema\'s "fields" argument is not an array.'],
    ['struct field without a name', env('{"type":"struct","fields":[{"type":"int32"}]}', '{}'), "Struct schema's field name not specified properly"],
    ['non-string parameter', env('{"type":"int32","parameters":{"a":1}}', '1'), 'Schema parameters must have string values.'],
    ['required null', env('{"type":"int32"}', 'null'), 'Invalid null value for required INT32 field'],
    ['struct payload not an object', env('{"type":"struct","fields":[]}', '[]'), 'Structs should be encoded as JSON objects, but found ARRAY'],
    ['string-keyed map payload not an object', env('{"type":"map","keys":{"type":"string"},"values":{"type":"int32"}}', '[]'), 'Maps with string fields should be encoded as JSON objects, but found ARRAY'],
    ['other map payload not an array', env('{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}}', '{}'), 'Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT'],
    ['bad map pair', env('{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}}', '[[1]]'), 'Found invalid map entry, expected length 2 but found :1'],
    ['bad base64', env('{"type":"bytes"}', '"!!"'), 'Invalid bytes field'],
    ['date not an int', env('{"type":"int32","name":"org.apache.kafka.connect.data.Date"}', '"x"'), 'Invalid type for Date, underlying representation should be integer but was STRING'],
    ['required struct field missing', '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}]},"payload":{}}', 'Invalid null value for required INT32 field'],
  ];
  it.each(errors)('rejects %s with a DataException', (_name, json, message) => {
    let error: unknown;
    try {
      read(json);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataException);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  it('keeps the parser detail in the cause', () => {
    try {
      read('{"a":');
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).cause)).toMatch(/end-of-input/);
    }
  });
});

describe('JsonConverter config', () => {
  it('rejects bad option values with Kafka\'s ConfigException text', () => {
    expect(() => converter({ 'schemas.enable': 'maybe' }))
      .toThrow('Invalid value maybe for configuration schemas.enable: Expected value to be either true or false');
    expect(() => converter({ 'decimal.format': 'HEX' }))
      .toThrow('Invalid value HEX for configuration decimal.format: String must be one of (case insensitive): BASE64, NUMERIC');
  });
});

describe('internalJson (offsets)', () => {
  it('writes offset keys and values as Java\'s worker does', () => {
    expect(text(internalJson.offsetKey('local-file-source', { filename: 'test.txt' })))
      .toBe('["local-file-source",{"filename":"test.txt"}]');
    expect(text(internalJson.serialize({ position: 12 }))).toBe('{"position":12}');
    expect(internalJson.serialize(null)).toBeNull();
  });

  it('reads them back', () => {
    expect(internalJson.deserialize(Buffer.from('{"position":12}'))).toEqual(new Map([['position', 12n]]));
    expect(internalJson.deserializePlain(Buffer.from('{"position":12}'))).toEqual({ position: 12 });
    expect(internalJson.parseOffsetKey(Buffer.from('["local-file-source",{"filename":"test.txt"}]')))
      .toEqual({ connector: 'local-file-source', partition: { filename: 'test.txt' } });
    expect(internalJson.parseOffsetKey(Buffer.from('{"x":1}'))).toBeUndefined();
    expect(internalJson.parseOffsetKey(Buffer.from('not json'))).toBeUndefined();
  });
});
