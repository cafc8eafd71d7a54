// Failures of the partition log that a broker reports to clients: each carries the Kafka error
// code for the partition's response. Anything else thrown from storage is a bug or an I/O fault.

export const StorageErrorCode = {
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  MESSAGE_TOO_LARGE: 10,
  RECORD_LIST_TOO_LARGE: 18,
  KAFKA_STORAGE_ERROR: 56,
  INVALID_RECORD: 87,
} as const;

export class StorageError extends Error {
  readonly code = 'STORAGE_ERROR';
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
