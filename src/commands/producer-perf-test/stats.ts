// ProducerPerformance's Stats: every acknowledged record's latency, a window line every
// reporting interval, and the final line with percentiles from a sample of at most ~500,000
// latencies (every `numRecords / 500000`-th one). Output texts and number formats are Kafka 4.0's.

/** Java's `%.Nf` for a double (NaN and Infinity print as Java prints them). */
export function javaFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return value.toFixed(digits);
}

export class Stats {
  private readonly start: number;
  private windowStart: number;
  private readonly sampling: number;
  private readonly latencies: Int32Array;
  private iteration = 0;
  private index = 0;
  private count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowCount = 0;
  private windowMaxLatency = 0;
  private windowTotalLatency = 0;
  private windowBytes = 0;

  constructor(
    numRecords: number,
    private readonly reportingIntervalMs: number,
    private readonly print: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.start = now();
    this.windowStart = this.start;
    this.sampling = Math.floor(numRecords / Math.min(numRecords, 500000));
    this.latencies = new Int32Array(Math.floor(numRecords / this.sampling) + 1);
  }

  get totalCount(): number {
    return this.count;
  }

  /** One acknowledged record; may print the window line. */
  record(latency: number, bytes: number, time: number): void {
    this.count++;
    this.bytes += bytes;
    this.totalLatency += latency;
    this.maxLatency = Math.max(this.maxLatency, latency);
    this.windowCount++;
    this.windowBytes += bytes;
    this.windowTotalLatency += latency;
    this.windowMaxLatency = Math.max(this.windowMaxLatency, latency);
    if (this.iteration % this.sampling === 0 && this.index < this.latencies.length) {
      this.latencies[this.index++] = latency;
    }
    if (time - this.windowStart >= this.reportingIntervalMs) {
      this.printWindow();
      this.newWindow();
    }
    this.iteration++;
  }

  private printWindow(): void {
    const elapsed = this.now() - this.windowStart;
    const recsPerSec = (1000 * this.windowCount) / elapsed;
    const mbPerSec = (1000 * this.windowBytes) / elapsed / (1024 * 1024);
    this.print(`${this.windowCount} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ${javaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${javaFixed(this.windowMaxLatency, 1)} ms max latency.\n`);
  }

  private newWindow(): void {
    this.windowStart = this.now();
    this.windowCount = 0;
    this.windowMaxLatency = 0;
    this.windowTotalLatency = 0;
    this.windowBytes = 0;
  }

  /** The summary line. */
  totalLine(): string {
    const elapsed = this.now() - this.start;
    const recsPerSec = (1000 * this.count) / elapsed;
    const mbPerSec = (1000 * this.bytes) / elapsed / (1024 * 1024);
    const [p50, p95, p99, p999] = percentiles(this.latencies, this.index, [0.5, 0.95, 0.99, 0.999]);
    return `${this.count} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ${javaFixed(this.totalLatency / this.count, 2)} ms avg latency, ${javaFixed(this.maxLatency, 2)} ms max latency, ${p50} ms 50th, ${p95} ms 95th, ${p99} ms 99th, ${p999} ms 99.9th.\n`;
  }
}

/** Values at each fraction of the sorted first `count` samples (Java's index `(int) (p * size)`). */
export function percentiles(latencies: Int32Array, count: number, fractions: readonly number[]): number[] {
  const size = Math.min(count, latencies.length);
  const sorted = latencies.slice(0, size).sort();
  return fractions.map((p) => {
    const i = Math.floor(p * size);
    return i < size ? sorted[i]! : latencies[i] ?? 0;
  });
}
