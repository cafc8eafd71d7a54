// Where the coordinator's records live. `CoordinatorLog` is the interface; `OffsetsTopicLog`
// keeps them in the compacted internal topic __consumer_offsets (one record batch per change,
// appended before the change is acknowledged; the group's partition is
// abs(hashCode(groupId)) % partitionCount), and `MemoryCoordinatorLog` keeps the same encoded
// bytes in memory for unit tests. Both read back through the same decoder.
import type { Logger } from '../../log.js';
import { encodeRecordBatchSync, decodeRecordBatchesSync } from '../../protocol/records/records.js';
import { isTransactional, lastOffsetOf } from '../../protocol/records/batch.js';
import { CODEC_NAMES } from '../../protocol/records/compression.js';
import type { TopicInfo } from '../metadata/cluster-metadata.js';
import type { PartitionManager } from '../partitions.js';
import type { GroupConfig } from './config.js';
import { partitionForGroup } from './partitioner.js';
import { decodeCoordinatorRecord, encodeCoordinatorRecord, type CoordinatorRecord, type EncodedRecord } from './records.js';

export const OFFSETS_TOPIC = '__consumer_offsets';

export interface CoordinatorLog {
  /** Appends one group's records as one batch. Throws (StorageError or other) when nothing was written. */
  append(groupId: string, records: readonly CoordinatorRecord[], now: number): void;
  /** Every stored record in log order (per partition; a group's records share one partition). */
  readAll(): Iterable<CoordinatorRecord>;
}

/** Decodes stored key/value pairs, reporting (and skipping) records it cannot use. */
function* decodeAll(entries: Iterable<EncodedRecord>, where: string, log: Logger): Iterable<CoordinatorRecord> {
  for (const e of entries) {
    let r;
    try {
      r = decodeCoordinatorRecord(e.key, e.value);
    } catch (err) {
      log.warn(`Skipping a malformed record in ${where}: ${(err as Error).message}`);
      continue;
    }
    if (r.type === 'unknown') {
      log.warn(`Skipping a record of unknown type ${r.recordType} in ${where}`);
      continue;
    }
    yield r;
  }
}

export class OffsetsTopicLog implements CoordinatorLog {
  constructor(
    private readonly partitions: PartitionManager,
    private readonly config: GroupConfig,
    private readonly log: Logger,
  ) {}

  private topic(): TopicInfo | undefined {
    return this.partitions.ofTopic(OFFSETS_TOPIC)[0]?.topic;
  }

  /** The actual partition count once the topic exists; `offsets.topic.num.partitions` before. */
  partitionCount(): number {
    return this.topic()?.partitions ?? this.config.offsetsTopicPartitions;
  }

  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.partitionCount());
  }

  /** Creates __consumer_offsets with Kafka's topic configs unless it exists. */
  ensureTopic(): void {
    if (this.topic()) return;
    const configs = new Map([
      ['cleanup.policy', 'compact'],
      ['compression.type', 'producer'],
      ['segment.bytes', String(this.config.offsetsTopicSegmentBytes)],
    ]);
    this.partitions.createTopic(OFFSETS_TOPIC, this.config.offsetsTopicPartitions, configs);
  }

  append(groupId: string, records: readonly CoordinatorRecord[], now: number): void {
    if (records.length === 0) return;
    this.ensureTopic();
    const index = this.partitionFor(groupId);
    const partition = this.partitions.get(OFFSETS_TOPIC, index);
    if (!partition) throw new Error(`${OFFSETS_TOPIC}-${index} is not open`);
    // zstd cannot be compressed synchronously; such batches go uncompressed.
    const codec = CODEC_NAMES[this.config.offsetsTopicCompressionCodec] ?? 'none';
    const batch = encodeRecordBatchSync({
      records: records.map((r) => ({ ...encodeCoordinatorRecord(r), timestamp: now })),
      compression: codec === 'zstd' ? 'none' : codec,
      now,
    });
    partition.append(batch, now);
  }

  *readAll(): Iterable<CoordinatorRecord> {
    for (const p of this.partitions.ofTopic(OFFSETS_TOPIC)) {
      const where = `${OFFSETS_TOPIC}-${p.index}`;
      yield* decodeAll(this.readPartition(p.log, where), where, this.log);
    }
  }

  private *readPartition(log: PartitionManagerLog, where: string): Iterable<EncodedRecord> {
    let offset = log.logStartOffset;
    while (offset < log.logEndOffset) {
      const chunk = log.read(offset, this.config.offsetsLoadBufferSize, true);
      if (chunk.length === 0) break;
      let batches;
      try {
        batches = decodeRecordBatchesSync(chunk);
      } catch (err) {
        this.log.error(`Could not read ${where} at offset ${offset}: ${(err as Error).message}; the rest of the partition is skipped`);
        return;
      }
      if (batches.length === 0) break;
      for (const b of batches) {
        // Transactional offset commits are not written by this coordinator yet; skip them whole.
        if (b.control === null && !isTransactional(b.header.attributes)) {
          for (const r of b.records) if (r.key !== null) yield { key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) };
        }
        offset = lastOffsetOf(b.header) + 1n;
      }
    }
  }
}

type PartitionManagerLog = NonNullable<ReturnType<PartitionManager['get']>>['log'];

/** The same bytes as the topic, kept in an array: for tests of the coordinator without a broker. */
export class MemoryCoordinatorLog implements CoordinatorLog {
  readonly entries: Array<EncodedRecord & { groupId: string; timestamp: number }> = [];
  /** Set to make the next appends fail, as a full disk would. */
  failWith: Error | null = null;

  constructor(private readonly log: Logger) {}

  append(groupId: string, records: readonly CoordinatorRecord[], now: number): void {
    if (this.failWith) throw this.failWith;
    for (const r of records) this.entries.push({ ...encodeCoordinatorRecord(r), groupId, timestamp: now });
  }

  readAll(): Iterable<CoordinatorRecord> {
    return decodeAll(this.entries, 'memory', this.log);
  }
}
