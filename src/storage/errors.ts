// Failures of the partition log that a broker reports to clients: each carries the Kafka error
// code for the partition's response. Anything else thrown from storage is a bug or an I/O fault.

import { ErrorCode } from '../protocol/error-codes.js';

/** The Kafka error codes the partition log reports (from the one table). */
export const StorageErrorCode = {
  OFFSET_OUT_OF_RANGE: ErrorCode.OFFSET_OUT_OF_RANGE,
  CORRUPT_MESSAGE: ErrorCode.CORRUPT_MESSAGE,
  MESSAGE_TOO_LARGE: ErrorCode.MESSAGE_TOO_LARGE,
  RECORD_LIST_TOO_LARGE: ErrorCode.RECORD_LIST_TOO_LARGE,
  KAFKA_STORAGE_ERROR: ErrorCode.KAFKA_STORAGE_ERROR,
  INVALID_RECORD: ErrorCode.INVALID_RECORD,
} as const;

/** One refused record of a batch, as Produce v8+ reports it (`recordErrors`). */
export interface RecordError {
  /** The record's index within its batch. */
  batchIndex: number;
  message: string;
}

export class StorageError extends Error {
  readonly code = 'STORAGE_ERROR';
  constructor(
    readonly errorCode: number,
    message: string,
    /** The records that caused an INVALID_RECORD refusal, when the refusal is per record. */
    readonly recordErrors: readonly RecordError[] = [],
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/**
 * INVALID_RECORD for the given per-record errors, with the summary message Kafka's LogValidator
 * builds (at most three errors quoted).
 */
export function recordValidationError(errors: readonly RecordError[]): StorageError {
  const shown = errors.slice(0, 3).map((e) => `RecordError(batchIndex=${e.batchIndex}, message='${e.message}')`);
  return new StorageError(
    StorageErrorCode.INVALID_RECORD,
    `One or more records have been rejected due to ${errors.length} record errors in total, and only showing the first three errors at most: [${shown.join(', ')}]`,
    errors,
  );
}
