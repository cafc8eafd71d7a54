// Writes Kafka's primitive types. Output is a list of chunks: small values are packed into pooled
// blocks, large byte fields (record batches) are referenced as they are, never copied.

const BLOCK = 8192;
const COPY_LIMIT = 512;

export class Writer {
  private readonly chunks: Buffer[] = [];
  private block = Buffer.allocUnsafe(BLOCK);
  private start = 0;
  private pos = 0;
  length = 0;

  private room(n: number): number {
    if (this.pos + n > this.block.length) {
      this.cut();
      this.block = Buffer.allocUnsafe(Math.max(BLOCK, n));
      this.start = this.pos = 0;
    }
    const at = this.pos;
    this.pos += n;
    this.length += n;
    return at;
  }

  private cut(): void {
    if (this.pos > this.start) this.chunks.push(this.block.subarray(this.start, this.pos));
    this.start = this.pos;
  }

  // room() may start a new block, so it runs before `this.block` is read: in
  // `this.block.writeInt8(v, this.room(1))` the old block would be written.
  int8(v: number): this { const at = this.room(1); this.block.writeInt8(v, at); return this; }
  uint8(v: number): this { const at = this.room(1); this.block[at] = v & 0xff; return this; }
  bool(v: boolean): this { return this.uint8(v ? 1 : 0); }
  int16(v: number): this { const at = this.room(2); this.block.writeInt16BE(v, at); return this; }
  uint16(v: number): this { const at = this.room(2); this.block.writeUInt16BE(v, at); return this; }
  int32(v: number): this { const at = this.room(4); this.block.writeInt32BE(v, at); return this; }
  uint32(v: number): this { const at = this.room(4); this.block.writeUInt32BE(v >>> 0, at); return this; }
  int64(v: bigint): this { const at = this.room(8); this.block.writeBigInt64BE(BigInt.asIntN(64, v), at); return this; }
  float64(v: number): this { const at = this.room(8); this.block.writeDoubleBE(v, at); return this; }

  uuid(v: string): this {
    const hex = v.replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`not a UUID: ${v}`);
    const at = this.room(16);
    this.block.write(hex, at, 16, 'hex');
    return this;
  }

  uvarint(v: number): this {
    if (v < 0 || !Number.isInteger(v) || v > 0xffffffff) throw new RangeError(`uvarint out of range: ${v}`);
    while (v >= 0x80) {
      this.uint8((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    return this.uint8(v);
  }

  varint(v: number): this {
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  varlong(v: number): this {
    const big = BigInt(v);
    let zz = BigInt.asUintN(64, (big << 1n) ^ (big >> 63n));
    while (zz >= 0x80n) {
      this.uint8(Number(zz & 0x7fn) | 0x80);
      zz >>= 7n;
    }
    return this.uint8(Number(zz));
  }

  raw(buf: Buffer): this {
    if (buf.length <= COPY_LIMIT) {
      const at = this.room(buf.length);
      buf.copy(this.block, at);
    } else {
      this.cut();
      this.chunks.push(buf);
      this.length += buf.length;
    }
    return this;
  }

  /** Appends what another writer produced (used for tagged fields, whose size goes first). */
  append(other: Writer): this {
    for (const c of other.finish()) this.raw(c);
    return this;
  }

  nullableString(v: string | null): this {
    if (v === null) return this.int16(-1);
    const b = Buffer.from(v, 'utf8');
    if (b.length > 0x7fff) throw new RangeError('string longer than 32767 bytes');
    return this.int16(b.length).raw(b);
  }

  compactNullableString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    const b = Buffer.from(v, 'utf8');
    return this.uvarint(b.length + 1).raw(b);
  }

  nullableBytes(v: Buffer | null): this {
    return v === null ? this.int32(-1) : this.int32(v.length).raw(v);
  }

  compactNullableBytes(v: Buffer | null): this {
    return v === null ? this.uvarint(0) : this.uvarint(v.length + 1).raw(v);
  }

  arrayLength(n: number | null, compact: boolean): this {
    if (compact) return this.uvarint(n === null ? 0 : n + 1);
    return this.int32(n === null ? -1 : n);
  }

  /** The bytes written so far, as chunks (no copy). The writer stays usable. */
  finish(): Buffer[] {
    this.cut();
    return this.chunks.slice();
  }

  /** The bytes written so far as one Buffer. */
  toBuffer(): Buffer {
    const chunks = this.finish();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.length);
  }
}
