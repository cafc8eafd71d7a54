// zkCli's text forms: the Stat block (StatPrinter), java.util.Date#toString for ctime/mtime,
// Long.toHexString for zxids and session ids, ACL perms as `cdrwa`, and WatchedEvent#toString.
import type { Acl } from '../protocol/constants.js';
import { EventType, KeeperState, Perms } from '../protocol/constants.js';
import type { Rec } from '../protocol/jute.js';
import type { Stat as StatRecord } from '../protocol/records.js';

export type Stat = Rec<typeof StatRecord>;

/** Java's Long.toHexString: two's complement for negative values (a container's owner). */
export function javaHex(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** java.util.Date#toString: `Thu Jan 01 00:00:00 UTC 1970`, in the given (default: local) zone. */
export function javaDate(ms: number, timeZone?: string): string {
  const key = timeZone ?? '';
  let fmt = dateFormats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone, weekday: 'short', month: 'short', day: '2-digit', year: 'numeric',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    });
    dateFormats.set(key, fmt);
  }
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.month} ${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName} ${p.year}`;
}

/** StatPrinter: eleven `name = value` lines. */
export function formatStat(stat: Stat, timeZone?: string): string {
  return [
    `cZxid = ${javaHex(stat.czxid)}`,
    `ctime = ${javaDate(Number(stat.ctime), timeZone)}`,
    `mZxid = ${javaHex(stat.mzxid)}`,
    `mtime = ${javaDate(Number(stat.mtime), timeZone)}`,
    `pZxid = ${javaHex(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = ${javaHex(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ].join('\n') + '\n';
}

/** ZKUtil.getPermString: the letters of the granted permissions, in this order. */
export function permString(perms: number): string {
  let s = '';
  if (perms & Perms.CREATE) s += 'c';
  if (perms & Perms.DELETE) s += 'd';
  if (perms & Perms.READ) s += 'r';
  if (perms & Perms.WRITE) s += 'w';
  if (perms & Perms.ADMIN) s += 'a';
  return s;
}

/** getAcl's lines for one entry: `'world,'anyone` then `: cdrwa`. */
export function formatAcl(acl: readonly Acl[]): string {
  return acl.map((a) => `'${a.id.scheme},'${a.id.id}\n: ${permString(a.perms)}\n`).join('');
}

/**
 * AclParser.parse: `scheme:id:perms[,...]`. Malformed entries and unknown perm letters are
 * reported on `warn` and skipped, as zkCli does.
 */
export function parseAcl(text: string, warn: (line: string) => void): Acl[] {
  const out: Acl[] = [];
  for (const a of text.split(',')) {
    const first = a.indexOf(':');
    const last = a.lastIndexOf(':');
    if (first === -1 || first === last) {
      warn(`${a} does not have the form scheme:id:perm`);
      continue;
    }
    let perms = 0;
    for (const c of a.slice(last + 1)) {
      const bit = ({ r: Perms.READ, w: Perms.WRITE, c: Perms.CREATE, d: Perms.DELETE, a: Perms.ADMIN } as Record<string, number>)[c];
      if (bit === undefined) warn(`Unknown perm type: ${c}`);
      else perms |= bit;
    }
    out.push({ perms, id: { scheme: a.slice(0, first), id: a.slice(first + 1, last) } });
  }
  return out;
}

const STATE_NAMES = new Map<number, string>(Object.entries(KeeperState).map(([k, v]) => [v, k]));
const TYPE_NAMES = new Map<number, string>(Object.entries(EventType).map(([k, v]) => [v, k]));

/** WatchedEvent#toString (ZooKeeper 3.5–3.8): `WatchedEvent state:SyncConnected type:None path:null`. */
export function formatWatchedEvent(state: number, type: number, path: string | null): string {
  return `WatchedEvent state:${STATE_NAMES.get(state) ?? state} type:${TYPE_NAMES.get(type) ?? type} path:${path ?? 'null'}`;
}
