// Checkpoint files and the clean-shutdown marker, byte for byte as Kafka writes and reads them.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CLEAN_SHUTDOWN_FILE, CheckpointError, deleteCleanShutdownFile, formatOffsetCheckpoint, hasCleanShutdownFile, parseOffsetCheckpoint,
  readOffsetCheckpoint, writeCleanShutdownFile, writeOffsetCheckpoint,
} from '../../../src/storage/checkpoint.js';
import { tempDir } from './helpers.js';

describe('offset checkpoint files', () => {
  it('are a version line, a count line, then `topic partition offset` lines', () => {
    const text = formatOffsetCheckpoint([
      { topic: 'orders', partition: 0, offset: 1200n },
      { topic: 'my-topic.v2', partition: 11, offset: 9007199254740993n },
    ]);
    expect(text).toBe('0\n2\norders 0 1200\nmy-topic.v2 11 9007199254740993\n');
    expect(formatOffsetCheckpoint([])).toBe('0\n0\n');
  });

  it('round-trip through a file, replaced atomically', () => {
    const dir = tempDir();
    const path = join(dir, 'recovery-point-offset-checkpoint');
    expect(readOffsetCheckpoint(path)).toEqual([]);
    writeOffsetCheckpoint(path, [{ topic: 't', partition: 0, offset: 5n }]);
    writeOffsetCheckpoint(path, [{ topic: 't', partition: 0, offset: 7n }, { topic: 't', partition: 1, offset: 0n }]);
    expect(readOffsetCheckpoint(path)).toEqual([{ topic: 't', partition: 0, offset: 7n }, { topic: 't', partition: 1, offset: 0n }]);
    expect(readdirSync(dir)).toEqual(['recovery-point-offset-checkpoint']);
  });

  it('parse what Kafka writes, and an empty file as no entries', () => {
    expect(parseOffsetCheckpoint('0\n1\n__consumer_offsets 42 17\n', 'f')).toEqual([{ topic: '__consumer_offsets', partition: 42, offset: 17n }]);
    expect(parseOffsetCheckpoint('0\r\n1\r\nt 0 3\r\n', 'f')).toEqual([{ topic: 't', partition: 0, offset: 3n }]);
    expect(parseOffsetCheckpoint('', 'f')).toEqual([]);
  });

  it('refuse what Kafka refuses, with its messages', () => {
    const bad: Array<[string, RegExp]> = [
      ['1\n0\n', /^Unrecognized version of the checkpoint file \(f\): 1$/],
      ['0\n2\nt 0 1\n', /^Expected 2 entries in checkpoint file \(f\), but found only 1$/],
      ['0\n1\nt 0\n', /^Malformed line in checkpoint file \(f\): 't 0'$/],
      ['0\n1\nt x 1\n', /^Malformed line in checkpoint file \(f\): 't x 1'$/],
      ['zero\n', /^Malformed line/],
      ['0\n', /^Malformed line/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseOffsetCheckpoint(text, 'f'), JSON.stringify(text)).toThrow(CheckpointError);
      expect(() => parseOffsetCheckpoint(text, 'f'), JSON.stringify(text)).toThrow(message);
    }
  });

  it('surface a malformed file as CheckpointError', () => {
    const path = join(tempDir(), 'log-start-offset-checkpoint');
    writeFileSync(path, '0\n3\n');
    expect(() => readOffsetCheckpoint(path)).toThrow(CheckpointError);
  });
});

describe('the clean shutdown marker', () => {
  it('is .kafka_cleanshutdown with the JSON Kafka writes, and goes away on delete', () => {
    const dir = tempDir();
    expect(hasCleanShutdownFile(dir)).toBe(false);
    writeCleanShutdownFile(dir);
    expect(hasCleanShutdownFile(dir)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, CLEAN_SHUTDOWN_FILE), 'utf8'))).toEqual({ version: '0', broker_epoch: '-1' });
    deleteCleanShutdownFile(dir);
    deleteCleanShutdownFile(dir);
    expect(existsSync(join(dir, CLEAN_SHUTDOWN_FILE))).toBe(false);
  });
});
