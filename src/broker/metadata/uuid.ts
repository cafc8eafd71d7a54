// Topic and cluster ids. Internally a UUID is the dashed hex the protocol codec reads; Kafka shows
// them to people (and writes them to meta.properties / partition.metadata) as 22-char base64url.
import { randomBytes } from 'node:crypto';

export function randomUuid(): string {
  const b = randomBytes(16);
  // Kafka avoids ids whose base64 starts with '-', which would read like a command-line flag.
  if (b[0]! >= 0xf8) b[0] = b[0]! & 0x7f;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToBase64(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

export function base64ToUuid(b64: string): string {
  const hex = Buffer.from(b64, 'base64url').toString('hex');
  if (hex.length !== 32) throw new Error(`not a base64 UUID: ${b64}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
