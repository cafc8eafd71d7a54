// Kafka-style log lines: `[2024-10-25 10:01:02,345] INFO message (logger)`. Tools log to stderr
// at WARN and above; the broker logs INFO to stdout as Kafka's server does.

export type Level = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
const RANK: Record<Level, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, FATAL: 5 };

export interface LogSink {
  write(line: string): unknown;
}

export interface Logger {
  trace(msg: string): void;
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string, err?: unknown): void;
  error(msg: string, err?: unknown): void;
  child(name: string): Logger;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local time as log4j's default `%d` prints it: `yyyy-MM-dd HH:mm:ss,SSS`. */
export function logTimestamp(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

export function formatLogLine(level: Level, msg: string, logger: string, err?: unknown): string {
  let line = `[${logTimestamp()}] ${level} ${msg} (${logger})\n`;
  if (err instanceof Error && err.stack) line += `${err.stack}\n`;
  else if (err !== undefined) line += `${String(err)}\n`;
  return line;
}

export function createLogger(name: string, sink: LogSink, minLevel: Level = 'INFO'): Logger {
  const min = RANK[minLevel];
  const emit = (level: Level, msg: string, err?: unknown): void => {
    if (RANK[level] >= min) sink.write(formatLogLine(level, msg, name, err));
  };
  return {
    trace: (m) => emit('TRACE', m),
    debug: (m) => emit('DEBUG', m),
    info: (m) => emit('INFO', m),
    warn: (m, e) => emit('WARN', m, e),
    error: (m, e) => emit('ERROR', m, e),
    child: (child) => createLogger(child, sink, minLevel),
  };
}

/** A logger that drops everything (tests keep logs off unless KTOOL_TEST_LOGS is set). */
export const silentLogger: Logger = {
  trace() {}, debug() {}, info() {}, warn() {}, error() {},
  child: () => silentLogger,
};
