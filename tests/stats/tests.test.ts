/**
 * t-tests and Wilcoxon signed-rank against scipy 1.10.1 (scipy.stats.ttest_rel, ttest_ind(equal_var=False),
 * wilcoxon(mode=...), values produced once and pasted as literals) and Wilcoxon's (1945) corn example
 * (scipy docs: statistic 24, p 0.041259765625).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import { pairedTTest, welchTTest, wilcoxonSignedRank, signedRankPmf } from '../../src/lib/stats';

before(setup);

const a = [12.1, 14.3, 9.8, 11.0, 13.5, 10.2, 12.8, 11.7, 13.1, 10.9];
const b = [11.4, 13.9, 10.1, 10.2, 12.6, 10.0, 12.1, 11.9, 12.0, 11.2];
const c = [9.5, 11.2, 10.8, 8.9, 12.4, 10.1, 9.9];
const close = (x: number, want: number, tol: number, msg: string) => assert.ok(Math.abs(x - want) <= tol, `${msg}: ${x} vs ${want}`);

test('pairedTTest matches scipy.stats.ttest_rel', () => {
  const r = pairedTTest(a, b);
  close(r.t, 2.4194335156365367, 1e-9, 't');
  assert.equal(r.df, 9);
  close(r.p, 0.03864651787015921, 1e-9, 'p');
  close(r.meanDiff, 0.4, 1e-12, 'meanDiff');
  // ci: mean ± scipy.stats.t.ppf(0.975, 9) * sd / sqrt(n)
  close(r.ci95[0], 0.026002178093191775, 1e-8, 'ci lo');
  close(r.ci95[1], 0.7739978219068087, 1e-8, 'ci hi');
  close(pairedTTest(a, b, { alternative: 'less' }).p, 0.9806767410649204, 1e-9, 'less');
  close(pairedTTest(a, b, { alternative: 'greater' }).p, 0.019323258935079603, 1e-9, 'greater');
  // Swapping the samples flips the sign and keeps p.
  const s = pairedTTest(b, a);
  close(s.t, -r.t, 1e-12, 'swap t');
  close(s.p, r.p, 1e-12, 'swap p');
});

test('pairedTTest accepts tensors and typed arrays', () => {
  const ta = tf.tensor1d(a, 'float32');
  const tb = tf.tensor1d(b, 'float32');
  const r = pairedTTest(ta, Float64Array.from(b));
  close(r.p, 0.03864651787015921, 1e-5, 'tensor p (float32 input)');
  tf.dispose([ta, tb]);
});

test('welchTTest matches scipy.stats.ttest_ind(equal_var=False)', () => {
  const r = welchTTest(a, c);
  close(r.t, 2.3916507399858107, 1e-9, 't');
  close(r.df, 14.692362469744642, 1e-9, 'df');
  close(r.p, 0.030622512575725052, 1e-9, 'p');
  close(r.ci95[0], 0.16503812356355851, 1e-8, 'ci lo');
  close(r.ci95[1], 2.9149618764364433, 1e-8, 'ci hi');
});

test('t-tests: clear errors', () => {
  assert.throws(() => pairedTTest(a, b.slice(1)), /length mismatch/);
  assert.throws(() => pairedTTest([], []), /at least 2 value/);
  assert.throws(() => pairedTTest([1, NaN, 3], [1, 2, 3]), /a\[1\] is NaN/);
  assert.throws(() => pairedTTest(a, b, { alternatve: 'less' } as never), /unknown option "alternatve"/);
  assert.throws(() => pairedTTest(a, b, { alternative: 'both' as never }), /unknown alternative/);
  assert.throws(() => welchTTest([1], c), /at least 2 value/);
});

test('wilcoxonSignedRank exact matches scipy and the textbook corn data', () => {
  const corn = wilcoxonSignedRank([6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]);
  assert.equal(corn.W, 24);
  assert.equal(corn.exact, true);
  close(corn.p, 0.041259765625, 1e-12, 'corn p');
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
  const r = wilcoxonSignedRank(x, y);
  assert.equal(r.W, 5);
  assert.ok(r.exact);
  close(r.p, 0.0390625, 1e-12, 'p');
  const r2 = wilcoxonSignedRank([3, -1, 4, -2, 5, 6, -7, 8, 9, 10, -11, 12]);
  assert.equal(r2.W, 21);
  close(r2.p, 0.17626953125, 1e-12, 'p2');
  const d3 = Array.from({ length: 20 }, (_, i) => (i === 1 || i === 8 ? -(i + 1) : i + 1));
  const r3 = wilcoxonSignedRank(d3);
  assert.equal(r3.W, 11);
  close(r3.p, 0.0001049041748046875, 1e-15, 'p3');
});

test('wilcoxonSignedRank normal approximation with ties, zeros and continuity correction matches scipy', () => {
  const dt = [1, 2, 2, -3, 4, 4, 4, 5, -6, 7, 8, 8, -1, 9, 10];
  const r = wilcoxonSignedRank(dt);
  assert.equal(r.exact, false);
  assert.equal(r.ties, true);
  assert.equal(r.W, 16.5);
  close(r.z!, -2.4456899047901057, 1e-10, 'z');
  close(r.p, 0.01445752876213679, 1e-10, 'p');
  close(wilcoxonSignedRank(dt, null, { correction: false }).p, 0.013356177488691993, 1e-10, 'p nocorr');
  const dz = [0, 1, 2, -3, 4, 5, 0, 6, 7, -8, 9];
  const rz = wilcoxonSignedRank(dz);
  assert.equal(rz.nZeros, 2);
  assert.equal(rz.n, 9);
  assert.equal(rz.W, 11);
  close(rz.z!, -1.303167531070003, 1e-10, 'z zeros');
  close(rz.p, 0.19251757243647138, 1e-10, 'p zeros');
  // n = 60 > 50 without ties: normal approximation.
  const big = [1, 2, -3, 4, -5, 6, 7, 8, 9, -10, 11, 12, -13, 14, -15, 16, -17, 18, -19, -20, 21, -22, 23, 24, 25, 26, 27, -28, -29, 30,
    31, -32, 33, 34, 35, 36, -37, 38, 39, -40, 41, 42, 43, -44, 45, 46, 47, 48, -49, 50, 51, 52, -53, 54, -55, -56, 57, 58, 59, 60];
  const rb = wilcoxonSignedRank(big);
  assert.equal(rb.exact, false);
  assert.equal(rb.W, 547);
  close(rb.p, 0.0068224423637861294, 1e-10, 'p big');
});

test('wilcoxonSignedRank: exact pmf sums to 1 and is symmetric; exact/approx agree roughly at n=20', () => {
  const pmf = signedRankPmf(10);
  assert.ok(Math.abs(pmf.reduce((s, v) => s + v, 0) - 1) < 1e-15);
  for (let w = 0; w < pmf.length; w++) assert.equal(pmf[w], pmf[pmf.length - 1 - w]);
  assert.equal(pmf[0], 1 / 1024);
  const d = [1, -2, 3, 4, 5, -6, 7, 8, -9, 10, 11, 12, 13, -14, 15, 16, 17, 18, 19, -20];
  const ex = wilcoxonSignedRank(d);
  const ap = wilcoxonSignedRank(d, null, { method: 'approx' });
  assert.ok(ex.exact && !ap.exact);
  assert.ok(Math.abs(ex.p - ap.p) < 0.01, `${ex.p} vs ${ap.p}`);
});

test('wilcoxonSignedRank: clear errors', () => {
  assert.throws(() => wilcoxonSignedRank([1, 2, 2], null, { method: 'exact' }), /needs distinct non-zero/);
  assert.throws(() => wilcoxonSignedRank([0, 0]), /all differences are zero/);
  assert.throws(() => wilcoxonSignedRank([1, 2], [1]), /length mismatch/);
  assert.throws(() => wilcoxonSignedRank([]), /at least 1 value/);
  assert.throws(() => wilcoxonSignedRank([1, Infinity]), /Infinity/);
  assert.throws(() => wilcoxonSignedRank([1, 2], null, { exact: true } as never), /unknown option "exact"/);
});

test('wilcoxonSignedRank: exact method refuses n > 1000', () => {
  const d = Array.from({ length: 1001 }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
  assert.throws(() => wilcoxonSignedRank(d, null, { method: 'exact' }), /limited to n <= 1000/);
  assert.equal(wilcoxonSignedRank(d).exact, false);
});
