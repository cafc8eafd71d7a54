// The classic group state machine: Kafka's legal transitions (ClassicGroupState's valid previous
// states), every illegal one refused by an assertion, and a rule for every request in every state.
import { describe, expect, it } from 'vitest';
import { ClassicGroup } from '../../../../src/broker/groups/group.js';
import { assertTransition, canRebalance, GROUP_STATE_NAMES, GROUP_STATES, IllegalGroupTransition, isLegalTransition, type GroupStateName } from '../../../../src/broker/groups/group-state.js';

const LEGAL: Array<[GroupStateName, GroupStateName]> = [
  ['Empty', 'PreparingRebalance'],
  ['Stable', 'PreparingRebalance'],
  ['CompletingRebalance', 'PreparingRebalance'],
  ['PreparingRebalance', 'CompletingRebalance'],
  ['PreparingRebalance', 'Empty'],
  ['CompletingRebalance', 'Stable'],
  ['Empty', 'Dead'],
  ['PreparingRebalance', 'Dead'],
  ['CompletingRebalance', 'Dead'],
  ['Stable', 'Dead'],
  ['Dead', 'Dead'],
];

describe('group state machine', () => {
  it('allows exactly Kafka’s transitions', () => {
    for (const from of GROUP_STATE_NAMES) {
      for (const to of GROUP_STATE_NAMES) {
        const legal = LEGAL.some(([f, t]) => f === from && t === to);
        expect(isLegalTransition(from, to), `${from} → ${to}`).toBe(legal);
        if (legal) expect(() => assertTransition('g', from, to)).not.toThrow();
        else expect(() => assertTransition('g', from, to)).toThrow(IllegalGroupTransition);
      }
    }
  });

  it('reports an illegal transition as Kafka words it', () => {
    expect(() => assertTransition('my-group', 'Empty', 'Stable')).toThrow(
      'Group my-group should be in the CompletingRebalance states before moving to Stable state. Instead it is in Empty state.',
    );
  });

  it('a group only moves through legal transitions and stamps the time of each', () => {
    const g = new ClassicGroup('g', 'Empty', 1000);
    expect(() => g.transitionTo('CompletingRebalance', 2000)).toThrow(IllegalGroupTransition);
    expect(g.state).toBe('Empty');
    expect(g.stateTimestamp).toBe(1000);
    g.transitionTo('PreparingRebalance', 2000);
    g.transitionTo('CompletingRebalance', 3000);
    g.transitionTo('Stable', 4000);
    expect(g.state).toBe('Stable');
    expect(g.stateTimestamp).toBe(4000);
    g.transitionTo('Dead', 5000);
    expect(() => g.transitionTo('Empty', 6000)).toThrow(IllegalGroupTransition);
  });

  it('a rebalance may start from Empty, Stable and CompletingRebalance only', () => {
    expect(GROUP_STATE_NAMES.filter(canRebalance)).toEqual(['Empty', 'CompletingRebalance', 'Stable']);
  });

  it('every state says how it answers each request', () => {
    expect(GROUP_STATES.Empty).toMatchObject({ join: 'unknown-member', sync: 'unknown-member', heartbeat: 'unknown-member', offsetCommit: 'store', deleteGroup: 'delete' });
    expect(GROUP_STATES.PreparingRebalance).toMatchObject({ join: 'await-rebalance', sync: 'rebalance-in-progress', heartbeat: 'rebalance-in-progress', offsetCommit: 'store', memberLoss: 'try-complete-join' });
    expect(GROUP_STATES.CompletingRebalance).toMatchObject({ join: 'return-generation-unless-changed', sync: 'await-leader-assignment', heartbeat: 'ok', offsetCommit: 'rebalance-in-progress', memberLoss: 'rebalance' });
    expect(GROUP_STATES.Stable).toMatchObject({ join: 'rebalance-if-leader-or-changed', sync: 'return-assignment', heartbeat: 'ok', offsetCommit: 'store', describe: 'with-metadata' });
    expect(GROUP_STATES.Dead).toMatchObject({ join: 'coordinator-not-available', sync: 'coordinator-not-available', heartbeat: 'coordinator-not-available', deleteGroup: 'group-id-not-found' });
  });
});
