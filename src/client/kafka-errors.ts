// Errors the client side sees in responses, as Java's clients raise them (the error-code table
// itself lives in src/protocol/error-codes.ts).
import { kafkaErrorInfo } from '../protocol/error-codes.js';

export { ErrorCode, kafkaErrorInfo } from '../protocol/error-codes.js';

/** A non-zero error code from a response, with the broker's message when it sent one. */
export class KafkaProtocolError extends Error {
  readonly errorCode: number;
  readonly type: string;
  readonly retriable: boolean;
  /** Fully-qualified Java exception class, for log lines that mimic the Java tools. */
  readonly javaClass: string;

  constructor(errorCode: number, brokerMessage?: string | null) {
    const info = kafkaErrorInfo(errorCode);
    super(brokerMessage || info.message);
    this.name = 'KafkaProtocolError';
    this.errorCode = errorCode;
    this.type = info.name;
    this.retriable = info.retriable;
    this.javaClass = `org.apache.kafka.common.errors.${info.exception}`;
  }
}
