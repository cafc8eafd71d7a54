// The znode commands of zkCli (org.apache.zookeeper.cli.*Command, ZooKeeper 3.8): their option
// letters, usage strings, argument checks (including the deprecated `get path watch` forms) and
// exactly what each prints on stdout and stderr.
import { CreateMode, Ids, type Acl } from '../protocol/constants.js';
import { KeeperError, Err } from '../protocol/keeper-errors.js';
import { OpCode } from '../protocol/op-codes.js';
import type { MultiOp, MultiResult } from '../protocol/multi.js';
import { childPath } from '../protocol/paths.js';
import { CliParseError, parseCommandOptions, type OptionTable, type ParsedCommand } from './cli-args.js';
import { CliError, checkPath, javaInt, keeperFailure } from './errors.js';
import { formatAcl, formatStat, parseAcl, type Stat } from './format.js';

export interface ShellWatchedEvent {
  type: number;
  state: number;
  path: string;
}

/** What the shell needs of a ZooKeeper session (src/zookeeper/client/zk-client.ts provides it). */
export interface ShellZk {
  create(path: string, data: Buffer | null, opts?: { acl?: Acl[]; mode?: number; ttl?: bigint }): Promise<string>;
  delete(path: string, version?: number): Promise<void>;
  exists(path: string, watcher?: (e: ShellWatchedEvent) => void): Promise<Stat | null>;
  getData(path: string, watcher?: (e: ShellWatchedEvent) => void): Promise<{ data: Buffer | null; stat: Stat }>;
  setData(path: string, data: Buffer | null, version?: number): Promise<Stat>;
  getChildren(path: string, watcher?: (e: ShellWatchedEvent) => void): Promise<{ children: string[]; stat: Stat }>;
  getACL(path: string): Promise<{ acl: Acl[]; stat: Stat }>;
  multi(ops: MultiOp[]): Promise<MultiResult[]>;
  sync(path: string): Promise<void>;
  addAuth(scheme: string, auth: Buffer): Promise<void>;
  getAllChildrenNumber(path: string): Promise<number>;
  getEphemerals(prefix: string): Promise<string[]>;
}

export interface CommandContext {
  /** The session, once connected; a failed connection is a ConnectionLoss for `path`. */
  zk(path: string): Promise<ShellZk>;
  out(text: string): void;
  err(text: string): void;
  /** The shell's default watcher: prints `WATCHER::` and the event. */
  readonly watcher: (e: ShellWatchedEvent) => void;
  readonly timeZone?: string;
}

export interface ZnodeCommand {
  readonly name: string;
  /** The option string zkCli lists in its usage, e.g. `[-s] [-w] path`. */
  readonly usage: string;
  run(words: string[], ctx: CommandContext): Promise<void>;
}

const usageOf = (c: { name: string; usage: string }): string => `${c.name} ${c.usage}`;

function parse(table: OptionTable, words: string[]): ParsedCommand {
  try {
    return parseCommandOptions(table, words);
  } catch (e) {
    if (e instanceof CliParseError) throw new CliError(e.message);
    throw e;
  }
}

/** Runs one ZooKeeper call, turning its failure into zkCli's message for `path`. */
async function call<T>(path: string, ctx: CommandContext, op: (zk: ShellZk) => Promise<T>): Promise<T> {
  try {
    return await op(await ctx.zk(path));
  } catch (e) {
    throw keeperFailure(e, path);
  }
}

/** `get path watch` and friends: a third word becomes `-w`, with zkCli's deprecation note. */
function legacyWatch(words: string[], table: OptionTable, parsed: ParsedCommand, ctx: CommandContext, note: string): ParsedCommand {
  if (parsed.args.length <= 2) return parsed;
  ctx.err(`${note}\n`);
  const rewritten = [...words];
  rewritten[2] = '-w';
  return parse(table, rewritten);
}

const javaList = (items: readonly string[]): string => `[${items.join(', ')}]`;
const byJavaOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const ls: ZnodeCommand = {
  name: 'ls',
  usage: '[-s] [-w] [-R] path',
  async run(words, ctx) {
    const table = { '?': false, s: false, w: false, R: false };
    let o = parse(table, words);
    if (o.has('?')) ctx.out('usage: ls [options] path\n -?   help\n -R   recurse\n -s   stat\n -w   watch\n');
    o = legacyWatch(words, table, o, ctx, "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.");
    if (o.args.length < 2) throw new CliError(usageOf(ls));
    const path = o.args[1]!;
    checkPath(path);
    const watcher = o.has('w') ? ctx.watcher : undefined;
    if (o.has('R')) {
      // ZKUtil.visitSubTreeDFS: the node, then each level's children before descending.
      await call(path, ctx, (zk) => zk.getData(path, watcher));
      ctx.out(`${path}\n`);
      const visit = async (node: string): Promise<void> => {
        let children: string[];
        try {
          children = (await call(node, ctx, (zk) => zk.getChildren(node, watcher))).children.sort(byJavaOrder);
        } catch (e) {
          if (e instanceof CliError && e.message.startsWith('Node does not exist: ')) return;
          throw e;
        }
        for (const c of children) ctx.out(`${childPath(node, c)}\n`);
        for (const c of children) await visit(childPath(node, c));
      };
      await visit(path);
      return;
    }
    const { children, stat } = await call(path, ctx, (zk) => zk.getChildren(path, watcher));
    ctx.out(`${javaList(children.sort(byJavaOrder))}\n`);
    if (o.has('s')) ctx.out(formatStat(stat, ctx.timeZone));
  },
};

const get: ZnodeCommand = {
  name: 'get',
  usage: '[-s] [-w] path',
  async run(words, ctx) {
    const table = { s: false, w: false };
    let o = parse(table, words);
    if (o.args.length < 2) throw new CliError(usageOf(get));
    o = legacyWatch(words, table, o, ctx, "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.");
    const path = o.args[1]!;
    checkPath(path);
    const { data, stat } = await call(path, ctx, (zk) => zk.getData(path, o.has('w') ? ctx.watcher : undefined));
    ctx.out(`${data === null ? 'null' : data.toString('utf8')}\n`);
    if (o.has('s')) ctx.out(formatStat(stat, ctx.timeZone));
  },
};

const stat: ZnodeCommand = {
  name: 'stat',
  usage: '[-w] path',
  async run(words, ctx) {
    const table = { w: false };
    let o = parse(table, words);
    if (o.args.length < 2) throw new CliError(usageOf(stat));
    o = legacyWatch(words, table, o, ctx, "'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.");
    const path = o.args[1]!;
    checkPath(path);
    const s = await call(path, ctx, (zk) => zk.exists(path, o.has('w') ? ctx.watcher : undefined));
    if (s === null) throw keeperFailure(new KeeperError(Err.NONODE, path), path);
    ctx.out(formatStat(s, ctx.timeZone));
  },
};

const create: ZnodeCommand = {
  name: 'create',
  usage: '[-s] [-e] [-c] [-t ttl] path [data] [acl]',
  async run(words, ctx) {
    const o = parse({ e: false, s: false, c: false, t: true }, words);
    if (o.args.length < 2) throw new CliError(usageOf(create));
    const [e, s, c, t] = [o.has('e'), o.has('s'), o.has('c'), o.has('t')];
    if (c && (e || s)) throw new CliError('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.');
    let ttl = 0n;
    if (t) {
      const text = o.value('t')!;
      if (!/^[+-]?\d+$/.test(text) || BigInt(text) > 2n ** 63n - 1n || BigInt(text) < -(2n ** 63n)) throw new CliError('-t argument must be a long value');
      ttl = BigInt(text);
    }
    if (t && e) throw new CliError('TTLs cannot be used with Ephemeral znodes');
    if (t && c) throw new CliError('TTLs cannot be used with Container znodes');
    // EphemeralType.TTL.toEphemeralOwner: 1 ms up to 2^40 - 1 ms.
    if (t && (ttl <= 0n || ttl > 0xffffffffffn)) throw new CliError(`ttl must be positive and cannot be larger than: ${0xffffffffffn}`);
    const mode = e && s ? CreateMode.EPHEMERAL_SEQUENTIAL
      : e ? CreateMode.EPHEMERAL
        : s ? (t ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL)
          : c ? CreateMode.CONTAINER
            : t ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT;
    const path = o.args[1]!;
    const data = o.args.length > 2 ? Buffer.from(o.args[2]!, 'utf8') : null;
    const acl = o.args.length > 3 ? parseAcl(o.args[3]!, (l) => ctx.err(`${l}\n`)) : Ids.OPEN_ACL_UNSAFE;
    checkPath(path, s);
    if (acl.length === 0) {
      // ZooKeeper.create refuses an empty ACL before sending anything.
      ctx.err('KeeperErrorCode = InvalidACL\n');
      throw new CliError('Acl is not valid : null');
    }
    let created: string;
    try {
      created = await call(path, ctx, (zk) => zk.create(path, data, { acl, mode, ...(t ? { ttl } : {}) }));
    } catch (err) {
      if (err instanceof CliError && err.message.startsWith('Acl is not valid')) ctx.err(`${new KeeperError(Err.INVALIDACL, path).message}\n`);
      throw err;
    }
    ctx.err(`Created ${created}\n`);
  },
};

const set: ZnodeCommand = {
  name: 'set',
  usage: '[-s] [-v version] path data',
  async run(words, ctx) {
    const o = parse({ s: false, v: true }, words);
    if (o.args.length < 3) throw new CliError(usageOf(set));
    const path = o.args[1]!;
    const data = Buffer.from(o.args[2]!, 'utf8');
    const version = o.has('v') ? javaInt(o.value('v')!) : -1;
    checkPath(path);
    const s = await call(path, ctx, (zk) => zk.setData(path, data, version));
    if (o.has('s')) ctx.out(formatStat(s, ctx.timeZone));
  },
};

const del: ZnodeCommand = {
  name: 'delete',
  usage: '[-v version] path',
  async run(words, ctx) {
    const table = { v: true };
    let o = parse(table, words);
    if (o.args.length < 2) throw new CliError(usageOf(del));
    if (o.args.length > 2) {
      // `delete path version` is the old form of `delete -v version path`.
      ctx.err("'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.\n");
      o = parse(table, [words[0]!, '-v', o.args[2]!, o.args[1]!]);
    }
    const path = o.args[1]!;
    const version = o.has('v') ? javaInt(o.value('v')!) : -1;
    checkPath(path);
    await call(path, ctx, (zk) => zk.delete(path, version));
  },
};

const deleteAll: ZnodeCommand = {
  name: 'deleteall',
  usage: 'path [-b batch size]',
  async run(words, ctx) {
    const o = parse({ b: true }, words);
    if (o.args.length < 2) throw new CliError(usageOf(deleteAll));
    const batch = o.has('b') ? javaInt(o.value('b')!) : 1000;
    const path = o.args[1]!;
    checkPath(path);
    if (!(await deleteRecursive(path, batch, ctx))) ctx.err('Failed to delete some node(s) in the subtree!\n');
  },
};

/** ZKUtil.deleteRecursive: list the subtree breadth first, then delete leaves first in multi batches. */
async function deleteRecursive(root: string, batchSize: number, ctx: CommandContext): Promise<boolean> {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    const node = tree[i]!;
    const { children } = await call(node, ctx, (zk) => zk.getChildren(node));
    for (const c of children) tree.push(childPath(node, c));
  }
  let ops: MultiOp[] = [];
  for (let i = tree.length - 1; i >= 0; i--) {
    ops.push({ type: OpCode.delete, request: { path: tree[i]!, version: -1 } });
    if (ops.length === batchSize || i === 0) {
      const batch = ops;
      ops = [];
      try {
        const results = await (await ctx.zk(root)).multi(batch);
        if (results.some((r) => r.err !== 0)) return false;
      } catch (e) {
        if (e instanceof KeeperError) return false;
        throw e;
      }
    }
  }
  return true;
}

const getAcl: ZnodeCommand = {
  name: 'getAcl',
  usage: '[-s] path',
  async run(words, ctx) {
    const o = parse({ s: false }, words);
    if (o.args.length < 2) throw new CliError(usageOf(getAcl));
    const path = o.args[1]!;
    checkPath(path);
    const { acl, stat: s } = await call(path, ctx, (zk) => zk.getACL(path));
    ctx.out(formatAcl(acl));
    if (o.has('s')) ctx.out(formatStat(s, ctx.timeZone));
  },
};

const sync: ZnodeCommand = {
  name: 'sync',
  usage: 'path',
  async run(words, ctx) {
    const o = parse({}, words);
    if (o.args.length < 2) throw new CliError(usageOf(sync));
    const path = o.args[1]!;
    checkPath(path);
    try {
      await (await ctx.zk(path)).sync(path);
      ctx.out('Sync is OK\n');
    } catch (e) {
      if (!(e instanceof KeeperError)) throw e;
      ctx.out(`Sync has failed. rc=${e.code}\n`);
    }
  },
};

const getAllChildrenNumber: ZnodeCommand = {
  name: 'getAllChildrenNumber',
  usage: 'path',
  async run(words, ctx) {
    const o = parse({}, words);
    if (o.args.length < 2) throw new CliError(usageOf(getAllChildrenNumber));
    const path = o.args[1]!;
    checkPath(path);
    ctx.out(`${await call(path, ctx, (zk) => zk.getAllChildrenNumber(path))}\n`);
  },
};

const getEphemerals: ZnodeCommand = {
  name: 'getEphemerals',
  usage: 'path',
  async run(words, ctx) {
    const o = parse({}, words);
    const path = o.args.length >= 2 ? o.args[1]! : '/';
    checkPath(path);
    ctx.out(`${javaList(await call(path, ctx, (zk) => zk.getEphemerals(path)))}\n`);
  },
};

const addauth: ZnodeCommand = {
  name: 'addauth',
  usage: 'scheme auth',
  async run(words, ctx) {
    const o = parse({}, words);
    if (o.args.length < 2) throw new CliError(usageOf(addauth));
    const auth = o.args.length >= 3 ? Buffer.from(o.args[2]!, 'utf8') : Buffer.alloc(0);
    await call('/', ctx, (zk) => zk.addAuth(o.args[1]!, auth));
  },
};

export const ZNODE_COMMANDS: ReadonlyMap<string, ZnodeCommand> = new Map(
  [ls, get, stat, create, set, del, deleteAll, getAcl, sync, getAllChildrenNumber, getEphemerals, addauth].map((c) => [c.name, c]),
);
