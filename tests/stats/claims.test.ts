/** The shared verdict vocabulary: verdictFromTest / verdictFromInterval on known inputs, incl. 'too few' and 'reversed'. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verdictFromTest, verdictFromInterval, checkClaims, pairedTTest, VERDICTS } from '../../src/lib/stats';

test('verdictFromTest: holds / reversed / not shown / too few, in both directions', () => {
  const g = { direction: 'greater', minN: 5 } as const;
  assert.equal(verdictFromTest({ p: 0.01, effect: 0.3, n: 10 }, g), 'holds');
  assert.equal(verdictFromTest({ p: 0.01, effect: -0.3, n: 10 }, g), 'reversed');
  assert.equal(verdictFromTest({ p: 0.2, effect: 0.3, n: 10 }, g), 'not shown');
  assert.equal(verdictFromTest({ p: 0.05, effect: 0.3, n: 10 }, g), 'not shown', 'p = alpha is not significant');
  assert.equal(verdictFromTest({ p: 0.01, effect: 0.3, n: 4 }, g), 'too few');
  assert.equal(verdictFromTest({ p: 0.01, effect: 0.3, n: 5 }, g), 'holds', 'n = minN is enough');
  assert.equal(verdictFromTest({ p: NaN, effect: 0, n: 10 }, g), 'not shown', 'no variation: nothing rejected');
  assert.equal(verdictFromTest({ p: 0.01, effect: 0, n: 10 }, g), 'not shown');
  const l = { direction: 'less', minN: 5 } as const;
  assert.equal(verdictFromTest({ p: 0.01, effect: -0.3, n: 10 }, l), 'holds');
  assert.equal(verdictFromTest({ p: 0.01, effect: 0.3, n: 10 }, l), 'reversed');
  assert.equal(verdictFromTest({ p: 0.03, effect: 0.3, n: 10 }, { ...g, alpha: 0.01 }), 'not shown');
  assert.equal(verdictFromTest({ p: 0.03, effect: 0.3, n: 10 }, { ...g, alpha: 0.1 }), 'holds');
});

test('verdictFromTest on a real paired t-test: a > b holds for greater, is reversed for less', () => {
  const a = [12.1, 14.3, 9.8, 11.0, 13.5, 10.2, 12.8, 11.7, 13.1, 10.9];
  const b = [11.4, 13.9, 10.1, 10.2, 12.6, 10.0, 12.1, 11.9, 12.0, 11.2];
  const t = pairedTTest(a, b); // p = 0.0386 (scipy), meanDiff 0.4
  assert.equal(verdictFromTest({ p: t.p, effect: t.meanDiff, n: t.n }, { direction: 'greater', minN: 10 }), 'holds');
  assert.equal(verdictFromTest({ p: t.p, effect: t.meanDiff, n: t.n }, { direction: 'less', minN: 10 }), 'reversed');
  assert.equal(verdictFromTest({ p: t.p, effect: t.meanDiff, n: t.n }, { direction: 'greater', minN: 11 }), 'too few');
  assert.equal(verdictFromTest({ p: t.p, effect: t.meanDiff, n: t.n }, { direction: 'greater', minN: 10, alpha: 0.01 }), 'not shown');
});

test('verdictFromInterval: the interval beyond the null value in the paper\'s direction holds; wholly opposite is reversed', () => {
  const g = { direction: 'greater', minN: 10 } as const;
  assert.equal(verdictFromInterval({ lo: 0.07, hi: 0.17, n: 64 }, g), 'holds');
  assert.equal(verdictFromInterval({ lo: -0.17, hi: -0.07, n: 64 }, g), 'reversed');
  assert.equal(verdictFromInterval({ lo: -0.01, hi: 0.17, n: 64 }, g), 'not shown');
  assert.equal(verdictFromInterval({ lo: 0, hi: 0.17, n: 64 }, g), 'not shown', 'touching the null is not beyond it');
  assert.equal(verdictFromInterval({ lo: 0.07, hi: 0.17, n: 9 }, g), 'too few');
  assert.equal(verdictFromInterval({ lo: NaN, hi: NaN, n: 0 }, g), 'too few', 'nothing defined: too few, not an error');
  assert.equal(verdictFromInterval({ lo: -0.17, hi: -0.07, n: 64 }, { direction: 'less', minN: 10 }), 'holds');
  assert.equal(verdictFromInterval({ lo: 0.55, hi: 0.6, n: 64 }, { ...g, nullValue: 0.5 }), 'holds');
  assert.equal(verdictFromInterval({ lo: 0.45, hi: 0.6, n: 64 }, { ...g, nullValue: 0.5 }), 'not shown');
});

test('verdict helpers reject bad input with the function name', () => {
  assert.throws(() => verdictFromTest({ p: 0.01, effect: 1, n: 10 }, { direction: 'up', minN: 5 } as never), /verdictFromTest: direction must be 'greater' or 'less'/);
  assert.throws(() => verdictFromTest({ p: 0.01, effect: 1, n: 10 }, { direction: 'greater' } as never), /verdictFromTest: minN must be an integer >= 1/);
  assert.throws(() => verdictFromTest({ p: 1.5, effect: 1, n: 10 }, { direction: 'greater', minN: 5 }), /p must be in \[0, 1\]/);
  assert.throws(() => verdictFromTest({ p: 0.01, effect: NaN, n: 10 }, { direction: 'greater', minN: 5 }), /effect is NaN/);
  assert.throws(() => verdictFromTest({ p: 0.01, effect: 1, n: 2.5 }, { direction: 'greater', minN: 5 }), /n must be the number of independent units/);
  assert.throws(() => verdictFromTest({ p: 0.01, effect: 1, n: 10 }, { direction: 'greater', minN: 5, alpha: 5 }), /alpha must be in \(0, 1\)/);
  assert.throws(() => verdictFromTest({ p: 0.01, effect: 1, n: 10 }, { direction: 'greater', minN: 5, twoSided: true } as never), /unknown option "twoSided"/);
  assert.throws(() => verdictFromInterval({ lo: 1, hi: 0, n: 10 }, { direction: 'greater', minN: 5 }), /verdictFromInterval: the interval must have lo <= hi/);
});

test('checkClaims accepts the contract and names the bad row and field', () => {
  const ok = { claim: 'c', paper: 'p', ours: 'o', criterion: 'paired t-test, p < 0.05', verdict: 'holds' as const };
  checkClaims('t', [ok, { ...ok, verdict: 'too few', excluded: ['seed 2: collapsed'] }]);
  assert.deepEqual([...VERDICTS].sort(), ['holds', 'not shown', 'not tested', 'reversed', 'too few']);
  assert.throws(() => checkClaims('t', [ok, { ...ok, verdict: 'held' }]), /t: claims\[1\]\.verdict is "held"; use one of 'holds'/);
  assert.throws(() => checkClaims('t', [{ ...ok, criterion: ' ' }]), /claims\[0\] \("c"\) has no criterion/);
  assert.throws(() => checkClaims('t', [{ ...ok, held: 'held' }]), /unknown field\(s\) held/);
  assert.throws(() => checkClaims('t', [{ ...ok, excluded: 'x' }]), /excluded must be an array of strings/);
  assert.throws(() => checkClaims('t', { ...ok }), /claims must be an array/);
});
