import { describe, expect, it } from 'vitest';
import {
  indexFileName,
  logFileName,
  offsetFileStem,
  parsePartitionDirName,
  parseSegmentFileName,
  partitionDirName,
  timeIndexFileName,
} from '../../../src/storage/file-names.js';

describe('segment file names', () => {
  it('zero-pads the base offset to 20 digits', () => {
    expect(logFileName(0n)).toBe('00000000000000000000.log');
    expect(indexFileName(368769)).toBe('00000000000000368769.index');
    expect(timeIndexFileName(9223372036854775807n)).toBe('09223372036854775807.timeindex');
    expect(offsetFileStem(42n)).toHaveLength(20);
    expect(() => offsetFileStem(-1)).toThrow(RangeError);
  });

  it('parses segment file names and nothing else', () => {
    expect(parseSegmentFileName('00000000000000368769.log')).toEqual({ baseOffset: 368769n, suffix: '.log' });
    expect(parseSegmentFileName('00000000000000000000.timeindex')).toEqual({ baseOffset: 0n, suffix: '.timeindex' });
    expect(parseSegmentFileName('00000000000000000010.snapshot')).toEqual({ baseOffset: 10n, suffix: '.snapshot' });
    for (const name of ['0000000000000000000.log', '00000000000000000000.log.deleted', 'leader-epoch-checkpoint', 'partition.metadata', '00000000000000000000']) {
      expect(parseSegmentFileName(name), name).toBeNull();
    }
  });
});

describe('partition directory names', () => {
  it('round-trips topic and partition', () => {
    expect(partitionDirName('orders', 3)).toBe('orders-3');
    expect(parsePartitionDirName('orders-3')).toEqual({ topic: 'orders', partition: 3 });
  });

  it('takes the partition after the last dash, so topics may contain dashes', () => {
    expect(parsePartitionDirName('my-topic-name-12')).toEqual({ topic: 'my-topic-name-12'.slice(0, -3), partition: 12 });
    expect(parsePartitionDirName('__consumer_offsets-49')).toEqual({ topic: '__consumer_offsets', partition: 49 });
    expect(parsePartitionDirName('a.b_c-0')).toEqual({ topic: 'a.b_c', partition: 0 });
    expect(parsePartitionDirName('t--1')).toEqual({ topic: 't-', partition: 1 });
  });

  it('rejects directories that are not partitions', () => {
    for (const name of [
      'orders',
      '-3',
      'orders-',
      'orders-x',
      'orders-01',
      'orders-3.4f2a9c0e6b8d4e1fa2c3d4e5f6a7b8c9-delete',
      'orders-3-future',
      'orders-3-stray',
      'lost+found-1',
      'orders-99999999999',
      '.-1',
    ]) {
      expect(parsePartitionDirName(name), name).toBeNull();
    }
  });
});
