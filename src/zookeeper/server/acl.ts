// ACLs and authentication (PROTOCOL.md §9): the ids a connection holds (ip:<remote> always,
// digest:user:<b64 sha1> after addAuth, super: with the configured super digest), the check
// ZooKeeperServer.checkACL makes, and the validation/expansion of ACL lists in create/setACL
// (PrepRequestProcessor.fixupACL: de-duplicated, `auth` replaced by the caller's ids).
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Acl } from '../protocol/constants.js';
import { Err, KeeperError } from '../protocol/keeper-errors.js';

export interface AuthId {
  readonly scheme: string;
  readonly id: string;
}

/** DigestAuthenticationProvider.generateDigest: `user:BASE64(SHA1("user:password"))`. */
export function digestOf(userPassword: string): string {
  const user = userPassword.split(':', 1)[0]!;
  return `${user}:${createHash('sha1').update(userPassword, 'utf8').digest('base64')}`;
}

/**
 * The ids an AuthPacket adds to a connection, or undefined when the scheme is unknown (AUTHFAILED).
 * `superDigest` is zookeeper.DigestAuthenticationProvider.superDigest.
 */
export function authenticate(scheme: string, auth: Buffer | null, remoteIp: string, superDigest?: string): AuthId[] | undefined {
  if (scheme === 'digest') {
    const id = digestOf((auth ?? Buffer.alloc(0)).toString('utf8'));
    const ids: AuthId[] = [{ scheme: 'digest', id }];
    if (superDigest !== undefined && id === superDigest) ids.push({ scheme: 'super', id: '' });
    return ids;
  }
  if (scheme === 'ip') return [{ scheme: 'ip', id: remoteIp }];
  return undefined;
}

/** Whether a provider accepts `id` in an ACL (ServerAuthenticationProvider.isValid). */
function validId(scheme: string, id: string): boolean {
  switch (scheme) {
    case 'digest':
      return javaSplit(id, ':').length === 2;
    case 'ip':
      return parseIpAcl(id) !== undefined;
    case 'super':
      return true;
    default:
      return false;
  }
}

/** String.split as Java does it: trailing empty strings are dropped. */
function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Schemes whose ids count as "authenticated" for the `auth` ACL scheme. */
const AUTHENTICATED = new Set(['digest', 'super']);

const aclKey = (a: Acl): string => `${a.perms}\u0000${a.id.scheme}\u0000${a.id.id}`;

/** fixupACL: the ACL list to store, or a KeeperError INVALIDACL. */
export function fixupAcl(path: string, authInfo: readonly AuthId[], acls: readonly Acl[]): Acl[] {
  const seen = new Set<string>();
  const unique = acls.filter((a) => (seen.has(aclKey(a)) ? false : (seen.add(aclKey(a)), true)));
  if (unique.length === 0) throw new KeeperError(Err.INVALIDACL, path);
  const out: Acl[] = [];
  for (const a of unique) {
    const { scheme, id } = a.id;
    if (scheme === 'world' && id === 'anyone') out.push(a);
    else if (scheme === 'auth') {
      const mine = authInfo.filter((c) => AUTHENTICATED.has(c.scheme));
      if (mine.length === 0) throw new KeeperError(Err.INVALIDACL, path);
      for (const c of mine) out.push({ perms: a.perms, id: { scheme: c.scheme, id: c.id } });
    } else if (validId(scheme, id)) out.push(a);
    else throw new KeeperError(Err.INVALIDACL, path);
  }
  return out;
}

/** ZooKeeperServer.checkACL: throws NOAUTH unless `authInfo` grants `perm` on a node with `acl`. */
export function checkAcl(acl: readonly Acl[], perm: number, authInfo: readonly AuthId[], path: string | undefined, skip = false): void {
  if (!hasPermission(acl, perm, authInfo, skip)) throw new KeeperError(Err.NOAUTH, path);
}

export function hasPermission(acl: readonly Acl[], perm: number, authInfo: readonly AuthId[], skip = false): boolean {
  if (skip || acl.length === 0) return true;
  if (authInfo.some((a) => a.scheme === 'super')) return true;
  for (const a of acl) {
    if ((a.perms & perm) === 0) continue;
    const { scheme, id } = a.id;
    if (scheme === 'world' && id === 'anyone') return true;
    for (const mine of authInfo) {
      if (mine.scheme !== scheme) continue;
      if (scheme === 'ip' ? ipMatches(id, mine.id) : mine.id === id) return true;
    }
  }
  return false;
}

interface IpAcl {
  readonly bytes: Buffer;
  readonly bits: number;
}

function ipBytes(addr: string): Buffer | undefined {
  const plain = addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
  const kind = isIP(plain);
  if (kind === 4) return Buffer.from(plain.split('.').map(Number));
  if (kind === 6) {
    const [head, tail] = plain.includes('::') ? plain.split('::') : [plain, undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    const b = Buffer.alloc(16);
    groups.forEach((g, i) => b.writeUInt16BE(parseInt(g || '0', 16), i * 2));
    return b;
  }
  return undefined;
}

function parseIpAcl(id: string): IpAcl | undefined {
  const [addr, bitsText] = id.split('/');
  const bytes = ipBytes(addr ?? '');
  if (!bytes) return undefined;
  const bits = bitsText === undefined ? bytes.length * 8 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) return undefined;
  return { bytes, bits };
}

/** IPAuthenticationProvider.matches: the remote address lies in the ACL's address/prefix. */
export function ipMatches(aclId: string, remote: string): boolean {
  const acl = parseIpAcl(aclId);
  const addr = ipBytes(remote);
  if (!acl || !addr || acl.bytes.length !== addr.length) return false;
  for (let bit = 0; bit < acl.bits; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((acl.bytes[bit >> 3]! & mask) !== (addr[bit >> 3]! & mask)) return false;
  }
  return true;
}

/** The address a connection's automatic `ip:` id carries (IPv4-mapped IPv6 shown as IPv4). */
export function remoteIpId(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
