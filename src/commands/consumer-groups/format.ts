// The text kafka-consumer-groups prints, as pure functions: the list tables, the three describe
// views, the group-state notices, the reset-offsets table and the delete results. Columns are
// Java `%-Ns` fields (left-aligned, padded, never truncated) separated by one space; missing
// values print `-`.
import type { CoordinatorNode, TopicPartition } from '../../client/group-admin.js';
import { canonicalState, canonicalType, type PlannedOffset } from './values.js';
import { pushTo } from '../../multimap.js';

export const MISSING = '-';

/** Java's `%-Ns`. */
export const pad = (value: string, width: number): string => value.padEnd(width);

/** Widest value (or `min`) of a column. */
const widthOf = (values: readonly string[], min: number): number => values.reduce((w, v) => Math.max(w, v.length), min);

/** What a describe view says about a group before (or instead of) its table. */
export interface StateNotice {
  stdout: string;
  stderr: string;
  /** Whether the table follows. */
  print: boolean;
}

/**
 * The notices Kafka prints for a group state: unknown group (the coordinator does not know it) or
 * Dead ⇒ an error line on stdout; Empty ⇒ "no active members" on stderr; rebalancing ⇒ a warning
 * on stderr. The table follows unless the group is unknown/Dead or has no rows.
 */
export function stateNotice(groupId: string, exists: boolean, state: string, rows: number): StateNotice {
  if (!exists) return { stdout: `\nError: The consumer group '${groupId}' does not exist.\n`, stderr: '', print: false };
  switch (canonicalState(state)) {
    case 'Dead':
      return { stdout: `\nError: Consumer group '${groupId}' does not exist.\n`, stderr: '', print: false };
    case 'Empty':
      return { stdout: '', stderr: `\nConsumer group '${groupId}' has no active members.\n`, print: rows > 0 };
    case 'PreparingRebalance':
    case 'CompletingRebalance':
    case 'Assigning':
    case 'Reconciling':
      return { stdout: '', stderr: `\nWarning: Consumer group '${groupId}' is rebalancing.\n`, print: rows > 0 };
    case 'Stable':
      return { stdout: '', stderr: '', print: rows > 0 };
    default:
      throw Object.assign(new Error(`Expected a valid consumer group state, but found '${state}'.`), { javaClass: 'org.apache.kafka.common.KafkaException' });
  }
}

// ---- --list ----------------------------------------------------------------------------------

export interface ListedGroup {
  groupId: string;
  state: string;
  type: string;
}

/** `--list` with `--state` and/or `--type`: GROUP (longest id, at least 15, plus 10), TYPE, STATE. */
export function formatGroupTable(groups: readonly ListedGroup[], includeType: boolean, includeState: boolean): string {
  const groupWidth = widthOf(groups.map((g) => g.groupId), 15) + 10;
  const line = (id: string, type: string, state: string): string => {
    let s = pad(id, groupWidth);
    if (includeType) s += ` ${pad(type, 20)}`;
    if (includeState) s += ` ${pad(state, 20)}`;
    return `${s}\n`;
  };
  let out = line('GROUP', 'TYPE', 'STATE');
  for (const g of groups) out += line(g.groupId, g.type === '' ? 'Unknown' : canonicalType(g.type), g.state === '' ? 'Unknown' : canonicalState(g.state));
  return out;
}

// ---- --describe --offsets --------------------------------------------------------------------

export interface OffsetRow {
  group: string;
  topic?: string;
  partition?: number;
  offset?: bigint;
  logEndOffset?: bigint;
  lag?: bigint;
  consumerId?: string;
  host?: string;
  clientId?: string;
}

/** `\n` + header + (`\n` + row)* + `\n`, GROUP/TOPIC/CONSUMER-ID/HOST as wide as their longest value (at least 15). */
export function formatOffsetsTable(rows: readonly OffsetRow[]): string {
  const show = (v: string | number | bigint | undefined): string => (v === undefined ? MISSING : String(v));
  const g = widthOf(rows.map((r) => r.group), 15);
  const t = widthOf(rows.map((r) => show(r.topic)), 15);
  const c = widthOf(rows.map((r) => show(r.consumerId)), 15);
  const h = widthOf(rows.map((r) => show(r.host)), 15);
  const line = (cols: string[]): string =>
    `\n${pad(cols[0]!, g)} ${pad(cols[1]!, t)} ${pad(cols[2]!, 10)} ${pad(cols[3]!, 15)} ${pad(cols[4]!, 15)} ${pad(cols[5]!, 15)} ${pad(cols[6]!, c)} ${pad(cols[7]!, h)} ${cols[8]!}`;
  let out = line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
  for (const r of rows) {
    out += line([r.group, show(r.topic), show(r.partition), show(r.offset), show(r.logEndOffset), show(r.lag), show(r.consumerId), show(r.host), show(r.clientId)]);
  }
  return `${out}\n`;
}

// ---- --describe --members --------------------------------------------------------------------

export interface MemberRow {
  group: string;
  consumerId: string;
  groupInstanceId: string | null;
  host: string;
  clientId: string;
  assignment: readonly TopicPartition[];
}

/** The 2.x–3.6 verbose assignment: `topicA(0,1), topicB(2)`, topics sorted; `-` when empty. */
export function formatAssignment(assignment: readonly TopicPartition[]): string {
  if (assignment.length === 0) return MISSING;
  const byTopic = new Map<string, number[]>();
  for (const tp of assignment) pushTo(byTopic, tp.topic, tp.partition);
  return [...byTopic].map(([topic, ps]) => `${topic}(${[...ps].sort((a, b) => a - b).join(',')})`).sort().join(', ');
}

/**
 * `\n` + header (+ `ASSIGNMENT` with --verbose) + `\n`, then a row per member. GROUP-INSTANCE-ID
 * only appears when some member has one; `#PARTITIONS` is `%-15s ` (trailing space).
 */
export function formatMembersTable(rows: readonly MemberRow[], verbose: boolean): string {
  const g = widthOf(rows.map((r) => r.group), 15);
  const c = widthOf(rows.map((r) => r.consumerId), 15);
  const i = widthOf(rows.map((r) => r.groupInstanceId ?? ''), 17);
  const h = widthOf(rows.map((r) => r.host), 15);
  const k = widthOf(rows.map((r) => r.clientId), 15);
  const withInstance = rows.some((r) => (r.groupInstanceId ?? '') !== '');
  const line = (group: string, consumer: string, instance: string, host: string, client: string, count: string): string =>
    withInstance
      ? `${pad(group, g)} ${pad(consumer, c)} ${pad(instance, i)} ${pad(host, h)} ${pad(client, k)} ${pad(count, 15)} `
      : `${pad(group, g)} ${pad(consumer, c)} ${pad(host, h)} ${pad(client, k)} ${pad(count, 15)} `;
  let out = `\n${line('GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS')}${verbose ? 'ASSIGNMENT' : ''}\n`;
  for (const r of rows) {
    out += line(r.group, r.consumerId, r.groupInstanceId ?? '', r.host, r.clientId, String(r.assignment.length));
    out += `${verbose ? formatAssignment(r.assignment) : ''}\n`;
  }
  return out;
}

// ---- --describe --state ----------------------------------------------------------------------

export interface StateRow {
  group: string;
  coordinator: CoordinatorNode;
  assignmentStrategy: string;
  state: string;
  members: number;
}

/** `\n` + header + `\n` + row + `\n`; the GROUP column is as wide as the coordinator column (at least 25). */
export function formatStateTable(row: StateRow): string {
  const coordinator = `${row.coordinator.host}:${row.coordinator.port} (${row.coordinator.nodeId})`;
  const k = Math.max(25, coordinator.length);
  const line = (a: string, b: string, c: string, d: string, e: string): string => `\n${pad(a, k)} ${pad(b, 25)} ${pad(c, 20)} ${pad(d, 15)} ${e}`;
  return `${line('GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS')}${line(row.group, coordinator, row.assignmentStrategy, canonicalState(row.state), String(row.members))}\n`;
}

// ---- --reset-offsets -------------------------------------------------------------------------

/** `\n` + GROUP TOPIC PARTITION NEW-OFFSET header, then one row per partition; nothing for no groups. */
export function formatResetTable(plan: ReadonlyMap<string, readonly PlannedOffset[]>): string {
  if (plan.size === 0) return '';
  const line = (a: string, b: string, c: string, d: string): string => `${pad(a, 30)} ${pad(b, 30)} ${pad(c, 10)} ${pad(d, 15)}\n`;
  let out = `\n${line('GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET')}`;
  for (const [group, offsets] of plan) for (const o of offsets) out += line(group, o.topic, String(o.partition), String(o.offset));
  return out;
}

// ---- --delete / --delete-offsets -------------------------------------------------------------

export function formatDeleteGroups(results: ReadonlyArray<{ groupId: string; error: string | null }>): string {
  const quoted = (ids: string[]): string => ids.map((g) => `'${g}'`).join(', ');
  const ok = results.filter((r) => r.error === null).map((r) => r.groupId);
  const failed = results.filter((r) => r.error !== null);
  if (failed.length === 0) return `Deletion of requested consumer groups (${quoted(ok)}) was successful.\n`;
  let out = '\nError: Deletion of some consumer groups failed:\n';
  for (const f of failed) out += `* Group '${f.groupId}' could not be deleted due to: ${f.error}\n`;
  if (ok.length > 0) out += `\nThese consumer groups were deleted successfully: ${quoted(ok)}\n`;
  return out;
}

/** The first line of `--delete-offsets`, by the request's top-level error name. */
export function deleteOffsetsHeadline(groupId: string, topics: readonly string[], errorName: string): string {
  switch (errorName) {
    case 'NONE': return `Request succeed for deleting offsets with topic ${topics.join(', ')} group ${groupId}\n`;
    case 'INVALID_GROUP_ID': return `\nError: '${groupId}' is not valid.\n`;
    case 'GROUP_ID_NOT_FOUND': return `\nError: '${groupId}' does not exist.\n`;
    case 'GROUP_AUTHORIZATION_FAILED': return `\nError: Access to '${groupId}' is not authorized.\n`;
    case 'NON_EMPTY_GROUP': return `\nError: Deleting offsets of a consumer group '${groupId}' is forbidden if the group is not empty.\n`;
    case 'GROUP_SUBSCRIBED_TO_TOPIC':
    case 'TOPIC_AUTHORIZATION_FAILED':
    case 'UNKNOWN_TOPIC_OR_PARTITION':
      return '\nError: Encounter some partition level error, see the follow-up details:\n';
    default: return `\nError: Encounter some unknown error: ${errorName}\n`;
  }
}

/** The TOPIC PARTITION STATUS table; rows sorted by topic + partition text, as Kafka sorts them. */
export function formatDeleteOffsetsTable(rows: ReadonlyArray<{ topic: string; partition: number; error: string | null }>): string {
  const line = (a: string, b: string, c: string): string => `${pad(a, 30)} ${pad(b, 15)} ${pad(c, 15)}\n`;
  let out = `\n${line('TOPIC', 'PARTITION', 'STATUS')}`;
  const sorted = [...rows].sort((a, b) => {
    const ka = a.topic + String(a.partition);
    const kb = b.topic + String(b.partition);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const r of sorted) out += line(r.topic, r.partition >= 0 ? String(r.partition) : 'Not Provided', r.error === null ? 'Successful' : `Error: ${r.error}`);
  return out;
}
