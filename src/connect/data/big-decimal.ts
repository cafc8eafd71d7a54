// The value of Connect's Decimal logical type: Java's java.math.BigDecimal reduced to what Connect
// needs, an arbitrary-precision unscaled integer and a scale (value = unscaled × 10^-scale).
// As in Java, 1.5 (15, scale 1) and 1.50 (150, scale 2) are different values: the scale is part of
// the data, and Decimal's bytes encoding only accepts the schema's scale.

import { DataException } from './errors.js';

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export class BigDecimal {
  static readonly javaClassName = 'java.math.BigDecimal';
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    if (!Number.isInteger(scale) || scale > 2147483647 || scale < -2147483648) {
      throw new DataException('Invalid BigDecimal scale: ' + scale);
    }
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /** Parses decimal text as Java's `new BigDecimal(String)` does: "1.50" keeps scale 2, "1E+2" has scale -2. */
  static parse(text: string): BigDecimal {
    const m = DECIMAL_TEXT.exec(text);
    if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
      throw new DataException(`Invalid decimal number: ${JSON.stringify(text)}`);
    }
    const [, sign, intPart, fracPart = '', exp] = m;
    const digits = (intPart ?? '') + fracPart;
    const unscaled = BigInt(sign === '-' ? '-' + digits : digits);
    return new BigDecimal(unscaled, fracPart.length - (exp === undefined ? 0 : Number(exp)));
  }

  /** Java's BigDecimal.valueOf(long) / valueOf(double) for convenience in tests and connectors. */
  static from(value: number | bigint | string): BigDecimal {
    if (typeof value === 'bigint') return new BigDecimal(value, 0);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new DataException('Invalid decimal number: ' + value);
      if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return new BigDecimal(BigInt(value), 0);
      return BigDecimal.parse(String(value));
    }
    return BigDecimal.parse(value);
  }

  /** Java's BigDecimal.toString: plain unless the exponent is large or very negative. */
  toString(): string {
    const negative = this.unscaled < 0n;
    const coeff = (negative ? -this.unscaled : this.unscaled).toString();
    const adjusted = -this.scale + (coeff.length - 1);
    let body: string;
    if (this.scale >= 0 && adjusted >= -6) {
      body = this.scale === 0 ? coeff : insertPoint(coeff, this.scale);
    } else {
      const mantissa = coeff.length > 1 ? coeff[0] + '.' + coeff.slice(1) : coeff;
      body = mantissa + 'E' + (adjusted >= 0 ? '+' : '') + adjusted;
    }
    return negative ? '-' + body : body;
  }

  /** Java's BigDecimal.toPlainString: never an exponent. */
  toPlainString(): string {
    const negative = this.unscaled < 0n;
    const coeff = (negative ? -this.unscaled : this.unscaled).toString();
    let body: string;
    if (this.scale <= 0) body = this.unscaled === 0n && this.scale < 0 ? '0' : coeff + '0'.repeat(-this.scale);
    else body = insertPoint(coeff, this.scale);
    return negative ? '-' + body : body;
  }

  /** As Java's equals: same unscaled value and same scale (1.5 ≠ 1.50). */
  equals(other: unknown): boolean {
    return other instanceof BigDecimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /** The nearest double (may lose precision). */
  toNumber(): number {
    return Number(this.toString());
  }
}

function insertPoint(coeff: string, scale: number): string {
  if (coeff.length > scale) return coeff.slice(0, coeff.length - scale) + '.' + coeff.slice(coeff.length - scale);
  return '0.' + '0'.repeat(scale - coeff.length) + coeff;
}

/** Java's BigInteger.toByteArray: the minimal big-endian two's-complement bytes (at least one). */
export function bigIntToTwosComplement(value: bigint): Buffer {
  let bytes = 1;
  // The smallest n such that -2^(8n-1) <= value < 2^(8n-1).
  while (value >= 1n << BigInt(8 * bytes - 1) || value < -(1n << BigInt(8 * bytes - 1))) bytes++;
  let v = BigInt.asUintN(8 * bytes, value);
  const out = Buffer.alloc(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Java's `new BigInteger(byte[])`: big-endian two's complement. Empty input is an error, as in Java. */
export function twosComplementToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new DataException('Zero length BigInteger');
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return BigInt.asIntN(8 * bytes.length, v);
}
