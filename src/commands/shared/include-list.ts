// Kafka's IncludeList topic filter (`--topic` outside create, `--include`): the raw text is trimmed,
// commas become alternation, spaces are dropped, surrounding quotes stripped, and the result must
// match a topic name in full (Java `Matcher.matches`), so `a.b` also matches `aXb`.
import { KtoolError } from '../../errors.js';

/** The regex source Kafka derives from the user's text. */
export function includeListSource(raw: string): string {
  return raw.trim().replace(/,/g, '|').replace(/ /g, '').replace(/^["']+/, '').replace(/["']+$/, '');
}

/** A predicate matching whole topic names; an invalid pattern fails as Kafka's does. */
export function includeList(raw: string): (topic: string) => boolean {
  const source = includeListSource(raw);
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${source})$`);
  } catch {
    throw new KtoolError('INVALID_REGEX', `${source} is an invalid regex.`);
  }
  return (topic) => re.test(topic);
}
