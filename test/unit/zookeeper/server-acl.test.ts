import { describe, expect, it } from 'vitest';
import { Ids, Perms } from '../../../src/zookeeper/protocol/constants.js';
import { Err } from '../../../src/zookeeper/protocol/keeper-errors.js';
import { authenticate, checkAcl, digestOf, fixupAcl, hasPermission, ipMatches } from '../../../src/zookeeper/server/acl.js';

const ip = { scheme: 'ip', id: '127.0.0.1' };
const user = { scheme: 'digest', id: 'user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY=' };

describe('ACLs', () => {
  it('digests as DigestAuthenticationProvider does (values from ZooKeeper 3.8)', () => {
    expect(digestOf('user:password')).toBe('user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY=');
    expect(digestOf('super:test')).toBe('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
    expect(authenticate('digest', Buffer.from('super:test'), '1.2.3.4', 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=')).toEqual([
      { scheme: 'digest', id: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=' },
      { scheme: 'super', id: '' },
    ]);
    expect(authenticate('world', null, '1.2.3.4')).toBeUndefined();
  });

  it('fixes up ACL lists: de-duplicates, expands auth, refuses empty and invalid ones', () => {
    const open = Ids.OPEN_ACL_UNSAFE[0]!;
    expect(fixupAcl('/p', [ip], [open, open])).toEqual([open]);
    expect(fixupAcl('/p', [ip, user], Ids.CREATOR_ALL_ACL)).toEqual([{ perms: Perms.ALL, id: user }]);
    for (const bad of [[], Ids.CREATOR_ALL_ACL, [{ perms: 1, id: { scheme: 'digest', id: 'nocolon' } }], [{ perms: 1, id: { scheme: 'ip', id: '300.1.1.1' } }], [{ perms: 1, id: { scheme: 'nope', id: 'x' } }]]) {
      expect(() => fixupAcl('/p', [ip], bad)).toThrow(expect.objectContaining({ code: Err.INVALIDACL }));
    }
    expect(fixupAcl('/p', [], [{ perms: 1, id: { scheme: 'ip', id: '10.0.0.0/8' } }])).toHaveLength(1);
  });

  it('checks permissions as ZooKeeperServer.checkACL', () => {
    const acl = [{ perms: Perms.READ, id: user }, { perms: Perms.ALL, id: { scheme: 'ip', id: '10.1.0.0/16' } }];
    expect(hasPermission(acl, Perms.READ, [ip, user])).toBe(true);
    expect(hasPermission(acl, Perms.WRITE, [ip, user])).toBe(false);
    expect(hasPermission(acl, Perms.WRITE, [{ scheme: 'ip', id: '10.1.2.3' }])).toBe(true);
    expect(hasPermission(acl, Perms.WRITE, [{ scheme: 'super', id: '' }])).toBe(true);
    expect(hasPermission([], Perms.ADMIN, [])).toBe(true);
    expect(() => checkAcl(acl, Perms.DELETE, [ip], '/x')).toThrow(expect.objectContaining({ code: Err.NOAUTH }));
  });

  it('matches ip ACLs by prefix, IPv4 and IPv6', () => {
    expect(ipMatches('192.168.0.0/16', '192.168.4.5')).toBe(true);
    expect(ipMatches('192.168.0.0/24', '192.168.4.5')).toBe(false);
    expect(ipMatches('127.0.0.1', '::ffff:127.0.0.1')).toBe(true);
    expect(ipMatches('::1', '::1')).toBe(true);
    expect(ipMatches('fe80::/10', 'fe80::1')).toBe(true);
    expect(ipMatches('10.0.0.1', '::1')).toBe(false);
  });
});
