// Idempotent producers, per partition: the epoch and the last few batches' sequence ranges of
// each producer id. A retried batch (same sequences) is answered with its original offsets
// instead of being written twice; a gap in the sequence, or an old epoch, is refused as Kafka
// refuses it. It survives restarts as Kafka's does: a snapshot (storage/producer-snapshot.ts)
// holds each producer's last batch, and the batches after the snapshot are replayed from the log.
import { ErrorCode } from '../protocol/error-codes.js';
import { isControl, timestampTypeOf, type RecordBatchHeader } from '../protocol/records/batch.js';
import type { AppendInfo } from '../storage/log.js';
import { firstSequenceOf, type ProducerSnapshotEntry } from '../storage/producer-snapshot.js';

/** Kafka keeps the metadata of the last 5 batches per producer (max.in.flight for idempotence). */
const CACHED_BATCHES = 5;

interface CachedBatch {
  firstSeq: number;
  lastSeq: number;
  /** The batch's max timestamp. */
  timestamp: bigint;
  info: AppendInfo;
}

interface ProducerEntry {
  epoch: number;
  batches: CachedBatch[];
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; info: AppendInfo }
  | { kind: 'error'; errorCode: number; message: string };

const APPEND: SequenceCheck = { kind: 'append' };

/** Sequence numbers wrap from Int32.MAX to 0. */
const nextSeq = (seq: number): number => (seq === 0x7fffffff ? 0 : seq + 1);
const lastSeqOf = (h: RecordBatchHeader): number => (h.baseSequence + h.lastOffsetDelta) % 0x80000000;

export class ProducerStateTable {
  private readonly producers = new Map<bigint, ProducerEntry>();

  check(h: RecordBatchHeader): SequenceCheck {
    if (h.producerId < 0n) return APPEND;
    const entry = this.producers.get(h.producerId);
    if (!entry) return APPEND;
    if (h.producerEpoch < entry.epoch) {
      return { kind: 'error', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, message: `Epoch of producer ${h.producerId} at offset is ${h.producerEpoch}, which is smaller than the last seen epoch ${entry.epoch}` };
    }
    if (h.producerEpoch > entry.epoch) {
      return h.baseSequence === 0 ? APPEND : outOfOrder(h, -1);
    }
    const last = lastSeqOf(h);
    const dup = entry.batches.find((b) => b.firstSeq === h.baseSequence && b.lastSeq === last);
    if (dup) return { kind: 'duplicate', info: dup.info };
    const previous = entry.batches[entry.batches.length - 1]!.lastSeq;
    return h.baseSequence === nextSeq(previous) ? APPEND : outOfOrder(h, previous);
  }

  record(h: RecordBatchHeader, info: AppendInfo): void {
    if (h.producerId < 0n) return;
    let entry = this.producers.get(h.producerId);
    if (!entry || entry.epoch !== h.producerEpoch) {
      entry = { epoch: h.producerEpoch, batches: [] };
      this.producers.set(h.producerId, entry);
    }
    entry.batches.push({ firstSeq: h.baseSequence, lastSeq: lastSeqOf(h), timestamp: h.maxTimestamp, info });
    if (entry.batches.length > CACHED_BATCHES) entry.batches.shift();
  }

  /** Takes in a batch read back from the log (after a restart), as if it had just been appended. */
  replay(h: RecordBatchHeader, logStartOffset: bigint): void {
    if (h.producerId < 0n || h.baseSequence < 0 || isControl(h.attributes)) return;
    this.record(h, {
      baseOffset: h.baseOffset,
      lastOffset: h.baseOffset + BigInt(h.lastOffsetDelta),
      logAppendTime: timestampTypeOf(h.attributes) === 'LogAppendTime' ? h.maxTimestamp : -1n,
      logStartOffset,
      recordCount: h.recordsCount,
    });
  }

  /**
   * Forgets producers whose last batch is `maxAgeMs` old or older (producer.id.expiration.ms,
   * measured against the batch's max timestamp, as Kafka does). Returns how many went.
   */
  expire(now: number, maxAgeMs: number): number {
    let expired = 0;
    for (const [producerId, entry] of this.producers) {
      if (BigInt(now) - entry.batches[entry.batches.length - 1]!.timestamp >= BigInt(maxAgeMs)) {
        this.producers.delete(producerId);
        expired++;
      }
    }
    return expired;
  }

  /** Each producer's epoch and last batch, for a snapshot. */
  snapshot(): ProducerSnapshotEntry[] {
    const out: ProducerSnapshotEntry[] = [];
    for (const [producerId, entry] of this.producers) {
      const last = entry.batches[entry.batches.length - 1]!;
      out.push({
        producerId, epoch: entry.epoch, lastSequence: last.lastSeq, lastOffset: last.info.lastOffset,
        offsetDelta: Number(last.info.lastOffset - last.info.baseOffset), timestamp: last.timestamp,
        coordinatorEpoch: -1, currentTxnFirstOffset: -1n,
      });
    }
    return out;
  }

  /** Starts from a snapshot: one cached batch per producer, as Kafka restores them. */
  restore(entries: readonly ProducerSnapshotEntry[], logStartOffset: bigint): void {
    this.producers.clear();
    for (const e of entries) {
      const baseOffset = e.lastOffset - BigInt(e.offsetDelta);
      this.producers.set(e.producerId, {
        epoch: e.epoch,
        batches: [{
          firstSeq: firstSequenceOf(e), lastSeq: e.lastSequence, timestamp: e.timestamp,
          info: { baseOffset, lastOffset: e.lastOffset, logAppendTime: -1n, logStartOffset, recordCount: e.offsetDelta + 1 },
        }],
      });
    }
  }
}

function outOfOrder(h: RecordBatchHeader, previous: number): SequenceCheck {
  return {
    kind: 'error',
    errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    message: `Out of order sequence number for producer ${h.producerId} at offset: found ${h.baseSequence}, last seen ${previous}`,
  };
}
