import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { synthImages, SynthImageSet, SYNTH_SHAPES } from '../../src/lib/data';

const sha = (a: ArrayBufferView) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

test('synthImages: same seed -> same bytes; another seed -> other images', () => {
  const a = synthImages({ n: 20, size: 28, classes: 5, seed: 11 });
  const b = synthImages({ n: 20, size: 28, classes: 5, seed: 11 });
  for (const k of ['x', 'y', 'masks', 'boxes'] as const) assert.equal(sha(a[k]), sha(b[k]), k);
  assert.notEqual(sha(synthImages({ n: 20, size: 28, classes: 5, seed: 12 }).x), sha(a.x));
  const c = synthImages({ n: 6, size: 32, channels: 3, classes: 8, seed: 1 });
  assert.deepEqual(c.shape, [6, 32, 32, 3]);
  assert.deepEqual(c.classes, SYNTH_SHAPES);
});

test('synthImages: balanced labels, values in [0,1], boxes are the tight boxes of the masks, objects stand out', () => {
  const s = synthImages({ n: 40, size: 28, classes: 4, seed: 2, noise: 0 });
  const counts = [0, 0, 0, 0];
  s.y.forEach((k) => counts[k]++);
  assert.deepEqual(counts, [10, 10, 10, 10]);
  assert.ok(s.x.every((v) => v >= 0 && v <= 1));
  for (let i = 0; i < 40; i++) {
    const [x0, y0, x1, y1] = s.boxes.subarray(4 * i, 4 * i + 4);
    let rmin = 99, rmax = -1, cmin = 99, cmax = -1, inside = 0, outside = 0, nIn = 0;
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) {
      const p = i * 784 + r * 28 + c;
      if (s.masks[p]) { rmin = Math.min(rmin, r); rmax = Math.max(rmax, r); cmin = Math.min(cmin, c); cmax = Math.max(cmax, c); inside += s.x[p]; nIn++; }
      else outside += s.x[p];
    }
    assert.deepEqual([x0, y0, x1, y1], [cmin, rmin, cmax + 1, rmax + 1], `box ${i}`);
    assert.ok(inside / nIn - outside / (784 - nIn) > 0.15, `object ${i} brighter than background`);
  }
  assert.throws(() => synthImages({ classes: 9 }), /classes must be an integer in 2\.\.8/);
  assert.throws(() => synthImages({ size: 8 }), /size must be an integer >= 12/);
  assert.throws(() => synthImages({ colour: 1 } as never), /unknown option "colour"/);
});

test('synthImages polarity: the default is byte-identical to before the option; random draws both signs and darker objects sit below their background', () => {
  // the default (bright objects) must not change: P3's cached models were trained on it
  const d = synthImages({ n: 12, size: 20, channels: 3, classes: 4, seed: 5 });
  assert.equal(sha(d.x), 'e66f9c4435a27ccfe5c04c1be2896a2f7d8941f95b32bb44ef93813acd05d2c2');
  assert.equal(sha(synthImages({ n: 12, size: 20, channels: 3, classes: 4, seed: 5, polarity: 'bright' }).x), sha(d.x));
  assert.ok(d.signs.every((v) => v === 1));
  const n = 200;
  const r = synthImages({ n, size: 24, classes: 4, seed: 9, noise: 0, contrast: 0.3, polarity: 'random' });
  const dark = r.signs.filter((v) => v === -1).length;
  assert.ok(dark > 70 && dark < 130, `${dark} of ${n} dark objects`);
  for (let i = 0; i < n; i++) {
    let inside = 0, outside = 0, nIn = 0;
    for (let p = i * 576; p < (i + 1) * 576; p++) {
      if (r.masks[p]) { inside += r.x[p]; nIn++; } else outside += r.x[p];
    }
    const diff = inside / nIn - outside / (576 - nIn);
    assert.ok(r.signs[i] * diff > 0.12, `image ${i}: sign ${r.signs[i]}, object - background ${diff.toFixed(3)}`);
  }
  assert.throws(() => synthImages({ polarity: 'dark' } as never), /synthImages: polarity must be 'bright' or 'random'/);
});

/** Nearest-centroid accuracy (train on the first half, test on the second) for per-image feature vectors. */
function nearestCentroid(features: Float64Array[], y: Int32Array, K: number): number {
  const n = features.length, half = n >> 1, d = features[0].length;
  const cent = Array.from({ length: K }, () => new Float64Array(d));
  const cnt = new Array(K).fill(0);
  for (let i = 0; i < half; i++) { cnt[y[i]]++; features[i].forEach((v, j) => (cent[y[i]][j] += v)); }
  cent.forEach((c, k) => c.forEach((_, j) => (c[j] /= Math.max(1, cnt[k]))));
  let ok = 0;
  for (let i = half; i < n; i++) {
    let best = 0, bd = Infinity;
    for (let k = 0; k < K; k++) { let s = 0; for (let j = 0; j < d; j++) s += (features[i][j] - cent[k][j]) ** 2; if (s < bd) { bd = s; best = k; } }
    if (best === y[i]) ok++;
  }
  return ok / (n - half);
}

/** The box crop resampled to g x g (nearest), z-scored: what a model could learn from inside the box. */
function boxFeatures(s: SynthImageSet, i: number, g = 10): Float64Array {
  const size = s.shape[1];
  const [x0, y0, x1, y1] = s.boxes.subarray(4 * i, 4 * i + 4);
  const f = new Float64Array(g * g);
  for (let a = 0; a < g; a++) for (let b = 0; b < g; b++) {
    const r = y0 + Math.floor(((a + 0.5) * (y1 - y0)) / g), c = x0 + Math.floor(((b + 0.5) * (x1 - x0)) / g);
    f[a * g + b] = s.x[i * size * size + r * size + c];
  }
  const m = f.reduce((p, q) => p + q, 0) / f.length;
  const sd = Math.sqrt(f.reduce((p, q) => p + (q - m) ** 2, 0) / f.length) || 1;
  return f.map((v) => (v - m) / sd);
}

/** Statistics of the background pixels only (outside the box): mean, sd, 8-bin histogram. */
function backgroundFeatures(s: SynthImageSet, i: number): Float64Array {
  const size = s.shape[1];
  const [x0, y0, x1, y1] = s.boxes.subarray(4 * i, 4 * i + 4);
  const vals: number[] = [];
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) if (c < x0 || c >= x1 || r < y0 || r >= y1) vals.push(s.x[i * size * size + r * size + c]);
  const m = vals.reduce((p, q) => p + q, 0) / vals.length;
  const sd = Math.sqrt(vals.reduce((p, q) => p + (q - m) ** 2, 0) / vals.length);
  const hist = new Array(8).fill(0);
  vals.forEach((v) => hist[Math.min(7, Math.floor(v * 8))]++);
  return Float64Array.from([m * 10, sd * 10, ...hist.map((h) => (h / vals.length) * 10)]);
}

test('synthImages: the planted truth is recoverable inside the box, and background pixels alone are at chance', () => {
  const K = 5, n = 600;
  const s = synthImages({ n, size: 28, classes: K, seed: 7 });
  const inBox = nearestCentroid(Array.from({ length: n }, (_, i) => boxFeatures(s, i)), s.y, K);
  const bg = nearestCentroid(Array.from({ length: n }, (_, i) => backgroundFeatures(s, i)), s.y, K);
  console.log(`# synthImages nearest-centroid accuracy: box pixels ${inBox.toFixed(3)}, background only ${bg.toFixed(3)} (chance ${1 / K})`);
  // chance = 1/K = 0.2; with 300 test images its sd is ~0.023, so 0.2 + 4 sd = 0.29
  assert.ok(inBox > 0.85, `box-pixel classifier accuracy ${inBox}`);
  assert.ok(bg < 0.29, `background-only classifier accuracy ${bg} (chance 0.2)`);
});
