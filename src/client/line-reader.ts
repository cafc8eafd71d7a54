// The console producer's line format (Kafka's LineMessageReader): one record per line,
// `[<headers><headers.delimiter>][<key><key.separator>]<value>`, headers as
// `k1:v1,k2:v2`. Configured from reader properties (`--property`, `--reader-config`); every
// separator is a literal string except headers.separator, which Kafka compiles as a regex.
import { KtoolError } from '../errors.js';

export interface LineReaderConfig {
  parseKey: boolean;
  keySeparator: string;
  parseHeaders: boolean;
  headersDelimiter: string;
  headersSeparator: RegExp;
  headersKeySeparator: string;
  ignoreError: boolean;
  nullMarker?: string;
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

/** Parses one line (without its terminator); `lineNumber` counts from 1 for error messages. */
export function parseLine(line: string, lineNumber: number, cfg: LineReaderConfig): ParsedLine {
  const section = (enabled: boolean, from: number, marker: string, what: string): string | null => {
    if (!enabled) return null;
    const at = line.indexOf(marker, from);
    if (at < 0) {
      if (cfg.ignoreError) return null;
      throw readerError(`No ${what} found on line number ${lineNumber}: '${line}'`);
    }
    return line.slice(from, at);
  };
  const headersText = section(cfg.parseHeaders, 0, cfg.headersDelimiter, 'headers delimiter');
  const headersEnd = headersText === null ? 0 : headersText.length + cfg.headersDelimiter.length;
  const key = section(cfg.parseKey, headersEnd, cfg.keySeparator, 'key separator');
  const keyEnd = key === null ? 0 : key.length + cfg.keySeparator.length;
  const value = line.slice(headersEnd + keyEnd);

  const headers: ParsedLine['headers'] = [];
  if (headersText !== null && headersText !== cfg.nullMarker) {
    for (const pair of javaSplit(headersText, cfg.headersSeparator)) {
      const at = pair.indexOf(cfg.headersKeySeparator);
      if (at < 0) {
        if (!cfg.ignoreError) throw readerError(`No header key separator found in pair '${pair}' on line number ${lineNumber}`);
        headers.push([pair, null]);
        continue;
      }
      const headerKey = pair.slice(0, at);
      if (cfg.nullMarker !== undefined && headerKey === cfg.nullMarker) {
        throw readerError(`Header keys should not be equal to the null marker '${cfg.nullMarker}' as they can't be null`);
      }
      const headerValue = pair.slice(at + cfg.headersKeySeparator.length);
      headers.push([headerKey, headerValue === cfg.nullMarker ? null : headerValue]);
    }
  }
  return {
    key: key === null || key === cfg.nullMarker ? null : key,
    value: value === cfg.nullMarker ? null : value,
    headers,
  };
}
