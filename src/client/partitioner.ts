// Which partition a record goes to, as the Java producer's built-in partitioner decides it:
// a keyed record goes to toPositive(murmur2(key)) % partitionCount (over all partitions, so a key
// lands where Java clients and Kafka's console producer put it; librdkafka's default hashes with
// CRC32 instead), and records without a key stick to one partition until about batch.size bytes
// have gone there, then move to another partition chosen at random (KIP-480/KIP-794; Java's
// adaptive weighting by queue length is not reproduced).

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/**
 * Kafka's `Utils.murmur2`: MurmurHash2, 32-bit, seed 0x9747b28c, little-endian 4-byte words.
 * Returns the signed 32-bit result Java computes.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const words = length >>> 2;
  for (let i = 0; i < words; i++) {
    const at = i << 2;
    let k = data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  const left = length & 3;
  if (left > 0) {
    // Java's switch falls through from case 3 to case 1.
    if (left === 3) h ^= data[tail + 2]! << 16;
    if (left >= 2) h ^= data[tail + 1]! << 8;
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not Math.abs, which would differ for MIN_VALUE). */
export const toPositive = (n: number): number => n & 0x7fffffff;

/** The partition of a keyed record among `partitionCount` partitions. */
export function partitionForKey(key: Uint8Array, partitionCount: number): number {
  return toPositive(murmur2(key)) % partitionCount;
}

/**
 * Sticky choice for records without a key, per topic: the current partition is kept until
 * `stickyBytes` (batch.size) have been appended to it, so null-key records fill batches instead
 * of scattering one record per partition. `random` is injectable for tests.
 */
export class StickyPartitioner {
  private current = -1;
  private produced = 0;

  constructor(
    private readonly stickyBytes: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The partition for the next key-less record; `available` lists partitions with a leader (may be empty). */
  partition(partitionCount: number, available: readonly number[]): number {
    if (this.current < 0 || this.current >= partitionCount) this.next(partitionCount, available);
    return this.current;
  }

  /**
   * Counts bytes appended to the sticky partition. Like Java's built-in partitioner it moves on
   * once a batch's worth went there and the append had to open a new batch (so the full batch
   * is sent at once), or at twice that in any case.
   */
  appended(partition: number, bytes: number, newBatch: boolean, partitionCount: number, available: readonly number[]): void {
    if (partition !== this.current) return;
    this.produced += bytes;
    if ((newBatch && this.produced >= this.stickyBytes) || this.produced >= 2 * this.stickyBytes) this.next(partitionCount, available);
  }

  /** Bytes `partition` may still take before appended() moves on regardless of batches (Infinity if it is not the sticky one). */
  budget(partition: number): number {
    return partition === this.current ? 2 * this.stickyBytes - this.produced : Infinity;
  }

  private next(partitionCount: number, available: readonly number[]): void {
    this.produced = 0;
    const pool = available.length > 0 ? available : undefined;
    const size = pool ? pool.length : partitionCount;
    if (size <= 1) {
      this.current = pool ? pool[0]! : 0;
      return;
    }
    // A different partition from the current one, uniformly among the others.
    let pick = Math.floor(this.random() * size);
    let candidate = pool ? pool[pick]! : pick;
    if (candidate === this.current) {
      pick = (pick + 1 + Math.floor(this.random() * (size - 1))) % size;
      candidate = pool ? pool[pick]! : pick;
    }
    this.current = candidate;
  }
}
