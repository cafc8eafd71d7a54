// Which __consumer_offsets partition holds a group: the vectors from
// shared/reference/kafka-protocol/coordinator-records/README.md §3 (checked with OpenJDK 17).
import { describe, expect, it } from 'vitest';
import { javaStringHashCode, kafkaAbs, partitionForGroup } from '../../../../src/broker/groups/partitioner.js';

const VECTORS: Array<[string, number, number]> = [
  ['my-group', -1906497762, 12],
  ['test-group', 627841412, 12],
  ['console-consumer-12345', 158455506, 6],
  ['connect-local-file-sink', -1047382657, 7],
  ['', 0, 0],
  ['polygenelubricants', -2147483648, 0],
  ['é😀', 1996812, 12],
];

describe('offsets topic partitioner', () => {
  it.each(VECTORS)('%j hashes to %i and lands in partition %i of 50', (group, hash, partition) => {
    expect(javaStringHashCode(group)).toBe(hash);
    expect(partitionForGroup(group, 50)).toBe(partition);
  });

  it("uses Kafka's abs, which maps Integer.MIN_VALUE to 0", () => {
    expect(kafkaAbs(-2147483648)).toBe(0);
    expect(kafkaAbs(-5)).toBe(5);
    expect(partitionForGroup('polygenelubricants', 7)).toBe(0);
  });

  it('follows the actual partition count and refuses a non-positive one', () => {
    expect(partitionForGroup('my-group', 1)).toBe(0);
    expect(partitionForGroup('my-group', 3)).toBe(1906497762 % 3);
    expect(() => partitionForGroup('g', 0)).toThrow(RangeError);
  });
});
