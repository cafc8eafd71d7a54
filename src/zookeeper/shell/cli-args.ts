// How zkCli (ZooKeeperMain) cuts a line into words, and how each command's options are read the
// way Apache commons-cli does it: `-s`, `-v 3`, `-v3`, clusters such as `-es`, options anywhere
// among the arguments, `--` ending options. Errors carry commons-cli's exception text, which zkCli
// prints as is (`org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x`).

/** A word is a run of non-blanks, or a "double" / 'single' quoted span (quotes dropped). */
const ARGS_PATTERN = /\s*([^"']\S*|"[^"]*"|'[^']*')\s*/g;
const QUOTED = /^(['"])(.*)\1$/s;

/** ZooKeeperMain.MyCommandOptions.parseCommand: the words of one shell line. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(ARGS_PATTERN)) {
    const word = m[1]!;
    const q = QUOTED.exec(word);
    words.push(q ? q[2]! : word);
  }
  return words;
}

/** A command's options: letter → whether it takes a value. */
export type OptionTable = Readonly<Record<string, boolean>>;

export interface ParsedCommand {
  /** The command name followed by the non-option words. */
  readonly args: string[];
  has(letter: string): boolean;
  value(letter: string): string | undefined;
}

/** A commons-cli ParseException as zkCli prints it (CliParseException wraps its toString()). */
export class CliParseError extends Error {}

export function parseCommandOptions(table: OptionTable, words: readonly string[]): ParsedCommand {
  const values = new Map<string, string | undefined>();
  const args: string[] = [];
  let i = 0;
  const take = (letter: string, rest: string): void => {
    if (rest !== '') values.set(letter, rest);
    else if (i + 1 < words.length && !isOption(words[i + 1]!)) values.set(letter, words[++i]);
    else throw new CliParseError(`org.apache.commons.cli.MissingArgumentException: Missing argument for option: ${letter}`);
  };
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      args.push(...words.slice(i + 1));
      break;
    }
    if (!isOption(w)) {
      args.push(w);
      continue;
    }
    const body = w.slice(1);
    if (body in table) {
      if (table[body]) take(body, '');
      else values.set(body, undefined);
      continue;
    }
    // `-v3` (value attached) or `-es` (a cluster of flags).
    const first = body[0]!;
    if (!(first in table)) throw new CliParseError(`org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: ${w}`);
    for (let j = 0; j < body.length; j++) {
      const letter = body[j]!;
      if (!(letter in table)) throw new CliParseError(`org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -${letter}`);
      if (table[letter]) {
        take(letter, body.slice(j + 1));
        break;
      }
      values.set(letter, undefined);
    }
  }
  return { args, has: (l) => values.has(l), value: (l) => values.get(l) };
}

/** commons-cli treats `-` alone and anything not starting with `-` as an argument. */
function isOption(word: string): boolean {
  return word.length > 1 && word.startsWith('-');
}
