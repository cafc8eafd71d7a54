// The fixed-width converters of org.apache.kafka.connect.converters (Kafka's Short/Integer/Long/
// Float/Double serializers, big-endian, and Boolean as one byte 0/1). Each reads back with its
// optional schema. Java ignores the schema on the way out for the number converters.

import { DataException } from '../data/errors.js';
import { javaClassOf } from '../data/java-text.js';
import { Schemas, type Schema, type SchemaAndValue } from '../data/schema.js';
import type { NamedConverter } from './converter.js';

interface NumberFormat {
  javaClassName: string;
  /** The word in Java's messages ("integer", "long", ...). */
  typeName: string;
  /** The Kafka (de)serializer's name, for its size message. */
  serdeName: string;
  size: number;
  schema: Schema;
  /** The value as this type, or undefined if Java's cast would fail. */
  cast(value: unknown): number | bigint | undefined;
  write(buf: Buffer, value: number | bigint): void;
  read(buf: Buffer): number | bigint;
}

const isIntIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

abstract class NumberConverter implements NamedConverter {
  readonly javaClassName: string;

  protected constructor(private readonly format: NumberFormat) {
    this.javaClassName = format.javaClassName;
  }

  configure(_configs: Record<string, string>, _isKey: boolean): void {}

  fromConnectData(_topic: string, _schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    const v = this.format.cast(value);
    if (v === undefined) throw new DataException(`Failed to serialize to ${this.format.typeName} (was ${javaClassOf(value)}): `);
    const buf = Buffer.alloc(this.format.size);
    this.format.write(buf, v);
    return buf;
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: this.format.schema, value: null };
    if (value.length !== this.format.size) {
      throw new DataException(`Failed to deserialize ${this.format.typeName}: `, {
        cause: new Error(`Size of data received by ${this.format.serdeName} is not ${this.format.size}`),
      });
    }
    return { schema: this.format.schema, value: this.format.read(value) };
  }
}

export class ShortConverter extends NumberConverter {
  static readonly javaClassName = 'org.apache.kafka.connect.converters.ShortConverter';
  constructor() {
    super({
      javaClassName: ShortConverter.javaClassName, typeName: 'short', serdeName: 'ShortDeserializer', size: 2, schema: Schemas.OPTIONAL_INT16,
      cast: (v) => (isIntIn(v, -32768, 32767) ? v : undefined),
      write: (b, v) => b.writeInt16BE(Number(v)),
      read: (b) => b.readInt16BE(0),
    });
  }
}

export class IntegerConverter extends NumberConverter {
  static readonly javaClassName = 'org.apache.kafka.connect.converters.IntegerConverter';
  constructor() {
    super({
      javaClassName: IntegerConverter.javaClassName, typeName: 'integer', serdeName: 'IntegerDeserializer', size: 4, schema: Schemas.OPTIONAL_INT32,
      cast: (v) => (isIntIn(v, -2147483648, 2147483647) ? v : undefined),
      write: (b, v) => b.writeInt32BE(Number(v)),
      read: (b) => b.readInt32BE(0),
    });
  }
}

export class LongConverter extends NumberConverter {
  static readonly javaClassName = 'org.apache.kafka.connect.converters.LongConverter';
  constructor() {
    super({
      javaClassName: LongConverter.javaClassName, typeName: 'long', serdeName: 'LongDeserializer', size: 8, schema: Schemas.OPTIONAL_INT64,
      cast: (v) => {
        if (typeof v === 'bigint') return BigInt.asIntN(64, v) === v ? v : undefined;
        return Number.isSafeInteger(v) ? BigInt(v as number) : undefined;
      },
      write: (b, v) => b.writeBigInt64BE(BigInt(v)),
      read: (b) => b.readBigInt64BE(0),
    });
  }
}

export class FloatConverter extends NumberConverter {
  static readonly javaClassName = 'org.apache.kafka.connect.converters.FloatConverter';
  constructor() {
    super({
      javaClassName: FloatConverter.javaClassName, typeName: 'float', serdeName: 'FloatDeserializer', size: 4, schema: Schemas.OPTIONAL_FLOAT32,
      cast: (v) => (typeof v === 'number' ? v : undefined),
      write: (b, v) => b.writeFloatBE(Number(v)),
      read: (b) => b.readFloatBE(0),
    });
  }
}

export class DoubleConverter extends NumberConverter {
  static readonly javaClassName = 'org.apache.kafka.connect.converters.DoubleConverter';
  constructor() {
    super({
      javaClassName: DoubleConverter.javaClassName, typeName: 'double', serdeName: 'DoubleDeserializer', size: 8, schema: Schemas.OPTIONAL_FLOAT64,
      cast: (v) => (typeof v === 'number' ? v : undefined),
      write: (b, v) => b.writeDoubleBE(Number(v)),
      read: (b) => b.readDoubleBE(0),
    });
  }
}

/** BooleanConverter: one byte, 0x01 true / 0x00 false; only a BOOLEAN schema (or none). */
export class BooleanConverter implements NamedConverter {
  static readonly javaClassName = 'org.apache.kafka.connect.converters.BooleanConverter';
  readonly javaClassName = BooleanConverter.javaClassName;

  configure(_configs: Record<string, string>, _isKey: boolean): void {}

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema !== null && schema.type !== 'BOOLEAN') throw new DataException('Invalid schema type for BooleanConverter: ' + schema.type);
    if (value === null || value === undefined) return null;
    if (typeof value !== 'boolean') throw new DataException('BooleanConverter is not compatible with objects of type ' + javaClassOf(value));
    return Buffer.from([value ? 1 : 0]);
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: Schemas.OPTIONAL_BOOLEAN, value: null };
    const fail = (why: string) => new DataException('Failed to deserialize boolean: ', { cause: new Error(why) });
    if (value.length !== 1) throw fail('Size of data received by BooleanDeserializer is not 1');
    if (value[0] !== 0 && value[0] !== 1) throw fail('Unexpected byte received by BooleanDeserializer: ' + value[0]);
    return { schema: Schemas.OPTIONAL_BOOLEAN, value: value[0] === 1 };
  }
}
