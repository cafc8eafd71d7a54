// Test certificates made with Debian's openssl: a CA, a server certificate it signed for
// localhost and 127.0.0.1 (PEM key+chain, and a PKCS12 keystore), and a client certificate.
// Only the tests shell out; the product reads these files through Node's TLS.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  caPem: string;
  /** Server private key then certificate, one PEM file (ssl.keystore.type=PEM). */
  serverPem: string;
  /** The same as PKCS12, password KEYSTORE_PASSWORD. */
  serverP12: string;
  /** A client key then certificate signed by the same CA (for ssl.client.auth=required). */
  clientPem: string;
}

export const KEYSTORE_PASSWORD = 'keystore-secret';

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

export function makeTestCerts(dir: string): TestCerts {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=ktool test CA');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? 'localhost' : 'ktool test client'}`);
    openssl(dir, 'x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.crt`, '-days', '2', '-extfile', 'san.ext');
    writeFileSync(join(dir, `${who}.pem`), Buffer.concat([readFileSync(join(dir, `${who}.key`)), readFileSync(join(dir, `${who}.crt`))]));
  }
  openssl(dir, 'pkcs12', '-export', '-in', 'server.crt', '-inkey', 'server.key', '-out', 'server.p12', '-passout', `pass:${KEYSTORE_PASSWORD}`);
  return { dir, caPem: join(dir, 'ca.pem'), serverPem: join(dir, 'server.pem'), serverP12: join(dir, 'server.p12'), clientPem: join(dir, 'client.pem') };
}
