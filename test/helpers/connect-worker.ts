// Runs `ktool connect-standalone` in-process through main(), with a live view of its log (stdout)
// so tests can wait for lines such as "Kafka Connect started", find the REST port when the worker
// binds port 0, and stop it with a fake SIGTERM. Also: a bounded `waitFor` for any condition.
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli.js';
import type { CliIO, Signal } from '../../src/commands/shared/io.js';
import { parseProperties } from '../../src/config/properties.js';

export interface RunningWorker {
  /** Everything logged so far. */
  output(): string;
  /** http://127.0.0.1:PORT (no trailing slash), once the REST server is listening. */
  restUrl: string;
  /** Resolves with the exit code. */
  exited: Promise<number>;
  stdin: PassThrough;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Kafka's example worker file from config/, with the given keys replaced, written to `dir`. */
export function workerFile(dir: string, overrides: Record<string, string>, name = 'worker.properties'): string {
  const base = parseProperties(readFileSync(join(import.meta.dirname, '../../config/connect-standalone.properties'), 'latin1'));
  for (const [k, v] of Object.entries(overrides)) base.set(k, v);
  const path = join(dir, name);
  writeFileSync(path, [...base].map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  return path;
}

/** A worker file for tests: this broker, offsets in `dir`, a short flush interval, REST on a free port. */
export function testWorkerFile(dir: string, bootstrap: string, overrides: Record<string, string> = {}): string {
  return workerFile(dir, {
    'bootstrap.servers': bootstrap,
    'offset.storage.file.filename': join(dir, 'connect.offsets'),
    'offset.flush.interval.ms': '200',
    listeners: 'http://127.0.0.1:0',
    ...overrides,
  });
}

export function configFile(name: string): string {
  return join(import.meta.dirname, '../../config', name);
}

/** Starts the worker; resolves once "Kafka Connect started" was logged (or the run ended). */
export async function startWorker(args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; waitForStart?: boolean }): Promise<RunningWorker> {
  const signals = new EventEmitter();
  const stdout = new PassThrough();
  const stdin = new PassThrough();
  let log = '';
  stdout.on('data', (c: Buffer) => {
    log += c.toString('utf8');
    if (process.env.KTOOL_TEST_LOGS) process.stderr.write(c);
  });
  const stderr = new PassThrough();
  stderr.on('data', (c: Buffer) => (log += c.toString('utf8')));
  const io: Partial<CliIO> = {
    stdin: stdin as unknown as Readable,
    stdout,
    stderr,
    env: { ...(opts.env ?? {}) },
    cwd: opts.cwd,
    stdinIsTTY: false,
    stdoutIsTTY: false,
    argv0: '/usr/local/bin/ktool',
    onSignal(signal: Signal, handler: () => void) {
      signals.on(signal, handler);
      return () => signals.off(signal, handler);
    },
  };
  let done = false;
  const exited = main(['connect-standalone', ...args], io).finally(() => (done = true));
  const worker: RunningWorker = {
    output: () => log,
    restUrl: '',
    exited,
    stdin,
    stop: async () => {
      signals.emit('SIGTERM');
      return exited;
    },
  };
  if (opts.waitForStart === false) return worker;
  await waitFor('Kafka Connect started', () => done || log.includes('Kafka Connect started'), 60_000);
  const m = /REST server listening at (http:\/\/[^/]+)\//.exec(log);
  if (m) worker.restUrl = m[1]!;
  return worker;
}

/** One HTTP call to the REST API; the body parsed when it is JSON. */
export async function rest(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
