// znode paths: validation (PathUtils.validatePath), parents, and client-side chroot prefixes.

/** Why `path` is not a valid znode path, or undefined when it is. A sequential create's path is
 * checked with a suffix, as the server will add one. */
export function pathProblem(path: string, sequential = false): string | undefined {
  const p = sequential ? `${path}1` : path;
  if (p.length === 0) return 'Path length must be > 0';
  if (p[0] !== '/') return 'Path must start with / character';
  if (p.length === 1) return undefined;
  if (p.endsWith('/')) return 'Path must not end with / character';
  for (let i = 1; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && p.charCodeAt(i - 1) === 0x2f) return `empty node name specified @${i}`;
    if ((c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)) {
      return `invalid character @${i}`;
    }
  }
  for (const segment of p.split('/')) {
    if (segment === '.' || segment === '..') return `relative paths not allowed @${p.indexOf(`/${segment}`) + 1}`;
  }
  return undefined;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** The server path of a client path under `chroot` ('' for none). */
export function prependChroot(chroot: string, path: string): string {
  if (!chroot) return path;
  return path === '/' ? chroot : chroot + path;
}

/** The client path of a server path under `chroot`. */
export function stripChroot(chroot: string, path: string): string {
  if (!chroot) return path;
  if (path === chroot) return '/';
  return path.startsWith(`${chroot}/`) ? path.slice(chroot.length) : path;
}

/** Splits `host1:2181,host2:2181/kafka` into hosts and a chroot ('' when none). */
export function parseConnectString(connect: string): { hosts: { host: string; port: number }[]; chroot: string } {
  const slash = connect.indexOf('/');
  const hostPart = slash < 0 ? connect : connect.slice(0, slash);
  let chroot = slash < 0 ? '' : connect.slice(slash);
  if (chroot === '/') chroot = '';
  if (chroot) {
    const problem = pathProblem(chroot);
    if (problem) throw new Error(`Invalid chroot path ${chroot}: ${problem}`);
  }
  const hosts = hostPart
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0)
    .map((h) => {
      const m = /^\[?(.*?)\]?(?::(\d+))?$/.exec(h)!;
      return { host: m[1]!, port: m[2] ? Number(m[2]) : 2181 };
    });
  if (hosts.length === 0) throw new Error(`A HostProvider may not be empty: ${connect}`);
  return { hosts, chroot };
}
