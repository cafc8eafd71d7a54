// Reusable buffers for Fetch reads. A fresh 1 MiB buffer per fetch costs a page fault per 4 KiB
// on first touch (more than the read itself) and work for the GC; a consumer fetching steadily
// cycles through the same few slabs instead. A slab comes back only after the socket has taken
// the response's bytes (Connection runs RequestContext.whenSent callbacks then); one that never
// comes back (connection closed first) is simply garbage-collected.

export class BufferPool {
  private readonly free: Array<Buffer<ArrayBuffer>> = [];
  /** Slabs handed out and not yet back; weak, so a lost one does not leak. */
  private readonly out = new WeakSet<ArrayBuffer>();

  /**
   * @param slabSize reads up to this size get a pooled slab; larger and small ones a fresh buffer
   * @param minSize below this a fresh (Node-pooled) allocation is cheaper than a slab
   * @param maxFree slabs kept for reuse at most
   */
  constructor(
    readonly slabSize: number,
    private readonly minSize: number,
    private readonly maxFree: number,
  ) {}

  /** A buffer of at least `size` bytes. */
  take(size: number): Buffer<ArrayBuffer> {
    if (size > this.slabSize || size < this.minSize) return Buffer.allocUnsafe(size);
    const slab = this.free.pop() ?? Buffer.allocUnsafeSlow(this.slabSize);
    this.out.add(slab.buffer);
    return slab;
  }

  /** Returns a buffer from take() once nothing refers to its bytes any more; others are ignored. */
  release(buf: Buffer<ArrayBuffer>): void {
    if (!this.out.delete(buf.buffer)) return;
    if (this.free.length < this.maxFree) this.free.push(Buffer.from(buf.buffer, 0, this.slabSize));
  }
}
