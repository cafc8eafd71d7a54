// The --offset-json-file format of kafka-delete-records, read with the checks and messages of
// Kafka's DeleteRecordsCommand (its Jackson-based JSON helpers):
// {"partitions": [{"topic": "foo", "partition": 1, "offset": 1}], "version": 1}
import { KtoolError } from '../../errors.js';

/** An error Kafka lets escape main(): printed as `Exception in thread "main" <class>: <message>`. */
export class JavaMainError extends KtoolError {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super('DELETE_RECORDS', message);
  }
}

export interface RecordsToDelete {
  topic: string;
  partition: number;
  offset: bigint;
}

const ADMIN_OPERATION = 'org.apache.kafka.server.common.AdminOperationException';
const JSON_MAPPING = 'com.fasterxml.jackson.databind.JsonMappingException';
const INT_RANGE = 2 ** 31;

/** Jackson's compact rendering of a node, as its toString prints it. */
const render = (v: unknown): string => JSON.stringify(v);

const mapping = (message: string): JavaMainError => new JavaMainError(JSON_MAPPING, message);
const expected = (type: string, v: unknown): JavaMainError => mapping(`Expected \`${type}\` value, received ${render(v)}`);

function asObject(v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw mapping(`Expected JSON object, received ${render(v)}`);
  return v as Record<string, unknown>;
}

function field(obj: Record<string, unknown>, name: string): unknown {
  if (!Object.hasOwn(obj, name)) throw mapping(`No such field exists: \`${name}\``);
  return obj[name];
}

function toInt(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -INT_RANGE || v >= INT_RANGE) throw expected('Integer', v);
  return v;
}

function toLong(v: unknown): bigint {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw expected('Long', v);
  return BigInt(v);
}

function toText(v: unknown): string {
  if (typeof v !== 'string') throw expected('String', v);
  return v;
}

/** Every entry of the file, duplicates included (the command rejects those next). */
export function parseOffsetJson(text: string): RecordsToDelete[] {
  let js: unknown;
  try {
    js = JSON.parse(text);
  } catch {
    throw new JavaMainError(ADMIN_OPERATION, 'The input string is not a valid JSON');
  }
  const root = asObject(js);
  const version = Object.hasOwn(root, 'version') ? toInt(root.version) : 1;
  if (version !== 1) throw new JavaMainError(ADMIN_OPERATION, `Not supported version field value ${version}`);
  if (!Object.hasOwn(root, 'partitions')) throw new JavaMainError(ADMIN_OPERATION, 'Missing partitions field');
  const partitions = root.partitions;
  if (!Array.isArray(partitions)) throw mapping(`Expected JSON array, received ${render(partitions)}`);
  return partitions.map((entry) => {
    const p = asObject(entry);
    return { topic: toText(field(p, 'topic')), partition: toInt(field(p, 'partition')), offset: toLong(field(p, 'offset')) };
  });
}

/** `t-0,t-1` for partitions named more than once (Kafka then refuses the whole file). */
export function duplicatePartitions(entries: readonly RecordsToDelete[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const e of entries) {
    const name = `${e.topic}-${e.partition}`;
    if (seen.has(name)) dups.add(name);
    seen.add(name);
  }
  return [...dups];
}
