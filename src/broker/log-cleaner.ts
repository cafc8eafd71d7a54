// The broker's log cleaner: Kafka's LogCleaner thread and LogCleanerManager bookkeeping over the
// compacted logs (cleanup.policy containing `compact`). The cleaning itself is in
// src/storage/cleaner.ts and runs on the event loop in short slices (see there why).
//
// One log is cleaned at a time. After a cleaning the next filthiest log due for one (dirty ratio
// above min.cleanable.dirty.ratio, or max.compaction.lag.ms passed) is picked at once; when none
// is due the cleaner waits log.cleaner.backoff.ms.
//
//   log.cleaner.enable               true        false: compacted topics are not compacted
//   log.cleaner.backoff.ms           15000
//   log.cleaner.dedupe.buffer.size   134217728   the offset map's memory budget
//
// How far each log was cleaned is kept in its log dir's cleaner-offset-checkpoint, written after
// every cleaning, so a restart carries on instead of cleaning everything again. A log whose
// cleaning fails with anything but an abort (the log closed or changed under the cleaner) is left
// alone until the broker restarts, as Kafka marks such a partition uncleanable.
import { dirname, join, resolve } from 'node:path';
import { brokerValue } from '../config/broker-config.js';
import type { Properties } from '../config/properties.js';
import { resolveTopicConfig } from '../config/topic-config.js';
import type { Logger } from '../log.js';
import { CLEANER_OFFSET_CHECKPOINT_FILE, checkpointKey, readOffsetCheckpoint, writeOffsetCheckpoint } from '../storage/checkpoint.js';
import { CleaningAborted, cleanableRange, cleanLog, isCleaningDue, type CleanResult, type CompactionPolicy } from '../storage/cleaner.js';
import type { PartitionLog } from '../storage/log.js';
import type { ClusterMetadata } from './metadata/cluster-metadata.js';
import type { Partition, PartitionManager } from './partitions.js';

export interface CleanerSource {
  readonly config: { readonly logDirs: readonly string[]; readonly props: Properties };
  readonly metadata: ClusterMetadata;
  readonly partitions: PartitionManager;
}

const DEFAULT_BACKOFF_MS = 15_000;
const DEFAULT_DEDUPE_BUFFER_BYTES = 134_217_728;

function numberSetting(props: Properties, key: string, fallback: number): number {
  const raw = brokerValue(props, key)?.trim();
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** Compaction settings of a topic as its overrides and the broker's defaults set them now; null when the topic is not compacted. */
export function compactionPolicyFor(topicConfigs: ReadonlyMap<string, string>, brokerProps: Properties): CompactionPolicy | null {
  const get = (name: string): string => resolveTopicConfig(name, topicConfigs, brokerProps).value.trim();
  if (!get('cleanup.policy').split(',').some((p) => p.trim() === 'compact')) return null;
  const num = (name: string, fallback: number): number => {
    const n = Number(get(name));
    return Number.isFinite(n) ? n : fallback;
  };
  return {
    deleteRetentionMs: num('delete.retention.ms', 86_400_000),
    minCompactionLagMs: num('min.compaction.lag.ms', 0),
    maxCompactionLagMs: num('max.compaction.lag.ms', Number.MAX_SAFE_INTEGER),
    minCleanableRatio: num('min.cleanable.dirty.ratio', 0.5),
    segmentBytes: num('segment.bytes', 1073741824),
    maxIndexBytes: num('segment.index.bytes', 10485760),
    fileDeleteDelayMs: Math.max(0, num('file.delete.delay.ms', 60_000)),
  };
}

export class LogCleaner {
  readonly enabled: boolean;
  readonly backoffMs: number;
  private readonly dedupeBufferBytes: number;
  /** log dir → partition key → first dirty offset. */
  private readonly checkpoints = new Map<string, Map<string, number>>();
  private readonly uncleanable = new WeakSet<PartitionLog>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | undefined;
  private stopped = false;
  /** The last finished cleaning (for tests and tools). */
  lastCleaned: { topicPartition: string; result: CleanResult } | undefined;

  constructor(
    private readonly source: CleanerSource,
    private readonly log: Logger,
  ) {
    const props = source.config.props;
    this.enabled = (brokerValue(props, 'log.cleaner.enable') ?? 'true').trim().toLowerCase() !== 'false';
    this.backoffMs = numberSetting(props, 'log.cleaner.backoff.ms', DEFAULT_BACKOFF_MS);
    this.dedupeBufferBytes = numberSetting(props, 'log.cleaner.dedupe.buffer.size', DEFAULT_DEDUPE_BUFFER_BYTES);
    for (const configured of source.config.logDirs) {
      const dir = resolve(configured);
      const offsets = new Map<string, number>();
      try {
        for (const e of readOffsetCheckpoint(join(dir, CLEANER_OFFSET_CHECKPOINT_FILE))) offsets.set(checkpointKey(e.topic, e.partition), Number(e.offset));
      } catch (err) {
        this.log.warn(`Error reading ${CLEANER_OFFSET_CHECKPOINT_FILE} in ${dir}, cleaning its logs from their start: ${(err as Error).message}`);
      }
      this.checkpoints.set(dir, offsets);
    }
  }

  /** Starts the background loop (when log.cleaner.enable is true). */
  start(): void {
    if (!this.enabled || this.stopped) return;
    this.log.info('Starting the log cleaner');
    this.schedule(0);
  }

  /** Stops the loop. A cleaning under way gives up at its next slice, when its log closes. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.cleanFilthiest();
      void this.running.then((cleaned) => this.schedule(cleaned ? 0 : this.backoffMs));
    }, delayMs);
    this.timer.unref();
  }

  /** Resolves when the cleaning under way (if any) is over. */
  async idle(): Promise<void> {
    await this.running;
  }

  private checkpointFor(dir: string): Map<string, number> {
    let m = this.checkpoints.get(dir);
    if (!m) this.checkpoints.set(dir, (m = new Map()));
    return m;
  }

  private writeCheckpoint(dir: string): void {
    const offsets = this.checkpointFor(dir);
    const entries = [];
    for (const t of this.source.metadata.all()) {
      for (const p of this.source.partitions.ofTopic(t.name)) {
        const offset = offsets.get(checkpointKey(p.topic.name, p.index));
        if (offset !== undefined && logDirOf(p) === dir) entries.push({ topic: p.topic.name, partition: p.index, offset: BigInt(offset) });
      }
    }
    try {
      writeOffsetCheckpoint(join(dir, CLEANER_OFFSET_CHECKPOINT_FILE), entries);
    } catch (err) {
      this.log.error(`Failed to access checkpoint file ${CLEANER_OFFSET_CHECKPOINT_FILE} in dir ${dir}: ${(err as Error).message}`);
    }
  }

  /**
   * One round (Kafka's cleanFilthiestLog): picks the compacted log with the highest dirty ratio
   * among those due and cleans it. Resolves with whether a log was cleaned; never rejects.
   */
  async cleanFilthiest(now: number = Date.now()): Promise<boolean> {
    let filthiest: { p: Partition; dir: string; key: string; policy: CompactionPolicy; range: ReturnType<typeof cleanableRange> } | undefined;
    for (const t of this.source.metadata.all()) {
      for (const p of this.source.partitions.ofTopic(t.name)) {
        if (!p.log.isOpen || this.uncleanable.has(p.log)) continue;
        const topic = this.source.metadata.get(p.topic.name) ?? p.topic;
        const policy = compactionPolicyFor(topic.configs, this.source.config.props);
        if (policy === null) continue;
        const dir = logDirOf(p);
        const key = checkpointKey(p.topic.name, p.index);
        try {
          const range = cleanableRange(p.log, this.checkpointFor(dir).get(key), policy, now);
          if (range.checkpointReset) {
            this.checkpointFor(dir).set(key, range.firstDirtyOffset);
            this.writeCheckpoint(dir);
          }
          if (isCleaningDue(range, policy) && (!filthiest || range.cleanableRatio > filthiest.range.cleanableRatio)) filthiest = { p, dir, key, policy, range };
        } catch (err) {
          this.log.error(`Failed to calculate log cleaning stats for partition ${key}`, err);
          this.uncleanable.add(p.log);
        }
      }
    }
    if (!filthiest) return false;
    const { p, dir, key, policy, range } = filthiest;
    const report = (msg: string, level?: 'info' | 'warn'): void => (level === 'info' ? this.log.info(`Cleaner 0: ${msg}`) : this.log.warn(`Cleaner 0: ${msg}`));
    try {
      const result = await cleanLog(p.log, range, policy, { now, dedupeBufferBytes: this.dedupeBufferBytes, report });
      if (p.log.isOpen) {
        this.checkpointFor(dir).set(key, result.endOffset);
        this.writeCheckpoint(dir);
      }
      this.lastCleaned = { topicPartition: key, result };
      return true;
    } catch (err) {
      if (err instanceof CleaningAborted) {
        this.log.info(`Cleaner 0: cleaning of ${key} was aborted: ${err.message}`);
        return false;
      }
      this.log.error(`Cleaner 0: unexpected exception while cleaning ${key}; it will not be cleaned again until restart`, err);
      this.uncleanable.add(p.log);
      return false;
    }
  }
}

const logDirOf = (p: Partition): string => resolve(dirname(p.log.dir));
