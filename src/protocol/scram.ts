// SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka uses them, the parts the client
// (client/sasl.ts), the broker (broker/network/listener-security.ts) and the credential admin
// API share: the hash per mechanism, Hi (PBKDF2), the keys derived from a salted password, and
// the message attributes.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** Kafka's ScramMechanism ids on the wire (AlterUserScramCredentials, DescribeUserScramCredentials). */
export const SCRAM_MECHANISM_IDS: Readonly<Record<ScramMechanism, number>> = { 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 };

/** Kafka refuses fewer (ScramMechanism.minIterations) and more than this many iterations. */
export const SCRAM_MIN_ITERATIONS = 4096;
export const SCRAM_MAX_ITERATIONS = 16384;

export const isScramMechanism = (name: string): name is ScramMechanism => (SCRAM_MECHANISMS as readonly string[]).includes(name);

export function scramMechanismById(id: number): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((m) => SCRAM_MECHANISM_IDS[m] === id);
}

/** A user's SCRAM credential as Kafka keeps it: never the password, only what verifies a proof. */
export interface ScramCredential {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

export class ScramHash {
  readonly hash: 'sha256' | 'sha512';
  readonly keyLength: number;

  constructor(mechanism: ScramMechanism) {
    this.hash = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
    this.keyLength = mechanism === 'SCRAM-SHA-256' ? 32 : 64;
  }

  hmac(key: Buffer, data: string): Buffer {
    return createHmac(this.hash, key).update(data, 'utf8').digest();
  }

  h(data: Buffer): Buffer {
    return createHash(this.hash).update(data).digest();
  }

  /** Hi(password, salt, i): PBKDF2 with HMAC over the mechanism's hash. */
  saltedPassword(password: string | Buffer, salt: Buffer, iterations: number): Buffer {
    return pbkdf2Sync(typeof password === 'string' ? password.normalize('NFKC') : password, salt, iterations, this.keyLength, this.hash);
  }

  clientKey(salted: Buffer): Buffer {
    return this.hmac(salted, 'Client Key');
  }

  serverKey(salted: Buffer): Buffer {
    return this.hmac(salted, 'Server Key');
  }

  storedKey(salted: Buffer): Buffer {
    return this.h(this.clientKey(salted));
  }

  /** What the server stores for a salted password (Kafka's ScramFormatter.generateCredential). */
  credential(salt: Buffer, salted: Buffer, iterations: number): ScramCredential {
    return { iterations, salt, storedKey: this.storedKey(salted), serverKey: this.serverKey(salted) };
  }
}

export function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** `n=alice,r=abc` → Map {n → alice, r → abc} (a value may contain '='). */
export function scramAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

/** A username as SCRAM writes it (',' and '=' escaped), and back. */
export const saslName = (s: string): string => s.replace(/=/g, '=3D').replace(/,/g, '=2C');
export const fromSaslName = (s: string): string => s.replace(/=2C/g, ',').replace(/=3D/g, '=');
