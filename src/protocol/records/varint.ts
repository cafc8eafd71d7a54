// Zig-zag varints written in place into a sized buffer: the record format's lengths and deltas.
// (The Writer in ../writer.ts appends varints to a growing stream; these fill a buffer whose size
// was computed beforehand, which is what batch encoders need.)

export function varintSize(v: number): number {
  const zz = ((v << 1) ^ (v >> 31)) >>> 0;
  return zz < 0x80 ? 1 : zz < 0x4000 ? 2 : zz < 0x200000 ? 3 : zz < 0x10000000 ? 4 : 5;
}

/** Size of a zig-zag varlong, for any safe integer. */
export function varlongSize(v: number): number {
  if (v >= -0x40000000 && v < 0x40000000) return varintSize(v);
  let zz = v >= 0 ? v * 2 : -v * 2 - 1;
  let n = 1;
  while (zz >= 128) {
    zz = Math.floor(zz / 128);
    n++;
  }
  return n;
}

/** Writes v at `at`; returns the position after it. */
export function writeVarint(buf: Buffer, v: number, at: number): number {
  let zz = ((v << 1) ^ (v >> 31)) >>> 0;
  while (zz >= 0x80) {
    buf[at++] = (zz & 0x7f) | 0x80;
    zz >>>= 7;
  }
  buf[at++] = zz;
  return at;
}

export function writeVarlong(buf: Buffer, v: number, at: number): number {
  if (v >= -0x40000000 && v < 0x40000000) return writeVarint(buf, v, at);
  let zz = v >= 0 ? v * 2 : -v * 2 - 1;
  while (zz >= 128) {
    buf[at++] = (zz % 128) | 0x80;
    zz = Math.floor(zz / 128);
  }
  buf[at++] = zz;
  return at;
}
