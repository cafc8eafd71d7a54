// The broker's partitions: one PartitionLog each, spread over the log dirs, plus the waiters of
// long-polling fetches, woken when an append lands. Topic-level changes (create, delete, add
// partitions) go through here so metadata and directories never disagree.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brokerValue } from '../config/broker-config.js';
import type { Properties } from '../config/properties.js';
import { resolveTopicConfig } from '../config/topic-config.js';
import type { Logger } from '../log.js';
import { readBatchHeader, RecordBatchError, type RecordBatchHeader } from '../protocol/records/batch.js';
import { PartitionLog, StorageError, type AppendInfo, type LogConfig, type LogOpenOptions } from '../storage/log.js';
import { loadProducerSnapshot, writeProducerSnapshot } from '../storage/producer-snapshot.js';
import { ProducerStateTable } from './producer-state.js';
import { parsePartitionDirName } from '../storage/file-names.js';
import type { ClusterMetadata, TopicInfo } from './metadata/cluster-metadata.js';
import { base64ToUuid, randomUuid, uuidToBase64 } from './metadata/uuid.js';

export class Partition {
  private readonly waiters = new Set<() => void>();
  private readonly producers = new ProducerStateTable();
  /** The active segment when the producer state was last snapshotted: a roll takes a new snapshot. */
  private snapshotSegment: number;
  private closed = false;

  /**
   * `report` receives what restoring or saving the producer state has to say (a warning);
   * `producerExpirationMs` is producer.id.expiration.ms.
   */
  constructor(
    readonly topic: TopicInfo,
    readonly index: number,
    readonly log: PartitionLog,
    private readonly report: (msg: string) => void = () => {},
    private readonly producerExpirationMs = DEFAULT_PRODUCER_EXPIRATION_MS,
  ) {
    try {
      this.restoreProducers();
    } catch (err) {
      // A log that cannot be read back still serves; its producers start over, as before snapshots.
      this.producers.restore([], log.logStartOffset);
      this.report(`Could not restore the producer state of ${log.dir}: ${(err as Error).message}`);
    }
    this.expireProducers();
    this.snapshotSegment = log.activeSegmentBaseOffset;
  }

  /** Forgets idempotent producers idle for producer.id.expiration.ms (the broker checks periodically). */
  expireProducers(now: number = Date.now()): number {
    return this.producers.expire(now, this.producerExpirationMs);
  }

  /**
   * Rebuilds the idempotent producers' state: the newest snapshot, then every batch after it
   * (all of the log when there is no snapshot, as after an upgrade).
   */
  private restoreProducers(): void {
    const snapshot = loadProducerSnapshot(this.log.dir, this.log.logEndOffset, this.report);
    const start = this.log.logStartOffset;
    if (snapshot !== null) this.producers.restore(snapshot.entries, start);
    const from = snapshot?.offset ?? start;
    if (from >= this.log.logEndOffset) return;
    this.log.scanBatchHeaders(from, (buf, at) => this.producers.replay(readBatchHeader(buf, at), start));
  }

  /** Writes the producer state as of the log end (at a roll, and when the log closes). */
  private saveProducers(): void {
    try {
      writeProducerSnapshot(this.log.dir, this.log.logEndOffset, this.producers.snapshot());
    } catch (err) {
      this.report(`Could not write the producer snapshot of ${this.log.dir}: ${(err as Error).message}`);
    }
  }

  /** Closes the log, then snapshots the producer state at its end (a log that failed to close gets none). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.log.close();
    this.saveProducers();
  }

  /**
   * Appends one producer batch; a retried idempotent batch is answered with its first result.
   * `keysChecked`: PartitionLog.checkKeys() already passed (zstd batches of compacted topics).
   */
  append(records: Buffer, now?: number, keysChecked = false): AppendInfo {
    let header: RecordBatchHeader;
    try {
      header = readBatchHeader(records);
    } catch (err) {
      if (err instanceof RecordBatchError) throw new StorageError(err.errorCode, err.message);
      throw err;
    }
    const check = this.producers.check(header);
    if (check.kind === 'duplicate') return { ...check.info, logStartOffset: this.log.logStartOffset };
    if (check.kind === 'error') throw new StorageError(check.errorCode, check.message);
    const info = this.log.append(records, now, { partitionLeaderEpoch: LEADER_EPOCH, keysChecked });
    this.producers.record(header, info);
    if (this.log.activeSegmentBaseOffset !== this.snapshotSegment) {
      // The log rolled: a snapshot here bounds what an unclean restart replays to one segment.
      this.snapshotSegment = this.log.activeSegmentBaseOffset;
      this.saveProducers();
    }
    if (this.waiters.size > 0) {
      const woken = [...this.waiters];
      this.waiters.clear();
      for (const w of woken) w();
    }
    return info;
  }

  /** Calls `wake` once, on the next append; returns a function that cancels the wait. */
  onNextAppend(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }
}

const DEFAULT_PRODUCER_EXPIRATION_MS = 86_400_000;

/** This single node has led every partition since it was created: epoch 0, as Metadata says. */
const LEADER_EPOCH = 0;

const MAX_LONG = 9223372036854775807n;

function longOrUndefined(v: string): number | undefined {
  const n = BigInt(v.trim());
  return n >= MAX_LONG || n < 0n ? undefined : Number(n);
}

/** The storage settings of a topic, from its overrides and the broker's defaults. */
export function logConfigFor(topic: TopicInfo, broker: Properties): LogConfig {
  const get = (name: string): string => resolveTopicConfig(name, topic.configs, broker).value;
  return {
    segmentBytes: Number(get('segment.bytes')),
    segmentMs: Number(get('segment.ms')),
    indexIntervalBytes: Number(get('index.interval.bytes')),
    segmentIndexBytes: Number(get('segment.index.bytes')),
    maxMessageBytes: Number(get('max.message.bytes')),
    messageTimestampType: get('message.timestamp.type') === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
    flushMessages: longOrUndefined(get('flush.messages')),
    flushMs: longOrUndefined(get('flush.ms')),
    compact: get('cleanup.policy').split(',').some((p) => p.trim() === 'compact'),
  };
}

/** Told after a topic is created or grows on this broker (ZooKeeper mode records it there). */
export interface TopicListener {
  created(topic: TopicInfo): void;
  partitionsAdded(topic: TopicInfo): void;
}

export class PartitionManager {
  private readonly partitions = new Map<string, Partition[]>();
  readonly topicListeners: TopicListener[] = [];

  constructor(
    private readonly logDirs: readonly string[],
    private readonly metadata: ClusterMetadata,
    private readonly brokerProps: Properties,
    private readonly log: Logger,
    /** What the last run left for the log in a partition dir (clean shutdown, checkpoints). */
    private readonly openOptions: (partitionDir: string) => LogOpenOptions = () => ({}),
  ) {}

  /** Opens every partition found on disk, adopting topics the metadata file does not know. */
  loadAll(): void {
    const found = new Map<string, Array<{ dir: string; index: number }>>();
    for (const logDir of this.logDirs) {
      for (const name of readdirSync(logDir)) {
        const parsed = parsePartitionDirName(name);
        const path = join(logDir, name);
        if (!parsed || !statSync(path).isDirectory()) continue;
        const list = found.get(parsed.topic) ?? [];
        list.push({ dir: path, index: parsed.partition });
        found.set(parsed.topic, list);
      }
    }
    for (const [topic, dirs] of found) {
      if (!this.metadata.get(topic)) {
        const count = Math.max(...dirs.map((d) => d.index)) + 1;
        const id = readPartitionMetadata(dirs[0]!.dir) ?? randomUuid();
        this.metadata.adopt(topic, id, count);
        this.log.info(`Adopted topic ${topic} with ${count} partition(s) found in the log dirs`);
      }
    }
    this.metadata.save();
    for (const t of this.metadata.all()) {
      const existing = new Map((found.get(t.name) ?? []).map((d) => [d.index, d.dir]));
      const parts: Partition[] = [];
      for (let i = 0; i < t.partitions; i++) parts.push(this.openPartition(t, i, existing.get(i)));
      this.partitions.set(t.name, parts);
    }
  }

  private openPartition(topic: TopicInfo, index: number, dir?: string): Partition {
    const path = dir ?? join(this.pickLogDir(), `${topic.name}-${index}`);
    const prefix = `[UnifiedLog partition=${topic.name}-${index}, dir=${dirname(path)}]`;
    const report = (msg: string, level?: 'info' | 'warn'): void => (level === 'info' ? this.log.info(`${prefix} ${msg}`) : this.log.warn(`${prefix} ${msg}`));
    const log = PartitionLog.open(path, logConfigFor(topic, this.brokerProps), report, this.openOptions(path));
    if (!existsSync(join(path, 'partition.metadata'))) {
      writeFileSync(join(path, 'partition.metadata'), `version: 0\ntopic_id: ${uuidToBase64(topic.id)}\n`);
    }
    const expirationMs = Number(this.brokerValue('producer.id.expiration.ms') ?? DEFAULT_PRODUCER_EXPIRATION_MS);
    return new Partition(topic, index, log, report, Number.isFinite(expirationMs) ? expirationMs : DEFAULT_PRODUCER_EXPIRATION_MS);
  }

  /** The log dir holding the fewest partitions, as Kafka places new replicas. */
  private pickLogDir(): string {
    if (this.logDirs.length === 1) return this.logDirs[0]!;
    const counts = new Map(this.logDirs.map((d) => [d, 0]));
    for (const parts of this.partitions.values()) for (const p of parts) for (const d of this.logDirs) if (p.log.dir.startsWith(d)) counts.set(d, counts.get(d)! + 1);
    return [...counts].sort((a, b) => a[1] - b[1])[0]![0];
  }

  get(topic: string, index: number): Partition | undefined {
    return this.partitions.get(topic)?.[index];
  }

  ofTopic(topic: string): readonly Partition[] {
    return this.partitions.get(topic) ?? [];
  }

  /** `id`: the topic id when it is already known elsewhere (ZooKeeper); a new one otherwise. */
  createTopic(name: string, partitions: number, configs: Map<string, string>, id?: string): TopicInfo {
    const topic = this.metadata.create(name, partitions, configs, id);
    const parts: Partition[] = [];
    for (let i = 0; i < partitions; i++) parts.push(this.openPartition(topic, i));
    this.partitions.set(name, parts);
    this.log.info(`Created topic ${name} with topic ID ${uuidToBase64(topic.id)}, ${partitions} partition(s) and configs ${formatConfigs(configs)}`);
    for (const l of this.topicListeners) l.created(topic);
    return topic;
  }

  addPartitions(name: string, total: number): void {
    const topic = this.metadata.get(name)!;
    const parts = this.partitions.get(name)!;
    for (let i = parts.length; i < total; i++) parts.push(this.openPartition(topic, i));
    this.metadata.setPartitions(name, total);
    for (const l of this.topicListeners) l.partitionsAdded(topic);
  }

  /** Replaces a topic's config overrides and applies them to its open logs. */
  setTopicConfigs(name: string, configs: ReadonlyMap<string, string>): void {
    this.metadata.setConfigs(name, configs);
    const topic = this.metadata.get(name);
    if (!topic) return;
    const config = logConfigFor(topic, this.brokerProps);
    for (const p of this.partitions.get(name) ?? []) p.log.reconfigure(config);
  }

  /** After the broker's own settings changed (dynamic broker configs): every log takes them up. */
  reconfigureAll(): void {
    for (const topic of this.metadata.all()) {
      const config = logConfigFor(topic, this.brokerProps);
      for (const p of this.partitions.get(topic.name) ?? []) p.log.reconfigure(config);
    }
  }

  /** Removes a topic: metadata first, then each partition dir is renamed `-delete` and removed. */
  deleteTopic(name: string): void {
    const parts = this.partitions.get(name) ?? [];
    this.partitions.delete(name);
    this.metadata.delete(name);
    for (const p of parts) {
      p.log.close();
      const doomed = `${p.log.dir}.${randomUuid().replace(/-/g, '')}-delete`;
      try {
        renameSync(p.log.dir, doomed);
        rmSync(doomed, { recursive: true, force: true });
      } catch (err) {
        this.log.warn(`Could not remove ${p.log.dir}: ${(err as Error).message}`);
      }
    }
    this.log.info(`Deleted topic ${name}`);
  }

  closeAll(): void {
    for (const parts of this.partitions.values()) {
      for (const p of parts) {
        try {
          p.close();
        } catch (err) {
          this.log.error(`Error closing log ${p.log.dir}`, err);
        }
      }
    }
    this.partitions.clear();
  }

  /** The effective value of a broker key (used for defaults such as num.partitions). */
  brokerValue(key: string): string | undefined {
    return brokerValue(this.brokerProps, key);
  }
}

function readPartitionMetadata(dir: string): string | undefined {
  try {
    const m = /topic_id:\s*(\S+)/.exec(readFileSync(join(dir, 'partition.metadata'), 'utf8'));
    return m ? base64ToUuid(m[1]!) : undefined;
  } catch {
    return undefined;
  }
}

function formatConfigs(configs: ReadonlyMap<string, string>): string {
  return `{${[...configs].map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}
