// The Connect data model in one import: schemas, structs, logical types and the data errors.

export * from './schema.js';
export { Struct, validateValue, schemaToString } from './struct.js';
export { BigDecimal } from './big-decimal.js';
export { Decimal, ConnectDate, Time, Timestamp, LOGICAL_TYPE_NAMES } from './logical-types.js';
export { DataException, SchemaBuilderException } from './errors.js';
export { javaToString, javaDoubleToString, javaFloatToString } from './java-text.js';
