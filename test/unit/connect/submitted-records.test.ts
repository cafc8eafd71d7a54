import { describe, expect, it } from 'vitest';
import { SubmittedRecords } from '../../../src/connect/source-task-runner.js';

describe('SubmittedRecords', () => {
  it('commits per source partition only up to the first record not yet acknowledged', () => {
    const s = new SubmittedRecords();
    const a1 = s.submit({ f: 'a' }, { p: 1 });
    const a2 = s.submit({ f: 'a' }, { p: 2 });
    const a3 = s.submit({ f: 'a' }, { p: 3 });
    const b1 = s.submit({ f: 'b' }, { p: 10 });
    a1.acked = true;
    a3.acked = true;
    b1.acked = true;
    expect(s.takeCommittable()).toEqual([{ partition: { f: 'a' }, offset: { p: 1 } }, { partition: { f: 'b' }, offset: { p: 10 } }]);
    expect(s.pending).toBe(2);
    expect(s.takeCommittable()).toEqual([]);
    a2.acked = true;
    expect(s.takeCommittable()).toEqual([{ partition: { f: 'a' }, offset: { p: 3 } }]);
    expect(s.pending).toBe(0);
  });
});
