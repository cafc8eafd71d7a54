// java.util.SplittableRandom's nextInt(bound), so `--record-size` payloads are the same bytes
// Kafka's tool sends (it draws 'A'–'Z' from `new SplittableRandom(0)` for every record). The
// 64-bit state lives in two unsigned 32-bit halves: this runs once per payload byte, and BigInt
// arithmetic would cost more than producing the record.

const GAMMA_HI = 0x9e3779b9;
const GAMMA_LO = 0x7f4a7c15;
const M1_HI = 0x62a9d9ed;
const M1_LO = 0x799705f5;
const M2_HI = 0xcb24d0a5;
const M2_LO = 0xc88c35b3;

/** High 32 bits of the 64-bit product of two unsigned 32-bit numbers. */
function mulHigh32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

export class SplittableRandom {
  private hi: number;
  private lo: number;
  /** Scratch for the 64-bit product's halves (no allocation per call). */
  private pHi = 0;
  private pLo = 0;

  constructor(seed: bigint) {
    const s = BigInt.asUintN(64, seed);
    this.hi = Number(s >> 32n);
    this.lo = Number(s & 0xffffffffn);
  }

  /** (hi, lo) × (mHi, mLo) mod 2^64 into pHi/pLo. */
  private mul(hi: number, lo: number, mHi: number, mLo: number): void {
    this.pLo = Math.imul(lo, mLo) >>> 0;
    this.pHi = (Math.imul(hi, mLo) + Math.imul(lo, mHi) + mulHigh32(lo, mLo)) >>> 0;
  }

  /** Java's nextInt(): mix32(seed += GOLDEN_GAMMA), as a signed 32-bit value. */
  nextInt(): number {
    const lo = (this.lo + GAMMA_LO) >>> 0;
    this.hi = (this.hi + GAMMA_HI + (lo < this.lo ? 1 : 0)) >>> 0;
    this.lo = lo;
    // z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5
    this.mul(this.hi, (this.lo ^ (this.hi >>> 1)) >>> 0, M1_HI, M1_LO);
    // (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3) >>> 32)
    const zHi = this.pHi;
    const zLo = this.pLo;
    const xHi = zHi ^ (zHi >>> 28);
    const xLo = (zLo ^ ((zLo >>> 28) | (zHi << 4))) >>> 0;
    this.mul(xHi >>> 0, xLo, M2_HI, M2_LO);
    return this.pHi | 0;
  }

  /** Java's nextInt(bound) for bound > 0: uniform in [0, bound). */
  nextIntBounded(bound: number): number {
    let r = this.nextInt();
    const m = bound - 1;
    if ((bound & m) === 0) return r & m;
    for (let u = r >>> 1; ((u + m - (r = u % bound)) | 0) < 0; u = this.nextInt() >>> 1);
    return r;
  }
}
