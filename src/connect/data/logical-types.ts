// Connect's built-in logical types: a named schema over a primitive, with a richer value type.
//   Decimal    BYTES (parameter "scale")  ↔ BigDecimal; bytes are the unscaled two's-complement integer
//   Date       INT32 days since the epoch ↔ Date at UTC midnight
//   Time       INT32 millis of the day    ↔ Date on 1970-01-01 (UTC)
//   Timestamp  INT64 epoch millis         ↔ Date
// Each schema carries version 1, as Java's builders set it.

import { BigDecimal, bigIntToTwosComplement, twosComplementToBigInt } from './big-decimal.js';
import { DataException } from './errors.js';
import { SchemaBuilder, type Schema } from './schema.js';

const MILLIS_PER_DAY = 24 * 60 * 60 * 1000;

export const Decimal = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Decimal',
  SCALE_FIELD: 'scale',

  builder(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(Decimal.LOGICAL_NAME).parameter(Decimal.SCALE_FIELD, String(scale)).version(1);
  },

  schema(scale: number): Schema {
    return Decimal.builder(scale).build();
  },

  /** The scale a Decimal schema declares. */
  scale(schema: Schema): number {
    const text = schema.parameters?.[Decimal.SCALE_FIELD];
    if (text === undefined) throw new DataException('Invalid Decimal schema: scale parameter not found.');
    const scale = parseJavaInt(text);
    if (scale === undefined) throw new DataException('Invalid scale parameter found in Decimal schema: ');
    return scale;
  },

  fromLogical(schema: Schema, value: BigDecimal): Buffer {
    const schemaScale = Decimal.scale(schema);
    if (value.scale !== schemaScale) {
      throw new DataException('Decimal value has mismatching scale for given Decimal schema. '
        + `Schema has scale ${schemaScale}, value has scale ${value.scale}.`);
    }
    return bigIntToTwosComplement(value.unscaled);
  },

  toLogical(schema: Schema, bytes: Uint8Array): BigDecimal {
    return new BigDecimal(twosComplementToBigInt(bytes), Decimal.scale(schema));
  },
} as const;

export const Date_ = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Date',
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(Date_.LOGICAL_NAME).version(1);
  },
  get SCHEMA(): Schema {
    return DATE_SCHEMA;
  },
  fromLogical(schema: Schema, value: Date): number {
    requireName(schema, Date_.LOGICAL_NAME, 'Date');
    const millis = value.getTime();
    if (millis % MILLIS_PER_DAY !== 0) {
      throw new DataException('Kafka Connect Date type should not have any time fields set to non-zero values.');
    }
    return millis / MILLIS_PER_DAY;
  },
  toLogical(schema: Schema, days: number): Date {
    requireName(schema, Date_.LOGICAL_NAME, 'Date');
    return new Date(days * MILLIS_PER_DAY);
  },
} as const;

export const Time = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Time',
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(Time.LOGICAL_NAME).version(1);
  },
  get SCHEMA(): Schema {
    return TIME_SCHEMA;
  },
  fromLogical(schema: Schema, value: Date): number {
    requireName(schema, Time.LOGICAL_NAME, 'Time');
    const millis = value.getTime();
    if (millis < 0 || millis > MILLIS_PER_DAY) {
      throw new DataException('Kafka Connect Time type should not have any date fields set to non-zero values.');
    }
    return millis;
  },
  toLogical(schema: Schema, millis: number): Date {
    // Java's message says "Date" here too.
    requireName(schema, Time.LOGICAL_NAME, 'Date');
    if (millis < 0 || millis > MILLIS_PER_DAY) {
      throw new DataException('Time values must use number of milliseconds greater than 0 and less than 86400000');
    }
    return new Date(millis);
  },
} as const;

export const Timestamp = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Timestamp',
  builder(): SchemaBuilder {
    return SchemaBuilder.int64().name(Timestamp.LOGICAL_NAME).version(1);
  },
  get SCHEMA(): Schema {
    return TIMESTAMP_SCHEMA;
  },
  fromLogical(schema: Schema, value: Date): bigint {
    requireName(schema, Timestamp.LOGICAL_NAME, 'Timestamp');
    return BigInt(value.getTime());
  },
  toLogical(schema: Schema, millis: bigint | number): Date {
    requireName(schema, Timestamp.LOGICAL_NAME, 'Timestamp');
    return new Date(Number(millis));
  },
} as const;

/** `Date` clashes with the JS global inside this module; consumers import it as `ConnectDate`. */
export { Date_ as ConnectDate };

const DATE_SCHEMA = Date_.builder().build();
const TIME_SCHEMA = Time.builder().build();
const TIMESTAMP_SCHEMA = Timestamp.builder().build();

export const LOGICAL_TYPE_NAMES: readonly string[] = [
  Decimal.LOGICAL_NAME, Date_.LOGICAL_NAME, Time.LOGICAL_NAME, Timestamp.LOGICAL_NAME,
];

function requireName(schema: Schema, logicalName: string, what: string): void {
  if (schema.name !== logicalName) {
    throw new DataException(`Requested conversion of ${what} object but the schema does not match.`);
  }
}

/** Integer.parseInt: optional sign, decimal digits, 32-bit range. */
function parseJavaInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}
