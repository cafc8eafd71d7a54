// Cuts a TCP byte stream into Kafka frames (int32 size + payload), whatever the chunk boundaries.
// Chunks are kept as a list and joined once per frame, so a large Produce arriving in many small
// chunks costs one copy.

export class FrameTooLargeError extends Error {
  constructor(readonly size: number, readonly limit: number) {
    super(`Invalid receive (size = ${size} larger than ${limit})`);
  }
}

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Adds a chunk and returns every frame it completes (payload only, without the size). */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        const size = this.peekSize();
        if (size < 0 || size > this.maxFrameBytes) throw new FrameTooLargeError(size, this.maxFrameBytes);
        this.take(4);
        this.expected = size;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.take(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  private peekSize(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    return this.joinFirst(4).readInt32BE(0);
  }

  /** Merges leading chunks until the first holds at least n bytes. */
  private joinFirst(n: number): Buffer {
    let total = 0;
    let count = 0;
    while (total < n) total += this.chunks[count++]!.length;
    const merged = Buffer.concat(this.chunks.slice(0, count), total);
    this.chunks.splice(0, count, merged);
    return merged;
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!.length >= n ? this.chunks[0]! : this.joinFirst(n);
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return out;
  }
}
