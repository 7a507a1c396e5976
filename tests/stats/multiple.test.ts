/** stats.holm (Holm's step-down adjustment) and stats.pairedDifference (bootstrap CI of paired differences, shared verdicts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/lib/engine';
import { holm, pairedDifference } from '../../src/lib/stats';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('holm: step-down adjusted p-values (hand-computed), NaN kept and not counted, monotone, capped at 1', () => {
  const r = holm([0.01, 0.04, 0.03, NaN]);
  close(r[0], 0.03);
  close(r[1], 0.06);
  close(r[2], 0.06);
  assert.ok(Number.isNaN(r[3]));
  assert.deepEqual(holm([0.5, 0.4]), [0.8, 0.8]);
  assert.deepEqual(holm([0.9, 0.6, 0.01]), [1, 1, 0.03]);
  assert.deepEqual(holm([]), []);
  assert.throws(() => holm([0.1, 1.5]), /holm: p\[1\] is 1\.5; p-values lie in \[0, 1\]/);
  assert.throws(() => holm(null as never), /holm: give the p-values/);
});

test('pairedDifference: verdicts from the bootstrap CI of paired differences in the shared vocabulary; NaN pairs dropped', () => {
  const r = new Rng(13);
  const b = Array.from(r.normals(40));
  const up = pairedDifference(b.map((v) => v + 1 + 0.1 * r.normal()), b, { nBoot: 500, seed: 1 });
  assert.equal(up.verdict, 'holds');
  assert.ok(Math.abs(up.diff - 1) < 0.1 && up.lo < up.diff && up.diff < up.hi);
  assert.equal(pairedDifference(b.map((v) => v - 1), b, { nBoot: 500 }).verdict, 'reversed');
  assert.equal(pairedDifference(b.map((v) => v - 1), b, { nBoot: 500, direction: 'less' }).verdict, 'holds');
  const noise = Array.from(r.normals(40));
  const same = pairedDifference(noise, noise.map((v) => -v), { nBoot: 500, seed: 2 }); // symmetric around 0
  assert.equal(same.verdict, 'not shown');
  const withNaN = pairedDifference([1, NaN, 3], [0, 0, NaN]);
  assert.equal(withNaN.n, 1);
  assert.equal(pairedDifference(b.map((v) => v + 1), b, { nBoot: 200, minN: 41 }).verdict, 'too few');
  assert.deepEqual(pairedDifference([NaN], [1]), { diff: NaN, lo: NaN, hi: NaN, n: 0, verdict: 'too few' });
  assert.throws(() => pairedDifference([1, 2], [1]), /paired/);
  assert.throws(() => pairedDifference([1], [1], { alpha: 0.1 } as never), /pairedDifference: unknown option "alpha"/);
  assert.deepEqual(pairedDifference(noise, b, { seed: 4 }), pairedDifference(noise, b, { seed: 4 }));
});
