// Protocol selection for a classic group, Kafka's rule: the candidates are the protocols every
// member supports; each member votes for the first of its own protocols (in its preference order)
// that is a candidate; the protocol with most votes wins. Kafka breaks ties by hash-map order; we
// break them by the order of the first voter's preferences so the choice is deterministic.

export interface Voter {
  /** Protocol names in the member's order of preference. */
  readonly protocols: readonly string[];
}

/** The protocols supported by every voter, in the first voter's order. */
export function candidateProtocols(voters: readonly Voter[]): string[] {
  if (voters.length === 0) return [];
  const [first, ...rest] = voters;
  return first!.protocols.filter((p, i) => first!.protocols.indexOf(p) === i && rest.every((v) => v.protocols.includes(p)));
}

/** The protocol the group uses; throws when there are no voters or no common protocol (a bug: joins check this). */
export function selectProtocol(voters: readonly Voter[]): string {
  const candidates = candidateProtocols(voters);
  if (candidates.length === 0) throw new Error(voters.length === 0 ? 'Cannot select protocol for empty group' : 'No protocol is supported by every member');
  const votes = new Map<string, number>();
  for (const v of voters) {
    const choice = v.protocols.find((p) => candidates.includes(p))!;
    votes.set(choice, (votes.get(choice) ?? 0) + 1);
  }
  let best = candidates[0]!;
  for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
  return best;
}
