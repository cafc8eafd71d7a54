// Runs `main()` in-process with captured stdout/stderr, a given stdin, and fake signals, so CLI
// behaviour (texts, streams, exit codes) is tested without spawning processes.
import { EventEmitter } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli.js';
import type { CliIO, Signal } from '../../src/commands/shared/io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface RunCliOptions {
  stdin?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  /** Path the binary was "invoked as" (link-name dispatch). */
  argv0?: string;
  /** Emit 'SIGINT' / 'SIGTERM' on it to signal the command. */
  signals?: EventEmitter;
}

function capture(): { stream: PassThrough; bytes: () => Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, bytes: () => Buffer.concat(chunks) };
}

export async function runCli(args: readonly string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const out = capture();
  const err = capture();
  const signals = opts.signals ?? new EventEmitter();
  const io: Partial<CliIO> = {
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    stdout: out.stream,
    stderr: err.stream,
    env: { ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    stdinIsTTY: opts.stdinIsTTY ?? false,
    stdoutIsTTY: opts.stdoutIsTTY ?? false,
    argv0: opts.argv0 ?? '/usr/local/bin/ktool',
    onSignal(signal: Signal, handler: () => void) {
      signals.on(signal, handler);
      return () => signals.off(signal, handler);
    },
  };
  const code = await main(args, io);
  await new Promise((r) => setImmediate(r));
  const stdoutBytes = out.bytes();
  return { code, stdout: stdoutBytes.toString('utf8'), stderr: err.bytes().toString('utf8'), stdoutBytes };
}
