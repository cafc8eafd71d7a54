// Cuts a TCP byte stream into Kafka frames (int32 size, then that many bytes), whatever the chunk
// boundaries. A large frame (a multi-megabyte Fetch response) is copied once into a buffer of
// its final size as chunks arrive, instead of re-concatenating the backlog on every chunk.

export class FrameReader {
  private header = Buffer.alloc(4);
  private headerFill = 0;
  private frame: Buffer | null = null;
  private frameFill = 0;

  constructor(private readonly maxFrameBytes = 1024 * 1024 * 1024) {}

  /** Feeds one chunk; returns the frames (payloads without the size prefix) it completed. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.frame === null) {
        // Fast path: a whole frame inside this chunk needs no copy.
        if (this.headerFill === 0 && chunk.length - pos >= 4) {
          const size = this.checkSize(chunk.readInt32BE(pos));
          if (chunk.length - pos - 4 >= size) {
            out.push(chunk.subarray(pos + 4, pos + 4 + size));
            pos += 4 + size;
            continue;
          }
        }
        const n = Math.min(4 - this.headerFill, chunk.length - pos);
        chunk.copy(this.header, this.headerFill, pos, pos + n);
        this.headerFill += n;
        pos += n;
        if (this.headerFill < 4) break;
        this.headerFill = 0;
        this.frame = Buffer.allocUnsafe(this.checkSize(this.header.readInt32BE(0)));
        this.frameFill = 0;
      }
      const n = Math.min(this.frame.length - this.frameFill, chunk.length - pos);
      chunk.copy(this.frame, this.frameFill, pos, pos + n);
      this.frameFill += n;
      pos += n;
      if (this.frameFill === this.frame.length) {
        out.push(this.frame);
        this.frame = null;
      }
    }
    return out;
  }

  private checkSize(size: number): number {
    if (size < 0 || size > this.maxFrameBytes) throw new Error(`invalid frame size ${size}`);
    return size;
  }
}
