// Kafka's ThroughputThrottler: when the records sent so far run ahead of the target rate, sleep
// off the accumulated deficit (1 / throughput per record) once it reaches 2 ms.

const MIN_SLEEP_MS = 2;

export class ThroughputThrottler {
  private readonly sleepTimeMs: number;
  private sleepDeficitMs = 0;

  constructor(
    private readonly targetThroughput: number,
    private readonly startMs: number,
  ) {
    this.sleepTimeMs = targetThroughput > 0 ? 1000 / targetThroughput : Infinity;
  }

  /** Whether `amountSoFar` records by `sendStartMs` is above the target rate. */
  shouldThrottle(amountSoFar: number, sendStartMs: number): boolean {
    if (this.targetThroughput < 0) return false;
    const elapsedSec = Math.fround((sendStartMs - this.startMs) / 1000);
    return elapsedSec > 0 && amountSoFar / elapsedSec > this.targetThroughput;
  }

  /** Waits out the deficit; with a target of 0, waits until `stop` fires. */
  async throttle(stop: Promise<void>): Promise<void> {
    if (this.targetThroughput === 0) {
      await stop;
      return;
    }
    this.sleepDeficitMs += this.sleepTimeMs;
    if (this.sleepDeficitMs < MIN_SLEEP_MS) return;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((r) => (timer = setTimeout(r, this.sleepDeficitMs))), stop]);
    clearTimeout(timer);
    // Whatever was slept beyond the deficit is not owed again.
    this.sleepDeficitMs = Math.max(0, this.sleepDeficitMs - (performance.now() - started));
  }
}
