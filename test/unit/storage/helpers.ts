// Shared by the storage tests: temp dirs that are always removed, and batch builders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { encodeRecordBatchSync, type EncodeBatchOptions, type RecordInput } from '../../../src/protocol/records/records.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../src/storage/log.js';

const dirs: string[] = [];

/** A fresh temp dir, removed after the current test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktool-storage-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export const config = (overrides: Partial<LogConfig> = {}): LogConfig => ({ ...DEFAULT_LOG_CONFIG, ...overrides });

/** A batch of `count` records whose values name their index within the test (`v<tag>-<i>`). */
export function batch(count: number, tag: string | number, opts: Partial<EncodeBatchOptions> & { timestamp?: number; valueSize?: number } = {}): Buffer {
  const records: RecordInput[] = [];
  for (let i = 0; i < count; i++) {
    const base = `v${tag}-${i}`;
    records.push({ key: `k${i}`, value: opts.valueSize ? base.padEnd(opts.valueSize, '.') : base, timestamp: opts.timestamp ?? 1_000_000 + i });
  }
  return encodeRecordBatchSync({ ...opts, records });
}
