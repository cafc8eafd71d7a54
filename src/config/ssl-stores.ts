// Kafka's ssl.* store settings (keystore and truststore: location, type, password, or PEM text
// inline) as Node's TLS options, for the clients and for the broker's SSL listeners alike. Node
// reads PKCS12 and PEM; a JKS store fails with a message that says how to convert it.
import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';

/** Looks up one ssl.* key (for the broker, with its listener.name.<listener>. override first). */
export type SslSetting = (key: string) => string | undefined;

const isPem = (text: string): boolean => text.includes('-----BEGIN');

function readStore(path: string, what: string, fail: (message: string) => Error): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw fail(`Failed to load SSL ${what} ${path}: ${(e as Error).message}`);
  }
}

/** The trusted certificates (ca), if a truststore is configured. A file of PEM text is PEM whatever its type. */
export function truststoreOptions(get: SslSetting, fail: (message: string) => Error): Pick<SecureContextOptions, 'ca'> {
  const inline = get('ssl.truststore.certificates');
  if (inline) return { ca: inline };
  const path = get('ssl.truststore.location');
  if (!path) return {};
  const type = (get('ssl.truststore.type') ?? 'JKS').toUpperCase();
  const data = readStore(path, 'truststore', fail);
  if (type === 'PEM' || isPem(data.toString('latin1'))) return { ca: data };
  throw fail(`ssl.truststore.type=${type} (${path}) is not supported by ktool: convert the truststore to PEM (e.g. keytool -exportcert -rfc) and set ssl.truststore.type=PEM`);
}

/** ssl.enabled.protocols (or the client's ssl.protocol) that leave out TLSv1.2: TLS 1.3 only. */
export function protocolOptions(get: SslSetting, ...keys: string[]): Pick<SecureContextOptions, 'minVersion'> {
  const protocols = keys.map(get).find((v) => v !== undefined);
  return protocols && !protocols.includes('TLSv1.2') && protocols.includes('TLSv1.3') ? { minVersion: 'TLSv1.3' } : {};
}

/** The own key and certificate chain, if a keystore is configured. */
export function keystoreOptions(get: SslSetting, fail: (message: string) => Error): Pick<SecureContextOptions, 'key' | 'cert' | 'pfx' | 'passphrase'> {
  const keyInline = get('ssl.keystore.key');
  const chainInline = get('ssl.keystore.certificate.chain');
  const keyPassword = get('ssl.key.password');
  const withPassword = <T extends object>(o: T): T & { passphrase?: string } => (keyPassword ? { ...o, passphrase: keyPassword } : o);
  if (keyInline || chainInline) return withPassword({ key: keyInline, cert: chainInline });
  const path = get('ssl.keystore.location');
  if (!path) return {};
  const type = (get('ssl.keystore.type') ?? 'JKS').toUpperCase();
  const data = readStore(path, 'keystore', fail);
  if (type === 'PEM' || isPem(data.toString('latin1'))) return withPassword({ key: data, cert: data });
  if (type === 'PKCS12') return { pfx: data, passphrase: get('ssl.keystore.password') ?? keyPassword };
  throw fail(`ssl.keystore.type=${type} (${path}) is not supported by ktool: use PKCS12 or PEM (keytool -importkeystore -deststoretype PKCS12 converts a JKS keystore)`);
}
