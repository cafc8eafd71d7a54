// Kafka-style command-line parsing. Kafka's tools use jopt-simple with abbreviations off, and
// scripts depend on its quirks, so we reproduce them from a per-command option table instead of
// bending commander: long options with one or two dashes, `--opt=value`, repeatable list options,
// optional arguments that only take a following token that does not look like an option, `--`
// ending options, and jopt's exact error texts. Also renders jopt's two-column help table.
import { KtoolError, UsageError } from '../../errors.js';

export type ValueType = 'String' | 'Integer' | 'Long' | 'Double';

export interface OptionSpec {
  readonly name: string;
  /** 'none' (a flag, the default), 'required' (takes the next token) or 'optional'. */
  readonly arg?: 'none' | 'required' | 'optional';
  readonly type?: ValueType;
  /** The placeholder shown in help: `--topic <String: topic>`. */
  readonly describedAs?: string;
  readonly description: string;
  /** Shown as `(default: …)` in help; commands apply defaults themselves. */
  readonly defaultValue?: string;
  /** Repeating collects a list; otherwise giving two values is an error. */
  readonly multiple?: boolean;
}

export interface ParsedArgs {
  has(name: string): boolean;
  /** The single value of an option (undefined when absent or given without its optional value). */
  value(name: string): string | undefined;
  values(name: string): readonly string[];
  /** Integer/Long/Double options, already validated at parse time. */
  number(name: string): number | undefined;
  /** Long options as bigint, for values beyond 2^53. */
  bigint(name: string): bigint | undefined;
  readonly positionals: readonly string[];
  /** Option names in the order given, repeats included (jopt's OptionSet.specs()). */
  readonly sequence: readonly string[];
}

const INT_RE = /^[+-]?\d+$/;

/** Java's Integer.parseInt / Long.parseLong / Double.parseDouble acceptance. */
export function isValidNumber(type: ValueType, text: string): boolean {
  switch (type) {
    case 'Integer': return INT_RE.test(text) && Number(text) >= -(2 ** 31) && Number(text) <= 2 ** 31 - 1;
    case 'Long': {
      if (!INT_RE.test(text)) return false;
      const v = BigInt(text);
      return v >= -(2n ** 63n) && v <= 2n ** 63n - 1n;
    }
    case 'Double': return /^\s*[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?))[fFdD]?\s*$/.test(text);
    default: return true;
  }
}

function looksLikeOption(token: string): boolean {
  return token.startsWith('-') && token !== '-' && token !== '--';
}

export function parseArgs(specs: readonly OptionSpec[], argv: readonly string[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const seen = new Set<string>();
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const sequence: string[] = [];

  const add = (spec: OptionSpec, value: string): void => {
    const type = spec.type ?? 'String';
    if (!isValidNumber(type, value)) throw new UsageError(`Cannot parse argument '${value}' of option ${spec.name}`);
    const list = values.get(spec.name) ?? [];
    // jopt only complains when the tool reads a single value; every single-valued option is read.
    if (list.length > 0 && !spec.multiple) {
      throw new KtoolError('OPTION_MULTIPLE', `Found multiple arguments for option ${spec.name}, but you asked for only one`);
    }
    list.push(value);
    values.set(spec.name, list);
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeOption(token)) {
      positionals.push(token);
      continue;
    }
    const doubleDash = token.startsWith('--');
    const body = token.slice(doubleDash ? 2 : 1);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const inline = eq < 0 ? undefined : body.slice(eq + 1);
    const spec = byName.get(name);
    if (!spec) {
      // A single dash falls back to short-option clustering; none are defined, so the first
      // character is the unknown option jopt reports.
      const reported = doubleDash ? name : body.charAt(0);
      throw new UsageError(`${reported} is not a recognized option`);
    }
    seen.add(spec.name);
    sequence.push(spec.name);
    const kind = spec.arg ?? 'none';
    if (kind === 'none') continue; // jopt ignores `--flag=x` for flags
    if (inline !== undefined) {
      add(spec, inline);
    } else if (kind === 'required') {
      if (i + 1 >= argv.length) throw new UsageError(`Option ${spec.name} requires an argument`);
      add(spec, argv[++i]!); // taken even if it looks like an option, as jopt does
    } else if (i + 1 < argv.length && !looksLikeOption(argv[i + 1]!) && isValidNumber(spec.type ?? 'String', argv[i + 1]!)) {
      add(spec, argv[++i]!);
    }
  }

  return {
    has: (name) => seen.has(name),
    value: (name) => values.get(name)?.[0],
    values: (name) => values.get(name) ?? [],
    number: (name) => {
      const v = values.get(name)?.[0];
      return v === undefined ? undefined : Number(v);
    },
    bigint: (name) => {
      const v = values.get(name)?.[0];
      return v === undefined ? undefined : BigInt(v);
    },
    positionals,
    sequence,
  };
}

// ---- help table -----------------------------------------------------------------------------

const LEFT = 39;
const GAP = 2;
const RIGHT = 38;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

function optionLabel(spec: OptionSpec): string {
  const kind = spec.arg ?? 'none';
  if (kind === 'none') return `--${spec.name}`;
  const type = spec.type ?? 'String';
  const inner = spec.describedAs ? `${type}: ${spec.describedAs}` : type;
  return kind === 'required' ? `--${spec.name} <${inner}>` : `--${spec.name} [${inner}]`;
}

/** jopt's BuiltinHelpFormatter layout: options sorted by name, two wrapped columns. */
export function formatHelp(specs: readonly OptionSpec[]): string {
  const rows: string[] = [`${'Option'.padEnd(LEFT + GAP)}Description`, `${'------'.padEnd(LEFT + GAP)}-----------`];
  const sorted = [...specs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const spec of sorted) {
    const desc = spec.defaultValue === undefined ? spec.description : `${spec.description} (default: ${spec.defaultValue})`;
    const left = wrap(optionLabel(spec), LEFT).map((l, i) => (i === 0 ? l : `  ${l}`));
    const right = wrap(desc, RIGHT).map((l, i) => (i === 0 ? l : `  ${l}`));
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      const l = left[i] ?? '';
      const r = right[i] ?? '';
      rows.push(r === '' ? l : `${l.padEnd(LEFT + GAP)}${r}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

// ---- validation helpers shared by the commands (Kafka's CommandLineUtils) ------------------

/** `Missing required argument "[topic]"` */
export function requireOption(args: ParsedArgs, name: string): void {
  if (!args.has(name)) throw new UsageError(`Missing required argument "[${name}]"`);
}

/** `Option "[partitions]" can't be used with option "[describe]"` when both are present. */
export function rejectWith(args: ParsedArgs, used: string, invalid: readonly string[]): void {
  if (!args.has(used)) return;
  for (const other of invalid) {
    if (args.has(other)) throw new UsageError(`Option "[${used}]" can't be used with option "[${other}]"`);
  }
}
