// org.apache.kafka.connect.converters.ByteArrayConverter: bytes pass through untouched. Only a
// BYTES schema (or none) is accepted, so a STRING-valued source such as FileStreamSource fails here.

import { DataException } from '../data/errors.js';
import { javaClassOf } from '../data/java-text.js';
import { Schemas, type Schema, type SchemaAndValue } from '../data/schema.js';
import type { NamedConverter } from './converter.js';

export class ByteArrayConverter implements NamedConverter {
  static readonly javaClassName = 'org.apache.kafka.connect.converters.ByteArrayConverter';
  readonly javaClassName = ByteArrayConverter.javaClassName;

  configure(_configs: Record<string, string>, _isKey: boolean): void {}

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema !== null && schema.type !== 'BYTES') throw new DataException('Invalid schema type for ByteArrayConverter: ' + schema.type);
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array)) throw new DataException('ByteArrayConverter is not compatible with objects of type ' + javaClassOf(value));
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES, value };
  }
}
