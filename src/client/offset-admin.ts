// The two per-partition admin calls that go to partition leaders: ListOffsets (kafka-get-offsets)
// and DeleteRecords (kafka-delete-records). Partitions are grouped by leader, one request per
// leader, as the Java admin client does; retriable answers (a leader moved, a topic still being
// created) are retried after a metadata refresh until default.api.timeout.ms, and every partition
// ends with either a value or the error the Java admin would complete its future with.
import { ListOffsets, type ListOffsetsResponse } from '../protocol/messages/list-offsets.js';
import { DeleteRecords, type DeleteRecordsResponse } from '../protocol/messages/delete-records.js';
import { NetworkError, UnsupportedVersionError, type BrokerConnection } from './broker-connection.js';
import { ErrorCode, KafkaProtocolError } from './kafka-errors.js';
import type { KafkaWireClient } from './wire-client.js';
import { pushTo } from '../multimap.js';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** One partition's outcome: a value, or the error that ended it. */
export type PartitionOutcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/** `t-0`, as Java's TopicPartition.toString prints it. */
export const tpName = (tp: TopicPartition): string => `${tp.topic}-${tp.partition}`;

/** ListOffsetsRequest's special timestamps. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;
export const MAX_TIMESTAMP = -3n;
export const EARLIEST_LOCAL_TIMESTAMP = -4n;
export const LATEST_TIERED_TIMESTAMP = -5n;

/** The oldest ListOffsets version that understands each special timestamp (the Java admin's rule). */
function minListOffsetsVersion(timestamp: bigint): number {
  if (timestamp === LATEST_TIERED_TIMESTAMP) return 9;
  if (timestamp === EARLIEST_LOCAL_TIMESTAMP) return 8;
  if (timestamp === MAX_TIMESTAMP) return 7;
  return 1;
}

const SPEC_NAMES = new Map<bigint, string>([
  [MAX_TIMESTAMP, 'MAX_TIMESTAMP'],
  [EARLIEST_LOCAL_TIMESTAMP, 'EARLIEST_LOCAL_TIMESTAMP'],
  [LATEST_TIERED_TIMESTAMP, 'LATEST_TIERED_TIMESTAMP'],
]);

/** An error carrying the Java exception class the tools print before its message. */
class JavaError extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
  }
}

/** `org.apache.kafka.common.errors.X: message`, as an ExecutionException's message reads. */
export function describeFailure(err: Error): string {
  const javaClass = (err as { javaClass?: string }).javaClass
    ?? (err instanceof NetworkError ? 'org.apache.kafka.common.errors.NetworkException' : 'org.apache.kafka.common.KafkaException');
  return `${javaClass}: ${err.message}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface LeaderTable {
  leaders: Map<string, number>;
  /** Partitions whose topic the metadata answered with an error. */
  errors: Map<string, number>;
}

export class OffsetAdmin {
  constructor(private readonly client: KafkaWireClient) {}

  /** The offset per partition for one ListOffsets timestamp; offset -1 means "no such offset". */
  listOffsets(partitions: readonly TopicPartition[], timestamp: bigint): Promise<Map<string, PartitionOutcome<bigint>>> {
    return this.perLeader('listOffsets', partitions, async (conn, group) => {
      const min = minListOffsetsVersion(timestamp);
      try {
        conn.version(ListOffsets, { min });
      } catch (err) {
        if (!(err instanceof UnsupportedVersionError) || min === 1) throw err;
        const error = new JavaError('org.apache.kafka.common.errors.UnsupportedVersionException', `Broker ${conn.address.nodeId} does not support ${SPEC_NAMES.get(timestamp)} offset spec`);
        return new Map(group.map((tp) => [tpName(tp), { errorCode: -1, error }]));
      }
      const res = await conn.request<ListOffsetsResponse>(ListOffsets, {
        replicaId: -1,
        isolationLevel: 0,
        topics: byTopic(group).map(([name, parts]) => ({ name, partitions: parts.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp })) })),
        timeoutMs: this.client.settings.requestTimeoutMs,
      }, { min });
      const out = new Map<string, { errorCode: number; value?: bigint }>();
      for (const t of res.topics) for (const p of t.partitions) out.set(`${t.name}-${p.partitionIndex}`, { errorCode: p.errorCode, value: p.offset });
      return out;
    });
  }

  /** Deletes records before each offset (-1: the high watermark); the new low watermark per partition. */
  deleteRecords(requests: ReadonlyArray<TopicPartition & { offset: bigint }>): Promise<Map<string, PartitionOutcome<bigint>>> {
    const offsets = new Map(requests.map((r) => [tpName(r), r.offset]));
    return this.perLeader('deleteRecords', requests, async (conn, group) => {
      const timeoutMs = this.client.settings.requestTimeoutMs;
      const res = await conn.request<DeleteRecordsResponse>(DeleteRecords, {
        topics: byTopic(group).map(([name, parts]) => ({ name, partitions: parts.map((partitionIndex) => ({ partitionIndex, offset: offsets.get(`${name}-${partitionIndex}`)! })) })),
        timeoutMs,
      }, { timeoutMs: timeoutMs + 5000 });
      const out = new Map<string, { errorCode: number; value?: bigint }>();
      for (const t of res.topics) for (const p of t.partitions) out.set(`${t.name}-${p.partitionIndex}`, { errorCode: p.errorCode, value: p.lowWatermark });
      return out;
    });
  }

  /**
   * Sends `call` to each leader for its partitions and collects every partition's outcome,
   * retrying retriable errors (after fresh metadata) until default.api.timeout.ms.
   */
  private async perLeader(
    callName: string,
    partitions: readonly TopicPartition[],
    call: (conn: BrokerConnection, group: TopicPartition[]) => Promise<Map<string, { errorCode: number; value?: bigint; error?: Error }>>,
  ): Promise<Map<string, PartitionOutcome<bigint>>> {
    const results = new Map<string, PartitionOutcome<bigint>>();
    const deadline = Date.now() + this.client.settings.apiTimeoutMs;
    let pending = [...partitions];
    while (pending.length > 0) {
      let table: LeaderTable;
      try {
        table = await this.leaders(callName, pending);
      } catch (err) {
        // The lookup itself failed (the cluster is unreachable): every partition fails with it.
        for (const tp of pending) results.set(tpName(tp), { ok: false, error: err as Error });
        break;
      }
      const retry: TopicPartition[] = [];
      const lastError = new Map<string, Error>();
      const byLeader = new Map<number, TopicPartition[]>();
      for (const tp of pending) {
        const name = tpName(tp);
        const topicError = table.errors.get(tp.topic);
        const leader = table.leaders.get(name);
        if (topicError !== undefined || leader === undefined || leader < 0) {
          const code = topicError ?? (leader === undefined ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.LEADER_NOT_AVAILABLE);
          const error = new KafkaProtocolError(code);
          // A topic that does not exist is final for these calls, as in the Java admin.
          if (error.retriable && code !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
            retry.push(tp);
            lastError.set(name, error);
          } else results.set(name, { ok: false, error });
          continue;
        }
        pushTo(byLeader, leader, tp);
      }
      await Promise.all([...byLeader].map(async ([leader, group]) => {
        let answers: Map<string, { errorCode: number; value?: bigint; error?: Error }>;
        try {
          answers = await call(await this.client.connection(leader), group);
        } catch (err) {
          if (err instanceof NetworkError) {
            for (const tp of group) {
              retry.push(tp);
              lastError.set(tpName(tp), err);
            }
            return;
          }
          throw err;
        }
        for (const tp of group) {
          const name = tpName(tp);
          const a = answers.get(name);
          if (a?.error) results.set(name, { ok: false, error: a.error });
          else if (!a) results.set(name, { ok: false, error: new JavaError('org.apache.kafka.common.errors.UnknownServerException', `The broker did not answer for partition ${name}`) });
          else if (a.errorCode === 0) results.set(name, { ok: true, value: a.value! });
          else {
            const error = new KafkaProtocolError(a.errorCode);
            if (error.retriable && a.errorCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
              retry.push(tp);
              lastError.set(name, error);
            } else results.set(name, { ok: false, error });
          }
        }
      }));
      if (retry.length === 0) break;
      if (Date.now() + this.client.settings.retryBackoffMs >= deadline) {
        for (const tp of retry) results.set(tpName(tp), { ok: false, error: lastError.get(tpName(tp)) ?? new KafkaProtocolError(ErrorCode.REQUEST_TIMED_OUT) });
        break;
      }
      await sleep(this.client.settings.retryBackoffMs);
      pending = retry;
    }
    return results;
  }

  private async leaders(callName: string, partitions: readonly TopicPartition[]): Promise<LeaderTable> {
    const topics = [...new Set(partitions.map((tp) => tp.topic))];
    const res = await this.client.metadata(callName, topics);
    const leaders = new Map<string, number>();
    const errors = new Map<string, number>();
    for (const t of res.topics) {
      if (t.name === null) continue;
      if (t.errorCode !== 0) errors.set(t.name, t.errorCode);
      for (const p of t.partitions) leaders.set(`${t.name}-${p.partitionIndex}`, p.errorCode === ErrorCode.LEADER_NOT_AVAILABLE ? -1 : p.leaderId);
    }
    return { leaders, errors };
  }
}

/** Partitions grouped by topic, in first-seen order. */
function byTopic(group: readonly TopicPartition[]): Array<[string, number[]]> {
  const out = new Map<string, number[]>();
  for (const tp of group) pushTo(out, tp.topic, tp.partition);
  return [...out];
}
