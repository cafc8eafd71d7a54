// Idempotent producers, per partition: the epoch and the last few batches' sequence ranges of
// each producer id. A retried batch (same sequences) is answered with its original offsets
// instead of being written twice; a gap in the sequence, or an old epoch, is refused as Kafka
// refuses it. The state lives in memory: after a restart a producer's next batch is accepted as
// its starting point.
import { ErrorCode } from '../protocol/error-codes.js';
import type { RecordBatchHeader } from '../protocol/records/batch.js';
import type { AppendInfo } from '../storage/log.js';

/** Kafka keeps the metadata of the last 5 batches per producer (max.in.flight for idempotence). */
const CACHED_BATCHES = 5;

interface CachedBatch {
  firstSeq: number;
  lastSeq: number;
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
    entry.batches.push({ firstSeq: h.baseSequence, lastSeq: lastSeqOf(h), info });
    if (entry.batches.length > CACHED_BATCHES) entry.batches.shift();
  }
}

function outOfOrder(h: RecordBatchHeader, previous: number): SequenceCheck {
  return {
    kind: 'error',
    errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    message: `Out of order sequence number for producer ${h.producerId} at offset: found ${h.baseSequence}, last seen ${previous}`,
  };
}
