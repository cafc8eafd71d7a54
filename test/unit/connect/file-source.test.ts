import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SourceTaskContext } from '../../../src/connect/api.js';
import { FileStreamSourceTask, cutLines } from '../../../src/connect/connectors/file-source.js';
import { tempDir } from '../../helpers/start-broker.js';

const cut = (text: string) => cutLines(Buffer.from(text), Buffer.byteLength(text)).map((l) => [l.line.toString(), l.consumed]);

describe('cutLines', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r, and keeps a partial last line', () => {
    expect(cut('a\nb\r\nc\rd')).toEqual([['a', 2], ['b', 3], ['c', 2]]);
    expect(cut('\n\n')).toEqual([['', 1], ['', 1]]);
  });

  it('waits for the byte after a final \\r to tell \\r\\n from \\r', () => {
    expect(cut('a\r')).toEqual([]);
    expect(cut('a\r\n')).toEqual([['a', 3]]);
  });
});

function context(dir: string, stored: Record<string, unknown> | null, stdin = new PassThrough()): SourceTaskContext {
  const log = { info() {}, warn() {}, error() {}, debug() {} };
  return {
    configs: () => ({}),
    stdin,
    stdout: new PassThrough(),
    workingDirectory: dir,
    log,
    offsetStorageReader: () => ({ offset: () => stored, offsets: () => new Map() }),
  };
}

async function startTask(dir: string, config: Record<string, string>, stored: Record<string, unknown> | null = null, stdin?: PassThrough): Promise<FileStreamSourceTask> {
  const task = new FileStreamSourceTask();
  task.initialize(context(dir, stored, stdin));
  task.start(config);
  return task;
}

describe('FileStreamSourceTask', () => {
  it('emits one STRING record per line with the byte position after it, and tails appended data', async () => {
    const dir = tempDir('ktool-fsrc-');
    writeFileSync(join(dir, 'in.txt'), 'héllo\nwor');
    const task = await startTask(dir, { file: 'in.txt', topic: 't' });
    const first = (await task.poll())!;
    expect(first.map((r) => [r.value, r.sourceOffset, r.sourcePartition, r.topic, r.key, r.valueSchema])).toEqual([
      ['héllo', { position: 7 }, { filename: 'in.txt' }, 't', null, { type: 'STRING', optional: false }],
    ]);
    appendFileSync(join(dir, 'in.txt'), 'ld\n');
    expect((await task.poll())!.map((r) => [r.value, r.sourceOffset])).toEqual([['world', { position: 13 }]]);
    await task.stop();
  });

  it('resumes after the stored position and honours batch.size', async () => {
    const dir = tempDir('ktool-fsrc-');
    writeFileSync(join(dir, 'in.txt'), 'a\nb\nc\nd\n');
    const task = await startTask(dir, { file: 'in.txt', topic: 't', 'batch.size': '2' }, { position: 2 });
    expect((await task.poll())!.map((r) => r.value)).toEqual(['b', 'c']);
    expect((await task.poll())!.map((r) => [r.value, r.sourceOffset])).toEqual([['d', { position: 8 }]]);
    await task.stop();
  });

  it('reads standard input when no file is set, with null offsets', async () => {
    const stdin = new PassThrough();
    const task = await startTask(tempDir('ktool-fsrc-'), { topic: 't' }, null, stdin);
    stdin.write('x\ny');
    const records = (await task.poll())!;
    expect(records.map((r) => [r.value, r.sourcePartition, r.sourceOffset])).toEqual([['x', { filename: null }, { position: null }]]);
    stdin.write('\n');
    expect((await task.poll())!.map((r) => r.value)).toEqual(['y']);
    await task.stop();
  });

  it('rejects a stored position that is not a number', async () => {
    const dir = tempDir('ktool-fsrc-');
    writeFileSync(join(dir, 'in.txt'), 'a\n');
    const task = await startTask(dir, { file: 'in.txt', topic: 't' }, { position: 'x' });
    await expect(task.poll()).rejects.toThrow('Offset position is the incorrect type');
  });
});
