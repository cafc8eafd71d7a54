// Connect's data errors. They live beside the data model (not the converters) because Struct and
// schema validation throw them too, and data/ must not depend on converters/.

/**
 * Java's `org.apache.kafka.connect.errors.DataException`: a record (schema or value) that cannot be
 * converted or does not fit its schema. The worker's error handler treats it as a per-record failure
 * (stage KEY_CONVERTER / VALUE_CONVERTER), so `javaClassName` is what the DLQ header
 * `__connect.errors.exception.class.name` should carry.
 */
export class DataException extends Error {
  readonly javaClassName: string = 'org.apache.kafka.connect.errors.DataException';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataException';
  }
}

/** Java's `SchemaBuilderException` (a DataException): a schema that was put together wrongly. */
export class SchemaBuilderException extends DataException {
  override readonly javaClassName: string = 'org.apache.kafka.connect.errors.SchemaBuilderException';

  constructor(message: string) {
    super(message);
    this.name = 'SchemaBuilderException';
  }
}
