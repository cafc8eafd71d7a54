import { describe, expect, it } from 'vitest';
import { splitCommandLine, parseCommandOptions, CliParseError } from '../../../src/zookeeper/shell/cli-args.js';
import { formatAcl, formatStat, formatWatchedEvent, javaDate, javaHex, parseAcl, permString } from '../../../src/zookeeper/shell/format.js';
import { checkPath, javaInt, keeperFailure, ShellCrash } from '../../../src/zookeeper/shell/errors.js';
import { Err, KeeperError } from '../../../src/zookeeper/protocol/keeper-errors.js';
import { EventType, KeeperState, Perms } from '../../../src/zookeeper/protocol/constants.js';
import { shellArgs } from '../../../src/commands/zookeeper-shell.js';

describe('splitCommandLine (ZooKeeperMain.parseCommand)', () => {
  it.each([
    ['ls /', ['ls', '/']],
    ['ls   /zookeeper', ['ls', '/zookeeper']],
    ['create /q "a b c"', ['create', '/q', 'a b c']],
    ["create /q 'x y'", ['create', '/q', 'x y']],
    ['create /q {"a":1}', ['create', '/q', '{"a":1}']],
    ['set /q ""', ['set', '/q', '']],
  ])('%j', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });
});

describe('parseCommandOptions (commons-cli)', () => {
  const table = { s: false, e: false, v: true };
  it('reads flags, clusters and values anywhere', () => {
    const o = parseCommandOptions(table, ['create', '-es', '/x', 'data', '-v', '3']);
    expect(o.args).toEqual(['create', '/x', 'data']);
    expect([o.has('e'), o.has('s'), o.value('v')]).toEqual([true, true, '3']);
    expect(parseCommandOptions(table, ['set', '-v7', '/x']).value('v')).toBe('7');
    expect(parseCommandOptions(table, ['get', '--', '-s']).args).toEqual(['get', '-s']);
  });
  it('fails as commons-cli does', () => {
    expect(() => parseCommandOptions(table, ['ls', '-x', '/'])).toThrow(new CliParseError('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x'));
    expect(() => parseCommandOptions(table, ['set', '/x', '-v'])).toThrow('org.apache.commons.cli.MissingArgumentException: Missing argument for option: v');
  });
});

describe('zkCli text forms', () => {
  it('prints Stat as StatPrinter does', () => {
    const stat = { czxid: 5n, mzxid: 0x12n, ctime: 0n, mtime: 1_000n, version: 1, cversion: 0, aversion: 0, ephemeralOwner: 0x1000a2b3c4d0000n, dataLength: 5, numChildren: 0, pzxid: 5n };
    expect(formatStat(stat, 'UTC')).toBe(
      'cZxid = 0x5\nctime = Thu Jan 01 00:00:00 UTC 1970\nmZxid = 0x12\nmtime = Thu Jan 01 00:00:01 UTC 1970\npZxid = 0x5\ncversion = 0\n'
      + 'dataVersion = 1\naclVersion = 0\nephemeralOwner = 0x1000a2b3c4d0000\ndataLength = 5\nnumChildren = 0\n',
    );
  });
  it('renders Java dates and hex', () => {
    expect(javaDate(Date.UTC(2026, 10, 22, 5, 42, 5), 'UTC')).toBe('Sun Nov 22 05:42:05 UTC 2026');
    expect(javaHex(-0x8000000000000000n)).toBe('0x8000000000000000');
    expect(javaHex(0n)).toBe('0x0');
  });
  it('ACLs: perms as cdrwa, AclParser warnings', () => {
    expect(permString(Perms.ALL)).toBe('cdrwa');
    expect(permString(Perms.READ | Perms.ADMIN)).toBe('ra');
    expect(formatAcl([{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }])).toBe("'world,'anyone\n: r\n");
    const warnings: string[] = [];
    expect(parseAcl('world:anyone:rq,bad', (l) => warnings.push(l))).toEqual([{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }]);
    expect(warnings).toEqual(['Unknown perm type: q', 'bad does not have the form scheme:id:perm']);
  });
  it('prints watched events as WatchedEvent#toString', () => {
    expect(formatWatchedEvent(KeeperState.SyncConnected, EventType.None, null)).toBe('WatchedEvent state:SyncConnected type:None path:null');
    expect(formatWatchedEvent(KeeperState.SyncConnected, EventType.NodeDataChanged, '/a')).toBe('WatchedEvent state:SyncConnected type:NodeDataChanged path:/a');
  });
});

describe('zkCli errors', () => {
  it.each([
    [Err.NONODE, 'Node does not exist: /x'],
    [Err.NODEEXISTS, 'Node already exists: /x'],
    [Err.NOTEMPTY, 'Node not empty: /x'],
    [Err.BADVERSION, 'version No is not valid : /x'],
    [Err.BADARGUMENTS, 'Arguments are not valid : /x'],
    [Err.NOCHILDRENFOREPHEMERALS, 'Ephemerals cannot have children: /x'],
    [Err.UNIMPLEMENTED, 'KeeperErrorCode = Unimplemented for /x'],
  ])('code %i ⇒ %s', (code, text) => {
    expect(keeperFailure(new KeeperError(code, '/x'), '/x').message).toBe(text);
  });
  it('validates paths with PathUtils wording', () => {
    expect(() => checkPath('nopath')).toThrow('Path must start with / character');
    expect(() => checkPath('/bad/')).toThrow('Path must not end with / character');
    expect(() => checkPath('//x')).toThrow('Invalid path string "//x" caused by empty node name specified @1');
    expect(() => checkPath('/seq-', true)).not.toThrow();
  });
  it('a bad number ends the shell like an uncaught NumberFormatException', () => {
    expect(javaInt('-1')).toBe(-1);
    expect(() => javaInt('abc')).toThrow(ShellCrash);
    expect(() => javaInt('abc')).toThrow('Exception in thread "main" java.lang.NumberFormatException: For input string: "abc"');
  });
});

describe('shellArgs (zookeeper-shell.sh ⇒ ZooKeeperMain -server "$@")', () => {
  it('takes the server, then a one-shot command', () => {
    expect(shellArgs(['localhost:2181'])).toEqual({ server: 'localhost:2181', timeoutMs: 30000 });
    expect(shellArgs(['localhost:2181/kafka', 'ls', '-s', '/brokers/ids'])).toEqual({ server: 'localhost:2181/kafka', timeoutMs: 30000, command: ['ls', '-s', '/brokers/ids'] });
    expect(shellArgs(['h:1', '-timeout', '5000', 'get', '/x'])).toMatchObject({ timeoutMs: 5000, command: ['get', '/x'] });
  });
  it('refuses the TLS config file it cannot honour', () => {
    expect(() => shellArgs(['h:1', '-zk-tls-config-file', 'f'])).toThrow('-zk-tls-config-file is not supported');
  });
});
