import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJavaOffsetsFile, writeJavaOffsetsFile } from '../../../src/connect/java-offsets-file.js';
import { FileOffsetStore, OffsetsFileError, canonicalJson, offsetKey } from '../../../src/connect/offset-store.js';
import { tempDir } from '../../helpers/start-broker.js';

/** Kafka's file for one entry, byte by byte as CONNECT.md gives the layout (OpenJDK 17). */
function javaFixture(key: string, value: string | null): Buffer {
  const utf = (s: string): number[] => [0, s.length, ...Buffer.from(s)];
  const int = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const k = Buffer.from(key);
  const bytes = [
    0xac, 0xed, 0x00, 0x05, 0x73, 0x72, ...utf('java.util.HashMap'),
    0x05, 0x07, 0xda, 0xc1, 0xc3, 0x16, 0x60, 0xd1, 0x03, 0x00, 0x02,
    0x46, ...utf('loadFactor'), 0x49, ...utf('threshold'), 0x78, 0x70,
    0x3f, 0x40, 0x00, 0x00, ...int(12), 0x77, 0x08, ...int(16), ...int(1),
    0x75, 0x72, ...utf('[B'), 0xac, 0xf3, 0x17, 0xf8, 0x06, 0x08, 0x54, 0xe0, 0x02, 0x00, 0x00, 0x78, 0x70, ...int(k.length), ...k,
  ];
  if (value === null) bytes.push(0x70);
  else bytes.push(0x75, 0x71, 0x00, 0x7e, 0x00, 0x02, ...int(Buffer.byteLength(value)), ...Buffer.from(value));
  bytes.push(0x78);
  return Buffer.from(bytes);
}

describe('offset keys', () => {
  it('are canonical JSON of [connector, partition], whatever the key order', () => {
    expect(offsetKey('local-file-source', { filename: 'test.txt' })).toBe('["local-file-source",{"filename":"test.txt"}]');
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});

describe('FileOffsetStore', () => {
  it('is empty when the file does not exist, and round-trips offsets through its JSON file', () => {
    const path = join(tempDir('ktool-offsets-'), 'sub', 'connect.offsets');
    const store = new FileOffsetStore(path);
    store.load();
    expect(store.get(offsetKey('c', { filename: 'f' }))).toBeNull();
    store.set(new Map([[offsetKey('c', { filename: 'f' }), { position: 12 }]]));
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    expect(doc).toEqual({ format: 'ktool-connect-offsets', version: 1, offsets: [{ key: ['c', { filename: 'f' }], value: { position: 12 } }] });
    const again = new FileOffsetStore(path);
    again.load();
    expect(again.get(offsetKey('c', { filename: 'f' }))).toEqual({ position: 12 });
    expect(again.entriesOf('c')).toEqual([[{ filename: 'f' }, { position: 12 }]]);
    expect(again.entriesOf('other')).toEqual([]);
  });

  it("reads Kafka's Java-serialized file and writes it back in that format", () => {
    const path = join(tempDir('ktool-offsets-'), 'connect.offsets');
    writeFileSync(path, javaFixture('["local-file-source",{"filename":"test.txt"}]', '{"position":30}'));
    const store = new FileOffsetStore(path);
    store.load();
    expect(store.get(offsetKey('local-file-source', { filename: 'test.txt' }))).toEqual({ position: 30 });
    store.set(new Map([[offsetKey('local-file-source', { filename: 'test.txt' }), { position: 42 }]]));
    const written = readFileSync(path);
    expect(written.subarray(0, 4)).toEqual(Buffer.from([0xac, 0xed, 0x00, 0x05]));
    expect(written).toEqual(javaFixture('["local-file-source",{"filename":"test.txt"}]', '{"position":42}'));
  });

  it('reads a reset (null) offset, and treats a cut-short Java file as empty', () => {
    expect(readJavaOffsetsFile(javaFixture('["c",{"filename":"f"}]', null))).toEqual([[Buffer.from('["c",{"filename":"f"}]'), null]]);
    const whole = javaFixture('["c",{"filename":"f"}]', '{"position":1}');
    expect(readJavaOffsetsFile(whole.subarray(0, whole.length - 10))).toEqual([]);
  });

  it('round-trips many entries through the Java writer (back-references to the byte[] class)', () => {
    const entries = Array.from({ length: 20 }, (_, i) => [Buffer.from(`["c",{"f":${i}}]`), i % 3 === 0 ? null : Buffer.from(`{"position":${i}}`)] as [Buffer, Buffer | null]);
    expect(readJavaOffsetsFile(writeJavaOffsetsFile(entries))).toEqual(entries);
  });

  it('refuses a Java stream that is not a HashMap, and a file that is neither format', () => {
    const dir = tempDir('ktool-offsets-');
    const other = join(dir, 'list.offsets');
    writeFileSync(other, Buffer.concat([Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72, 0x00, 0x13]), Buffer.from('java.util.ArrayList'), Buffer.alloc(20)]));
    expect(() => new FileOffsetStore(other).load()).toThrow(/Java serialization stream that ktool cannot read: not a Kafka offsets file: it holds a java.util.ArrayList/);
    const garbage = join(dir, 'garbage.offsets');
    writeFileSync(garbage, 'hello');
    expect(() => new FileOffsetStore(garbage).load()).toThrow(OffsetsFileError);
  });
});
