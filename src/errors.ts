// Errors that carry their own outcome. Commands throw them; only cli.ts turns them into output and
// an exit code, so every command ends the same way (STYLE.md: exit codes are decided in one place).

export interface KtoolErrorOptions {
  /** Exit status when this error ends the command (default 1). */
  exitCode?: number;
  /** The command already printed what the user needs to see; cli.ts prints nothing more. */
  reported?: boolean;
  cause?: unknown;
}

/** A failure with a stable machine-readable `code` (e.g. `TOPIC_COMMAND_FAILED`). */
export class KtoolError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly reported: boolean;

  constructor(code: string, message: string, options: KtoolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KtoolError';
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
    this.reported = options.reported ?? false;
  }
}

/**
 * Bad command line, as Kafka's `CommandLineUtils.printUsageAndExit`: the one-line reason, then the
 * option table, both on stderr, exit 1. `--help` and "no arguments" use it too.
 */
export class UsageError extends KtoolError {
  constructor(reason: string) {
    super('USAGE', reason, { exitCode: 1 });
    this.name = 'UsageError';
  }
}

/** The user interrupted (SIGINT ⇒ 130, SIGTERM ⇒ 143, as the JVM's exit status would be). */
export class CancelledError extends KtoolError {
  constructor(signal: 'SIGINT' | 'SIGTERM' = 'SIGINT', options: { reported?: boolean } = {}) {
    super('CANCELLED', `interrupted by ${signal}`, { exitCode: signal === 'SIGTERM' ? 143 : 130, reported: options.reported ?? true });
    this.name = 'CancelledError';
  }
}
