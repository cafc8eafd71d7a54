// Which __consumer_offsets partition holds a group: Kafka's
// `Utils.abs(groupId.hashCode) % partitionCount`, with Java's String.hashCode over UTF-16 code
// units (a character outside the BMP counts as its two surrogates) and Kafka's abs, which maps
// Integer.MIN_VALUE to 0 instead of leaving it negative.

/** Java's `String.hashCode()`: h = 31*h + c over UTF-16 code units, wrapping at 32 bits. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's `Utils.abs`: like Math.abs, but Integer.MIN_VALUE becomes 0. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

/** The partition of the offsets topic that stores `groupId`. */
export function partitionForGroup(groupId: string, partitionCount: number): number {
  if (!Number.isInteger(partitionCount) || partitionCount <= 0) throw new RangeError(`invalid partition count ${partitionCount}`);
  return kafkaAbs(javaStringHashCode(groupId)) % partitionCount;
}
