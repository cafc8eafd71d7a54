// Java .properties files, read as java.util.Properties.load does: ISO-8859-1 bytes, `#`/`!`
// comments, `key=value`, `key: value` or `key value`, backslash escapes and line continuations,
// \uXXXX escapes. Windows line endings are accepted.
import { readFileSync } from 'node:fs';

export type Properties = Map<string, string>;

export function parseProperties(text: string): Properties {
  const props: Properties = new Map();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^[ \t\f]+/, '');
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    // An odd number of trailing backslashes continues the logical line on the next one.
    while (endsWithContinuation(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1);
    const [key, value] = splitKeyValue(line);
    props.set(unescape(key), unescape(value));
  }
  return props;
}

function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function splitKeyValue(line: string): [string, string] {
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    i++;
  }
  const key = line.slice(0, i);
  let j = i;
  while (j < line.length && (line[j] === ' ' || line[j] === '\t' || line[j] === '\f')) j++;
  if (j < line.length && (line[j] === '=' || line[j] === ':')) j++;
  while (j < line.length && (line[j] === ' ' || line[j] === '\t' || line[j] === '\f')) j++;
  return [key, line.slice(j)];
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === undefined) break;
    switch (n) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        const hex = s.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`Malformed \\uxxxx encoding: \\u${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default: out += n;
    }
  }
  return out;
}

/** Reads a properties file (ISO-8859-1, as Java does). */
export function readPropertiesFile(path: string): Properties {
  return parseProperties(readFileSync(path, 'latin1'));
}

/**
 * `key=value` items from the command line (--override, --property, --producer-property):
 * split on the first `=`, a missing value is "", no escape processing.
 */
export function parseKeyValueList(items: readonly string[]): Properties {
  const props: Properties = new Map();
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) props.set(item, '');
    else props.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return props;
}
