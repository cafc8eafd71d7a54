// zkCli's failures and the texts it prints for them (CliException and subclasses). A command
// failure prints its message on stderr and sets the exit code the shell ends with.
import { Err, KeeperError } from '../protocol/keeper-errors.js';
import { pathProblem } from '../protocol/paths.js';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** What the JVM prints when zkCli lets an exception escape (e.g. `set -v abc`): the shell ends. */
export class ShellCrash extends Error {}

/** CliWrapperException's wording of a server error for the path the command named. */
export function keeperFailure(err: unknown, path: string): Error {
  if (!(err instanceof KeeperError)) return err instanceof Error ? err : new Error(String(err));
  const text: Record<number, string> = {
    [Err.NONODE]: `Node does not exist: ${path}`,
    [Err.NOCHILDRENFOREPHEMERALS]: `Ephemerals cannot have children: ${path}`,
    [Err.NODEEXISTS]: `Node already exists: ${path}`,
    [Err.NOTEMPTY]: `Node not empty: ${path}`,
    [Err.NOTREADONLY]: `Not a read-only call: ${path}`,
    [Err.INVALIDACL]: `Acl is not valid : ${path}`,
    [Err.NOAUTH]: `Authentication is not valid : ${path}`,
    [Err.BADARGUMENTS]: `Arguments are not valid : ${path}`,
    [Err.BADVERSION]: `version No is not valid : ${path}`,
  };
  return new CliError(text[err.code] ?? new KeeperError(err.code, path).message);
}

/** PathUtils.validatePath's IllegalArgumentException text, which zkCli prints (MalformedPathException). */
export function checkPath(path: string, sequential = false): void {
  const problem = pathProblem(path, sequential);
  if (problem === undefined) return;
  const plain = problem === 'Path length must be > 0' || problem === 'Path must start with / character' || problem === 'Path must not end with / character';
  throw new CliError(plain ? problem : `Invalid path string "${sequential ? `${path}1` : path}" caused by ${problem}`);
}

/** Integer.parseInt, or the crash zkCli has on a bad number. */
export function javaInt(text: string): number {
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < -(2 ** 31) || n > 2 ** 31 - 1) {
    throw new ShellCrash(`Exception in thread "main" java.lang.NumberFormatException: For input string: "${text}"`);
  }
  return n;
}
