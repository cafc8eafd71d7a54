// org.apache.kafka.connect.storage.StringConverter: the value's Java toString() in a charset, and
// back to an optional string. The schema is ignored on the way out, so a Struct is written as
// "Struct{id=1,name=Ann}".

import { ConfigException } from '../config-def.js';
import { javaToString } from '../data/java-text.js';
import { Schemas, type Schema, type SchemaAndValue } from '../data/schema.js';
import type { NamedConverter } from './converter.js';
import { charsetCodec, type CharsetCodec } from './charsets.js';

export class StringConverter implements NamedConverter {
  static readonly javaClassName = 'org.apache.kafka.connect.storage.StringConverter';
  readonly javaClassName = StringConverter.javaClassName;
  private codec: CharsetCodec = charsetCodec('UTF-8')!;

  configure(configs: Record<string, string>, _isKey: boolean): void {
    const name = (configs['converter.encoding'] ?? 'UTF-8').trim();
    const codec = charsetCodec(name);
    if (!codec) throw new ConfigException(`Invalid value ${name} for configuration converter.encoding: unsupported charset`);
    this.codec = codec;
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    return this.codec.encode(javaToString(value, schema));
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_STRING, value: value === null ? null : this.codec.decode(value) };
  }
}
