// Reads Kafka's primitive types from a Buffer, front to back. Bytes-like values are returned as
// views (subarray) of the input, so record batches cross the broker without a copy.
import { ProtocolError } from './errors.js';

export class Reader {
  pos: number;
  readonly end: number;

  constructor(readonly buf: Buffer, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.end) {
      throw new ProtocolError(`need ${n} bytes at offset ${at}, only ${this.end - at} left`);
    }
    this.pos = at + n;
    return at;
  }

  int8(): number { return this.buf.readInt8(this.need(1)); }
  uint8(): number { return this.buf[this.need(1)]!; }
  bool(): boolean { return this.buf[this.need(1)] !== 0; }
  int16(): number { return this.buf.readInt16BE(this.need(2)); }
  uint16(): number { return this.buf.readUInt16BE(this.need(2)); }
  int32(): number { return this.buf.readInt32BE(this.need(4)); }
  uint32(): number { return this.buf.readUInt32BE(this.need(4)); }
  int64(): bigint { return this.buf.readBigInt64BE(this.need(8)); }
  float64(): number { return this.buf.readDoubleBE(this.need(8)); }

  uuid(): string {
    const at = this.need(16);
    const hex = this.buf.toString('hex', at, at + 16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Unsigned LEB128 varint, as flexible versions use for lengths and tags (max 5 bytes). */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.uint8();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new ProtocolError('unsigned varint longer than 5 bytes');
  }

  /** Zig-zag signed varint, as the record format uses (max 5 bytes). */
  varint(): number {
    const u = this.uvarint();
    if (u > 0xffffffff) throw new ProtocolError('varint out of 32-bit range');
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zig-zag signed varlong (max 10 bytes), returned as a number: record timestamps and deltas fit. */
  varlong(): number {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.uint8();
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return Number((value >> 1n) ^ -(value & 1n));
    }
    throw new ProtocolError('varlong longer than 10 bytes');
  }

  bytes(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  private utf8(n: number): string {
    const at = this.need(n);
    return this.buf.toString('utf8', at, at + n);
  }

  /** int16-length string (-1 = null). */
  nullableString(): string | null {
    const n = this.int16();
    return n < 0 ? null : this.utf8(n);
  }

  /** uvarint(length + 1) string (0 = null). */
  compactNullableString(): string | null {
    const n = this.uvarint() - 1;
    return n < 0 ? null : this.utf8(n);
  }

  /** int32-length bytes (-1 = null). */
  nullableBytes(): Buffer | null {
    const n = this.int32();
    return n < 0 ? null : this.bytes(n);
  }

  compactNullableBytes(): Buffer | null {
    const n = this.uvarint() - 1;
    return n < 0 ? null : this.bytes(n);
  }

  /** Array length: int32 (-1 = null) or, in flexible versions, uvarint(count + 1). */
  arrayLength(compact: boolean): number {
    const n = compact ? this.uvarint() - 1 : this.int32();
    // Every element takes at least one byte: a count beyond what is left is a malformed frame.
    if (n > this.remaining) throw new ProtocolError(`array of ${n} elements with ${this.remaining} bytes left`);
    return n;
  }
}
