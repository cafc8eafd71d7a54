// The in-memory/on-disk indexes against sorted-array models.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OffsetIndex } from '../../../src/storage/offset-index.js';
import { TimeIndex } from '../../../src/storage/time-index.js';
import { tempDir } from './helpers.js';

describe('OffsetIndex', () => {
  it('looks up the last entry at or below a target, like a sorted-array model', () => {
    const path = join(tempDir(), '00000000000000000000.index');
    const index = new OffsetIndex(path);
    index.open(true);
    const model: Array<[number, number]> = [];
    let rel = 0;
    let pos = 0;
    for (let i = 0; i < 3000; i++) {
      rel += 1 + ((i * 13) % 7);
      pos += 50 + ((i * 31) % 400);
      index.append(rel, pos);
      model.push([rel, pos]);
    }
    const expected = (t: number): number => {
      let p = 0;
      for (const [r, q] of model) if (r <= t) p = q;
      return p;
    };
    for (let t = -1; t <= rel + 2; t += 3) expect(index.lookup(t), `target ${t}`).toBe(expected(t));
    index.close();

    // The file holds the same entries, 8 bytes each, big-endian.
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(model.length * 8);
    expect(bytes.readInt32BE(8 * 100)).toBe(model[100]![0]);
    expect(bytes.readInt32BE(8 * 100 + 4)).toBe(model[100]![1]);

    const loaded = new OffsetIndex(path);
    expect(loaded.load(pos + 1, rel + 1)).toBeNull();
    expect(loaded.entries).toBe(model.length);
    for (let t = 0; t <= rel; t += 97) expect(loaded.lookup(t)).toBe(expected(t));
  });

  it('writes entries behind the appends: a page of them at a time, and the rest on flush or close', () => {
    const path = join(tempDir(), '00000000000000000000.index');
    const index = new OffsetIndex(path);
    index.open(true);
    for (let i = 1; i <= 10; i++) index.append(i, i * 100);
    expect(readFileSync(path).length).toBe(0);
    index.flush();
    expect(readFileSync(path).length).toBe(10 * 8);
    for (let i = 11; i <= 600; i++) index.append(i, i * 100);
    expect(readFileSync(path).length).toBe((10 + 4096 / 8) * 8);
    index.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(600 * 8);
    expect([bytes.readInt32BE(599 * 8), bytes.readInt32BE(599 * 8 + 4)]).toEqual([600, 60000]);
  });

  it('ignores entries that would break the ordering', () => {
    const index = new OffsetIndex(join(tempDir(), 'x.index'));
    index.append(10, 100);
    index.append(10, 200);
    index.append(20, 100);
    expect(index.entries).toBe(1);
  });

  it('refuses files that are not a valid index', () => {
    const path = join(tempDir(), 'bad.index');
    const index = new OffsetIndex(path);
    expect(index.load(100, 100)).toBe('missing');
    writeFileSync(path, Buffer.alloc(12));
    expect(index.load(100, 100)).toMatch(/multiple/);
    const b = Buffer.alloc(16);
    b.writeInt32BE(5, 0);
    b.writeInt32BE(10, 4);
    b.writeInt32BE(4, 8);
    b.writeInt32BE(20, 12);
    writeFileSync(path, b);
    expect(index.load(100, 100)).toMatch(/out of order/);
    b.writeInt32BE(6, 8);
    writeFileSync(path, b);
    expect(index.load(100, 100)).toBeNull();
    expect(index.load(15, 100)).toMatch(/out of range/);
  });
});

describe('TimeIndex', () => {
  it('keeps only increasing timestamps and finds the last entry at or below a target', () => {
    const path = join(tempDir(), '00000000000000000000.timeindex');
    const index = new TimeIndex(path);
    index.open(true);
    index.maybeAppend(-1, 0); // no timestamp: never indexed
    const model: Array<[number, number]> = [];
    let ts = 1_700_000_000_000;
    for (let i = 0; i < 500; i++) {
      const next = i % 5 === 0 ? ts - 3 : ts + (i % 4);
      index.maybeAppend(next, i);
      if (next > (model.at(-1)?.[0] ?? -1)) model.push([next, i]);
      ts += 2;
    }
    expect(index.entries).toBe(model.length);
    const expected = (t: number): number => {
      let r = -1;
      for (const [s, o] of model) if (s <= t) r = o;
      return r;
    };
    for (let t = model[0]![0] - 2; t < ts + 5; t += 1) expect(index.lookup(t)).toBe(expected(t));
    index.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(model.length * 12);
    expect(bytes.readBigInt64BE(12 * 7)).toBe(BigInt(model[7]![0]));
    expect(bytes.readInt32BE(12 * 7 + 8)).toBe(model[7]![1]);
    const loaded = new TimeIndex(path);
    expect(loaded.load(10_000)).toBeNull();
    expect(loaded.lastTimestamp).toBe(model.at(-1)![0]);
    expect(loaded.lastRelativeOffset).toBe(model.at(-1)![1]);
  });
});
