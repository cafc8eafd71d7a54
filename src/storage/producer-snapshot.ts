// Producer-state snapshots (`<offset>.snapshot` in a partition dir), in Kafka's format, so that
// idempotent producers are still recognised after a restart: a batch retried across the restart
// is answered with its first offsets instead of being written twice. A snapshot holds, for each
// producer id, its epoch and its last batch (sequence range and offsets) as of `offset`: every
// batch below `offset` is in it, none at or above. The broker replays the batches after the
// newest usable snapshot from the log itself.
//
// Layout (Kafka's ProducerSnapshot, version 1), all big-endian:
//
//   version int16 (1) | crc uint32: CRC-32C of everything after it | count int32 | entries
//   entry: producerId int64, epoch int16, lastSequence int32, lastOffset int64, offsetDelta int32,
//          timestamp int64, coordinatorEpoch int32, currentTxnFirstOffset int64   (46 bytes)
//
// Snapshots are written durably (tmp file, fsync, rename). One above the log end offset describes
// batches the log no longer has (cut off by recovery) and is deleted, as is one that is damaged.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../protocol/records/crc32c.js';
import { writeFileDurably } from './checkpoint.js';
import { parseSegmentFileName, snapshotFileName, SNAPSHOT_SUFFIX } from './file-names.js';

export interface ProducerSnapshotEntry {
  producerId: bigint;
  epoch: number;
  lastSequence: number;
  lastOffset: bigint;
  /** lastSequence - firstSequence of the last batch (its last offset delta). */
  offsetDelta: number;
  /** The last batch's max timestamp. */
  timestamp: bigint;
  coordinatorEpoch: number;
  /** -1 when no transaction is open. */
  currentTxnFirstOffset: bigint;
}

/** The first sequence of an entry's last batch (sequences wrap from Int32.MAX to 0). */
export const firstSequenceOf = (e: ProducerSnapshotEntry): number => (e.lastSequence - e.offsetDelta + 0x80000000) % 0x80000000;

const VERSION = 1;
const HEADER_SIZE = 2 + 4 + 4;
const ENTRY_SIZE = 46;
const CRC_FROM = 6;

export class ProducerSnapshotError extends Error {
  readonly code = 'PRODUCER_SNAPSHOT_ERROR';
  constructor(message: string) {
    super(message);
    this.name = 'ProducerSnapshotError';
  }
}

export function encodeProducerSnapshot(entries: readonly ProducerSnapshotEntry[]): Buffer {
  const buf = Buffer.alloc(HEADER_SIZE + entries.length * ENTRY_SIZE);
  buf.writeInt16BE(VERSION, 0);
  buf.writeInt32BE(entries.length, 6);
  let at = HEADER_SIZE;
  for (const e of entries) {
    buf.writeBigInt64BE(e.producerId, at);
    buf.writeInt16BE(e.epoch, at + 8);
    buf.writeInt32BE(e.lastSequence, at + 10);
    buf.writeBigInt64BE(e.lastOffset, at + 14);
    buf.writeInt32BE(e.offsetDelta, at + 22);
    buf.writeBigInt64BE(e.timestamp, at + 26);
    buf.writeInt32BE(e.coordinatorEpoch, at + 34);
    buf.writeBigInt64BE(e.currentTxnFirstOffset, at + 38);
    at += ENTRY_SIZE;
  }
  buf.writeUInt32BE(crc32c(buf, CRC_FROM), 2);
  return buf;
}

export function decodeProducerSnapshot(buf: Buffer): ProducerSnapshotEntry[] {
  if (buf.length < HEADER_SIZE) throw new ProducerSnapshotError(`Snapshot failed schema validation: it needs at least ${HEADER_SIZE} bytes, this one has ${buf.length}`);
  const version = buf.readInt16BE(0);
  if (version !== VERSION) throw new ProducerSnapshotError(`Snapshot contained an unknown file version ${version}`);
  const crc = buf.readUInt32BE(2);
  const computed = crc32c(buf, CRC_FROM);
  if (crc !== computed) throw new ProducerSnapshotError(`Snapshot is corrupt (CRC is no longer valid). Stored crc: ${crc}. Computed crc: ${computed}`);
  const count = buf.readInt32BE(6);
  if (count < 0 || buf.length !== HEADER_SIZE + count * ENTRY_SIZE) throw new ProducerSnapshotError(`Snapshot failed schema validation: ${buf.length} bytes cannot hold ${count} entries`);
  const entries: ProducerSnapshotEntry[] = [];
  for (let i = 0, at = HEADER_SIZE; i < count; i++, at += ENTRY_SIZE) {
    entries.push({
      producerId: buf.readBigInt64BE(at),
      epoch: buf.readInt16BE(at + 8),
      lastSequence: buf.readInt32BE(at + 10),
      lastOffset: buf.readBigInt64BE(at + 14),
      offsetDelta: buf.readInt32BE(at + 22),
      timestamp: buf.readBigInt64BE(at + 26),
      coordinatorEpoch: buf.readInt32BE(at + 34),
      currentTxnFirstOffset: buf.readBigInt64BE(at + 38),
    });
  }
  return entries;
}

/** Offsets of the snapshots in `dir`, oldest first. */
function snapshotOffsets(dir: string): bigint[] {
  const offsets: bigint[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseSegmentFileName(name);
    if (parsed?.suffix === SNAPSHOT_SUFFIX) offsets.push(parsed.baseOffset);
  }
  return offsets.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Writes the state at `offset` and deletes the older snapshots (the newest is all a restart
 * reads; Kafka keeps older ones for followers, which this broker has none of).
 */
export function writeProducerSnapshot(dir: string, offset: bigint, entries: readonly ProducerSnapshotEntry[]): void {
  writeFileDurably(join(dir, snapshotFileName(offset)), encodeProducerSnapshot(entries));
  for (const older of snapshotOffsets(dir)) if (older < offset) rmSync(join(dir, snapshotFileName(older)), { force: true });
}

/**
 * The newest readable snapshot at or below `logEndOffset`, or null. Snapshots above it, and
 * damaged ones met on the way, are deleted and reported through `log`.
 */
export function loadProducerSnapshot(dir: string, logEndOffset: bigint, log: (msg: string) => void): { offset: bigint; entries: ProducerSnapshotEntry[] } | null {
  const offsets = snapshotOffsets(dir);
  for (let i = offsets.length - 1; i >= 0; i--) {
    const offset = offsets[i]!;
    const path = join(dir, snapshotFileName(offset));
    if (offset > logEndOffset) {
      log(`Deleting producer snapshot ${path}: it is past the log end offset ${logEndOffset}`);
      rmSync(path, { force: true });
      continue;
    }
    try {
      return { offset, entries: decodeProducerSnapshot(readFileSync(path)) };
    } catch (err) {
      log(`Deleting producer snapshot ${path}, which cannot be read: ${(err as Error).message}`);
      rmSync(path, { force: true });
    }
  }
  return null;
}
