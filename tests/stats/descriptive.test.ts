/** Descriptive statistics, correlations and the bootstrap; reference values from numpy 1.24.2 / scipy 1.10.1. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, std, median, quantile, rank, pearson, spearman, bootstrapCI } from '../../src/lib/stats';
import { Rng } from '../../src/lib/engine';

const u = [1.0, 2.5, 3.1, 4.8, 2.2, 6.0, 5.5];
const v = [2.1, 2.9, 3.0, 5.5, 1.9, 7.2, 5.0];
const close = (x: number, want: number, tol: number, msg = '') => assert.ok(Math.abs(x - want) <= tol, `${msg}: ${x} vs ${want}`);

test('mean, std (ddof=1), median, quantile (numpy linear)', () => {
  close(mean([1, 2, 3, 4]), 2.5, 0);
  close(std(u), 1.8703195550748106, 1e-12, 'std'); // np.std(u, ddof=1)
  assert.equal(median(u), 3.1);
  assert.equal(median([3, 1, 4, 1]), 2);
  // np.quantile(u, [0, 0.1, 0.25, 0.5, 0.9, 1])
  const q = quantile(u, [0, 0.1, 0.25, 0.5, 0.9, 1]);
  [1.0, 1.72, 2.35, 3.1, 5.7, 6.0].forEach((want, i) => close(q[i], want, 1e-12, `q${i}`));
  assert.throws(() => quantile(u, 1.5), /q must be in \[0, 1\]/);
  assert.throws(() => mean([]), /at least 1 value/);
  assert.throws(() => std([1]), /at least 2 value/);
  assert.throws(() => median([1, NaN]), /values\[1\] is NaN/);
});

test('rank, pearson, spearman', () => {
  assert.deepEqual(rank([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  close(pearson(u, v), 0.9400276686129821, 1e-12, 'pearson'); // scipy.stats.pearsonr
  close(spearman([1, 2, 2, 3, 5, 4, 4, 6], [3, 1, 2, 2, 6, 5, 7, 8]), 0.7939539754135209, 1e-12, 'spearman ties'); // scipy.stats.spearmanr
  assert.equal(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 1);
  close(pearson([1, 2, 3], [3, 2, 1]), -1, 1e-15);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])), 'constant sample: undefined');
  assert.throws(() => pearson([1, 2, 3], [1, 2]), /length mismatch/);
  assert.throws(() => spearman([1], [1]), /at least 2 value/);
});

test('bootstrapCI: seeded, reproducible, brackets the estimate, covers the true mean', () => {
  const rng = new Rng(7);
  const x = Array.from(rng.normals(200, 5, 2));
  const r1 = bootstrapCI(x, { seed: 3, n: 1000 });
  const r2 = bootstrapCI(x, { seed: 3, n: 1000 });
  assert.deepEqual(r1, r2);
  const r3 = bootstrapCI(x, { seed: 4, n: 1000 });
  assert.notEqual(r3.lo, r1.lo);
  assert.ok(r1.lo < r1.estimate && r1.estimate < r1.hi);
  assert.ok(r1.lo < 5 && 5 < r1.hi, `95% CI [${r1.lo}, ${r1.hi}] should cover 5`);
  // Width near 2 * 1.96 * sd / sqrt(n) = 0.554 (normal theory).
  const width = r1.hi - r1.lo;
  assert.ok(width > 0.4 && width < 0.7, `width ${width}`);
  // Coverage over repeated samples: about 95% of 40 intervals cover the true mean.
  let covered = 0;
  for (let k = 0; k < 40; k++) {
    const s = Array.from(new Rng(100 + k).normals(50, 0, 1));
    const ci = bootstrapCI(s, { seed: k, n: 400 });
    if (ci.lo < 0 && 0 < ci.hi) covered++;
  }
  assert.ok(covered >= 33, `covered ${covered}/40`);
  const med = bootstrapCI([1, 2, 3, 4, 100], { statistic: (s) => median(s), seed: 1, n: 200, level: 0.9 });
  assert.equal(med.estimate, 3);
  assert.equal(med.level, 0.9);
  assert.throws(() => bootstrapCI(x, { level: 95 }), /level must be in \(0, 1\)/);
  assert.throws(() => bootstrapCI(x, { samples: 10 } as never), /unknown option "samples"/);
  assert.throws(() => bootstrapCI([]), /at least 1 value/);
});
