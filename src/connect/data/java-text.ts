// How Java prints values, for the places where Connect's output is Java's toString: JSON numbers
// (Jackson writes Float/Double.toString), StringConverter (value.toString()), Struct.toString and
// error messages that name a Java class.
//
// Doubles and floats are printed with the shortest digits (at least two) that read back to the same
// value, which is what JDK 19 and later print. Older JDKs occasionally print one more digit.

import type { Schema } from './schema.js';

/** Java's Double.toString. */
export function javaDoubleToString(value: number): string {
  return formatJavaFloating(value, shortestDoubleDigits);
}

/** Java's Float.toString (the value is first rounded to float32, as a Java float would be). */
export function javaFloatToString(value: number): string {
  return formatJavaFloating(Math.fround(value), shortestFloatDigits);
}

type DigitsAndExponent = { digits: string; exponent: number };

function formatJavaFloating(value: number, shortest: (v: number) => DigitsAndExponent): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const magnitude = Math.abs(value);
  let { digits, exponent } = shortest(magnitude);
  // Java always renders two significant digits, and the second is the correctly rounded one:
  // Double.MIN_VALUE is 4.9E-324, not 5.0E-324.
  if (digits.length === 1) ({ digits, exponent } = splitExponential(magnitude.toExponential(1)));
  // Java: plain notation for 10^-3 <= |v| < 10^7, otherwise d.dddE±n; always a digit after the point.
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const frac = digits.slice(exponent + 1) || '0';
      return sign + intPart + '.' + frac;
    }
    return sign + '0.' + '0'.repeat(-exponent - 1) + digits;
  }
  const mantissa = digits[0] + '.' + (digits.slice(1) || '0');
  return sign + mantissa + 'E' + exponent;
}

/** Shortest round-trip digits of a positive double, from JS's own shortest formatting. */
function shortestDoubleDigits(v: number): DigitsAndExponent {
  return splitExponential(v.toExponential());
}

/** Shortest digits that read back (through float32 rounding) to the same float. */
function shortestFloatDigits(v: number): DigitsAndExponent {
  for (let precision = 1; precision <= 9; precision++) {
    const text = v.toExponential(precision - 1);
    if (Math.fround(Number(text)) === v) return splitExponential(text);
  }
  return splitExponential(v.toExponential(8));
}

function splitExponential(text: string): DigitsAndExponent {
  const [mantissa, exp] = text.split('e') as [string, string];
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, exponent: Number(exp) };
}

/** The Java class a Connect value would have, as `value.getClass()` prints it ("class java.lang.String"). */
export function javaClassOf(value: unknown): string {
  return 'class ' + javaClassName(value);
}

export function javaClassName(value: unknown): string {
  switch (typeof value) {
    case 'string': return 'java.lang.String';
    case 'boolean': return 'java.lang.Boolean';
    case 'bigint': return 'java.lang.Long';
    case 'number':
      if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) return 'java.lang.Integer';
      if (Number.isSafeInteger(value)) return 'java.lang.Long';
      return 'java.lang.Double';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof Uint8Array) return '[B';
      if (Array.isArray(value)) return 'java.util.ArrayList';
      if (value instanceof Map) return 'java.util.HashMap';
      if (value instanceof Date) return 'java.util.Date';
      const named = (value as { constructor?: { javaClassName?: unknown } }).constructor?.javaClassName;
      if (typeof named === 'string') return named;
      if (Object.getPrototypeOf(value) === Object.prototype) return 'java.util.HashMap';
      return (value as object).constructor?.name ?? 'java.lang.Object';
    }
    default: return typeof value;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date.toString in a UTC JVM ("Thu Jan 01 00:00:00 UTC 1970"). */
export function javaDateToString(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/**
 * `String.valueOf(value)` for a Connect value. A schema, when known, says how a JS number was typed
 * in Java (FLOAT64 prints "1.0", INT32 prints "1"); without one, integral numbers print as integers.
 */
export function javaToString(value: unknown, schema?: Schema | null): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string': return value;
    case 'boolean':
    case 'bigint': return String(value);
    case 'number':
      if (schema?.type === 'FLOAT32') return javaFloatToString(value);
      if (schema?.type === 'FLOAT64' || !Number.isInteger(value)) return javaDoubleToString(value);
      return String(value);
  }
  if (value instanceof Uint8Array) return '[B@' + contentHash(value);
  if (value instanceof Date) return javaDateToString(value);
  if (Array.isArray(value)) return '[' + value.map((v) => javaToString(v, schema?.valueSchema)).join(', ') + ']';
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [k, v] of value) parts.push(javaToString(k, schema?.keySchema) + '=' + javaToString(v, schema?.valueSchema));
    return '{' + parts.join(', ') + '}';
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return '{' + Object.entries(value).map(([k, v]) => k + '=' + javaToString(v, schema?.valueSchema)).join(', ') + '}';
  }
  return String(value);
}

/** Java prints byte[] as "[B@" + identity hash; a content hash keeps the shape and is deterministic. */
function contentHash(bytes: Uint8Array): string {
  let h = 1;
  for (const b of bytes) h = (Math.imul(31, h) + ((b << 24) >> 24)) | 0;
  return (h >>> 0).toString(16);
}
