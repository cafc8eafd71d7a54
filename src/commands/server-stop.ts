// kafka-server-stop: sends SIGTERM (or $SIGNAL) to every registered, running ktool broker and
// waits, bounded, until they are gone. None running ⇒ `No kafka server to stop` (stdout, as the
// script's echo), exit 1.
import { KtoolError, UsageError } from '../errors.js';
import { HELP_OPTION, type Command } from './shared/command.js';
import type { CliIO } from './shared/io.js';
import { parseArgs, type OptionSpec } from './shared/options.js';
import { isAlive, runDir, runningServers, unregisterServer } from './shared/server-registry.js';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'process-role', arg: 'required', describedAs: 'broker|controller', description: 'Accepted for compatibility; the bundled broker plays both roles.' },
  { name: 'node-id', arg: 'required', type: 'Integer', describedAs: 'node id', description: 'Accepted for compatibility; every registered ktool broker is stopped.' },
  HELP_OPTION,
];

const STOP_TIMEOUT_MS = 30_000;

async function run(argv: readonly string[], io: CliIO): Promise<void> {
  const args = parseArgs(OPTIONS, argv);
  if (args.has('help')) throw new UsageError('USAGE: ktool server-stop [--process-role=broker|controller] [--node-id=N]');
  const signal = (io.env.SIGNAL ?? 'SIGTERM').replace(/^(?!SIG)/, 'SIG') as NodeJS.Signals;
  const dir = runDir(io.env);
  const servers = runningServers(dir);
  if (servers.length === 0) {
    io.stdout.write('No kafka server to stop\n');
    throw new KtoolError('NO_SERVER', 'No kafka server to stop', { reported: true });
  }
  for (const s of servers) {
    try {
      process.kill(s.pid, signal);
    } catch (err) {
      throw new KtoolError('STOP_FAILED', `Cannot signal ktool broker ${s.pid}: ${(err as Error).message}`);
    }
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  let left = servers;
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter((s) => isAlive(s.pid));
  }
  for (const s of servers) if (!left.includes(s)) unregisterServer(dir, s.pid);
  if (left.length > 0) {
    throw new KtoolError('STOP_TIMEOUT', `ktool broker(s) ${left.map((s) => s.pid).join(', ')} still running ${STOP_TIMEOUT_MS / 1000} s after ${signal}`);
  }
}

export const serverStopCommand: Command = {
  options: OPTIONS,
  run,
};
