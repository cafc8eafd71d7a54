// kafka-dump-log (kafka.tools.DumpLogSegments, Kafka 4.0): prints segment files as Kafka's tool
// does, line for line, so scripts that parse its output work on ktool's data dirs and the other
// way round. Covered: `.log` (batches, and records with deep iteration), `.index`, `.timeindex`
// and `.txnindex`; problems found in indexes and offset gaps go to stderr at the end, as in Kafka.
//
// Kafka quirks kept on purpose: the first dot ends a file's offset ("00000000000000000000.log"),
// batches are walked exactly as FileLogInputStream walks them (a batch that does not fit ends the
// walk, a size below 14 bytes is an error), an index dump stops at the first zero-offset entry
// after the first, mismatch lists print newest first, and a legacy record's crc is followed by a
// stray `}` (Scala's `${r.checksum}}`).
//
// Files are read batch by batch with positional reads, so a 1 GiB segment never sits in memory.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import * as zlib from 'node:zlib';
import { decodeStruct, isFlexible } from '../protocol/codec.js';
import { KRaftVersionRecordSchema } from '../protocol/messages/kraft-version-record.js';
import { SnapshotFooterRecordSchema } from '../protocol/messages/snapshot-footer-record.js';
import { SnapshotHeaderRecordSchema } from '../protocol/messages/snapshot-header-record.js';
import { VotersRecordSchema } from '../protocol/messages/voters-record.js';
import { Reader } from '../protocol/reader.js';
import { CODEC_NAMES, decompress } from '../protocol/records/compression.js';
import { crc32c } from '../protocol/records/crc32c.js';
import type { MessageSchema } from '../protocol/schema.js';
import { readFully } from '../storage/file-io.js';
import { stringifyJson, structToJson } from './json.js';
import { decodeOffsetsRecord } from './offsets-decoder.js';
import { decodeProducerSnapshot, firstSequenceOf, ProducerSnapshotError, type ProducerSnapshotEntry } from '../storage/producer-snapshot.js';

export type ValueDecoder = 'string' | 'integer' | 'long';

export interface DumpOptions {
  files: readonly string[];
  /** --print-data-log, or any decoder option: print keys and values. */
  printDataLog: boolean;
  /** --deep-iteration, or printDataLog: one line per record. */
  deepIteration: boolean;
  verifyIndexOnly: boolean;
  indexSanityCheck: boolean;
  skipRecordMetadata: boolean;
  /** --max-message-size (default 5 MiB): how far an index entry's batch may reach. */
  maxMessageSize: number;
  /** --max-bytes (default Integer.MAX_VALUE): how much of each .log file to walk. */
  maxBytes: number;
  /** --offsets-decoder, or the key and value decoders (StringDecoder by default). */
  decoder: 'offsets' | { key: ValueDecoder; value: ValueDecoder };
  /** Lines Kafka prints when a decoder is named by its deprecated kafka.serializer class. */
  deprecationNotices?: readonly string[];
}

/** Where the dump goes; each call may return a promise to apply backpressure. */
export interface DumpSink {
  out(text: string): void | Promise<void>;
  err(text: string): void | Promise<void>;
}

/** What makes Kafka's tool stop with an exception: reported on stderr, exit 1. */
export class DumpError extends Error {
  readonly code = 'DUMP_LOG_FAILED';
}

export const INT_MAX = 0x7fffffff;
const LOG_OVERHEAD = 12;
const HEADER_SIZE_UP_TO_MAGIC = 17;
const RECORD_OVERHEAD_V0 = 14;
const V2_HEADER = 61;
const NO_SEQUENCE = -1;
const OFFSET_ENTRY = 8;
const TIME_ENTRY = 12;
const TXN_ENTRY = 34;

type Pair = [bigint, bigint];

/** Everything printed to stderr after the last file, keyed by absolute path. */
interface Findings {
  indexMismatches: Map<string, Pair[]>;
  timestampMismatches: Map<string, Pair[]>;
  outOfOrder: Map<string, Pair[]>;
  notFound: Map<string, Pair[]>;
  nonConsecutive: Map<string, Pair[]>;
}

/** Buffers stdout so a large dump is written in big pieces, honouring the sink's backpressure. */
class Output {
  private pending = '';
  constructor(private readonly sink: DumpSink) {}

  line(text: string): void {
    this.pending += `${text}\n`;
  }

  async maybeFlush(): Promise<void> {
    if (this.pending.length >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    await this.sink.out(text);
  }
}

/** Runs the dump over every file, then reports what the index and offset checks found. */
export async function dumpLogSegments(opts: DumpOptions, sink: DumpSink, cwd: string = process.cwd()): Promise<void> {
  const out = new Output(sink);
  const findings: Findings = { indexMismatches: new Map(), timestampMismatches: new Map(), outOfOrder: new Map(), notFound: new Map(), nonConsecutive: new Map() };
  try {
    for (const arg of opts.files) {
      const file = javaFilePath(arg);
      out.line(`Dumping ${file}`);
      const name = basename(file);
      const dot = name.lastIndexOf('.');
      const suffix = dot < 0 ? name : name.slice(dot);
      const abs = absolutePath(file, cwd);
      switch (suffix) {
        case '.log':
          for (const notice of opts.deprecationNotices ?? []) out.line(notice);
          await dumpLog(file, abs, cwd, opts, out, findings);
          break;
        case '.index':
          await dumpIndex(file, abs, cwd, opts, out, findings);
          break;
        case '.timeindex':
          await dumpTimeIndex(file, abs, cwd, opts, out, findings);
          break;
        case '.txnindex':
          dumpTxnIndex(file, abs, cwd, out);
          break;
        case '.snapshot':
          await dumpProducerSnapshot(file, cwd, out, sink);
          break;
        case '.checkpoint':
          await out.flush();
          await sink.err(`ktool cannot dump ${suffix} files yet: ${file}\n`);
          break;
        default:
          await out.flush();
          await sink.err(`Ignoring unknown file ${file}\n`);
      }
      await out.maybeFlush();
    }
  } finally {
    await out.flush();
  }
  await sink.err(findingsText(findings));
}

function findingsText(f: Findings): string {
  let text = '';
  for (const [file, pairs] of f.indexMismatches) {
    text += `Mismatches in :${file}\n`;
    for (const [index, log] of pairs) text += `  Index offset: ${index}, log offset: ${log}\n`;
  }
  for (const [file, pairs] of f.timestampMismatches) {
    text += `Found timestamp mismatch in :${file}\n`;
    for (const [index, log] of pairs) text += `  Index timestamp: ${index}, log timestamp: ${log}\n`;
  }
  for (const [file, pairs] of f.outOfOrder) {
    text += `Found out of order timestamp in :${file}\n`;
    for (const [index, prev] of pairs) text += `  Index timestamp: ${index}, Previously indexed timestamp: ${prev}\n`;
  }
  for (const pairs of f.notFound.values()) {
    text += 'The following indexed offsets are not found in the log.\n';
    for (const [index, log] of pairs) text += `Indexed offset: ${index}, found log offset: ${log}\n`;
  }
  for (const [file, pairs] of f.nonConsecutive) {
    text += `Non-consecutive offsets in ${file}\n`;
    for (const [first, second] of pairs) text += `  ${first} is followed by ${second}\n`;
  }
  return text;
}

const push = (map: Map<string, Pair[]>, file: string, pair: Pair, newestFirst = false): void => {
  const list = map.get(file) ?? [];
  if (newestFirst) list.unshift(pair);
  else list.push(pair);
  map.set(file, list);
};

// ---- paths and files, as java.io.File sees them ----------------------------------------------

/** java.io.File's normalisation of a path string: no repeated or trailing separators. */
export function javaFilePath(p: string): string {
  const collapsed = p.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/** File.getAbsolutePath: the working directory joined in front, nothing resolved. */
function absolutePath(file: string, cwd: string): string {
  return isAbsolute(file) ? file : `${cwd.replace(/\/$/, '')}/${file}`;
}

/** `file.getName.split("\\.")(0).toLong`, with Long.parseLong's failure message. */
function offsetOfName(name: string): bigint {
  const stem = name.split('.')[0]!;
  if (!/^[+-]?\d+$/.test(stem)) throw new DumpError(`For input string: "${stem}"`);
  const n = BigInt(stem);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw new DumpError(`For input string: "${stem}"`);
  return n;
}

/** The .log (or .index) file next to an index, as `new File(abs.getParent, stem + suffix)`. */
function sibling(abs: string, suffix: string): string {
  return join(dirname(abs), basename(abs).split('.')[0]! + suffix);
}

interface OpenFile {
  fd: number;
  size: number;
  path: string;
}

/** Opens `path` as `shown` (the name Java's File would report); relative paths are under `cwd`. */
function openForRead(shown: string, cwd: string): OpenFile {
  const path = shown;
  try {
    const fd = openSync(isAbsolute(shown) ? shown : join(cwd, shown), 'r');
    return { fd, size: fstatSync(fd).size, path };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new DumpError(`${path} (No such file or directory)`);
    if (e.code === 'EISDIR') throw new DumpError(`${path} (Is a directory)`);
    if (e.code === 'EACCES') throw new DumpError(`${path} (Permission denied)`);
    throw new DumpError(`${path}: ${e.message}`);
  }
}

function readAt(f: OpenFile, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readFully(f.fd, buf, 0, length, position);
  if (n < length) {
    throw new DumpError(`Failed to read from ${f.path}: expected ${length} bytes at position ${position}, but reached end of file after ${n} bytes.`);
  }
  return buf;
}

// ---- batches, as FileLogInputStream cuts them ------------------------------------------------

interface FileBatch {
  position: number;
  size: number;
  magic: number;
  /** The whole batch (at least the v2 header). */
  bytes: Buffer;
}

/** The batches in file positions [start, end); stops at one that does not fit, throws below 14 bytes. */
function* fileBatches(f: OpenFile, start: number, end: number): Generator<FileBatch> {
  let position = start;
  for (;;) {
    if (position >= end - HEADER_SIZE_UP_TO_MAGIC) return;
    const head = readAt(f, position, HEADER_SIZE_UP_TO_MAGIC);
    const size = head.readInt32BE(8);
    if (size < RECORD_OVERHEAD_V0) {
      throw new DumpError(`Found record size ${size} smaller than minimum record overhead (${RECORD_OVERHEAD_V0}) in file ${f.path}.`);
    }
    if (position > end - LOG_OVERHEAD - size) return;
    const magic = head.readInt8(16);
    const whole = size + LOG_OVERHEAD;
    const bytes = readAt(f, position, magic >= 2 ? Math.max(whole, V2_HEADER) : whole);
    yield { position, size: whole, magic, bytes };
    position += whole;
  }
}

/** DefaultRecordBatch.incrementSequence: sequences wrap at Integer.MAX_VALUE. */
function incrementSequence(sequence: number, increment: number): number {
  return sequence > INT_MAX - increment ? increment - (INT_MAX - sequence) - 1 : sequence + increment;
}

function codecName(id: number): string {
  const name = CODEC_NAMES[id];
  if (name === undefined) throw new DumpError(`Unknown compression type id: ${id}`);
  return name;
}

/** What a dump needs of a batch, whatever its magic. */
interface BatchView {
  lastOffset: bigint;
  timestampType: string;
  isControl: boolean;
  /** The batch line. */
  describe(position: number): string;
  /** Its records, decompressed. */
  records(): Promise<DumpRecord[]>;
}

interface DumpRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  /** v2 only */
  sequence?: number;
  headerKeys?: string[];
  /** legacy only: the message's own CRC-32 check */
  legacy?: { valid: boolean; crc: number };
}

function viewOf(batch: FileBatch): BatchView {
  return batch.magic >= 2 ? v2View(batch) : legacyView(batch);
}

function v2View(batch: FileBatch): BatchView {
  const b = batch.bytes;
  const baseOffset = b.readBigInt64BE(0);
  const partitionLeaderEpoch = b.readInt32BE(12);
  const crc = b.readUInt32BE(17);
  const attributes = b.readInt16BE(21);
  const lastOffsetDelta = b.readInt32BE(23);
  const baseTimestamp = b.readBigInt64BE(27);
  const maxTimestamp = b.readBigInt64BE(35);
  const producerId = b.readBigInt64BE(43);
  const producerEpoch = b.readInt16BE(51);
  const baseSequence = b.readInt32BE(53);
  const count = b.readInt32BE(57);
  const lastOffset = baseOffset + BigInt(lastOffsetDelta);
  const timestampType = attributes & 0x08 ? 'LogAppendTime' : 'CreateTime';
  const isControl = (attributes & 0x20) !== 0;
  const valid = batch.size >= V2_HEADER && crc === crc32c(b, 21, batch.size);
  return {
    lastOffset,
    timestampType,
    isControl,
    describe(position) {
      const lastSequence = baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(baseSequence, lastOffsetDelta);
      const deleteHorizon = attributes & 0x40 ? `OptionalLong[${baseTimestamp}]` : 'OptionalLong.empty';
      return (
        `baseOffset: ${baseOffset} lastOffset: ${lastOffset} count: ${count} baseSequence: ${baseSequence} lastSequence: ${lastSequence} ` +
        `producerId: ${producerId} producerEpoch: ${producerEpoch} partitionLeaderEpoch: ${partitionLeaderEpoch} ` +
        `isTransactional: ${(attributes & 0x10) !== 0} isControl: ${isControl} deleteHorizonMs: ${deleteHorizon}` +
        ` position: ${position} ${timestampType}: ${maxTimestamp} size: ${batch.size} magic: ${batch.magic} ` +
        `compresscodec: ${codecName(attributes & 0x07)} crc: ${crc} isvalid: ${valid}`
      );
    },
    async records() {
      if (count < 0) throw new DumpError(`Found invalid record count ${count} in magic v${batch.magic} batch`);
      const codec = attributes & 0x07;
      codecName(codec);
      const body = b.subarray(V2_HEADER, Math.max(batch.size, V2_HEADER));
      const payload = codec === 0 ? body : await decompress(codec, body);
      const logAppendTime = timestampType === 'LogAppendTime' ? maxTimestamp : null;
      return readV2Records(payload, count, baseOffset, baseTimestamp, baseSequence, logAppendTime);
    },
  };
}

/** DefaultRecord.readFrom, `count` times. */
function readV2Records(buf: Buffer, count: number, baseOffset: bigint, baseTimestamp: bigint, baseSequence: number, logAppendTime: bigint | null): DumpRecord[] {
  const r = new Reader(buf);
  const out: DumpRecord[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const bodySize = r.varint();
      if (r.remaining < bodySize) {
        throw new DumpError(`Invalid record size: expected ${bodySize} bytes in record payload, but instead the buffer has only ${r.remaining} remaining bytes.`);
      }
      const start = r.pos;
      r.int8();
      const timestampDelta = r.varlong();
      const offsetDelta = r.varint();
      const keySize = r.varint();
      const key = keySize < 0 ? null : r.bytes(keySize);
      const valueSize = r.varint();
      const value = valueSize < 0 ? null : r.bytes(valueSize);
      const headerCount = r.varint();
      if (headerCount < 0) throw new DumpError(`Found invalid number of record headers ${headerCount}`);
      const headerKeys: string[] = [];
      for (let h = 0; h < headerCount; h++) {
        const keyLength = r.varint();
        if (keyLength < 0) throw new DumpError(`Invalid negative header key size ${keyLength}`);
        headerKeys.push(r.bytes(keyLength).toString('utf8'));
        const valueLength = r.varint();
        if (valueLength >= 0) r.bytes(valueLength);
      }
      if (r.pos - start !== bodySize) {
        throw new DumpError(`Invalid record size: expected to read ${bodySize} bytes in record payload, but instead read ${r.pos - start}`);
      }
      out.push({
        offset: baseOffset + BigInt(offsetDelta),
        timestamp: logAppendTime ?? baseTimestamp + BigInt(timestampDelta),
        key,
        value,
        sequence: baseSequence >= 0 ? incrementSequence(baseSequence, offsetDelta) : NO_SEQUENCE,
        headerKeys,
      });
    }
  } catch (err) {
    if (err instanceof DumpError) throw err;
    throw new DumpError(`Failed to read a record: ${(err as Error).message}`);
  }
  return out;
}

// ---- legacy message sets (magic 0 and 1) -------------------------------------------------------

interface LegacyMessage {
  offset: bigint;
  magic: number;
  crc: number;
  valid: boolean;
  attributes: number;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

function crc32Ieee(buf: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(buf) >>> 0;
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The log entry (offset, size, message) at buf[at...]; returns it and where the next starts. */
function readLegacy(buf: Buffer, at: number): [LegacyMessage, number] {
  const r = new Reader(buf, at);
  try {
    const offset = r.int64();
    const size = r.int32();
    const start = r.pos;
    const end = start + size;
    const crc = r.uint32();
    const magic = r.int8();
    const attributes = r.int8();
    const timestamp = magic >= 1 ? r.int64() : -1n;
    const keySize = r.int32();
    const key = keySize < 0 ? null : r.bytes(keySize);
    const valueSize = r.int32();
    const value = valueSize < 0 ? null : r.bytes(valueSize);
    const valid = size >= RECORD_OVERHEAD_V0 && end <= buf.length && crc === crc32Ieee(buf.subarray(start + 4, end));
    return [{ offset, magic, crc, valid, attributes, timestamp, key, value }, end];
  } catch (err) {
    throw new DumpError(`Failed to read a legacy message: ${(err as Error).message}`);
  }
}

function legacyView(batch: FileBatch): BatchView {
  const [outer] = readLegacy(batch.bytes, 0);
  const timestampType = outer.magic === 0 ? 'NoTimestampType' : outer.attributes & 0x08 ? 'LogAppendTime' : 'CreateTime';
  const codec = outer.attributes & 0x07;
  const asRecord = (m: LegacyMessage, offset: bigint, timestamp: bigint): DumpRecord => ({ offset, timestamp, key: m.key, value: m.value, legacy: { valid: m.valid, crc: m.crc } });
  return {
    lastOffset: outer.offset,
    timestampType,
    isControl: false,
    describe(position) {
      return `offset: ${outer.offset} position: ${position} ${timestampType}: ${outer.timestamp} size: ${batch.size} magic: ${outer.magic} compresscodec: ${codecName(codec)} crc: ${outer.crc} isvalid: ${outer.valid}`;
    },
    async records() {
      if (codec === 0) return [asRecord(outer, outer.offset, outer.timestamp)];
      if (outer.value === null) return [];
      const inner = await decompress(codec, outer.value);
      const messages: LegacyMessage[] = [];
      for (let at = 0; at < inner.length; ) {
        const [m, next] = readLegacy(inner, at);
        messages.push(m);
        at = next;
      }
      const lastRelative = messages.at(-1)?.offset ?? 0n;
      const logAppendTime = outer.magic >= 1 && (outer.attributes & 0x08) !== 0;
      return messages.map((m) => asRecord(m, outer.magic >= 1 ? outer.offset - lastRelative + m.offset : m.offset, logAppendTime ? outer.timestamp : m.timestamp));
    },
  };
}

// ---- .log ----------------------------------------------------------------------------------

type Parsed = { key?: string; payload?: string };

function recordParser(opts: DumpOptions): (r: DumpRecord) => Parsed {
  if (opts.decoder === 'offsets') return (r) => decodeOffsetsRecord(r.offset, r.key, r.value);
  const { key, value } = opts.decoder;
  return (r) => ({
    key: r.key === null ? undefined : decode(key, r.key),
    payload: r.value === null ? undefined : decode(value, r.value),
  });
}

function decode(decoder: ValueDecoder, bytes: Buffer): string {
  switch (decoder) {
    case 'string': return bytes.toString('utf8');
    case 'integer':
      if (bytes.length < 4) throw new DumpError('java.nio.BufferUnderflowException');
      return String(bytes.readInt32BE(0));
    case 'long':
      if (bytes.length < 8) throw new DumpError('java.nio.BufferUnderflowException');
      return String(bytes.readBigInt64BE(0));
  }
}

const CONTROL_TYPES = ['ABORT', 'COMMIT', 'LEADER_CHANGE', 'SNAPSHOT_HEADER', 'SNAPSHOT_FOOTER', 'KRAFT_VERSION', 'KRAFT_VOTERS'];
const CONTROL_JSON: Record<number, [string, MessageSchema]> = {
  3: ['SnapshotHeader', SnapshotHeaderRecordSchema],
  4: ['SnapshotFooter', SnapshotFooterRecordSchema],
  5: ['KRaftVersion', KRaftVersionRecordSchema],
  6: ['KRaftVoters', VotersRecordSchema],
};

/** The text Kafka appends to a control record's line. */
function controlText(r: DumpRecord): string {
  const key = r.key;
  if (key === null || key.length < 4) {
    throw new DumpError(`Invalid value size found for end control record key. Must have at least 4 bytes, but found only ${key?.length ?? 0}`);
  }
  const version = key.readInt16BE(0);
  if (version < 0) throw new DumpError(`Invalid version found for control record: ${version}. May indicate data corruption`);
  const type = key.readInt16BE(2);
  if (type === 0 || type === 1) {
    const v = r.value;
    if (v === null || v.length < 6) throw new DumpError(`Invalid value size found for end transaction marker. Must have at least 6 bytes, but found only ${v?.length ?? 0}`);
    const markerVersion = v.readInt16BE(0);
    if (markerVersion < 0) throw new DumpError(`Invalid version found for end transaction marker: ${markerVersion}. May indicate data corruption`);
    return ` endTxnMarker: ${CONTROL_TYPES[type]} coordinatorEpoch: ${v.readInt32BE(2)}`;
  }
  const json = CONTROL_JSON[type];
  if (json !== undefined && r.value !== null) {
    const [label, schema] = json;
    try {
      const decoded = decodeStruct(new Reader(r.value), schema.fields, 0, isFlexible(schema, 0));
      const v = typeof decoded.version === 'number' ? decoded.version : 0;
      return ` ${label} ${stringifyJson(structToJson(schema.fields, decoded, v))}`;
    } catch (err) {
      throw new DumpError(`Failed to read the ${CONTROL_TYPES[type]} control record at offset ${r.offset}: ${(err as Error).message}`);
    }
  }
  return ` controlType: ${CONTROL_TYPES[type] ?? 'UNKNOWN'}(${type})`;
}

async function dumpLog(file: string, abs: string, cwd: string, opts: DumpOptions, out: Output, findings: Findings): Promise<void> {
  out.line(`Log starting offset: ${offsetOfName(basename(file))}`);
  const f = openForRead(file, cwd);
  try {
    const end = Math.min(f.size, opts.maxBytes);
    const parse = opts.printDataLog ? recordParser(opts) : null;
    let validBytes = 0;
    let lastOffset = -1n;
    for (const batch of fileBatches(f, 0, end)) {
      const view = viewOf(batch);
      out.line(view.describe(validBytes));
      if (opts.deepIteration) {
        for (const record of await view.records()) {
          if (lastOffset === -1n) lastOffset = record.offset;
          else if (record.offset !== lastOffset + 1n) push(findings.nonConsecutive, abs, [lastOffset, record.offset], true);
          lastOffset = record.offset;
          out.line(recordLine(record, view, batch.magic, opts, parse));
        }
      }
      validBytes += batch.size;
      await out.maybeFlush();
    }
    const trailing = end - validBytes;
    if (trailing > 0 && opts.maxBytes === INT_MAX) out.line(`Found ${trailing} invalid bytes at the end of ${basename(file)}`);
  } finally {
    closeSync(f.fd);
  }
}

function recordLine(record: DumpRecord, view: BatchView, magic: number, opts: DumpOptions, parse: ((r: DumpRecord) => Parsed) | null): string {
  let prefix = '| ';
  let line = '';
  if (!opts.skipRecordMetadata) {
    const keySize = record.key === null ? -1 : record.key.length;
    const valueSize = record.value === null ? -1 : record.value.length;
    line += `${prefix}offset: ${record.offset} ${view.timestampType}: ${record.timestamp} keySize: ${keySize} valueSize: ${valueSize}`;
    prefix = ' ';
    if (magic >= 2) line += ` sequence: ${record.sequence} headerKeys: [${record.headerKeys!.join(',')}]`;
    if (record.legacy) line += ` isValid: ${record.legacy.valid} crc: ${record.legacy.crc}}`;
    if (view.isControl) line += controlText(record);
  }
  if (parse !== null && !view.isControl) {
    const { key, payload } = parse(record);
    if (key !== undefined) {
      line += `${prefix}key: ${key}`;
      prefix = ' ';
    }
    if (payload !== undefined) line += ` payload: ${payload}`;
  }
  return line;
}

// ---- .index and .timeindex ------------------------------------------------------------------

interface OffsetEntries {
  offsets: bigint[];
  positions: number[];
  /** File length, for the sanity check. */
  length: number;
}

function readOffsetIndex(path: string, cwd: string, base: bigint): OffsetEntries {
  const f = openForRead(path, cwd);
  try {
    const entries = Math.floor(f.size / OFFSET_ENTRY);
    const bytes = entries > 0 ? readAt(f, 0, entries * OFFSET_ENTRY) : Buffer.alloc(0);
    const offsets: bigint[] = [];
    const positions: number[] = [];
    for (let i = 0; i < entries; i++) {
      offsets.push(base + BigInt(bytes.readInt32BE(i * OFFSET_ENTRY)));
      positions.push(bytes.readInt32BE(i * OFFSET_ENTRY + 4));
    }
    return { offsets, positions, length: f.size };
  } finally {
    closeSync(f.fd);
  }
}

/** OffsetIndex.lookup: the position of the last entry at or below `target`, else 0. */
function lookup(index: OffsetEntries, target: bigint): number {
  let lo = 0;
  let hi = index.offsets.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (index.offsets[mid]! <= target) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found < 0 ? 0 : index.positions[found]!;
}

/** FileRecords.slice's refusal of a position past the end. */
function checkSlice(log: OpenFile, position: number): void {
  if (position < 0) throw new DumpError(`Invalid position: ${position} in read from FileRecords(size=${log.size}, file=${log.path}, start=0, end=${log.size})`);
  if (position > log.size) throw new DumpError(`Slice from position ${position} exceeds end position of FileRecords(size=${log.size}, file=${log.path}, start=0, end=${log.size})`);
}

async function dumpIndex(file: string, abs: string, cwd: string, opts: DumpOptions, out: Output, findings: Findings): Promise<void> {
  const base = offsetOfName(basename(file));
  const log = openForRead(sibling(abs, '.log'), cwd);
  try {
    const index = readOffsetIndex(file, cwd, base);
    const entries = index.offsets.length;
    if (entries === 0) {
      out.line(`${file} is empty.`);
      return;
    }
    if (opts.indexSanityCheck) {
      const last = index.offsets[entries - 1]!;
      if (last < base) {
        throw new DumpError(`Corrupt index found, index file (${abs}) has non-zero size but the last offset is ${last} which is less than the base offset ${base}`);
      }
      if (index.length % OFFSET_ENTRY !== 0) {
        throw new DumpError(`Index file ${abs} is corrupt, found ${index.length} bytes which is neither positive nor a multiple of ${OFFSET_ENTRY}`);
      }
      out.line(`${file} passed sanity check.`);
      return;
    }
    for (let i = 0; i < entries; i++) {
      const offset = index.offsets[i]!;
      const position = index.positions[i]!;
      // A preallocated file left by a crash has zero entries past the real ones: stop there.
      if (offset === base && i > 0) return;
      checkSlice(log, position);
      const first = fileBatches(log, position, Math.min(log.size, position + opts.maxMessageSize)).next();
      if (first.done) throw new DumpError(`No record batch at position ${position} of ${log.path} (java.util.NoSuchElementException)`);
      const batchLast = viewOf(first.value).lastOffset;
      if (batchLast !== offset) push(findings.indexMismatches, abs, [offset, batchLast], true);
      if (!opts.verifyIndexOnly) out.line(`offset: ${offset} position: ${position}`);
      await out.maybeFlush();
    }
  } finally {
    closeSync(log.fd);
  }
}

async function dumpTimeIndex(file: string, abs: string, cwd: string, opts: DumpOptions, out: Output, findings: Findings): Promise<void> {
  const base = offsetOfName(basename(file));
  const log = openForRead(sibling(abs, '.log'), cwd);
  try {
    const index = readOffsetIndex(sibling(abs, '.index'), cwd, base);
    const f = openForRead(file, cwd);
    let bytes: Buffer;
    try {
      bytes = readAt(f, 0, Math.floor(f.size / TIME_ENTRY) * TIME_ENTRY);
    } finally {
      closeSync(f.fd);
    }
    const entries = bytes.length / TIME_ENTRY;
    const timestampAt = (i: number): bigint => bytes.readBigInt64BE(i * TIME_ENTRY);
    const offsetAt = (i: number): bigint => base + BigInt(bytes.readInt32BE(i * TIME_ENTRY + 8));
    if (opts.indexSanityCheck) {
      if (entries > 0) {
        const lastTimestamp = timestampAt(entries - 1);
        if (lastTimestamp < timestampAt(0)) {
          throw new DumpError(`Corrupt time index found, time index file (${abs}) has non-zero size but the last timestamp is ${lastTimestamp} which is less than the first timestamp ${timestampAt(0)}`);
        }
        const lastOffset = offsetAt(entries - 1);
        if (lastOffset < base) {
          throw new DumpError(`Corrupt time index found, time index file (${abs}) has non-zero size but the last offset is ${lastOffset} which is less than the first offset ${base}`);
        }
      }
      if (f.size % TIME_ENTRY !== 0) throw new DumpError(`Time index file ${abs} is corrupt, found ${f.size} bytes which is neither positive nor a multiple of ${TIME_ENTRY}`);
      out.line(`${file} passed sanity check.`);
      return;
    }
    let prevTimestamp = -1n;
    for (let i = 0; i < entries; i++) {
      const timestamp = timestampAt(i);
      const offset = offsetAt(i);
      if (offset === base && i > 0) return;
      const position = lookup(index, offset);
      checkSlice(log, position);
      let match: BatchView | null = null;
      for (const batch of fileBatches(log, position, log.size)) {
        const view = viewOf(batch);
        if (view.lastOffset >= offset) {
          match = view;
          break;
        }
      }
      if (match === null) {
        push(findings.notFound, abs, [offset, -1n]);
      } else if (match.lastOffset !== offset) {
        push(findings.notFound, abs, [offset, match.lastOffset]);
      } else {
        let max = -1n;
        for (const r of await match.records()) if (r.timestamp > max) max = r.timestamp;
        if (max !== timestamp) push(findings.timestampMismatches, abs, [timestamp, max]);
        if (prevTimestamp >= timestamp) push(findings.outOfOrder, abs, [timestamp, prevTimestamp]);
      }
      if (!opts.verifyIndexOnly) out.line(`timestamp: ${timestamp} offset: ${offset}`);
      prevTimestamp = timestamp;
      await out.maybeFlush();
    }
  } finally {
    closeSync(log.fd);
  }
}

// ---- .txnindex -------------------------------------------------------------------------------

/** A producer-state snapshot, one line per producer; a damaged one is reported on stderr, as Kafka does. */
async function dumpProducerSnapshot(file: string, cwd: string, out: Output, sink: DumpSink): Promise<void> {
  const f = openForRead(file, cwd);
  let entries: ProducerSnapshotEntry[];
  try {
    entries = decodeProducerSnapshot(readAt(f, 0, f.size));
  } catch (err) {
    if (!(err instanceof ProducerSnapshotError)) throw err;
    await out.flush();
    await sink.err(`${err.message}\n`);
    return;
  } finally {
    closeSync(f.fd);
  }
  for (const e of entries) {
    let line = `producerId: ${e.producerId} producerEpoch: ${e.epoch} coordinatorEpoch: ${e.coordinatorEpoch} currentTxnFirstOffset: ${e.currentTxnFirstOffset} lastTimestamp: ${e.timestamp}`;
    if (e.lastOffset >= 0n) {
      line += ` firstSequence: ${firstSequenceOf(e)} lastSequence: ${e.lastSequence} lastOffset: ${e.lastOffset} offsetDelta: ${e.offsetDelta} timestamp: ${e.timestamp}`;
    }
    out.line(line);
  }
}

function dumpTxnIndex(file: string, abs: string, cwd: string, out: Output): void {
  offsetOfName(basename(file));
  let f: OpenFile;
  try {
    f = openForRead(file, cwd);
  } catch {
    return; // Kafka's TransactionIndex reads a missing file as empty
  }
  try {
    const entries = Math.floor(f.size / TXN_ENTRY);
    const bytes = readAt(f, 0, entries * TXN_ENTRY);
    for (let i = 0; i < entries; i++) {
      const at = i * TXN_ENTRY;
      const version = bytes.readInt16BE(at);
      if (version > 0) throw new DumpError(`Unexpected aborted transaction version ${version} in transaction index ${abs}, current version is 0`);
      out.line(
        `version: ${version} producerId: ${bytes.readBigInt64BE(at + 2)} firstOffset: ${bytes.readBigInt64BE(at + 10)} ` +
          `lastOffset: ${bytes.readBigInt64BE(at + 18)} lastStableOffset: ${bytes.readBigInt64BE(at + 26)}`,
      );
    }
  } finally {
    closeSync(f.fd);
  }
}
