// zookeeper-server-stop: sends SIGTERM (or $SIGNAL) to every registered, running ktool ZooKeeper
// server and waits, bounded, until they are gone. None running ⇒ `No zookeeper server to stop`
// (stdout, as the script's echo), exit 1.
import { KtoolError, UsageError } from '../errors.js';
import { HELP_OPTION, type Command } from './shared/command.js';
import type { CliIO } from './shared/io.js';
import { parseArgs, type OptionSpec } from './shared/options.js';
import { isAlive, runDir, runningServers, unregisterServer } from './shared/server-registry.js';

const OPTIONS: readonly OptionSpec[] = [HELP_OPTION];
const STOP_TIMEOUT_MS = 30_000;

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseArgs(OPTIONS, argv);
  if (args.has('help')) throw new UsageError('USAGE: ktool zookeeper-stop');
  if (args.positionals.length > 0) throw new UsageError(`Found non argument parameters: ${args.positionals.join(',')}`);
  const signal = (io.env.SIGNAL ?? 'SIGTERM').replace(/^(?!SIG)/, 'SIG') as NodeJS.Signals;
  const dir = runDir(io.env);
  const servers = runningServers(dir, 'zookeeper');
  if (servers.length === 0) {
    io.stdout.write('No zookeeper server to stop\n');
    throw new KtoolError('NO_SERVER', 'No zookeeper server to stop', { reported: true });
  }
  for (const s of servers) {
    try {
      process.kill(s.pid, signal);
    } catch (err) {
      throw new KtoolError('STOP_FAILED', `Cannot signal ktool ZooKeeper server ${s.pid}: ${(err as Error).message}`);
    }
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  let left = servers;
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter((s) => isAlive(s.pid));
  }
  for (const s of servers) if (!left.includes(s)) unregisterServer(dir, s.pid, 'zookeeper');
  if (left.length > 0) {
    throw new KtoolError('STOP_TIMEOUT', `ktool ZooKeeper server(s) ${left.map((s) => s.pid).join(', ')} still running ${STOP_TIMEOUT_MS / 1000} s after ${signal}`);
  }
}

export const zookeeperStopCommand: Command = {
  options: OPTIONS,
  run,
};
