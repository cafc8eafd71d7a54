// The broker's log housekeeping, Kafka's LogManager duties: what each log dir's last run left
// (clean-shutdown marker, recovery points, log start offsets) before the logs open; the periodic
// work while the broker runs (flush.ms for idle logs, checkpoints, retention); and the clean
// shutdown that lets the next start skip recovery.
//
// Timers (all unref'd, all cleared by shutdown):
//   flush check        every min(1 s, smallest flush.ms), or log.flush.scheduler.interval.ms;
//                      also writes index entries the active segments hold only in memory
//   recovery points    log.flush.offset.checkpoint.interval.ms        (default 60000)
//   log start offsets  log.flush.start.offset.checkpoint.interval.ms  (default 60000)
//   retention          log.retention.check.interval.ms                (default 300000), first run
//                      after min(log.initial.task.delay.ms (30000), the interval)
//   compaction         the log cleaner (log-cleaner.ts), log.cleaner.backoff.ms between idle rounds
//
// Everything runs on the event loop, like the handlers, so it never races a produce or a fetch.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { brokerValue, type BrokerConfig } from '../config/broker-config.js';
import type { Properties } from '../config/properties.js';
import { resolveTopicConfig } from '../config/topic-config.js';
import type { Logger } from '../log.js';
import {
  LOG_START_OFFSET_CHECKPOINT_FILE, RECOVERY_POINT_CHECKPOINT_FILE, checkpointKey, deleteCleanShutdownFile, hasCleanShutdownFile,
  readOffsetCheckpoint, writeCleanShutdownFile, writeOffsetCheckpoint, type CheckpointEntry,
} from '../storage/checkpoint.js';
import { parsePartitionDirName } from '../storage/file-names.js';
import type { LogOpenOptions, RetentionPolicy } from '../storage/log.js';
import { LogCleaner } from './log-cleaner.js';
import type { ClusterMetadata } from './metadata/cluster-metadata.js';
import type { Partition, PartitionManager } from './partitions.js';

/** What the housekeeping reads: the broker state has all of it. */
export interface LogSource {
  readonly config: BrokerConfig;
  readonly metadata: ClusterMetadata;
  readonly partitions: PartitionManager;
}

interface DirState {
  cleanShutdown: boolean;
  recoveryPoints: Map<string, bigint>;
  logStartOffsets: Map<string, bigint>;
}

const MAX_LONG = 9223372036854775807n;
const FLUSH_CHECK_MAX_MS = 1000;
const FLUSH_CHECK_MIN_MS = 10;

/** A broker key as a millisecond count; Long.MAX_VALUE (Kafka's "never") and unset give `fallback`. */
function msSetting(props: Properties, key: string, fallback: number): number {
  const raw = brokerValue(props, key);
  if (raw === undefined || !/^-?\d+$/.test(raw.trim())) return fallback;
  const n = BigInt(raw.trim());
  return n >= MAX_LONG || n < 0n ? fallback : Number(n);
}

/** Retention as the topic's overrides and the broker's defaults set it now. */
export function retentionPolicyFor(topicConfigs: ReadonlyMap<string, string>, brokerProps: Properties): RetentionPolicy {
  const get = (name: string): string => resolveTopicConfig(name, topicConfigs, brokerProps).value.trim();
  const num = (name: string): number => {
    const n = Number(get(name));
    return Number.isFinite(n) ? n : -1;
  };
  return {
    retentionMs: num('retention.ms'),
    retentionBytes: num('retention.bytes'),
    deleteEnabled: get('cleanup.policy').split(',').some((p) => p.trim() === 'delete'),
    fileDeleteDelayMs: Math.max(0, num('file.delete.delay.ms')),
  };
}

/** Every open partition, topic by topic. */
function* allPartitions(source: LogSource): Iterable<Partition> {
  for (const t of source.metadata.all()) yield* source.partitions.ofTopic(t.name);
}

const logDirOf = (p: Partition): string => resolve(dirname(p.log.dir));

/** The partitions of each configured log dir (dirs without partitions map to []). */
function byLogDir(source: LogSource, partitions: Iterable<Partition>): Map<string, Partition[]> {
  const out = new Map<string, Partition[]>(source.config.logDirs.map((d) => [resolve(d), []]));
  for (const p of partitions) {
    const dir = logDirOf(p);
    const list = out.get(dir);
    if (list) list.push(p);
    else out.set(dir, [p]);
  }
  return out;
}

function recoveryPointEntries(parts: readonly Partition[]): CheckpointEntry[] {
  return parts.map((p) => ({ topic: p.topic.name, partition: p.index, offset: p.log.recoveryPoint }));
}

/** Kafka records a log start offset only where it differs from the first segment's base offset. */
function logStartOffsetEntries(parts: readonly Partition[]): CheckpointEntry[] {
  return parts
    .filter((p) => p.log.logStartOffset > p.log.firstSegmentBaseOffset)
    .map((p) => ({ topic: p.topic.name, partition: p.index, offset: p.log.logStartOffset }));
}

/** Writes log-start-offset-checkpoint in every log dir (after retention or DeleteRecords moved a start offset). */
export function checkpointLogStartOffsets(source: LogSource, log: Logger): void {
  for (const [dir, parts] of byLogDir(source, allPartitions(source))) {
    try {
      writeOffsetCheckpoint(join(dir, LOG_START_OFFSET_CHECKPOINT_FILE), logStartOffsetEntries(parts));
    } catch (err) {
      log.error(`Disk error while writing log start offsets checkpoint in directory ${dir}: ${(err as Error).message}`);
    }
  }
}

/** Writes recovery-point-offset-checkpoint in every log dir. */
export function checkpointRecoveryPoints(source: LogSource, log: Logger): void {
  for (const [dir, parts] of byLogDir(source, allPartitions(source))) {
    try {
      writeOffsetCheckpoint(join(dir, RECOVERY_POINT_CHECKPOINT_FILE), recoveryPointEntries(parts));
    } catch (err) {
      log.error(`Disk error while writing recovery offsets checkpoint in directory ${dir}: ${(err as Error).message}`);
    }
  }
}

export class LogMaintenance {
  private readonly dirs = new Map<string, DirState>();
  private loading = true;
  private source: LogSource | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private flushTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private logCleaner: LogCleaner | undefined;

  constructor(
    private readonly config: BrokerConfig,
    private readonly log: Logger,
  ) {}

  /**
   * Before any log opens: reads each log dir's clean-shutdown marker and checkpoints, then deletes
   * the marker, so that a crash from here on (even while loading) makes the next start recover.
   */
  prepare(): void {
    for (const configured of this.config.logDirs) {
      const dir = resolve(configured);
      const cleanShutdown = hasCleanShutdownFile(dir);
      const state: DirState = {
        cleanShutdown,
        recoveryPoints: this.readCheckpoint(dir, RECOVERY_POINT_CHECKPOINT_FILE, 'resetting the recovery checkpoint to 0'),
        logStartOffsets: this.readCheckpoint(dir, LOG_START_OFFSET_CHECKPOINT_FILE, 'resetting to the base offset of the first segment'),
      };
      this.dirs.set(dir, state);
      const count = countPartitionDirs(dir);
      if (cleanShutdown) {
        deleteCleanShutdownFile(dir);
        this.log.info(`Skipping recovery of ${count} logs from ${dir} since clean shutdown file was found`);
      } else {
        this.log.info(`Recovering ${count} logs from ${dir} since no clean shutdown file was found`);
      }
    }
  }

  private readCheckpoint(dir: string, file: string, fallback: string): Map<string, bigint> {
    try {
      return new Map(readOffsetCheckpoint(join(dir, file)).map((e) => [checkpointKey(e.topic, e.partition), e.offset]));
    } catch (err) {
      this.log.warn(`Error occurred while reading ${file} file of directory ${dir}, ${fallback}: ${(err as Error).message}`);
      return new Map();
    }
  }

  /**
   * How to open the log in `partitionDir`: what its log dir's last run left. Once start-up is over
   * every new log is new (a topic created again must not inherit an old start offset), so {}.
   */
  openOptions(partitionDir: string): LogOpenOptions {
    if (!this.loading) return {};
    const state = this.dirs.get(resolve(dirname(partitionDir)));
    const key = basename(partitionDir);
    if (!state || !parsePartitionDirName(key)) return {};
    return { cleanShutdown: state.cleanShutdown, recoveryPoint: state.recoveryPoints.get(key), logStartOffset: state.logStartOffsets.get(key) };
  }

  /** After the logs are loaded: starts the periodic work. */
  start(source: LogSource): void {
    this.loading = false;
    this.dirs.clear();
    this.source = source;
    const props = this.config.props;
    const every = (what: string, intervalMs: number, initialMs: number, task: () => void): void => {
      const run = (): void => {
        try {
          task();
        } catch (err) {
          this.log.error(`Uncaught exception in scheduled task '${what}'`, err);
        }
      };
      const first = setTimeout(() => {
        this.timers.delete(first);
        if (this.stopped) return;
        run();
        const repeat = setInterval(run, intervalMs);
        repeat.unref();
        this.timers.add(repeat);
      }, initialMs);
      first.unref();
      this.timers.add(first);
    };
    const recoveryMs = Math.max(1, msSetting(props, 'log.flush.offset.checkpoint.interval.ms', 60_000));
    const startMs = Math.max(1, msSetting(props, 'log.flush.start.offset.checkpoint.interval.ms', 60_000));
    const retentionMs = Math.max(1, msSetting(props, 'log.retention.check.interval.ms', 300_000));
    const initialDelay = Math.min(msSetting(props, 'log.initial.task.delay.ms', 30_000), retentionMs);
    every('kafka-recovery-point-checkpoint', recoveryMs, recoveryMs, () => checkpointRecoveryPoints(source, this.log));
    every('kafka-log-start-offset-checkpoint', startMs, startMs, () => checkpointLogStartOffsets(source, this.log));
    every('kafka-log-retention', retentionMs, initialDelay, () => this.runRetention());
    const expirationCheckMs = Math.max(1, msSetting(props, 'producer.id.expiration.check.interval.ms', 600_000));
    every('PeriodicProducerExpirationCheck', expirationCheckMs, expirationCheckMs, () => {
      for (const p of allPartitions(source)) p.expireProducers();
    });
    this.scheduleFlushCheck();
    this.logCleaner = new LogCleaner(source, this.log.child('kafka.log.LogCleaner'));
    this.logCleaner.start();
  }

  /** The log cleaner, once start() ran. */
  get cleaner(): LogCleaner | undefined {
    return this.logCleaner;
  }

  /** flush.ms for logs nobody appends to: flushes what is due and re-arms for the next deadline. */
  private scheduleFlushCheck(): void {
    if (this.stopped || !this.source) return;
    const fixed = msSetting(this.config.props, 'log.flush.scheduler.interval.ms', -1);
    const now = Date.now();
    let next = now + FLUSH_CHECK_MAX_MS;
    for (const p of allPartitions(this.source)) {
      try {
        p.log.flushIfDue(now);
        p.log.writeIndexEntries(); // so index files on disk trail the appends by a second at most
      } catch (err) {
        this.log.error(`Error flushing log ${p.log.dir}`, err);
      }
      const ms = p.log.flushIntervalMs;
      if (ms !== undefined) next = Math.min(next, Number.isFinite(p.log.flushDeadline) ? p.log.flushDeadline : now + ms);
    }
    const delay = fixed > 0 ? fixed : Math.max(FLUSH_CHECK_MIN_MS, Math.min(FLUSH_CHECK_MAX_MS, next - now));
    this.flushTimer = setTimeout(() => this.scheduleFlushCheck(), delay);
    this.flushTimer.unref();
  }

  /**
   * One retention pass over every partition (Kafka's kafka-log-retention task). Returns the number
   * of segments deleted; when any were, the new log start offsets are checkpointed at once.
   */
  runRetention(now: number = Date.now()): number {
    const source = this.source;
    if (!source || this.stopped) return 0;
    const started = Date.now();
    this.log.debug('Beginning log cleanup...');
    let total = 0;
    for (const p of allPartitions(source)) {
      if (p.log.isOffline) continue; // a restart recovers it; until then it answers KAFKA_STORAGE_ERROR
      const topic = source.metadata.get(p.topic.name) ?? p.topic;
      try {
        total += p.log.deleteOldSegments(retentionPolicyFor(topic.configs, this.config.props), now);
      } catch (err) {
        this.log.error(`Error while deleting segments for ${p.topic.name}-${p.index} in dir ${logDirOf(p)}`, err);
      }
    }
    if (total > 0) checkpointLogStartOffsets(source, this.log);
    this.log.debug(`Log cleanup completed. ${total} files deleted in ${(Date.now() - started) / 1000} seconds`);
    return total;
  }

  private stop(): void {
    this.stopped = true;
    this.logCleaner?.stop();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  /**
   * Clean shutdown: stops the timers, flushes and closes every log, writes both checkpoints and,
   * in each log dir whose logs all closed cleanly, the clean-shutdown marker (written last).
   */
  shutdown(): void {
    if (this.stopped) return;
    this.stop();
    const source = this.source;
    if (!source) return;
    this.log.info('Shutting down.');
    for (const [dir, parts] of byLogDir(source, allPartitions(source))) {
      this.log.info(`Flushing and closing logs at ${dir}`);
      let failed = false;
      for (const p of parts) {
        try {
          p.close();
        } catch (err) {
          failed = true;
          this.log.error(`Error closing log ${p.log.dir}`, err);
        }
      }
      try {
        this.log.debug(`Updating recovery points at ${dir}`);
        writeOffsetCheckpoint(join(dir, RECOVERY_POINT_CHECKPOINT_FILE), recoveryPointEntries(parts));
        this.log.debug(`Updating log start offsets at ${dir}`);
        writeOffsetCheckpoint(join(dir, LOG_START_OFFSET_CHECKPOINT_FILE), logStartOffsetEntries(parts));
        if (!failed) {
          this.log.debug(`Writing clean shutdown marker at ${dir}`);
          writeCleanShutdownFile(dir);
        }
      } catch (err) {
        this.log.error(`Error while writing the checkpoints of ${dir}`, err);
      }
    }
    this.log.info('Shutdown complete.');
  }
}

function countPartitionDirs(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const name of readdirSync(dir)) {
    if (parsePartitionDirName(name) && statSync(join(dir, name)).isDirectory()) n++;
  }
  return n;
}
