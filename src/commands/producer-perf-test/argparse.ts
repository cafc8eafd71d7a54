// A small argparse4j work-alike for the tools Kafka builds with argparse4j instead of jopt-simple
// (kafka-producer-perf-test). What those tools rely on: long options with unique-prefix
// abbreviation, `--opt value` and `--opt=value`, single values, flags, `nargs("+")` lists,
// required options, a required mutually exclusive group, typed values (Java's Long, Integer,
// Double), and argparse4j's texts: `usage: prog [-h] …`, `prog: error: <message>`, the help page.
import { isValidNumber } from '../shared/options.js';

export type ArgType = 'String' | 'Long' | 'Integer' | 'Double';

export interface ArgSpec {
  /** `--num-records` */
  readonly flag: string;
  /** A one-letter alias, `-c` (kafka-storage's options have them). */
  readonly short?: string;
  readonly dest: string;
  readonly metavar: string;
  readonly help: string;
  /** 'store' takes one value, 'storeTrue' none, 'nargs+' one or more, 'append' one per use (repeatable). */
  readonly action: 'store' | 'storeTrue' | 'nargs+' | 'append';
  readonly type?: ArgType;
  readonly required?: boolean;
  /** Shown as `(default: …)` in help (defaultHelp(true)). */
  readonly defaultValue?: string;
  /** Members of the (one) mutually exclusive group. */
  readonly exclusive?: boolean;
}

export interface ParserSpec {
  readonly prog: string;
  readonly description: string;
  readonly args: readonly ArgSpec[];
  /** The exclusive group's description, shown above its members in help. */
  readonly groupDescription: string;
  readonly groupRequired: boolean;
}

/** ArgumentParserException: what `handleError` prints after the usage line. */
export class ArgumentParserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentParserError';
  }
}

/** `-h/--help` was given: the help page goes to stdout. */
export class HelpRequested extends Error {}

export type Namespace = Map<string, string | boolean | string[]>;

const looksLikeOption = (token: string): boolean => token.startsWith('-') && token.length > 1 && !/^-\d|^-\.\d/.test(token);

function resolveFlag(spec: ParserSpec, name: string): ArgSpec | 'help' {
  if (name === '--help' || name === '-h') return 'help';
  const exact = spec.args.find((a) => a.flag === name || a.short === name);
  if (exact) return exact;
  const candidates = [...spec.args.map((a) => a.flag), '--help'].filter((f) => f.startsWith(name) && name.startsWith('--'));
  if (candidates.length === 1) return candidates[0] === '--help' ? 'help' : spec.args.find((a) => a.flag === candidates[0])!;
  if (candidates.length > 1) throw new ArgumentParserError(`ambiguous option: ${name} could match ${candidates.join(', ')}`);
  throw new ArgumentParserError(`unrecognized arguments: '${name}'`);
}

function convert(arg: ArgSpec, value: string): string {
  const type = arg.type ?? 'String';
  if (type === 'String') return value;
  const javaType = type === 'Integer' ? 'Integer' : type;
  if (!isValidNumber(javaType, value)) {
    const why = type === 'Double' && value.trim() === '' ? 'empty String' : `For input string: "${value}"`;
    throw new ArgumentParserError(`argument ${arg.flag}: could not convert '${value}' to ${type} (${why})`);
  }
  return value;
}

/** Parses argv; throws ArgumentParserError or HelpRequested. */
export function parseArguments(spec: ParserSpec, argv: readonly string[]): Namespace {
  const ns: Namespace = new Map();
  const seen: ArgSpec[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!looksLikeOption(token)) throw new ArgumentParserError(`unrecognized arguments: '${argv.slice(i).join(' ')}'`);
    const eq = token.indexOf('=');
    const name = eq > 0 ? token.slice(0, eq) : token;
    const inline = eq > 0 ? token.slice(eq + 1) : undefined;
    const arg = resolveFlag(spec, name);
    if (arg === 'help') throw new HelpRequested();
    const other = arg.exclusive ? seen.find((s) => s.exclusive && s !== arg) : undefined;
    if (other) throw new ArgumentParserError(`argument ${arg.flag}: not allowed with argument ${other.flag}`);
    seen.push(arg);
    if (arg.action === 'storeTrue') {
      if (inline !== undefined) throw new ArgumentParserError(`argument ${arg.flag}: ignored explicit argument '${inline}'`);
      ns.set(arg.dest, true);
    } else if (arg.action === 'store' || arg.action === 'append') {
      let value = inline;
      if (value === undefined) {
        if (i + 1 >= argv.length || looksLikeOption(argv[i + 1]!)) throw new ArgumentParserError(`argument ${arg.flag}: expected one argument`);
        value = argv[++i]!;
      }
      if (arg.action === 'store') ns.set(arg.dest, convert(arg, value));
      else ns.set(arg.dest, [...((ns.get(arg.dest) as string[] | undefined) ?? []), convert(arg, value)]);
    } else {
      const values = inline !== undefined ? [inline] : [];
      while (i + 1 < argv.length && !looksLikeOption(argv[i + 1]!)) values.push(argv[++i]!);
      if (values.length === 0) throw new ArgumentParserError(`argument ${arg.flag}: expected at least one argument`);
      ns.set(arg.dest, values.map((v) => convert(arg, v)));
    }
  }
  for (const arg of spec.args) {
    if (arg.required && !ns.has(arg.dest)) throw new ArgumentParserError(`argument ${arg.flag} is required`);
  }
  if (spec.groupRequired && !spec.args.some((a) => a.exclusive && ns.has(a.dest))) {
    throw new ArgumentParserError(`one of the arguments ${spec.args.filter((a) => a.exclusive).map((a) => a.flag).join(' ')} is required`);
  }
  for (const arg of spec.args) {
    if (!ns.has(arg.dest) && arg.defaultValue !== undefined && arg.action === 'store') ns.set(arg.dest, arg.defaultValue);
  }
  return ns;
}

// ---- usage and help -------------------------------------------------------------------------

const WIDTH = 100;

function usagePart(arg: ArgSpec): string {
  if (arg.action === 'storeTrue') return arg.flag;
  if (arg.action === 'append') return `${arg.flag} ${arg.metavar}`;
  if (arg.action === 'nargs+') return `${arg.flag} ${arg.metavar} [${arg.metavar} ...]`;
  return `${arg.flag} ${arg.metavar}`;
}

/** `usage: prog [-h] …`, wrapped with continuation lines under the first argument. */
export function formatUsage(spec: ParserSpec): string {
  const parts = ['[-h]'];
  for (const arg of spec.args.filter((a) => !a.exclusive)) parts.push(arg.required ? usagePart(arg) : `[${usagePart(arg)}]`);
  const group = spec.args.filter((a) => a.exclusive).map(usagePart).join(' | ');
  if (group) parts.push(spec.groupRequired ? `(${group})` : `[${group}]`);
  const head = `usage: ${spec.prog} `;
  const lines: string[] = [];
  let line = head;
  for (const part of parts) {
    if (line.length > head.length && line.length + part.length > WIDTH) {
      lines.push(line.trimEnd());
      line = ' '.repeat(head.length);
    }
    line += `${part} `;
  }
  lines.push(line.trimEnd());
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out;
}

const HELP_COLUMN = 25;

function helpEntry(label: string, help: string): string {
  const body = wrap(help, WIDTH - HELP_COLUMN);
  const lines: string[] = [];
  const first = `  ${label}`;
  if (first.length < HELP_COLUMN - 1) lines.push(`${first.padEnd(HELP_COLUMN)}${body.shift() ?? ''}`.trimEnd());
  else lines.push(first);
  for (const l of body) lines.push(`${' '.repeat(HELP_COLUMN)}${l}`);
  return lines.join('\n');
}

/** `-c CONFIG, --config CONFIG` when there is a short form, else the usage part. */
function helpLabel(arg: ArgSpec): string {
  if (arg.short === undefined) return usagePart(arg);
  const value = arg.action === 'storeTrue' ? '' : ` ${arg.metavar}`;
  return `${arg.short}${value}, ${arg.flag}${value}`;
}

function helpText(arg: ArgSpec): string {
  return arg.defaultValue !== undefined ? `${arg.help} (default: ${arg.defaultValue})` : arg.help;
}

/** argparse4j's help page: usage, description, then the options (the exclusive group last). */
export function formatHelp(spec: ParserSpec): string {
  const plain = spec.args.filter((a) => !a.exclusive);
  const grouped = spec.args.filter((a) => a.exclusive);
  const out = [formatUsage(spec).trimEnd(), '', ...wrap(spec.description, WIDTH), '', 'optional arguments:', helpEntry('-h, --help', 'show this help message and exit')];
  for (const arg of plain) out.push(helpEntry(helpLabel(arg), helpText(arg)));
  if (grouped.length > 0) {
    out.push('', ...wrap(spec.groupDescription, WIDTH - 2).map((l) => `  ${l}`), '');
    for (const arg of grouped) out.push(helpEntry(usagePart(arg), helpText(arg)));
  }
  return `${out.join('\n')}\n`;
}

/** What `handleError` writes to stderr. */
export function formatError(spec: ParserSpec, message: string): string {
  return `${formatUsage(spec)}${spec.prog}: error: ${message}\n`;
}
