// Bounds the file descriptors the partition logs keep open. Kafka keeps every segment's files
// open and asks for a high ulimit; with thousands of partitions that is thousands of descriptors
// (three per active segment, one per sealed one), past the 1024 many systems allow by default.
// Here segments hold their descriptors only while in use: each use marks the segment most
// recently used, and once the total passes the limit the least recently used segments close
// theirs. A segment reopens its files on its next use, which costs a few tens of microseconds,
// so only partitions idle longer than the limit's worth of activity pay it.
//
// A holder that is pinned (an fsync running on the thread pool, a scan in progress) is never
// evicted: its descriptor must stay valid until the operation is done. So the total may pass the
// budget by the number of rolled segments whose background fsync is still running; the next use
// after they finish brings it back. Everything here runs on the event loop.

export interface DescriptorHolder {
  /** True while an operation relies on the current descriptors. */
  readonly pinned: boolean;
  /** Closes the holder's descriptors; it reopens them on its next use. */
  releaseDescriptors(): void;
}

/** log segments' default budget of open descriptors: well inside a 1024 soft limit, beside sockets. */
export const DEFAULT_MAX_OPEN_DESCRIPTORS = 512;

export class DescriptorCache {
  /** holder → descriptors it holds, least recently used first (a Map keeps insertion order). */
  private readonly holders = new Map<DescriptorHolder, number>();
  private total = 0;
  private limitValue: number;
  /** The most recently used holder and its count: the hot path (one segment used again and again) skips the Map. */
  private mru: DescriptorHolder | null = null;
  private mruCount = 0;

  constructor(limit = DEFAULT_MAX_OPEN_DESCRIPTORS) {
    this.limitValue = Math.max(1, limit);
  }

  get limit(): number {
    return this.limitValue;
  }

  /** Changes the budget; holders over it are released now. */
  set limit(n: number) {
    this.limitValue = Math.max(1, n);
    this.evict(null);
  }

  /** Descriptors held by all holders. */
  get open(): number {
    return this.total;
  }

  /** `holder` was just used and now holds `count` descriptors; releases idle holders over the budget. */
  use(holder: DescriptorHolder, count: number): void {
    if (holder === this.mru && count === this.mruCount) return;
    const previous = this.holders.get(holder);
    if (previous !== undefined) {
      this.holders.delete(holder);
      this.total -= previous;
    }
    this.mru = count > 0 ? holder : null;
    this.mruCount = count;
    if (count > 0) {
      this.holders.set(holder, count);
      this.total += count;
      this.evict(holder);
    }
  }

  /** `holder` closed its descriptors itself. */
  forget(holder: DescriptorHolder): void {
    if (holder === this.mru) this.mru = null;
    const previous = this.holders.get(holder);
    if (previous === undefined) return;
    this.holders.delete(holder);
    this.total -= previous;
  }

  private evict(keep: DescriptorHolder | null): void {
    if (this.total <= this.limitValue) return;
    for (const [holder, count] of this.holders) {
      if (this.total <= this.limitValue) return;
      if (holder === keep || holder.pinned) continue;
      if (holder === this.mru) this.mru = null;
      this.holders.delete(holder);
      this.total -= count;
      holder.releaseDescriptors();
    }
  }
}

/** The one cache every partition log of the process shares. */
export const segmentDescriptors = new DescriptorCache();
