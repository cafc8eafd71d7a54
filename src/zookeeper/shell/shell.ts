// ZooKeeperMain, the loop behind zkCli and Kafka's zookeeper-shell: numbered history, the shell's
// own commands (connect, close, history, redo, printwatches, quit), the usage list for an unknown
// command, and the exit code of the last command. Connecting is asynchronous as in Java: commands
// wait for the session, and a session that cannot be had is a ConnectionLoss for that command.
import { KeeperState, EventType } from '../protocol/constants.js';
import { Err, KeeperError } from '../protocol/keeper-errors.js';
import { splitCommandLine } from './cli-args.js';
import { ZNODE_COMMANDS, type ShellZk } from './commands.js';
import { CliError, ShellCrash } from './errors.js';
import { formatWatchedEvent } from './format.js';

export type SessionState = 'connected' | 'disconnected' | 'expired' | 'closed';

/** A live session as the shell holds it. */
export interface ShellSession extends ShellZk {
  onState(listener: (state: SessionState) => void): () => void;
  close(): Promise<void>;
}

export interface ShellOptions {
  /** Opens a session to `host` (a connect string with an optional chroot). */
  connect(host: string): Promise<ShellSession>;
  out(text: string): void;
  err(text: string): void;
  timeZone?: string;
}

/** Built-ins listed in the usage with their option strings (ZooKeeperMain.commandMap). */
const BUILT_INS: ReadonlyMap<string, string> = new Map([
  ['connect', 'host:port'],
  ['close', ''],
  ['history', ''],
  ['redo', 'cmdno'],
  ['printwatches', 'on|off'],
  ['quit', ''],
]);

/** ZooKeeper.States as the prompt shows them. */
const PROMPT_STATE: Record<SessionState | 'connecting', string> = {
  connecting: 'CONNECTING',
  connected: 'CONNECTED',
  disconnected: 'CONNECTING',
  expired: 'CLOSED',
  closed: 'CLOSED',
};

export class ZkShell {
  exitCode = 0;
  commandCount = 0;
  printWatches = true;
  /** Set by `quit` (and a crash): the caller stops reading lines. */
  finished = false;
  private readonly history = new Map<number, string>();
  private host = '';
  private state: SessionState | 'connecting' = 'closed';
  private session: Promise<ShellSession> | undefined;
  private unsubscribe: (() => void) | undefined;
  private generation = 0;
  /** One-shot mode: the SyncConnected event is printed when a command first uses the session. */
  private connectedEventPending = false;

  constructor(private readonly opts: ShellOptions) {}

  /** `[zk: localhost:2181(CONNECTED) 0] ` */
  prompt(): string {
    return `[zk: ${this.host}(${PROMPT_STATE[this.state]}) ${this.commandCount}] `;
  }

  /**
   * Starts a session to `host`, closing the current one first. Resolves once it is settled.
   * `lazyEvent`: a one-shot zkCli exits before its event thread prints the connection event
   * unless the command waited on the server, so the event is printed on first use.
   */
  async connect(host: string, lazyEvent = false): Promise<void> {
    await this.closeSession(false);
    this.host = host;
    this.state = 'connecting';
    const generation = ++this.generation;
    const pending = this.opts.connect(host);
    this.session = pending;
    try {
      const s = await pending;
      if (generation !== this.generation) return;
      this.state = 'connected';
      if (lazyEvent) this.connectedEventPending = true;
      else this.printEvent(KeeperState.SyncConnected, EventType.None, null);
      this.unsubscribe = s.onState((st) => {
        if (generation !== this.generation) return;
        this.state = st;
        const ks = st === 'connected' ? KeeperState.SyncConnected : st === 'disconnected' ? KeeperState.Disconnected : st === 'expired' ? KeeperState.Expired : KeeperState.Closed;
        this.printEvent(ks, EventType.None, null);
      });
    } catch {
      // Java keeps trying (state CONNECTING); each command that needs the session reports the loss.
    }
  }

  /** Ends the session: the Closed event is printed as Java's client delivers it on close(). */
  async closeSession(announce: boolean): Promise<void> {
    const pending = this.session;
    if (!pending) return;
    this.session = undefined;
    this.generation++;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const wasOpen = this.state !== 'closed';
    this.state = 'closed';
    const s = await pending.catch(() => undefined);
    if (!s) return;
    await s.close().catch(() => undefined);
    if (announce && wasOpen) this.printEvent(KeeperState.Closed, EventType.None, null);
  }

  /** ZooKeeperMain.executeLine: blank lines are skipped and not numbered. */
  async executeLine(line: string): Promise<void> {
    if (line === '') return;
    const words = splitCommandLine(line);
    this.history.set(this.commandCount, line);
    await this.processCmd(words);
    this.commandCount++;
  }

  /** One command given on the command line (no history). */
  async executeWords(words: string[]): Promise<void> {
    await this.processCmd(words);
  }

  private async processCmd(words: string[]): Promise<void> {
    try {
      await this.processZkCmd(words);
      // `quit` exits with the code the previous command left (System.exit(exitCode) in Java).
      if (!this.finished) this.exitCode = 0;
    } catch (e) {
      if (e instanceof ShellCrash) {
        this.opts.err(`${e.message}\n`);
        this.exitCode = 1;
        this.finished = true;
        return;
      }
      if (!(e instanceof CliError)) throw e;
      this.exitCode = e.exitCode;
      this.opts.err(`${e.message}\n`);
    }
  }

  private async processZkCmd(words: string[]): Promise<void> {
    const cmd = words[0];
    if (cmd === undefined) {
      this.usage();
      throw new CliError('No command entered');
    }
    if (!BUILT_INS.has(cmd) && !ZNODE_COMMANDS.has(cmd)) {
      this.usage();
      throw new CliError(`Command not found: Command not found ${cmd}`, 127);
    }
    switch (cmd) {
      case 'quit':
        await this.closeSession(true);
        this.finished = true;
        return;
      case 'close':
        await this.closeSession(true);
        return;
      case 'history':
        for (let i = Math.max(0, this.commandCount - 10); i <= this.commandCount; i++) this.opts.out(`${i} - ${this.history.get(i)}\n`);
        break;
      case 'printwatches':
        if (words.length === 1) this.opts.out(`printwatches is ${this.printWatches ? 'on' : 'off'}\n`);
        else this.printWatches = words[1] === 'on';
        break;
      case 'connect':
        await this.connect(words.length >= 2 ? words[1]! : this.host);
        break;
      case 'redo':
        if (words.length >= 2) return this.redo(words[1]!);
        break;
    }
    // Everything below needs a session that is not closed.
    if (!this.session || this.state === 'closed' || this.state === 'expired') {
      this.opts.out('Not connected\n');
      return;
    }
    const command = ZNODE_COMMANDS.get(cmd);
    if (!command) return;
    await command.run(words, {
      zk: (path) => this.zk(path),
      out: this.opts.out,
      err: this.opts.err,
      watcher: (e) => this.printEvent(e.state, e.type, e.path),
      timeZone: this.opts.timeZone,
    });
  }

  private async redo(indexText: string): Promise<void> {
    const i = javaDecode(indexText);
    if (this.commandCount <= i || i < 0) throw new CliError('Command index out of range');
    const words = splitCommandLine(this.history.get(i)!);
    if (words[0] === 'redo') throw new CliError('No redoing redos');
    this.history.set(this.commandCount, this.history.get(i)!);
    await this.processCmd(words);
  }

  private async zk(path: string): Promise<ShellZk> {
    const pending = this.session;
    const s = pending ? await pending.catch(() => undefined) : undefined;
    if (!s) throw new KeeperError(Err.CONNECTIONLOSS, path);
    if (this.connectedEventPending) {
      this.connectedEventPending = false;
      this.printEvent(KeeperState.SyncConnected, EventType.None, null);
    }
    return s;
  }

  private printEvent(state: number, type: number, path: string | null): void {
    if (this.printWatches) this.opts.out(`\nWATCHER::\n\n${formatWatchedEvent(state, type, path)}\n`);
  }

  /** The usage list: the built-ins and znode commands, sorted. */
  private usage(): void {
    const all = new Map<string, string>([...BUILT_INS, ...[...ZNODE_COMMANDS.values()].map((c) => [c.name, c.usage] as [string, string])]);
    let text = 'ZooKeeper -server host:port cmd args\n';
    for (const name of [...all.keys()].sort()) text += `\t${name} ${all.get(name)}\n`;
    this.opts.err(text);
  }
}

/** Integer.decode: decimal, 0x/# hex, leading-0 octal. */
function javaDecode(text: string): number {
  const m = /^([+-]?)(0[xX]|#|0(?=\d))?([0-9a-fA-F]+)$/.exec(text);
  const radix = m?.[2] === undefined ? 10 : m[2] === '0' ? 8 : 16;
  const n = m ? parseInt(`${m[1]}${m[3]}`, radix) : NaN;
  if (!Number.isFinite(n) || (radix === 10 && !/^[+-]?\d+$/.test(text))) {
    throw new ShellCrash(`Exception in thread "main" java.lang.NumberFormatException: For input string: "${text}"`);
  }
  return n;
}
