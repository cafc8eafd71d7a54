// GetOffsetShell's topic-partition filters, as pure functions: `--topic` (an IncludeList regex)
// with `--partitions` (a set of ids), or `--topic-partitions`, a comma-separated list of
// `regex[:N | :N-M (upper exclusive) | :N- | :-M]` rules where an empty topic part matches any topic.
import { KtoolError } from '../../errors.js';
import { includeList } from '../shared/include-list.js';

export interface TopicPartitionFilter {
  isTopicAllowed(topic: string): boolean;
  isTopicPartitionAllowed(topic: string, partition: number): boolean;
}

/** GetOffsetShell's TerseException: printed as `Error occurred: <message>` without a stack trace. */
export class TerseError extends KtoolError {
  constructor(message: string) {
    super('GET_OFFSETS', message);
    this.name = 'TerseError';
  }
}

/** A failure Kafka reports with its Java class (and, in Java, a stack trace). */
export class JavaFailure extends KtoolError {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super('GET_OFFSETS', message);
  }
}

const INT_MAX = 2 ** 31 - 1;

/** Java's String.split: trailing empty strings are dropped (but "" stays [""]). */
export function javaSplit(text: string, separator: string): string[] {
  if (text === '') return [''];
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java's Integer.parseInt; NumberFormatException's text otherwise. */
function parseJavaInt(text: string): number {
  if (!/^[+-]?\d+$/.test(text) || Number(text) > INT_MAX || Number(text) < -(2 ** 31)) {
    throw new JavaFailure('java.lang.NumberFormatException', `For input string: "${text}"`);
  }
  return Number(text);
}

/** `--partitions 0,2`: empty or absent means every partition. */
export function partitionSet(text: string | undefined): Set<number> {
  if (text === undefined || text === '') return new Set();
  try {
    return new Set(javaSplit(text, ',').map(parseJavaInt));
  } catch {
    throw new TerseError(`--partitions expects a comma separated list of numeric partition ids, but received: ${text}`);
  }
}

/** `--topic` (default: every topic) with `--partitions`. */
export function topicAndPartitionsFilter(topic: string | undefined, partitions: string | undefined): TopicPartitionFilter {
  const topicAllowed = includeList(topic ?? '.*');
  const ids = partitionSet(partitions);
  return {
    isTopicAllowed: topicAllowed,
    isTopicPartitionAllowed: (t, p) => topicAllowed(t) && (ids.size === 0 || ids.has(p)),
  };
}

const RULE = /^([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?$/;

function ruleFilter(spec: string): TopicPartitionFilter {
  const m = RULE.exec(spec);
  // Kafka wraps this TerseException in a RuntimeException, so it prints with the class name.
  if (!m) throw new JavaFailure('java.lang.RuntimeException', `org.apache.kafka.tools.TerseException: Invalid rule specification: ${spec}`);
  const group = (i: number): string | undefined => (m[i] ? m[i] : undefined);
  const topicAllowed = includeList(group(1) ?? '.*');
  let partitionAllowed: (p: number) => boolean;
  if (group(2) !== undefined) {
    const only = parseJavaInt(group(2)!);
    partitionAllowed = (p) => p === only;
  } else {
    const lower = group(3) !== undefined ? parseJavaInt(group(3)!) : 0;
    const upper = group(4) !== undefined ? parseJavaInt(group(4)!) : INT_MAX;
    partitionAllowed = (p) => p >= lower && p < upper;
  }
  return { isTopicAllowed: topicAllowed, isTopicPartitionAllowed: (t, p) => topicAllowed(t) && partitionAllowed(p) };
}

/** `--topic-partitions`: a partition is wanted when any rule wants it. */
export function topicPartitionsFilter(text: string): TopicPartitionFilter {
  const rules = javaSplit(text, ',').map(ruleFilter);
  return {
    isTopicAllowed: (t) => rules.some((r) => r.isTopicAllowed(t)),
    isTopicPartitionAllowed: (t, p) => rules.some((r) => r.isTopicPartitionAllowed(t, p)),
  };
}
