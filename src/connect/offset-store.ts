// Source connector offsets in a local file (Kafka's FileOffsetBackingStore, reimplemented). In
// memory: a map from key = JSON `[connector, sourcePartition]` to value = JSON of the source offset
// (null: the offset was reset). Keys are kept in canonical JSON (object keys sorted) so a lookup
// matches whatever key order the writer used.
//
// On disk ktool writes JSON:
//   {"format":"ktool-connect-offsets","version":1,
//    "offsets":[{"key":["local-file-source",{"filename":"test.txt"}],"value":{"position":12}}]}
// A file that starts with Java's serialisation magic (AC ED 00 05) is Kafka's own format: it is
// read (java-offsets-file.ts) and written back in that format, so a file shared with a Java worker
// stays readable by it. Every flush rewrites the whole file through a temporary file and a rename,
// so a crash leaves either the old or the new offsets, never half of them.
import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { JAVA_SERIALIZATION_MAGIC, readJavaOffsetsFile, writeJavaOffsetsFile } from './java-offsets-file.js';

const FORMAT = 'ktool-connect-offsets';

export class OffsetsFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OffsetsFileError';
  }
}

/** JSON with object keys sorted at every level: one text per value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export function offsetKey(connector: string, partition: Record<string, unknown> | null): string {
  return canonicalJson([connector, partition]);
}

export class FileOffsetStore {
  /** canonical key JSON → offset JSON (null: reset). */
  private readonly data = new Map<string, string | null>();
  private javaFormat = false;

  constructor(readonly path: string) {}

  /** Loads the file; a missing or empty file is an empty store. */
  load(): void {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new OffsetsFileError(`Could not read offsets file ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    this.data.clear();
    if (bytes.length === 0) return;
    if (bytes.subarray(0, 4).equals(JAVA_SERIALIZATION_MAGIC)) {
      this.javaFormat = true;
      let entries;
      try {
        entries = readJavaOffsetsFile(bytes);
      } catch (err) {
        throw new OffsetsFileError(`Offsets file ${this.path} is a Java serialization stream that ktool cannot read: ${(err as Error).message}`, { cause: err });
      }
      for (const [k, v] of entries) {
        try {
          this.data.set(canonicalJson(JSON.parse(k.toString('utf8'))), v === null ? null : canonicalJson(JSON.parse(v.toString('utf8'))));
        } catch {
          // Entries that are not JSON were not written by a JsonConverter-based worker: skip them.
        }
      }
      return;
    }
    let doc: { format?: unknown; offsets?: Array<{ key: unknown; value: unknown }> };
    try {
      doc = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      throw new OffsetsFileError(`Offsets file ${this.path} is neither ktool's JSON nor Kafka's Java format: ${(err as Error).message}`, { cause: err });
    }
    if (doc?.format !== FORMAT || !Array.isArray(doc.offsets)) throw new OffsetsFileError(`Offsets file ${this.path} is not a ktool offsets file`);
    for (const e of doc.offsets) this.data.set(canonicalJson(e.key), e.value === null || e.value === undefined ? null : canonicalJson(e.value));
  }

  get(key: string): Record<string, unknown> | null {
    const v = this.data.get(key);
    return v === undefined || v === null ? null : (JSON.parse(v) as Record<string, unknown>);
  }

  /** Every stored entry of one connector: [partition, offset]. */
  entriesOf(connector: string): Array<[Record<string, unknown> | null, Record<string, unknown> | null]> {
    const out: Array<[Record<string, unknown> | null, Record<string, unknown> | null]> = [];
    for (const [k, v] of this.data) {
      const key = JSON.parse(k) as unknown;
      if (!Array.isArray(key) || key[0] !== connector) continue;
      out.push([(key[1] ?? null) as Record<string, unknown> | null, v === null ? null : (JSON.parse(v) as Record<string, unknown>)]);
    }
    return out;
  }

  /** Applies new offsets (keys from offsetKey) and rewrites the file. */
  set(updates: ReadonlyMap<string, Record<string, unknown> | null>): void {
    if (updates.size === 0) return;
    for (const [k, v] of updates) this.data.set(k, v === null ? null : canonicalJson(v));
    this.write();
  }

  private write(): void {
    let bytes: Buffer;
    if (this.javaFormat) {
      bytes = writeJavaOffsetsFile([...this.data].map(([k, v]) => [Buffer.from(k), v === null ? null : Buffer.from(v)] as const));
    } else {
      const offsets = [...this.data].map(([k, v]) => ({ key: JSON.parse(k) as unknown, value: v === null ? null : (JSON.parse(v) as unknown) }));
      bytes = Buffer.from(`${JSON.stringify({ format: FORMAT, version: 1, offsets })}\n`);
    }
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, bytes);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}
