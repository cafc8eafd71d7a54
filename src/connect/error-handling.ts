// What happens when one record cannot be processed (Kafka's RetryWithToleranceOperator with its
// LogReporter and DeadLetterQueueReporter): with errors.tolerance=none the task fails with
// "Tolerance exceeded in error handler"; with `all` the record is skipped, logged if
// errors.log.enable, and (sinks only) sent with its original bytes to the dead letter queue topic,
// with __connect.errors.* headers if errors.deadletterqueue.context.headers.enable.
import type { Logger } from '../log.js';
import type { KafkaRecord, RecordHeader } from '../protocol/records/records.js';
import { ConnectException } from './api.js';
import type { ConnectorSettings } from './connector-config.js';

export type Stage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'TRANSFORMATION' | 'TASK_PUT' | 'TASK_POLL' | 'KAFKA_PRODUCE' | 'KAFKA_CONSUME';

/** The Java exception class an error stands for, as traces and DLQ headers name it. */
export function javaClassOf(err: unknown): string {
  const e = err as { javaClassName?: unknown; javaClass?: unknown } | null;
  if (typeof e?.javaClassName === 'string') return e.javaClassName;
  if (typeof e?.javaClass === 'string') return e.javaClass;
  if (err instanceof TypeError || err instanceof RangeError) return 'java.lang.IllegalArgumentException';
  return 'org.apache.kafka.connect.errors.ConnectException';
}

/**
 * A Java-style stack trace for the REST status `trace` and the DLQ stacktrace header:
 * `<class>: <message>` then `\tat` frames, then `Caused by:` for each cause.
 */
export function javaTrace(err: unknown): string {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const e = current as Error;
    const head = `${javaClassOf(e)}: ${e?.message ?? String(e)}`;
    lines.push(depth === 0 ? head : `Caused by: ${head}`);
    const frames = typeof e?.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
    for (const f of frames) lines.push(`\t${f.trim()}`);
    current = e instanceof Error ? e.cause : undefined;
  }
  return `${lines.join('\n')}\n`;
}

export class ToleranceExceededError extends ConnectException {
  constructor(cause: unknown) {
    super('Tolerance exceeded in error handler', { cause });
    this.name = 'ToleranceExceededError';
  }
}

/** A record as it came from Kafka, for error reports. */
export interface ConsumedRecordContext {
  topic: string;
  partition: number;
  record: KafkaRecord;
  timestampType: string;
}

/** Sends failed records to the DLQ topic; resolves `flush` once they are acknowledged. */
export interface DeadLetterQueue {
  send(record: { key: Buffer | null; value: Buffer | null; headers: RecordHeader[]; timestamp?: number }): void;
  flush(): Promise<void>;
}

export class ErrorHandler {
  /** Failures tolerated so far (shown in logs). */
  tolerated = 0;

  constructor(
    private readonly settings: ConnectorSettings,
    private readonly taskId: string,
    private readonly log: Logger,
    private readonly dlq?: DeadLetterQueue,
  ) {}

  get toleratesAll(): boolean {
    return this.settings.errorTolerance === 'all';
  }

  /**
   * Runs one record operation. A failure is reported; with tolerance `all` the result is
   * `undefined` (skip the record), otherwise ToleranceExceededError is thrown.
   */
  run<T>(stage: Stage, className: string, op: () => T, consumed?: ConsumedRecordContext): T | undefined {
    try {
      return op();
    } catch (err) {
      this.report(stage, className, err, consumed);
      if (!this.toleratesAll) throw new ToleranceExceededError(err);
      this.tolerated++;
      return undefined;
    }
  }

  private report(stage: Stage, className: string, err: unknown, consumed?: ConsumedRecordContext): void {
    // Kafka logs when errors.log.enable is set; a failure that ends the task is logged by the task anyway.
    if (this.settings.errorsLogEnable) {
      let where = '';
      if (consumed && this.settings.errorsLogIncludeMessages) {
        const r = consumed.record;
        where = `, where consumed record is {topic='${consumed.topic}', partition=${consumed.partition}, offset=${r.offset}, timestamp=${r.timestamp}, timestampType=${consumed.timestampType}}`;
      }
      this.log.error(`Error encountered in task ${this.taskId}. Executing stage '${stage}' with class '${className}'${where}.`, err);
    }
    if (this.toleratesAll && this.dlq && consumed) this.sendToDlq(stage, className, err, consumed);
  }

  private sendToDlq(stage: Stage, className: string, err: unknown, consumed: ConsumedRecordContext): void {
    const r = consumed.record;
    const headers: RecordHeader[] = [...r.headers];
    if (this.settings.dlqContextHeaders) {
      const add = (key: string, value: string | undefined): void => {
        if (value !== undefined) headers.push({ key: `__connect.errors.${key}`, value: Buffer.from(value, 'utf8') });
      };
      const e = err as Error;
      add('topic', consumed.topic);
      add('partition', String(consumed.partition));
      add('offset', String(r.offset));
      add('connector.name', this.settings.name);
      add('task.id', this.taskId.slice(this.taskId.lastIndexOf('-') + 1));
      add('stage', stage);
      add('class.name', className);
      if (err !== undefined && err !== null) {
        add('exception.class.name', javaClassOf(err));
        add('exception.message', e?.message ?? String(err));
        add('exception.stacktrace', javaTrace(err));
      }
    }
    this.dlq!.send({ key: r.key, value: r.value, headers, timestamp: r.timestamp >= 0n ? Number(r.timestamp) : undefined });
  }
}
