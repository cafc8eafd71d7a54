// JAAS login-module entries, as Kafka clients read them from `sasl.jaas.config` or from the
// `KafkaClient { … };` section of a file named by `-Djava.security.auth.login.config` in
// KAFKA_OPTS: `<LoginModuleClass> <flag> key=value key="quoted value" … ;`.

export interface JaasEntry {
  loginModule: string;
  flag: string;
  options: Record<string, string>;
}

type Token = { kind: 'word' | 'string' | 'punct'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        s += text[i++];
      }
      if (i >= text.length) throw new Error('Unterminated quoted string in JAAS configuration');
      i++;
      tokens.push({ kind: 'string', text: s });
    } else if ('=;{}'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else {
      let s = '';
      while (i < text.length && !/\s/.test(text[i]!) && !'=;{}"\''.includes(text[i]!)) s += text[i++];
      tokens.push({ kind: 'word', text: s });
    }
  }
  return tokens;
}

const FLAGS = new Set(['required', 'requisite', 'sufficient', 'optional']);

function parseEntries(tokens: Token[], pos: { i: number }, stopAt?: string): JaasEntry[] {
  const entries: JaasEntry[] = [];
  while (pos.i < tokens.length && tokens[pos.i]!.text !== stopAt) {
    const module = tokens[pos.i++]!;
    if (module.kind !== 'word') throw new Error(`Expected a login module class name in JAAS configuration, found '${module.text}'`);
    const flag = tokens[pos.i++];
    if (!flag || !FLAGS.has(flag.text.toLowerCase())) {
      throw new Error(`Invalid JAAS control flag '${flag?.text ?? ''}' (expected required, requisite, sufficient or optional)`);
    }
    const options: Record<string, string> = {};
    for (;;) {
      const t = tokens[pos.i++];
      if (!t) throw new Error('JAAS configuration entry must end with \';\'');
      if (t.kind === 'punct' && t.text === ';') break;
      if (t.kind !== 'word') throw new Error(`Unexpected '${t.text}' in JAAS configuration`);
      if (tokens[pos.i]?.text !== '=') throw new Error(`Expected '=' after '${t.text}' in JAAS configuration`);
      pos.i++;
      const v = tokens[pos.i++];
      if (!v || v.kind === 'punct') throw new Error(`Missing value for '${t.text}' in JAAS configuration`);
      options[t.text] = v.text;
    }
    entries.push({ loginModule: module.text, flag: flag.text.toLowerCase(), options });
  }
  return entries;
}

/** Parses a `sasl.jaas.config` value: one or more login-module entries, each ending in `;`. */
export function parseJaasConfig(text: string): JaasEntry[] {
  const entries = parseEntries(tokenize(text), { i: 0 });
  if (entries.length === 0) throw new Error('JAAS config property does not contain any login modules');
  return entries;
}

/** The entries of one named section (`KafkaClient { … };`) of a JAAS file, or undefined. */
export function parseJaasFileSection(text: string, section: string): JaasEntry[] | undefined {
  const tokens = tokenize(text);
  const pos = { i: 0 };
  while (pos.i < tokens.length) {
    const name = tokens[pos.i++]!;
    if (tokens[pos.i++]?.text !== '{') throw new Error(`Expected '{' after '${name.text}' in JAAS file`);
    const entries = parseEntries(tokens, pos, '}');
    pos.i++; // '}'
    if (tokens[pos.i]?.text === ';') pos.i++;
    if (name.text === section) return entries;
  }
  return undefined;
}
