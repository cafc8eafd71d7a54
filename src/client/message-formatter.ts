// The console consumer's record layout (Kafka's DefaultMessageFormatter), configured by
// `--property print.*`, separators and null.literal. Fields print in a fixed order, each followed
// by key.separator when a later field prints, else by line.separator; keys, values and header
// values are written as raw bytes.
import type { KafkaRecord } from '../protocol/records/records.js';
import { isTrue } from './line-reader.js';
import type { OutputBuffer } from './output-buffer.js';

export interface FormatterConfig {
  printTimestamp: boolean;
  printPartition: boolean;
  printOffset: boolean;
  printDelivery: boolean;
  printEpoch: boolean;
  printHeaders: boolean;
  printKey: boolean;
  printValue: boolean;
  keySeparator: Buffer;
  lineSeparator: Buffer;
  headersSeparator: Buffer;
  nullLiteral: Buffer;
}

/** What the formatter needs to know about a record beyond the record itself. */
export interface RecordContext {
  partition: number;
  timestampType: 'CreateTime' | 'LogAppendTime' | 'NO_TIMESTAMP';
  /** The batch's partition leader epoch; negative when absent. */
  leaderEpoch: number;
}

export function formatterConfig(props: ReadonlyMap<string, string>): FormatterConfig {
  const bytes = (key: string, fallback: string): Buffer => Buffer.from(props.get(key) ?? fallback, 'utf8');
  return {
    printTimestamp: isTrue(props.get('print.timestamp')),
    printPartition: isTrue(props.get('print.partition')),
    printOffset: isTrue(props.get('print.offset')),
    printDelivery: isTrue(props.get('print.delivery')),
    printEpoch: isTrue(props.get('print.epoch')),
    printHeaders: isTrue(props.get('print.headers')),
    printKey: isTrue(props.get('print.key')),
    printValue: props.has('print.value') ? isTrue(props.get('print.value')) : true,
    keySeparator: bytes('key.separator', '\t'),
    lineSeparator: bytes('line.separator', '\n'),
    headersSeparator: bytes('headers.separator', ','),
    nullLiteral: bytes('null.literal', 'null'),
  };
}

/**
 * Returns a function that appends one record to `out`. The field plan is computed once, so the
 * per-record work is just the writes.
 */
export function createFormatter(cfg: FormatterConfig): (record: KafkaRecord, ctx: RecordContext, out: OutputBuffer) => void {
  const order = [cfg.printTimestamp, cfg.printPartition, cfg.printOffset, cfg.printDelivery, cfg.printEpoch, cfg.printHeaders, cfg.printKey, cfg.printValue];
  // after[i]: the separator to write after field i (key.separator if a later field prints).
  const after = order.map((_, i) => (order.slice(i + 1).some(Boolean) ? cfg.keySeparator : cfg.lineSeparator));
  const bytesOrNull = (b: Buffer | null, out: OutputBuffer): void => out.write(b ?? cfg.nullLiteral);

  return (record, ctx, out) => {
    if (cfg.printTimestamp) {
      out.writeAscii(ctx.timestampType === 'NO_TIMESTAMP' ? 'NO_TIMESTAMP' : `${ctx.timestampType}:${record.timestamp}`);
      out.write(after[0]!);
    }
    if (cfg.printPartition) {
      out.writeAscii(`Partition:${ctx.partition}`);
      out.write(after[1]!);
    }
    if (cfg.printOffset) {
      out.writeAscii(`Offset:${record.offset}`);
      out.write(after[2]!);
    }
    if (cfg.printDelivery) {
      out.writeAscii('Delivery:NOT_PRESENT'); // delivery counts exist only for share groups
      out.write(after[3]!);
    }
    if (cfg.printEpoch) {
      out.writeAscii(ctx.leaderEpoch >= 0 ? `Epoch:${ctx.leaderEpoch}` : 'Epoch:NOT_PRESENT');
      out.write(after[4]!);
    }
    if (cfg.printHeaders) {
      if (record.headers.length === 0) out.writeAscii('NO_HEADERS');
      record.headers.forEach((h, i) => {
        if (i > 0) out.write(cfg.headersSeparator);
        out.write(Buffer.from(`${h.key}:`, 'utf8'));
        bytesOrNull(h.value, out);
      });
      out.write(after[5]!);
    }
    if (cfg.printKey) {
      bytesOrNull(record.key, out);
      out.write(after[6]!);
    }
    if (cfg.printValue) {
      bytesOrNull(record.value, out);
      out.write(cfg.lineSeparator);
    }
  };
}
