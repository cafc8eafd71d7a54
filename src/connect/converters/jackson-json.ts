// JSON as Java Connect's JsonConverter sees it through Jackson: a tree that keeps what JSON.parse
// loses (integer vs. floating number, exact digits, big integers), a strict parser, and a writer that
// produces Jackson's exact bytes.
//
// Parsing follows JsonConverter's Jackson setup: integers stay exact (Java int/long/BigInteger),
// other numbers are exact decimals (USE_BIG_DECIMAL_FOR_FLOATS), duplicate keys keep the first
// position and the last value, and a UTF-8 BOM is skipped.
//
// Writing follows Jackson's UTF8JsonGenerator defaults: no whitespace; only `"`, `\` and control
// characters are escaped (\b \t \n \f \r short, others \u00XX with upper-case hex); every UTF-16
// surrogate, paired or not, is written as a \uXXXX escape (Jackson does not combine pairs into
// 4-byte UTF-8 by default); doubles and floats as Java's toString, NaN and infinities as strings;
// binary as standard padded base64.

import { BigDecimal } from '../data/big-decimal.js';
import { javaDoubleToString, javaFloatToString } from '../data/java-text.js';

export type JsonNode =
  | { readonly t: 'null' }
  | { readonly t: 'boolean'; readonly v: boolean }
  /** An integral number (Jackson's IntNode/LongNode/BigIntegerNode). */
  | { readonly t: 'int'; readonly v: bigint }
  /** A number with a fraction or exponent, exact (Jackson's DecimalNode). */
  | { readonly t: 'decimal'; readonly v: BigDecimal }
  /** Written as Java's Double.toString. */
  | { readonly t: 'double'; readonly v: number }
  /** Written as Java's Float.toString. */
  | { readonly t: 'float'; readonly v: number }
  | { readonly t: 'string'; readonly v: string }
  /** Written as base64 text (Jackson's BinaryNode). */
  | { readonly t: 'binary'; readonly v: Uint8Array }
  | { readonly t: 'array'; readonly items: JsonNode[] }
  | { readonly t: 'object'; readonly fields: Map<string, JsonNode> };

export const NULL_NODE: JsonNode = Object.freeze({ t: 'null' });

/** Jackson's JsonNodeType names, used in Connect's error messages. */
export function nodeTypeName(node: JsonNode | undefined): string {
  if (node === undefined) return 'MISSING';
  switch (node.t) {
    case 'null': return 'NULL';
    case 'boolean': return 'BOOLEAN';
    case 'int':
    case 'decimal':
    case 'double':
    case 'float': return 'NUMBER';
    case 'string': return 'STRING';
    case 'binary': return 'BINARY';
    case 'array': return 'ARRAY';
    case 'object': return 'OBJECT';
  }
}

/** A JSON syntax error, with the byte offset where it was found. */
export class JsonParseError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'JsonParseError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Parses JSON bytes into a tree. Empty (or all-whitespace) input gives undefined, as Jackson's
 * readTree gives a "missing" node. Content after the first complete value is ignored, as Jackson
 * does by default, except that a top-level number must end at whitespace or the end.
 */
export function parseJson(bytes: Uint8Array): JsonNode | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes); // fatal: invalid UTF-8 is an error; a leading BOM is dropped.
  } catch {
    throw new JsonParseError('Invalid UTF-8', 0);
  }
  const p = new Parser(text);
  p.skipWhitespace();
  if (p.atEnd()) return undefined;
  const startsWithNumber = /[-0-9]/.test(text[p.pos]!);
  const node = p.value(0);
  if (startsWithNumber && !p.atEnd() && !/[ \t\r\n]/.test(text[p.pos]!)) {
    throw new JsonParseError(`Unexpected character (${describeChar(text[p.pos]!)})`, p.pos);
  }
  return node;
}

function describeChar(ch: string): string {
  return `'${ch}' (code ${ch.codePointAt(0)})`;
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

// Deep nesting is refused before the JS stack would be (Jackson's default limit is 1000).
const MAX_DEPTH = 1000;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean { return this.pos >= this.s.length; }

  skipWhitespace(): void {
    while (this.pos < this.s.length) {
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private fail(message: string): never {
    throw new JsonParseError(message, this.pos);
  }

  private unexpected(what: string): never {
    if (this.atEnd()) this.fail(`Unexpected end-of-input ${what}`);
    this.fail(`Unexpected character (${describeChar(this.s[this.pos]!)}): ${what}`);
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`Document nesting depth exceeds the maximum allowed (${MAX_DEPTH})`);
    const c = this.s[this.pos];
    switch (c) {
      case '{': return this.object(depth);
      case '[': return this.array(depth);
      case '"': return { t: 'string', v: this.string() };
      case 't': return this.literal('true', { t: 'boolean', v: true });
      case 'f': return this.literal('false', { t: 'boolean', v: false });
      case 'n': return this.literal('null', NULL_NODE);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.unexpected('expected a valid value (JSON String, Number, Array, Object or token \'null\', \'true\' or \'false\')');
    }
  }

  private literal(word: string, node: JsonNode): JsonNode {
    if (this.s.startsWith(word, this.pos)) {
      const after = this.s[this.pos + word.length];
      // "trueX" is one bad token to Jackson, not "true" followed by garbage.
      if (after === undefined || !/[A-Za-z0-9_$]/.test(after)) {
        this.pos += word.length;
        return node;
      }
    }
    return this.fail(`Unrecognized token '${this.s.slice(this.pos).match(/^[A-Za-z0-9_$]*/)![0]}': was expecting ('true', 'false' or 'null')`);
  }

  private number(): JsonNode {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.s);
    if (!m) this.fail('Invalid numeric value: expected digit');
    const text = m[0];
    const next = this.s[this.pos + text.length];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) this.fail('Invalid numeric value: malformed number');
    this.pos += text.length;
    if (m[2] === undefined && m[3] === undefined) return { t: 'int', v: BigInt(text) };
    return { t: 'decimal', v: BigDecimal.parse(text) };
  }

  private string(): string {
    const s = this.s;
    this.pos++; // opening quote
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= s.length) this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) {
        out += s.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail(`Illegal unquoted character (CTRL-CHAR, code ${c}): has to be escaped using backslash to be included in string value`);
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += s.slice(start, this.pos);
      const e = s[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = s.slice(this.pos, this.pos + 4);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('Unexpected character in Unicode escape: expected a hex-digit');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.pos -= 1;
          this.fail(`Unrecognized character escape ${e === undefined ? 'at end-of-input' : describeChar(e)}`);
      }
      start = this.pos;
    }
  }

  private array(depth: number): JsonNode {
    this.pos++;
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return { t: 'array', items };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      const c = this.s[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === ']') { this.pos++; return { t: 'array', items }; }
      this.unexpected('was expecting comma to separate Array entries');
    }
  }

  private object(depth: number): JsonNode {
    this.pos++;
    const fields = new Map<string, JsonNode>();
    this.skipWhitespace();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return { t: 'object', fields };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.s[this.pos] !== '"') this.unexpected('was expecting double-quote to start field name');
      const key = this.string();
      this.skipWhitespace();
      if (this.s[this.pos] !== ':') this.unexpected("was expecting a colon to separate field name and value");
      this.pos++;
      this.skipWhitespace();
      fields.set(key, this.value(depth + 1));
      this.skipWhitespace();
      const c = this.s[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === '}') { this.pos++; return { t: 'object', fields }; }
      this.unexpected('was expecting comma to separate Object entries');
    }
  }
}

const HEX = '0123456789ABCDEF';

/** Jackson's string escaping (see the module comment). */
export function quoteJsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20) {
      switch (c) {
        case 0x08: esc = '\\b'; break;
        case 0x09: esc = '\\t'; break;
        case 0x0a: esc = '\\n'; break;
        case 0x0c: esc = '\\f'; break;
        case 0x0d: esc = '\\r'; break;
        default: esc = '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      }
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (c >= 0xd800 && c <= 0xdfff) esc = '\\u' + HEX[c >> 12] + HEX[(c >> 8) & 0xf] + HEX[(c >> 4) & 0xf] + HEX[c & 0xf];
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** The JSON text of a tree, byte-for-byte as Jackson writes it (encode with UTF-8). */
export function writeJson(node: JsonNode): string {
  switch (node.t) {
    case 'null': return 'null';
    case 'boolean': return node.v ? 'true' : 'false';
    case 'int': return node.v.toString();
    case 'decimal': return node.v.toString();
    case 'double': return Number.isFinite(node.v) ? javaDoubleToString(node.v) : '"' + javaDoubleToString(node.v) + '"';
    case 'float': return Number.isFinite(node.v) ? javaFloatToString(node.v) : '"' + javaFloatToString(node.v) + '"';
    case 'string': return quoteJsonString(node.v);
    case 'binary': return '"' + Buffer.from(node.v.buffer, node.v.byteOffset, node.v.byteLength).toString('base64') + '"';
    case 'array': return '[' + node.items.map(writeJson).join(',') + ']';
    case 'object': {
      const parts: string[] = [];
      for (const [k, v] of node.fields) parts.push(quoteJsonString(k) + ':' + writeJson(v));
      return '{' + parts.join(',') + '}';
    }
  }
}

/** UTF-8 bytes of writeJson (every surrogate is already escaped, so no replacement characters). */
export function serializeJson(node: JsonNode): Buffer {
  return Buffer.from(writeJson(node), 'utf8');
}

// ---- Jackson's lenient accessors: JsonConverter reads values through them without type checks,
// so a mistyped payload becomes 0 / false / null rather than an error, exactly as in Java.

function integralOf(node: JsonNode): bigint | undefined {
  switch (node.t) {
    case 'int': return node.v;
    case 'decimal': {
      const { unscaled, scale } = node.v;
      // 10^k has 2^k as a factor, so for k >= 64 the low 64 bits (all Java keeps) are zero.
      if (scale <= -64) return 0n;
      if (scale <= 0) return unscaled * 10n ** BigInt(-scale);
      const digits = (unscaled < 0n ? -unscaled : unscaled).toString().length;
      return scale > digits ? 0n : unscaled / 10n ** BigInt(scale);
    }
    case 'double':
    case 'float': return Number.isFinite(node.v) ? BigInt(Math.trunc(node.v)) : 0n;
    default: return undefined;
  }
}

/** JsonNode.intValue(): numbers truncated and wrapped to 32 bits; anything else 0. */
export function intValue(node: JsonNode): number {
  const v = integralOf(node);
  return v === undefined ? 0 : Number(BigInt.asIntN(32, v));
}

/** JsonNode.longValue(): numbers truncated and wrapped to 64 bits; anything else 0. */
export function longValue(node: JsonNode): bigint {
  const v = integralOf(node);
  return v === undefined ? 0n : BigInt.asIntN(64, v);
}

/** JsonNode.doubleValue(): the nearest double for numbers; anything else 0. */
export function doubleValue(node: JsonNode): number {
  switch (node.t) {
    case 'int': return Number(node.v);
    case 'decimal': return Number(node.v.toString());
    case 'double':
    case 'float': return node.v;
    default: return 0;
  }
}

/** JsonNode.isInt(): an integral number that fits in 32 bits (Jackson's IntNode). */
export function isInt(node: JsonNode): boolean {
  return node.t === 'int' && node.v >= -2147483648n && node.v <= 2147483647n;
}

export function isNumber(node: JsonNode): boolean {
  return node.t === 'int' || node.t === 'decimal' || node.t === 'double' || node.t === 'float';
}

const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * JsonNode.binaryValue(): base64 text decoded (standard alphabet, padding required, whitespace
 * skipped), binary as is, anything else null. Throws on malformed base64.
 */
export function binaryValue(node: JsonNode): Buffer | null {
  if (node.t === 'binary') return Buffer.from(node.v);
  if (node.t !== 'string') return null;
  const compact = node.v.replace(/[\u0000-\u0020]/g, '');
  if (!BASE64_TEXT.test(compact)) throw new Error('Illegal base64 content: ' + JSON.stringify(node.v.slice(0, 40)));
  return Buffer.from(compact, 'base64');
}
