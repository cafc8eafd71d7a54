// Java's HashMap iteration order. Java Connect reads every JSON object and map into a HashMap, so
// what a Java sink prints (`{b=1, a=2}`) and what a Java worker writes back out come in hash order,
// not in the order of the input. Ordering our Maps the same way keeps that output identical.
//
// A HashMap of n entries built by put() has the smallest power-of-two table (at least 16) whose
// 0.75 load threshold holds n; it iterates bucket by bucket, each bucket in insertion order
// (resizing keeps that relative order). Buckets that turn into trees (8+ colliding keys) are not
// modelled; they need deliberately colliding keys.

/** Java's String.hashCode over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Java's Long.hashCode. */
export function javaLongHash(v: bigint): number {
  const u = BigInt.asUintN(64, v);
  return Number(BigInt.asIntN(32, (u ^ (u >> 32n)) & 0xffffffffn));
}

/**
 * The hash Java would use for a map key that JsonConverter can produce, or undefined when the
 * key's Java hash is not modelled (then the map keeps its order).
 */
export function javaKeyHash(key: unknown): number | undefined {
  switch (typeof key) {
    case 'string': return javaStringHash(key);
    case 'bigint': return javaLongHash(key);
    case 'boolean': return key ? 1231 : 1237;
    default: return undefined;
  }
}

function tableSize(entries: number): number {
  let capacity = 16;
  while (entries > capacity * 0.75) capacity *= 2;
  return capacity;
}

/** A new Map with the entries of `map` in the order a Java HashMap filled in the same order would iterate. */
export function inJavaHashMapOrder<K, V>(map: Map<K, V>): Map<K, V> {
  const capacity = tableSize(map.size);
  const keyed: { bucket: number; seq: number; key: K; value: V }[] = [];
  let seq = 0;
  for (const [key, value] of map) {
    const h = javaKeyHash(key);
    if (h === undefined) return map;
    const spread = h ^ (h >>> 16);
    keyed.push({ bucket: spread & (capacity - 1), seq: seq++, key, value });
  }
  keyed.sort((a, b) => a.bucket - b.bucket || a.seq - b.seq);
  return new Map(keyed.map((e) => [e.key, e.value]));
}
