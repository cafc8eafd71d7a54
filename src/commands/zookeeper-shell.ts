// zookeeper-shell: Kafka's wrapper around ZooKeeper's zkCli. `zookeeper-shell host:port[/chroot]`
// reads commands from stdin (with the `[zk: host(CONNECTED) 0] ` prompt when stdin is a
// terminal); `zookeeper-shell host:port ls /brokers/ids` runs one command. Output, stream choice
// and exit codes are zkCli's; see src/zookeeper/shell/.
import { createInterface } from 'node:readline';
import { KtoolError } from '../errors.js';
import { ZkClient } from '../zookeeper/client/zk-client.js';
import { ZkShell, type ShellSession } from '../zookeeper/shell/shell.js';
import type { Command } from './shared/command.js';
import type { CliIO } from './shared/io.js';

const USAGE = 'USAGE: ktool zookeeper-shell zookeeper_host:port[/path] [args...]';

export interface ShellArgs {
  server: string;
  timeoutMs: number;
  /** The one command to run; undefined ⇒ read commands from stdin. */
  command?: string[];
}

/**
 * ZooKeeperMain.MyCommandOptions.parseOptions over `-server <argv...>`, as the script calls it:
 * `-server`, `-timeout` and `-r` until the first word that is not an option starts the command.
 */
export function shellArgs(argv: readonly string[]): ShellArgs {
  const words = ['-server', ...argv];
  const out: ShellArgs = { server: 'localhost:2181', timeoutMs: 30000 };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-zk-tls-config-file') throw new KtoolError('ZK_TLS_UNSUPPORTED', 'Error: -zk-tls-config-file is not supported: ktool connects to ZooKeeper without TLS');
    if (w === '-server' || w === '-timeout') {
      const v = words[++i];
      if (v === undefined) throw new KtoolError('ZK_SHELL_ARGS', `Error: no argument found for option ${w}`);
      if (w === '-server') out.server = v;
      else out.timeoutMs = javaParseInt(v);
      continue;
    }
    if (!w.startsWith('-')) {
      out.command = words.slice(i);
      break;
    }
  }
  return out;
}

function javaParseInt(v: string): number {
  if (!/^[+-]?\d+$/.test(v)) throw new KtoolError('ZK_SHELL_ARGS', `Exception in thread "main" java.lang.NumberFormatException: For input string: "${v}"`);
  return Number(v);
}

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  if (argv.length < 1) {
    io.stdout.write(`${USAGE}\n`);
    throw new KtoolError('USAGE', USAGE, { reported: true });
  }
  const args = shellArgs(argv);
  const out = (s: string): void => void io.stdout.write(s);
  const shell = new ZkShell({
    connect: (host): Promise<ShellSession> => ZkClient.connect({ connectString: host, sessionTimeoutMs: args.timeoutMs }),
    out,
    err: (s) => void io.stderr.write(s),
    timeZone: io.env.TZ || undefined,
  });
  out(`Connecting to ${args.server}\n`);
  try {
    if (args.command) {
      await shell.connect(args.server, true);
      await shell.executeWords(args.command);
    } else {
      out('Welcome to ZooKeeper!\n');
      out(`JLine support is ${io.stdinIsTTY ? 'enabled' : 'disabled'}\n`);
      await shell.connect(args.server);
      await readCommands(shell, io);
    }
  } finally {
    await shell.closeSession(false);
  }
  if (shell.exitCode !== 0) throw new KtoolError('ZK_SHELL', `exit ${shell.exitCode}`, { exitCode: shell.exitCode, reported: true });
}

/** Lines from stdin until EOF or `quit`; on a terminal with the prompt and line editing. */
async function readCommands(shell: ZkShell, io: CliIO): Promise<void> {
  const tty = io.stdinIsTTY;
  const rl = createInterface({ input: io.stdin, output: tty ? io.stdout : undefined, terminal: tty, historySize: tty ? 100 : 0 });
  let interrupted = false;
  const stopSignal = io.onSignal('SIGINT', () => {
    interrupted = true;
    rl.close();
  });
  rl.on('SIGINT', () => {
    interrupted = true;
    rl.close();
  });
  try {
    if (tty) {
      rl.setPrompt(shell.prompt());
      rl.prompt();
    }
    for await (const line of rl) {
      await shell.executeLine(line);
      if (shell.finished) break;
      if (tty) {
        rl.setPrompt(shell.prompt());
        rl.prompt();
      }
    }
  } finally {
    stopSignal();
    rl.close();
  }
  // Ctrl-C ends the JVM: exit status 130, no Closed event.
  if (interrupted) shell.exitCode = 130;
}

export const zookeeperShellCommand: Command = {
  options: [],
  run,
};
