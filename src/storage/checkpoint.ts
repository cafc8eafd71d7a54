// The small files Kafka keeps at the top of each log dir to make restarts cheap, in Kafka's own
// formats, so a data dir moves between ktool and Kafka with its recovery state intact.
//
// Offset checkpoints (`recovery-point-offset-checkpoint`, `log-start-offset-checkpoint`,
// `cleaner-offset-checkpoint`) are text:
//
//   0                  format version
//   2                  number of entries
//   orders 0 1200      topic, partition, offset, separated by one space
//   orders 1 980
//
// They are written to `<name>.tmp`, fsynced, renamed over the old file, and the directory is
// fsynced, so a crash leaves either the old or the new file, never a torn one.
//
// `.kafka_cleanshutdown` marks a log dir whose logs were all flushed and closed. Kafka writes it
// last at shutdown and deletes it first at start-up, so a crash while the broker runs (or while it
// loads) leaves no marker and the next start recovers. Its content is the JSON object Kafka's
// CleanShutdownFileHandler writes; only its presence matters here.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';
/** How far the log cleaner got in each compacted log: the next cleaning's first dirty offset. */
export const CLEANER_OFFSET_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';

const CHECKPOINT_VERSION = 0;

export interface CheckpointEntry {
  topic: string;
  partition: number;
  offset: bigint;
}

/** A checkpoint file that does not parse; the broker then falls back to recovering everything. */
export class CheckpointError extends Error {
  readonly code = 'CHECKPOINT_ERROR';
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** The partition-dir style key (`orders-0`) the broker looks entries up by. */
export const checkpointKey = (topic: string, partition: number): string => `${topic}-${partition}`;

export function formatOffsetCheckpoint(entries: readonly CheckpointEntry[]): string {
  let text = `${CHECKPOINT_VERSION}\n${entries.length}\n`;
  for (const e of entries) text += `${e.topic} ${e.partition} ${e.offset}\n`;
  return text;
}

/** Parses a checkpoint as Kafka's reader does: exact version, exact count, three fields a line. An empty file is empty. */
export function parseOffsetCheckpoint(text: string, path: string): CheckpointEntry[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) return [];
  const malformed = (line: string): CheckpointError => new CheckpointError(`Malformed line in checkpoint file (${path}): '${line}'`);
  if (!/^-?\d+$/.test(lines[0]!.trim())) throw malformed(lines[0]!);
  const version = Number(lines[0]!.trim());
  if (version !== CHECKPOINT_VERSION) throw new CheckpointError(`Unrecognized version of the checkpoint file (${path}): ${version}`);
  if (lines.length < 2 || !/^\d+$/.test(lines[1]!.trim())) throw malformed(lines[1] ?? '');
  const expected = Number(lines[1]!.trim());
  const entries: CheckpointEntry[] = [];
  for (const line of lines.slice(2, 2 + expected)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 3 || !/^\d+$/.test(parts[1]!) || !/^-?\d+$/.test(parts[2]!)) throw malformed(line);
    entries.push({ topic: parts[0]!, partition: Number(parts[1]), offset: BigInt(parts[2]!) });
  }
  if (entries.length !== expected) throw new CheckpointError(`Expected ${expected} entries in checkpoint file (${path}), but found only ${entries.length}`);
  return entries;
}

/** The entries of a checkpoint file, [] when it does not exist. Throws CheckpointError when it is malformed. */
export function readOffsetCheckpoint(path: string): CheckpointEntry[] {
  if (!existsSync(path)) return [];
  return parseOffsetCheckpoint(readFileSync(path, 'utf8'), path);
}

/** Replaces the checkpoint at `path` atomically (temp file, fsync, rename, fsync of the directory). */
export function writeOffsetCheckpoint(path: string, entries: readonly CheckpointEntry[]): void {
  writeFileDurably(path, formatOffsetCheckpoint(entries));
}

export function writeFileDurably(path: string, content: string | Buffer): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDirectory(join(path, '..'));
}

/** fsyncs a directory so a rename in it survives a crash. Platforms that cannot (Windows) skip it. */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported for directories here; the rename is as durable as the platform makes it.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function hasCleanShutdownFile(logDir: string): boolean {
  return existsSync(join(logDir, CLEAN_SHUTDOWN_FILE));
}

/** Writes the clean-shutdown marker, as Kafka's HashMap-backed JSON: `{"broker_epoch":"-1","version":"0"}`. */
export function writeCleanShutdownFile(logDir: string, brokerEpoch = -1n): void {
  writeFileDurably(join(logDir, CLEAN_SHUTDOWN_FILE), JSON.stringify({ broker_epoch: String(brokerEpoch), version: '0' }));
}

export function deleteCleanShutdownFile(logDir: string): void {
  rmSync(join(logDir, CLEAN_SHUTDOWN_FILE), { force: true });
  fsyncDirectory(logDir);
}
