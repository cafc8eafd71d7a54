import { describe, expect, it } from 'vitest';
import { parseProperties } from '../../../src/config/properties.js';
import { unknownKeys, zkConfigFrom } from '../../../src/zookeeper/server/config.js';

describe('zookeeper.properties', () => {
  it("has ZooKeeper's defaults, loopback by default, and session bounds from tickTime", () => {
    const c = zkConfigFrom(new Map());
    expect(c).toMatchObject({ clientPort: 2181, clientPortAddress: '127.0.0.1', tickTime: 3000, minSessionTimeout: 6000, maxSessionTimeout: 60000, maxClientCnxns: 60, snapCount: 100000, juteMaxBuffer: 0xfffff, extendedTypesEnabled: false });
    expect(c.fourLetterWords).toEqual(new Set(['srvr']));
    expect(c.dataLogDir).toBe(c.dataDir);
  });

  it("reads Kafka's config/zookeeper.properties and ZooKeeper's system-property keys", () => {
    const props = parseProperties('dataDir=/tmp/zookeeper\nclientPort=2181\nmaxClientCnxns=0\nadmin.enableServer=false\n4lw.commands.whitelist=ruok, stat\nzookeeper.extendedTypesEnabled=true\ntickTime=100\nminSessionTimeout=150\n');
    const c = zkConfigFrom(props);
    expect(c).toMatchObject({ dataDir: '/tmp/zookeeper', maxClientCnxns: 0, tickTime: 100, minSessionTimeout: 150, maxSessionTimeout: 2000, extendedTypesEnabled: true });
    expect(c.fourLetterWords).toEqual(new Set(['srvr', 'ruok', 'stat']));
    expect(zkConfigFrom(parseProperties('4lw.commands.whitelist=*')).fourLetterWords).toBe('*');
    expect(unknownKeys(props)).toEqual([]);
    expect(unknownKeys(parseProperties('clientPort=1\ntypo.key=1\nserver.1=a:1:2\ninitLimit=5'))).toEqual(['typo.key']);
  });

  it('refuses invalid values with an explanation', () => {
    expect(() => zkConfigFrom(parseProperties('clientPort=abc'))).toThrow(/clientPort/);
    expect(() => zkConfigFrom(parseProperties('minSessionTimeout=9000\nmaxSessionTimeout=100'))).toThrow('minSessionTimeout must not be larger than maxSessionTimeout');
    expect(() => zkConfigFrom(parseProperties('tickTime=0'))).toThrow(/tickTime/);
  });
});
