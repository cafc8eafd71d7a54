// StringConverter, ByteArrayConverter, the number converters, and converter lookup by class name.
import { describe, expect, it } from 'vitest';
import {
  BooleanConverter, ByteArrayConverter, CONVERTER_CLASSES, DoubleConverter, IntegerConverter, LongConverter, ShortConverter,
  StringConverter, createConverter, resolveConverterClass,
} from '../../../src/connect/converters/index.js';
import { DataException, SchemaBuilder, Schemas, Struct } from '../../../src/connect/data/index.js';

describe('StringConverter', () => {
  const c = new StringConverter();
  c.configure({}, false);

  it('writes toString() and ignores the schema', () => {
    const s = SchemaBuilder.struct().field('id', Schemas.INT32).field('name', Schemas.STRING).build();
    expect(c.fromConnectData('t', s, new Struct(s).put('id', 1).put('name', 'Ann'))!.toString()).toBe('Struct{id=1,name=Ann}');
    expect(c.fromConnectData('t', Schemas.STRING, 'héllo')).toEqual(Buffer.from('héllo'));
    expect(c.fromConnectData('t', Schemas.INT64, 12n)!.toString()).toBe('12');
    expect(c.fromConnectData('t', Schemas.FLOAT64, 1)!.toString()).toBe('1.0');
    expect(c.fromConnectData('t', null, new Map([['a', 1n]]))!.toString()).toBe('{a=1}');
    expect(c.fromConnectData('t', Schemas.STRING, null)).toBeNull();
  });

  it('reads an optional string', () => {
    expect(c.toConnectData('t', Buffer.from('x'))).toEqual({ schema: Schemas.OPTIONAL_STRING, value: 'x' });
    expect(c.toConnectData('t', null)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: null });
  });

  it('honours converter.encoding', () => {
    const latin = new StringConverter();
    latin.configure({ 'converter.encoding': 'ISO-8859-1' }, true);
    expect(latin.fromConnectData('t', null, 'é€')).toEqual(Buffer.from([0xe9, 0x3f]));
    expect(latin.toConnectData('t', Buffer.from([0xe9])).value).toBe('é');
    const utf16 = new StringConverter();
    utf16.configure({ 'converter.encoding': 'UTF-16BE' }, true);
    expect(utf16.fromConnectData('t', null, 'A')).toEqual(Buffer.from([0, 0x41]));
    expect(() => new StringConverter().configure({ 'converter.encoding': 'EBCDIC-X' }, false)).toThrow(/converter.encoding/);
  });
});

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter();
  it('passes bytes through', () => {
    const b = Buffer.from([1, 2, 3]);
    expect(c.fromConnectData('t', Schemas.BYTES, b)).toBe(b);
    expect(c.fromConnectData('t', null, new Uint8Array([4]))).toEqual(Buffer.from([4]));
    expect(c.fromConnectData('t', null, null)).toBeNull();
    expect(c.toConnectData('t', b)).toEqual({ schema: Schemas.OPTIONAL_BYTES, value: b });
  });
  it('rejects other schemas and values as Java does', () => {
    expect(() => c.fromConnectData('t', Schemas.STRING, 'x')).toThrow(new DataException('Invalid schema type for ByteArrayConverter: STRING'));
    expect(() => c.fromConnectData('t', null, 'x')).toThrow('ByteArrayConverter is not compatible with objects of type class java.lang.String');
  });
});

describe('number converters', () => {
  it('write big-endian fixed widths and read them back', () => {
    expect(new IntegerConverter().fromConnectData('t', null, 258)).toEqual(Buffer.from([0, 0, 1, 2]));
    expect(new ShortConverter().fromConnectData('t', null, -2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(new LongConverter().fromConnectData('t', null, 1n)).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]));
    expect(new DoubleConverter().toConnectData('t', new DoubleConverter().fromConnectData('t', null, 1.5)))
      .toEqual({ schema: Schemas.OPTIONAL_FLOAT64, value: 1.5 });
    expect(new LongConverter().toConnectData('t', Buffer.alloc(8)).value).toBe(0n);
    expect(new BooleanConverter().fromConnectData('t', Schemas.BOOLEAN, true)).toEqual(Buffer.from([1]));
    expect(new BooleanConverter().toConnectData('t', Buffer.from([0])).value).toBe(false);
  });
  it('fail with Java\'s messages', () => {
    expect(() => new IntegerConverter().fromConnectData('t', null, 'x')).toThrow('Failed to serialize to integer (was class java.lang.String): ');
    expect(() => new IntegerConverter().toConnectData('t', Buffer.alloc(3))).toThrow('Failed to deserialize integer: ');
    expect(() => new BooleanConverter().fromConnectData('t', Schemas.INT32, 1)).toThrow('Invalid schema type for BooleanConverter: INT32');
  });
});

describe('createConverter', () => {
  it('accepts fully-qualified names and short aliases', () => {
    expect(createConverter('org.apache.kafka.connect.json.JsonConverter').javaClassName).toBe('org.apache.kafka.connect.json.JsonConverter');
    expect(createConverter('JsonConverter')).toBeInstanceOf(createConverter('Json').constructor);
    expect(createConverter(' org.apache.kafka.connect.storage.StringConverter ').javaClassName).toBe('org.apache.kafka.connect.storage.StringConverter');
    expect(createConverter('ByteArrayConverter').javaClassName).toBe('org.apache.kafka.connect.converters.ByteArrayConverter');
    expect(resolveConverterClass('LongConverter')).toBe('org.apache.kafka.connect.converters.LongConverter');
  });

  it('refuses unknown classes with Kafka\'s message', () => {
    expect(() => createConverter('com.example.Nope')).toThrow('Class com.example.Nope could not be found.');
    expect(() => createConverter('Nope', 'value.converter')).toThrow('Invalid value Nope for configuration value.converter: Class Nope could not be found.');
  });

  it('lists every converter by its Java class name', () => {
    expect(CONVERTER_CLASSES).toContain('org.apache.kafka.connect.json.JsonConverter');
    expect(CONVERTER_CLASSES).toContain('org.apache.kafka.connect.storage.StringConverter');
    expect(CONVERTER_CLASSES).toContain('org.apache.kafka.connect.converters.ByteArrayConverter');
    for (const name of CONVERTER_CLASSES) expect(createConverter(name).javaClassName).toBe(name);
  });
});
