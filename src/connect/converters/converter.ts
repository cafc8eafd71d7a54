// The converter contract (Java's org.apache.kafka.connect.storage.Converter): Connect data ↔ the
// bytes of a record key or value. The worker configures one per key and one per value.

import type { Schema, SchemaAndValue } from '../data/schema.js';

export { DataException } from '../data/errors.js';
export type { Schema, SchemaAndValue } from '../data/schema.js';

export interface Converter {
  /**
   * Called once before use. `configs` are the converter's own options with the
   * `key.converter.` / `value.converter.` prefix already stripped (e.g. `schemas.enable`).
   */
  configure(configs: Record<string, string>, isKey: boolean): void;
  /** Connect data → record bytes; null means a Kafka null (a tombstone for values). Throws DataException. */
  fromConnectData(topic: string, schema: Schema | null, value: unknown): Buffer | null;
  /** Record bytes (null for a Kafka null) → Connect data. Throws DataException for bytes it cannot read. */
  toConnectData(topic: string, value: Buffer | null): SchemaAndValue;
}

/** The Java class a converter stands in for; error reports and DLQ headers name it. */
export interface NamedConverter extends Converter {
  readonly javaClassName: string;
}
