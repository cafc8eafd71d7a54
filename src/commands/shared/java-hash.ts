// Java's hash-based iteration order. Several Kafka tools print a java.util.HashMap or HashSet as
// it iterates (log-dirs' JSON keys, sets of broker ids, topic name sets), so matching their
// output byte for byte means ordering the same way: by bucket, then by insertion order.

/** java.lang.String.hashCode over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** org.apache.kafka.common.TopicPartition.hashCode. */
export function javaTopicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, 31 + partition) + javaStringHash(topic)) | 0;
}

/**
 * The order a HashMap or HashSet (default capacity 16, load factor 0.75) iterates `items` added
 * in this order. Buckets are the spread hash masked by the table size; a bucket keeps insertion
 * order (trees for crowded buckets are ignored: they do not occur at these sizes).
 */
export function javaHashOrder<T>(items: readonly T[], hash: (item: T) => number): T[] {
  let capacity = 16;
  while (items.length > capacity * 0.75) capacity *= 2;
  const bucket = (h: number): number => (h ^ (h >>> 16)) & (capacity - 1);
  return items
    .map((item, i) => ({ item, i, b: bucket(hash(item)) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((x) => x.item);
}
