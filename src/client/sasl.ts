// Client side of the SASL mechanisms the wire client speaks: PLAIN (RFC 4616) and SCRAM-SHA-256/512
// (RFC 5802/7677, as Kafka uses it: no channel binding, no authzid). Pure message builders; the
// connection carries the bytes in SaslAuthenticate requests.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { saslName, scramAttributes, ScramHash, xor, type ScramMechanism } from '../protocol/scram.js';
import type { SaslSettings } from './client-config.js';

/** A SASL exchange: `step(challenge)` returns the next client message, null when done. */
export interface SaslExchange {
  readonly mechanism: string;
  initial(): Buffer;
  /** Handles the server's answer to the last message; returns the next message or null. */
  step(serverMessage: Buffer): Buffer | null;
}

export function plainExchange(username: string, password: string): SaslExchange {
  return {
    mechanism: 'PLAIN',
    initial: () => Buffer.from(`\0${username}\0${password}`, 'utf8'),
    step: () => null,
  };
}

export function scramExchange(mechanism: ScramMechanism, username: string, password: string, clientNonce = randomBytes(24).toString('base64')): SaslExchange {
  const scram = new ScramHash(mechanism);
  const clientFirstBare = `n=${saslName(username)},r=${clientNonce}`;
  let state: 'first' | 'final' | 'done' = 'first';
  let expectedServerSignature: Buffer | undefined;

  return {
    mechanism,
    initial: () => Buffer.from(`n,,${clientFirstBare}`, 'utf8'),
    step(serverMessage) {
      const text = serverMessage.toString('utf8');
      const attrs = scramAttributes(text);
      if (attrs.has('e')) throw new Error(`SCRAM authentication failed: ${attrs.get('e')}`);
      if (state === 'first') {
        const nonce = attrs.get('r');
        const salt = attrs.get('s');
        const iterations = Number(attrs.get('i'));
        if (!nonce || !salt || !Number.isInteger(iterations) || !nonce.startsWith(clientNonce)) {
          throw new Error('Invalid SCRAM server-first-message');
        }
        const salted = scram.saltedPassword(password, Buffer.from(salt, 'base64'), iterations);
        const clientKey = scram.clientKey(salted);
        const withoutProof = `c=biws,r=${nonce}`;
        const authMessage = `${clientFirstBare},${text},${withoutProof}`;
        const proof = xor(clientKey, scram.hmac(scram.h(clientKey), authMessage));
        expectedServerSignature = scram.hmac(scram.serverKey(salted), authMessage);
        state = 'final';
        return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
      }
      if (state === 'final') {
        const v = Buffer.from(attrs.get('v') ?? '', 'base64');
        if (!expectedServerSignature || v.length !== expectedServerSignature.length || !timingSafeEqual(v, expectedServerSignature)) {
          throw new Error('Invalid SCRAM server signature');
        }
        state = 'done';
        return null;
      }
      return null;
    },
  };
}

export function saslExchange(settings: SaslSettings): SaslExchange {
  return settings.mechanism === 'PLAIN'
    ? plainExchange(settings.username, settings.password)
    : scramExchange(settings.mechanism, settings.username, settings.password);
}
