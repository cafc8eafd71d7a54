// Parsers for kafka-consumer-groups flag values, as pure functions: `--topic t:0,1`, `--state` and
// `--type` lists, `--to-datetime`, `--by-duration` (ISO-8601), and the `--from-file` / `--export`
// CSV. Failures Kafka raises as IllegalArgumentException are UsageErrors (usage text, exit 1);
// the others carry the Java exception text the tool prints after "failed due to".
import { KtoolError, UsageError } from '../../errors.js';
import type { TopicPartition } from '../../client/group-admin.js';

/** Java's `String.split(regex)` with a literal separator: trailing empty strings are dropped. */
export function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '' && text !== '') return [];
  return parts;
}

/** Integer.parseInt: optional sign, decimal digits, 32-bit range. */
export function parseJavaInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= -(2 ** 31) && n <= 2 ** 31 - 1 ? n : undefined;
}

/** Long.parseLong. */
export function parseJavaLong(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n <= 2n ** 63n - 1n ? n : undefined;
}

/** `--topic t:0,1,2` (the caller only passes arguments containing ':'). */
export function parseTopicWithPartitions(arg: string): TopicPartition[] {
  const parts = javaSplit(arg, ':');
  if (parts.length !== 2) throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`);
  const [topic, list] = parts as [string, string];
  return javaSplit(list, ',').map((p) => {
    const partition = parseJavaInt(p);
    // Kafka's message really ends with two quotes.
    if (partition === undefined) throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}''`);
    return { topic, partition };
  });
}

/** `--topic` values split into explicit partitions and whole topics, in the order given. */
export function splitTopicArgs(args: readonly string[]): { partitions: TopicPartition[]; topics: string[] } {
  const partitions: TopicPartition[] = [];
  const topics: string[] = [];
  for (const arg of args) {
    if (arg.includes(':')) partitions.push(...parseTopicWithPartitions(arg));
    else topics.push(arg);
  }
  return { partitions, topics };
}

// ---- --state / --type -----------------------------------------------------------------------

/** The consumer group states a filter may name, in Kafka's declaration order. */
export const CONSUMER_GROUP_STATES = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty', 'Assigning', 'Reconciling'] as const;

/** A state name as the tools print it: Kafka's spelling, or `Unknown`. */
export function canonicalState(raw: string): string {
  return CONSUMER_GROUP_STATES.find((s) => s.toLowerCase() === raw.trim().toLowerCase()) ?? 'Unknown';
}

/** `--state stable,empty` (any case); an empty value means no filter. */
export function parseStateList(input: string | undefined): string[] {
  if (input === undefined || input === '') return [];
  const parsed = javaSplit(input, ',').map((s) => canonicalState(s));
  if (parsed.includes('Unknown')) throw new UsageError(`Invalid state list '${input}'. Valid states are: ${CONSUMER_GROUP_STATES.join(', ')}`);
  return [...new Set(parsed)];
}

const GROUP_TYPES = ['Classic', 'Consumer'] as const;

/** A group type as the tools print it (`Classic`, `Consumer`), or `Unknown`. */
export function canonicalType(raw: string): string {
  const names: readonly string[] = [...GROUP_TYPES, 'Share', 'Streams'];
  return names.find((t) => t.toLowerCase() === raw.trim().toLowerCase()) ?? 'Unknown';
}

/** `--type classic,consumer` (any case); an empty value means no filter. */
export function parseTypeList(input: string | undefined): string[] {
  if (input === undefined || input === '') return [];
  const parsed = javaSplit(input.toLowerCase(), ',').map((s) => canonicalType(s));
  if (parsed.some((t) => !(GROUP_TYPES as readonly string[]).includes(t))) {
    throw new UsageError(`Invalid types list '${input}'. Valid types are: ${GROUP_TYPES.join(', ')}`);
  }
  return [...new Set(parsed)];
}

// ---- --to-datetime ---------------------------------------------------------------------------

/**
 * A value that does not parse, as the Java exception the tool would report: `wrapped` when Kafka
 * wraps it in a RuntimeException, so the class is part of the printed message
 * (`java.text.ParseException: Unparseable date: …`).
 */
export class ValueError extends KtoolError {
  constructor(readonly javaClass: string, message: string, readonly wrapped = true) {
    super('INVALID_VALUE', message);
    this.name = 'ValueError';
  }
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `--to-datetime`: `yyyy-MM-ddTHH:mm:ss.SSS` with an optional zone (`Z`, `±hh:mm`, `±hhmm`,
 * `±hh`); without one the time is UTC. Milliseconds are required and, as Java's SimpleDateFormat
 * reads them, the digits count milliseconds (`.5` is 5 ms). Returns epoch milliseconds.
 */
export function parseDateTime(text: string): number {
  const parts = javaSplit(text, 'T');
  if (parts.length < 2) {
    throw new ValueError('java.text.ParseException', "Error parsing timestamp. It does not contain a 'T' according to ISO8601 format");
  }
  const timePart = parts[1]!;
  const stamped = /[+\-Z]/.test(timePart) ? text : `${text}Z`;
  const unparseable = (): ValueError => new ValueError('java.text.ParseException', `Unparseable date: "${stamped}"`);
  const m = /^(\d{1,9})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})\.(\d{1,3})(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(stamped);
  if (!m) throw unparseable();
  const [year, month, day, hour, minute, second, millis] = m.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !leap)) throw unparseable();
  if (hour > 23 || minute > 59 || second > 59) throw unparseable();
  const zone = m[8]!;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const hh = Number(digits.slice(0, 2));
    const mm = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (hh > 23 || mm > 59) throw unparseable();
    offsetMinutes = sign * (hh * 60 + mm);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0–99 to 1900–1999; set the year explicitly.
  const date = new Date(utc);
  date.setUTCFullYear(year);
  return date.getTime() - offsetMinutes * 60_000;
}

// ---- --by-duration ---------------------------------------------------------------------------

const DURATION_RE = /^([-+]?)P(?:([-+]?\d+)D)?(T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i;

/** java.time.Duration.parse (`PnDTnHnMnS`, signs and fractional seconds allowed), in nanoseconds. */
export function parseDuration(text: string): bigint {
  const fail = (): ValueError => new ValueError('java.time.format.DateTimeParseException', 'Text cannot be parsed to a Duration', false);
  const m = DURATION_RE.exec(text);
  if (!m) throw fail();
  const [, negate, days, timeSection, hours, minutes, seconds, fraction] = m;
  if (timeSection === 'T' || timeSection?.toUpperCase() === 'T') throw fail();
  if (days === undefined && hours === undefined && minutes === undefined && seconds === undefined) throw fail();
  const n = (v: string | undefined): bigint => (v === undefined ? 0n : BigInt(v));
  let nanos = (n(days) * 86_400n + n(hours) * 3_600n + n(minutes) * 60n + n(seconds)) * 1_000_000_000n;
  if (fraction) {
    const frac = BigInt(fraction.padEnd(9, '0'));
    nanos += seconds?.startsWith('-') ? -frac : frac;
  }
  return negate === '-' ? -nanos : nanos;
}

/** The timestamp `--by-duration` resets to: now minus the duration, in epoch milliseconds (floored). */
export function durationTimestamp(nowMs: number, durationNanos: bigint): bigint {
  const nanos = BigInt(nowMs) * 1_000_000n - durationNanos;
  const ms = nanos / 1_000_000n;
  return nanos < 0n && nanos % 1_000_000n !== 0n ? ms - 1n : ms;
}

// ---- CSV (--export, --from-file) -------------------------------------------------------------

export interface PlannedOffset extends TopicPartition {
  offset: bigint;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The `--export` text: one `topic,partition,offset` line per partition for a single `--group`,
 * `group,topic,partition,offset` otherwise.
 */
export function exportCsv(plan: ReadonlyMap<string, readonly PlannedOffset[]>, singleGroup: boolean): string {
  let out = '';
  for (const [group, offsets] of plan) {
    for (const o of offsets) {
      const fields = [o.topic, String(o.partition), String(o.offset)];
      out += `${(singleGroup ? fields : [group, ...fields]).map(csvField).join(',')}\n`;
    }
  }
  return out;
}

/** One CSV line into fields (quoted fields may hold commas and doubled quotes). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new ValueError('java.io.IOException', `Unexpected end of quoted CSV field in '${line}'`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new ValueError('java.io.IOException', `Expected a separator after a quoted CSV field in '${line}'`);
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

function csvRecord(line: string, withGroup: boolean): { group?: string; topic: string; partition: number; offset: bigint } {
  const fields = csvFields(line);
  const expected = withGroup ? 4 : 3;
  if (fields.length !== expected) {
    throw new ValueError('java.io.IOException', `Expected ${expected} columns (${withGroup ? 'group,' : ''}topic,partition,offset) but found ${fields.length} in CSV line '${line}'`);
  }
  const [topic, partitionText, offsetText] = fields.slice(withGroup ? 1 : 0) as [string, string, string];
  const partition = parseJavaInt(partitionText.trim());
  const offset = parseJavaLong(offsetText.trim());
  if (partition === undefined || offset === undefined) {
    throw new ValueError('java.io.IOException', `Cannot read partition '${partitionText}' and offset '${offsetText}' as numbers in CSV line '${line}'`);
  }
  return withGroup ? { group: fields[0]!, topic, partition, offset } : { topic, partition, offset };
}

/**
 * A `--from-file` reset plan by group. Lines without a group column are accepted when exactly
 * one `--group` was given (as `--export` writes them then); otherwise each line names its group.
 */
export function parseResetPlan(csv: string, groups: readonly string[]): Map<string, Map<string, PlannedOffset>> {
  const lines = javaSplit(csv, '\n').map((l) => l.replace(/\r$/, ''));
  const plan = new Map<string, Map<string, PlannedOffset>>();
  const add = (group: string, o: PlannedOffset): void => {
    let forGroup = plan.get(group);
    if (!forGroup) plan.set(group, (forGroup = new Map()));
    forGroup.set(`${o.topic}-${o.partition}`, o);
  };
  let withoutGroup = false;
  if (lines.length > 0) {
    try {
      csvRecord(lines[0]!, false);
      withoutGroup = true;
    } catch {
      withoutGroup = false;
    }
  }
  if (groups.length === 1 && withoutGroup) {
    for (const line of lines) {
      const { topic, partition, offset } = csvRecord(line, false);
      add(groups[0]!, { topic, partition, offset });
    }
  } else {
    for (const line of lines) {
      const { group, topic, partition, offset } = csvRecord(line, true);
      add(group!, { topic, partition, offset });
    }
  }
  return plan;
}
