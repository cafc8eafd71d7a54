// The idempotent producer's identity: the producer id and epoch InitProducerId hands out (no
// transactional id), fetched before the first batch goes out and again after a sequence gap the
// producer cannot repair. A new identity is only taken while nothing is in flight, and then
// every partition's sequence starts again at 0 (the caller resets them in `onReset`).
import { InitProducerId, type InitProducerIdResponse } from '../protocol/messages/init-producer-id.js';
import { NetworkError } from './broker-connection.js';
import { KafkaProtocolError, kafkaErrorInfo } from './kafka-errors.js';
import { KafkaTimeoutError, type KafkaWireClient } from './wire-client.js';

/** transaction.timeout.ms, sent as Java's producer sends it (unused without transactions). */
const TRANSACTION_TIMEOUT_MS = 60000;

export class ProducerIdentity {
  producerId = -1n;
  producerEpoch = -1;
  /** Not to ask again before this time (after a retriable failure). */
  retryAt = 0;
  private busy = false;
  private resetWanted = false;

  /** `settled` is called after every InitProducerId attempt; `fatal` when it cannot succeed. */
  constructor(
    private readonly client: KafkaWireClient,
    private readonly retryBackoffMs: number,
    private readonly settled: () => void,
    private readonly fatal: (error: Error) => void,
  ) {}

  /** Asks for a new identity once nothing is in flight (a batch with a sequence was lost). */
  requestReset(): void {
    this.resetWanted = true;
  }

  /**
   * True when batches may be stamped and sent. Otherwise starts what is missing: waits for
   * `idle` to reset (calling `onReset`), then fetches an identity.
   */
  ready(now: number, idle: boolean, onReset: () => void): boolean {
    if (this.resetWanted) {
      if (!idle) return false;
      this.resetWanted = false;
      this.producerId = -1n;
      onReset();
    }
    if (this.producerId >= 0n) return true;
    if (this.busy || now < this.retryAt) return false;
    this.busy = true;
    this.client.anyConnection('initProducerId')
      .then((conn) => conn.request<InitProducerIdResponse>(InitProducerId, { transactionalId: null, transactionTimeoutMs: TRANSACTION_TIMEOUT_MS, producerId: -1n, producerEpoch: -1 }))
      .then((res) => {
        if (res.errorCode === 0) {
          this.producerId = res.producerId;
          this.producerEpoch = res.producerEpoch;
        } else if (kafkaErrorInfo(res.errorCode).retriable) {
          this.retryAt = Date.now() + this.retryBackoffMs;
        } else {
          this.fatal(new KafkaProtocolError(res.errorCode));
        }
      }, (err: unknown) => {
        if (err instanceof NetworkError || err instanceof KafkaTimeoutError) this.retryAt = Date.now() + this.retryBackoffMs;
        else this.fatal(err instanceof Error ? err : new Error(String(err)));
      })
      .finally(() => {
        this.busy = false;
        this.settled();
      });
    return false;
  }
}
