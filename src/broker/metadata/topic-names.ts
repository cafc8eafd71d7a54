// Kafka's topic name rules, with its exact messages (clients print them).

const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_LENGTH = 249;

/** Returns why a name is invalid, or undefined if Kafka would accept it. */
export function topicNameError(name: string): string | undefined {
  if (name.length === 0) return 'Topic name is invalid: the empty string is not allowed';
  if (name === '.') return "Topic name is invalid: '.' is not allowed";
  if (name === '..') return "Topic name is invalid: '..' is not allowed";
  if (name.length > MAX_LENGTH) return `Topic name is invalid: the length of '${name}' is longer than the max allowed length ${MAX_LENGTH}`;
  if (!LEGAL.test(name)) {
    return `Topic name is invalid: '${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return undefined;
}

export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

/** Kafka's collision check: names equal once '.' and '_' are treated alike. */
export function unifyCollisionChars(name: string): string {
  return name.replace(/\./g, '_');
}
