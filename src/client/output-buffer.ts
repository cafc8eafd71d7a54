// Collects formatted output in large blocks so the console consumer makes one `write` per fetch
// rather than one per record. Small pieces are copied into the current block; a piece larger
// than a block is kept as its own chunk without copying.

const BLOCK = 256 * 1024;

export class OutputBuffer {
  private chunks: Buffer[] = [];
  private block = Buffer.allocUnsafe(BLOCK);
  private start = 0;
  private pos = 0;
  /** Bytes written since the last `take`. */
  length = 0;

  write(bytes: Buffer): void {
    const n = bytes.length;
    if (n > this.block.length - this.pos) {
      this.cut();
      if (n > BLOCK / 4) {
        this.chunks.push(bytes);
        this.length += n;
        return;
      }
      this.block = Buffer.allocUnsafe(BLOCK);
      this.start = this.pos = 0;
    }
    bytes.copy(this.block, this.pos);
    this.pos += n;
    this.length += n;
  }

  /** Text that is known to be ASCII (labels, numbers). */
  writeAscii(text: string): void {
    if (text.length > this.block.length - this.pos) {
      this.write(Buffer.from(text, 'latin1'));
      return;
    }
    this.pos += this.block.write(text, this.pos, 'latin1');
    this.length += text.length;
  }

  /** Everything written so far, as chunks; the buffer starts empty again. */
  take(): Buffer[] {
    this.cut();
    const out = this.chunks;
    this.chunks = [];
    this.length = 0;
    return out;
  }

  private cut(): void {
    if (this.pos > this.start) this.chunks.push(this.block.subarray(this.start, this.pos));
    this.start = this.pos;
  }
}
