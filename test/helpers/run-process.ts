// Runs a real process (kcat, python, ktool) with a bounded wait and captures its output.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runProcess(cmd: string, args: readonly string[], opts: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Debian's Python clients import only under the system interpreter. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** The `ktool` binary. It runs the build (dist/), so tests that use it need `npm run build` first. */
export const KTOOL_BIN = fileURLToPath(new URL('../../bin/ktool.js', import.meta.url));

/** Fails fast, with the fix, when dist/ has not been built. */
export function assertBuilt(): void {
  if (!existsSync(fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url)))) {
    throw new Error('dist/ is missing: run `npm run build` first (bin/ktool.js loads the build)');
  }
}

/** `node bin/ktool.js <args>` as a real process. */
export function runKtool(args: readonly string[], opts: Parameters<typeof runProcess>[2] = {}): Promise<ProcessResult> {
  assertBuilt();
  return runProcess(process.execPath, [KTOOL_BIN, ...args], { timeoutMs: 60_000, ...opts });
}
