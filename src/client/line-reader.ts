// The console producer's line format (Kafka's LineMessageReader): one record per line,
// `[<headers><headers.delimiter>][<key><key.separator>]<value>`, headers as
// `k1:v1,k2:v2`. Configured from reader properties (`--property`, `--reader-config`); every
// separator is a literal string except headers.separator, which Kafka compiles as a regex.
//
// Lines are parsed as bytes: UTF-8 is self-synchronising, so searching for a separator's bytes
// finds exactly where Java's String.indexOf would split, and key and value stay views into the
// input line. Only the headers section (where the separator is a regex) is decoded to text.
import { KtoolError } from '../errors.js';
import type { RecordHeader } from '../protocol/records/records.js';

export interface LineReaderConfig {
  parseKey: boolean;
  keySeparator: string;
  parseHeaders: boolean;
  headersDelimiter: string;
  headersSeparator: RegExp;
  headersKeySeparator: string;
  ignoreError: boolean;
  nullMarker?: string;
  /** The separators and the null marker as UTF-8 bytes, for parseLineBytes. */
  keySeparatorBytes: Buffer;
  headersDelimiterBytes: Buffer;
  nullMarkerBytes?: Buffer;
}

/** One line as a record: key and value are views into the line. */
export interface LineRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** Shared and empty when the line has no headers: treat as read-only. */
  headers: RecordHeader[];
}

export interface ParsedLine {
  key: string | null;
  value: string | null;
  headers: Array<[key: string, value: string | null]>;
}

/** Java `Boolean.parseBoolean(s.trim())`-style flag. */
export const isTrue = (v: string | undefined): boolean => v !== undefined && v.trim().toLowerCase() === 'true';

const readerError = (message: string): KtoolError => new KtoolError('READER_ERROR', message);

export function lineReaderConfig(props: ReadonlyMap<string, string>): LineReaderConfig {
  const keySeparator = props.get('key.separator') ?? '\t';
  const headersDelimiter = props.get('headers.delimiter') ?? '\t';
  const headersSeparatorText = props.get('headers.separator') ?? ',';
  const headersKeySeparator = props.get('headers.key.separator') ?? ':';
  const nullMarker = props.get('null.marker');

  if (headersDelimiter === headersSeparatorText) throw readerError('headers.delimiter and headers.separator may not be equal');
  if (headersDelimiter === headersKeySeparator) throw readerError('headers.delimiter and headers.key.separator may not be equal');
  if (headersSeparatorText === headersKeySeparator) throw readerError('headers.separator and headers.key.separator may not be equal');
  if (nullMarker !== undefined) {
    for (const [name, sep] of [['key.separator', keySeparator], ['headers.delimiter', headersDelimiter], ['headers.separator', headersSeparatorText], ['headers.key.separator', headersKeySeparator]] as const) {
      if (nullMarker === sep) throw readerError(`null.marker and ${name} may not be equal`);
    }
  }
  let headersSeparator: RegExp;
  try {
    headersSeparator = new RegExp(headersSeparatorText);
  } catch {
    throw readerError(`headers.separator '${headersSeparatorText}' is not a valid regular expression`);
  }
  return {
    parseKey: isTrue(props.get('parse.key')),
    keySeparator,
    parseHeaders: isTrue(props.get('parse.headers')),
    headersDelimiter,
    headersSeparator,
    headersKeySeparator,
    ignoreError: isTrue(props.get('ignore.error')),
    nullMarker,
    keySeparatorBytes: Buffer.from(keySeparator, 'utf8'),
    headersDelimiterBytes: Buffer.from(headersDelimiter, 'utf8'),
    nullMarkerBytes: nullMarker === undefined ? undefined : Buffer.from(nullMarker, 'utf8'),
  };
}

/** Java `Pattern.split`: a leading empty part only for a non-empty match, trailing empties dropped. */
function javaSplit(text: string, re: RegExp): string[] {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const parts: string[] = [];
  let last = 0;
  for (const m of text.matchAll(global)) {
    if (m[0].length === 0 && m.index === 0) continue;
    if (m[0].length === 0 && m.index === last && m.index === text.length) break;
    parts.push(text.slice(last, m.index));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  if (parts.length === 1) return parts; // no match: the input itself, even if empty
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const NO_HEADERS: RecordHeader[] = [];

const isNullMarker = (bytes: Buffer, cfg: LineReaderConfig): boolean =>
  cfg.nullMarkerBytes !== undefined && bytes.length === cfg.nullMarkerBytes.length && bytes.equals(cfg.nullMarkerBytes);

/** Whether a line needs no parsing: it is all value (no parse.key, no parse.headers). */
export const isValueOnly = (cfg: LineReaderConfig): boolean => !cfg.parseKey && !cfg.parseHeaders;

/** Whether bytes[start, end) is the null marker (for value-only lines, given as ranges). */
export function isNullMarkerAt(bytes: Uint8Array, start: number, end: number, cfg: LineReaderConfig): boolean {
  const marker = cfg.nullMarkerBytes;
  if (marker === undefined || end - start !== marker.length) return false;
  for (let i = 0; i < marker.length; i++) if (bytes[start + i] !== marker[i]) return false;
  return true;
}

/** The bytes from `from` up to `marker`; null when the section is off, or missing under ignore.error. */
function section(line: Buffer, lineNumber: number, cfg: LineReaderConfig, from: number, marker: Buffer, what: string): Buffer | null {
  const at = line.indexOf(marker, from);
  if (at < 0) {
    if (cfg.ignoreError) return null;
    throw readerError(`No ${what} found on line number ${lineNumber}: '${line.toString('utf8')}'`);
  }
  return line.subarray(from, at);
}

/** `k1:v1,k2:v2` (separators per the config) as record headers. */
function parseHeaders(text: string, lineNumber: number, cfg: LineReaderConfig): RecordHeader[] {
  const headers: RecordHeader[] = [];
  for (const pair of javaSplit(text, cfg.headersSeparator)) {
    const at = pair.indexOf(cfg.headersKeySeparator);
    if (at < 0) {
      if (!cfg.ignoreError) throw readerError(`No header key separator found in pair '${pair}' on line number ${lineNumber}`);
      headers.push({ key: pair, value: null });
      continue;
    }
    const key = pair.slice(0, at);
    if (cfg.nullMarker !== undefined && key === cfg.nullMarker) {
      throw readerError(`Header keys should not be equal to the null marker '${cfg.nullMarker}' as they can't be null`);
    }
    const value = pair.slice(at + cfg.headersKeySeparator.length);
    headers.push({ key, value: value === cfg.nullMarker ? null : Buffer.from(value, 'utf8') });
  }
  return headers;
}

/**
 * Parses one line (its bytes, without the terminator; valid UTF-8 as text-lines.ts delivers it).
 * `lineNumber` counts from 1 for error messages.
 */
export function parseLineBytes(line: Buffer, lineNumber: number, cfg: LineReaderConfig): LineRecord {
  if (!cfg.parseHeaders && !cfg.parseKey) {
    return { key: null, value: isNullMarker(line, cfg) ? null : line, headers: NO_HEADERS };
  }
  const headersBytes = cfg.parseHeaders ? section(line, lineNumber, cfg, 0, cfg.headersDelimiterBytes, 'headers delimiter') : null;
  const headersEnd = headersBytes === null ? 0 : headersBytes.length + cfg.headersDelimiterBytes.length;
  const key = cfg.parseKey ? section(line, lineNumber, cfg, headersEnd, cfg.keySeparatorBytes, 'key separator') : null;
  const keyEnd = key === null ? 0 : key.length + cfg.keySeparatorBytes.length;
  const value = line.subarray(headersEnd + keyEnd);
  const headers = headersBytes === null || isNullMarker(headersBytes, cfg) ? NO_HEADERS : parseHeaders(headersBytes.toString('utf8'), lineNumber, cfg);
  return {
    key: key === null || isNullMarker(key, cfg) ? null : key,
    value: isNullMarker(value, cfg) ? null : value,
    headers,
  };
}

/** parseLineBytes on text, with text results. */
export function parseLine(line: string, lineNumber: number, cfg: LineReaderConfig): ParsedLine {
  const r = parseLineBytes(Buffer.from(line, 'utf8'), lineNumber, cfg);
  const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));
  return { key: text(r.key), value: text(r.value), headers: r.headers.map((h) => [h.key, text(h.value)]) };
}
