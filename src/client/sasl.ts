// Client side of the SASL mechanisms the wire client speaks: PLAIN (RFC 4616) and SCRAM-SHA-256/512
// (RFC 5802/7677, as Kafka uses it: no channel binding, no authzid). Pure message builders; the
// connection carries the bytes in SaslAuthenticate requests.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
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

const saslName = (s: string): string => s.replace(/=/g, '=3D').replace(/,/g, '=2C');

function parseAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

export function scramExchange(mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', username: string, password: string, clientNonce = randomBytes(24).toString('base64')): SaslExchange {
  const hash = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
  const keyLength = mechanism === 'SCRAM-SHA-256' ? 32 : 64;
  const hmac = (key: Buffer, data: string): Buffer => createHmac(hash, key).update(data, 'utf8').digest();
  const clientFirstBare = `n=${saslName(username)},r=${clientNonce}`;
  let state: 'first' | 'final' | 'done' = 'first';
  let expectedServerSignature: Buffer | undefined;

  return {
    mechanism,
    initial: () => Buffer.from(`n,,${clientFirstBare}`, 'utf8'),
    step(serverMessage) {
      const text = serverMessage.toString('utf8');
      const attrs = parseAttributes(text);
      if (attrs.has('e')) throw new Error(`SCRAM authentication failed: ${attrs.get('e')}`);
      if (state === 'first') {
        const nonce = attrs.get('r');
        const salt = attrs.get('s');
        const iterations = Number(attrs.get('i'));
        if (!nonce || !salt || !Number.isInteger(iterations) || !nonce.startsWith(clientNonce)) {
          throw new Error('Invalid SCRAM server-first-message');
        }
        const salted = pbkdf2Sync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), iterations, keyLength, hash);
        const clientKey = hmac(salted, 'Client Key');
        const storedKey = createHash(hash).update(clientKey).digest();
        const withoutProof = `c=biws,r=${nonce}`;
        const authMessage = `${clientFirstBare},${text},${withoutProof}`;
        const signature = hmac(storedKey, authMessage);
        const proof = Buffer.alloc(clientKey.length);
        for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ signature[i]!;
        expectedServerSignature = hmac(hmac(salted, 'Server Key'), authMessage);
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
