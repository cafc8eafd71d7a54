// Names on disk, exactly as Kafka spells them, so a ktool data dir can be read by Kafka's tools and
// the other way round. A partition lives in `<topic>-<partition>`; each segment is a set of files
// named by the segment's base offset in 20 zero-padded decimal digits plus a suffix.
//
// Topic names may themselves contain '-', so the partition is whatever follows the last '-'.
// Directories Kafka renames for deletion or moves (`t-0.<uuid>-delete`, `-future`, `-stray`) do not
// parse as partitions, which is what callers scanning a log dir want.

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const TXN_INDEX_SUFFIX = '.txnindex';
/** Producer-state snapshots, named by the offset the state is at. */
export const SNAPSHOT_SUFFIX = '.snapshot';

const OFFSET_DIGITS = 20;
const SEGMENT_NAME = /^(\d{20})(\.[a-z]+)$/;
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
const PARTITION = /^(0|[1-9]\d{0,9})$/;

/** The 20-digit zero-padded decimal form of an offset, as in `00000000000000368769`. */
export function offsetFileStem(offset: bigint | number): string {
  if (offset < 0) throw new RangeError(`negative segment base offset ${offset}`);
  return offset.toString().padStart(OFFSET_DIGITS, '0');
}

export const logFileName = (baseOffset: bigint | number): string => offsetFileStem(baseOffset) + LOG_SUFFIX;
export const indexFileName = (baseOffset: bigint | number): string => offsetFileStem(baseOffset) + INDEX_SUFFIX;
export const timeIndexFileName = (baseOffset: bigint | number): string => offsetFileStem(baseOffset) + TIME_INDEX_SUFFIX;
export const snapshotFileName = (offset: bigint | number): string => offsetFileStem(offset) + SNAPSHOT_SUFFIX;

/** `00000000000000000042.log` → { baseOffset: 42n, suffix: '.log' }; anything else → null. */
export function parseSegmentFileName(name: string): { baseOffset: bigint; suffix: string } | null {
  const m = SEGMENT_NAME.exec(name);
  return m ? { baseOffset: BigInt(m[1]!), suffix: m[2]! } : null;
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** `my-topic-3` → { topic: 'my-topic', partition: 3 }; names that are not partition dirs → null. */
export function parsePartitionDirName(name: string): { topic: string; partition: number } | null {
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const topic = name.slice(0, dash);
  const digits = name.slice(dash + 1);
  if (!LEGAL_TOPIC.test(topic) || topic === '.' || topic === '..' || !PARTITION.test(digits)) return null;
  const partition = Number(digits);
  return partition <= 0x7fffffff ? { topic, partition } : null;
}
