// What a command may touch of the outside world, injected so tests run commands in-process with
// captured streams and fake signals. `defaultIO()` is the real process.
import type { Readable, Writable } from 'node:stream';

export type Signal = 'SIGINT' | 'SIGTERM';

export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  /** Path the binary was invoked as (process.argv[1]); a link named like a Kafka script dispatches to it. */
  argv0?: string;
  /** Working directory for relative paths (default process.cwd()). */
  cwd: string;
  /** Subscribes to a termination signal; returns the unsubscribe function. */
  onSignal(signal: Signal, handler: () => void): () => void;
}

export function defaultIO(): CliIO {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    argv0: process.argv[1],
    cwd: process.cwd(),
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => process.off(signal, handler);
    },
  };
}

/** Waits until a stream has drained its buffer (no-op when it is not backed up). */
export function drained(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** Resolves once everything written so far has been handed to the OS (or the stream failed). */
export function flushed(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    stream.write('', () => resolve());
  });
}
