// Kafka's protocol selection: candidates supported by every member, each member votes for its
// first preferred candidate, most votes wins (ties: the first voter's order).
import { describe, expect, it } from 'vitest';
import { candidateProtocols, selectProtocol } from '../../../../src/broker/groups/protocol-vote.js';

const v = (...protocols: string[]) => ({ protocols });

describe('protocol vote', () => {
  it('candidates are the protocols every member supports', () => {
    expect(candidateProtocols([v('range', 'roundrobin'), v('roundrobin', 'sticky', 'range'), v('range', 'roundrobin')])).toEqual(['range', 'roundrobin']);
    expect(candidateProtocols([v('a'), v('b')])).toEqual([]);
    expect(candidateProtocols([])).toEqual([]);
  });

  it('each member votes for its first candidate; the most votes win', () => {
    // sticky is not a candidate, so the second member votes roundrobin.
    expect(selectProtocol([v('range', 'roundrobin'), v('sticky', 'roundrobin', 'range'), v('roundrobin', 'range')])).toBe('roundrobin');
    expect(selectProtocol([v('range', 'roundrobin'), v('range', 'roundrobin'), v('roundrobin', 'range')])).toBe('range');
  });

  it('a single member gets its first preference', () => {
    expect(selectProtocol([v('cooperative-sticky', 'range')])).toBe('cooperative-sticky');
  });

  it('a tie goes to the first voter’s preferred protocol', () => {
    expect(selectProtocol([v('b', 'a'), v('a', 'b')])).toBe('b');
    expect(selectProtocol([v('a', 'b'), v('b', 'a')])).toBe('a');
  });

  it('refuses an empty group or one with no common protocol', () => {
    expect(() => selectProtocol([])).toThrow(/empty group/);
    expect(() => selectProtocol([v('a'), v('b')])).toThrow(/No protocol/);
  });
});
