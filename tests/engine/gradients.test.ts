import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, finiteDiff, maxRelErr, onBackend, noLeak } from '../helpers';
import { Rng } from '../../src/lib/engine';
import { registerGradientFixes, GRADIENT_FIXES } from '../../src/lib/engine/kernels';

before(async () => {
  await setup();
  registerGradientFixes(); // engine.ready() does this too; idempotent
});

const BACKENDS = () => Array.from(new Set([tf.getBackend(), 'cpu']));
const randn = (shape: number[], seed: number) => tf.tensor(new Rng(seed).normals(shape.reduce((a, b) => a * b, 1)), shape);

/** max relative error between tf.grad(f) and central finite differences at x, on the current backend. */
function gradVsFd(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor): number {
  const g = tf.tidy(() => tf.grad(f)(x).dataSync());
  return maxRelErr(g, finiteDiff(f, x));
}

test('registerGradientFixes installs the corrected gradient configs', () => {
  registerGradientFixes();
  for (const config of GRADIENT_FIXES) assert.equal(tf.getGradient(config.kernelName), config, config.kernelName);
});

// ---- avgPool with 'same' padding: forward divides by the real cells, tfjs' gradient by the full window.

for (const [filter, stride] of [
  [3, 2],
  [2, 1],
  [3, 1],
] as const) {
  test(`avgPool 'same' gradient matches finite differences (filter ${filter}, stride ${stride}) on every backend`, async () => {
    for (const b of BACKENDS()) {
      await onBackend(b, () => {
        const x = randn([2, 5, 6, 2], 1);
        const outShape = tf.tidy(() => tf.avgPool(x as tf.Tensor4D, filter, stride, 'same').shape);
        const w = randn(outShape, 2);
        const f = (t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, filter, stride, 'same').mul(w).sum() as tf.Scalar;
        const e = gradVsFd(f, x);
        assert.ok(e < 1e-3, `${b}: avgPool same grad vs finite differences, error ${e}`);
        tf.dispose([x, w]);
      });
    }
  });
}

test("tfjs' own AvgPoolGrad kernel is wrong at 'same' borders (the bug the fix replaces)", () => {
  const x = randn([1, 5, 5, 1], 3);
  const f = (t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, 3, 2, 'same').sum() as tf.Scalar;
  const fd = finiteDiff(f, x);
  const builtin = tf.tidy(() =>
    (
      tf.engine().runKernel('AvgPoolGrad', { dy: tf.ones([1, 3, 3, 1]), input: x }, {
        filterSize: 3,
        strides: 2,
        pad: 'same',
      } as unknown as tf.NamedAttrMap) as tf.Tensor
    ).dataSync(),
  );
  assert.ok(maxRelErr(builtin, fd) > 0.1, 'expected the built-in kernel to disagree with finite differences');
  // Corner cell (0,0) lies in one window with 4 real cells: d/dx = 1/4, not 1/9.
  const g = tf.tidy(() => tf.grad(f)(x).dataSync());
  assert.ok(Math.abs(g[0] - 0.25) < 1e-6, `corner gradient ${g[0]} != 1/4`);
  x.dispose();
});

test("avgPool 'valid' gradient is unchanged by the fix", () => {
  const x = randn([2, 6, 6, 1], 4);
  const f = (t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, 2, 2, 'valid').square().sum() as tf.Scalar;
  const g = tf.tidy(() => tf.grad(f)(x));
  // d/dx of sum(avg^2) = 2 * avg(window) / 4 for every cell of the window: avg/2 copied over the window.
  const up = tf.tidy(() => tf.image.resizeNearestNeighbor(tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid'), [6, 6]).mul(0.5));
  assert.ok(maxRelErr(g.dataSync(), up.dataSync()) < 1e-5);
  tf.dispose([x, g, up]);
});

// ---- resizeNearestNeighbor / UpSampling2D gradient with batch > 1.

for (const [alignCorners, halfPixelCenters] of [
  [false, false],
  [true, false],
  [false, true],
] as const) {
  test(`resizeNearestNeighbor gradient, batch 3, alignCorners ${alignCorners}, halfPixelCenters ${halfPixelCenters}, matches finite differences on every backend`, async () => {
    for (const b of BACKENDS()) {
      await onBackend(b, () => {
        const x = randn([3, 3, 4, 2], 5);
        const w = randn([3, 7, 9, 2], 6);
        const f = (t: tf.Tensor) =>
          tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [7, 9], alignCorners, halfPixelCenters).mul(w).sum() as tf.Scalar;
        const e = gradVsFd(f, x);
        assert.ok(e < 1e-3, `${b}: resizeNearestNeighbor grad error ${e}`);
        tf.dispose([x, w]);
      });
    }
  });
}

test('UpSampling2D gradient with batch 3 is the 2x2 block sum of the upstream gradient on every backend', async () => {
  for (const b of BACKENDS()) {
    await onBackend(b, () => {
      const layer = tf.layers.upSampling2d({ size: [2, 2] });
      const x = randn([3, 3, 4, 2], 7);
      const w = randn([3, 6, 8, 2], 8);
      const g = tf.tidy(() => tf.grad((t: tf.Tensor) => (layer.apply(t) as tf.Tensor).mul(w).sum())(x));
      // Analytic: dx[b, i, j, c] = sum of w over the 2x2 block it was copied to.
      const want = tf.tidy(() => tf.avgPool(w as tf.Tensor4D, 2, 2, 'valid').mul(4));
      assert.ok(maxRelErr(g.dataSync(), want.dataSync()) < 1e-5, `${b}: upsampling gradient`);
      tf.dispose([x, w, g, want]);
    });
  }
});

// ---- maxPool with tied maxima: the gradient goes to the first maximum of each window.

/** Integer-valued input with many ties (values in {0, 1, 2}). */
function tiedInput(shape: number[], seed: number): tf.Tensor {
  const r = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => r.int(3)), shape);
}

test('maxPool gradient with ties: per non-overlapping window, one cell (the first maximum) receives exactly dy', async () => {
  for (const b of BACKENDS()) {
    await onBackend(b, () => {
      const [B, H, W, C, k] = [2, 6, 8, 3, 2];
      const x = tiedInput([B, H, W, C], 9);
      const dy = randn([B, H / k, W / k, C], 10);
      const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, k, k, 'valid').mul(dy).sum())(x).dataSync());
      const xv = x.dataSync();
      const dyv = dy.dataSync();
      let windowsWithTies = 0;
      for (let bb = 0; bb < B; bb++)
        for (let oy = 0; oy < H / k; oy++)
          for (let ox = 0; ox < W / k; ox++)
            for (let c = 0; c < C; c++) {
              const cells: number[] = [];
              for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cells.push(((bb * H + oy * k + i) * W + ox * k + j) * C + c);
              const vals = cells.map((p) => xv[p]);
              const max = Math.max(...vals);
              if (vals.filter((v) => v === max).length > 1) windowsWithTies++;
              const first = cells[vals.indexOf(max)];
              const d = dyv[((bb * (H / k) + oy) * (W / k) + ox) * C + c];
              const sum = cells.reduce((s, p) => s + g[p], 0);
              assert.ok(Math.abs(sum - d) < 1e-6, `${b}: window gradient sum ${sum} != dy ${d}`);
              assert.equal(g[first], d, `${b}: the first maximum gets dy`);
              for (const p of cells) if (p !== first) assert.equal(g[p], 0, `${b}: other cells get 0`);
            }
      assert.ok(windowsWithTies > 10, 'the input has tied windows');
      tf.dispose([x, dy]);
    });
  }
});

test('maxPool gradient conserves the upstream sum for overlapping tied windows (3x3, stride 1, same)', async () => {
  for (const b of BACKENDS()) {
    await onBackend(b, () => {
      const x = tiedInput([2, 5, 5, 2], 11);
      const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 3, 1, 'same').sum())(x).sum().dataSync()[0]);
      assert.equal(g, 2 * 5 * 5 * 2, `${b}: every window passes on exactly its gradient`);
      x.dispose();
    });
  }
});

test("tfjs' own wasm MaxPoolGrad loses gradient on tied zero windows (the bug the fix replaces)", (t) => {
  if (tf.getBackend() !== 'wasm') return t.skip('wasm-specific');
  const x = tf.tensor4d([1, 1, 0, 2, 1, 1, 2, 0, 0, 0, 3, 3, 0, 0, 3, 3], [1, 4, 4, 1]);
  const total = tf.tidy(() => {
    const y = tf.maxPool(x, 2, 2, 'valid');
    const dx = tf.engine().runKernel('MaxPoolGrad', { dy: tf.onesLike(y), input: x, output: y }, {
      filterSize: 2,
      strides: 2,
      pad: 'valid',
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    return dx.sum().dataSync()[0];
  });
  assert.notEqual(total, 4, 'expected the built-in wasm kernel to drop a window');
  const fixed = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid').sum())(x).dataSync());
  assert.deepEqual(Array.from(fixed), [1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
  x.dispose();
});

test('maxPool gradient without ties matches finite differences (3x3, stride 2, same; 2x2 valid)', async () => {
  for (const b of BACKENDS()) {
    await onBackend(b, () => {
      // Distinct values 0.1 apart, so a finite-difference step of 0.01 never changes an argmax.
      const n = 2 * 5 * 6 * 2;
      const vals = new Rng(12).shuffle(Array.from({ length: n }, (_, i) => 0.1 * i));
      const x = tf.tensor(vals, [2, 5, 6, 2]);
      for (const [k, s, pad] of [
        [3, 2, 'same'],
        [2, 2, 'valid'],
      ] as const) {
        const w = tf.tidy(() => randn(tf.maxPool(x as tf.Tensor4D, k, s, pad).shape, 13));
        const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, k, s, pad).mul(w).sum() as tf.Scalar;
        const e = gradVsFd(f, x);
        assert.ok(e < 1e-3, `${b}: maxPool ${k}/${s}/${pad} grad error ${e}`);
        w.dispose();
      }
      x.dispose();
    });
  }
});

test('the corrected gradients leave no tensors behind', async () => {
  const x = randn([2, 4, 4, 2], 14);
  const f = (t: tf.Tensor) =>
    tf.addN([
      tf.avgPool(t as tf.Tensor4D, 3, 2, 'same').sum(),
      tf.maxPool(t as tf.Tensor4D, 2, 2, 'same').sum(),
      tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [8, 8]).square().sum(),
    ]);
  tf.dispose(tf.grad(f)(x));
  await noLeak(() => tf.dispose(tf.grad(f)(x)));
  x.dispose();
});

// ---- FusedBatchNorm: robustlens' gradient broadcasts instead of tiling; it must equal the
// gradient of the same formula written with plain ops, for every input, ranks 4 and 2.

for (const shape of [[3, 4, 5, 6], [7, 6]]) {
  test(`batchNorm gradient (no Tile) equals the gradient of the plain-ops formula for x, mean, variance, scale, offset: x ${JSON.stringify(shape)}`, async () => {
    for (const b of BACKENDS()) {
      await onBackend(b, () => {
        const C = shape[shape.length - 1];
        const x = randn(shape, 11);
        const mean = randn([C], 12);
        const variance = tf.tidy(() => randn([C], 13).square().add(0.5));
        const scale = randn([C], 14);
        const offset = randn([C], 15);
        const w = randn(shape, 16);
        const eps = 1e-3;
        const fused = (xx: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
          tf.batchNorm(xx, m as tf.Tensor1D, v as tf.Tensor1D, o as tf.Tensor1D, s as tf.Tensor1D, eps).mul(w).sum() as tf.Scalar;
        const plain = (xx: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
          xx.sub(m).mul(tf.rsqrt(v.add(eps))).mul(s).add(o).mul(w).sum() as tf.Scalar;
        const args = [x, mean, variance, scale, offset];
        const g1 = tf.tidy(() => tf.grads(fused)(args).map((t) => Float32Array.from(t.dataSync())));
        const g2 = tf.tidy(() => tf.grads(plain)(args).map((t) => Float32Array.from(t.dataSync())));
        ['x', 'mean', 'variance', 'scale', 'offset'].forEach((name, i) => {
          const e = maxRelErr(g1[i], g2[i]);
          assert.ok(e < 1e-4, `${b}: d/d${name} max relative error ${e}`);
        });
        // and the gradient to x agrees with finite differences
        const e = gradVsFd((t) => fused(t, mean, variance, scale, offset), x);
        assert.ok(e < 2e-2, `${b}: d/dx vs finite differences ${e}`);
        tf.dispose([x, mean, variance, scale, offset, w]);
      });
    }
  });
}

test('maxPool gradient: a NaN in a window takes the gradient (as in PyTorch), on the 2x2 fast path and the general path', async () => {
  for (const b of BACKENDS()) {
    await onBackend(b, () => {
      // 2x2 stride 2 valid (fast path): windows [1, NaN; 3, 2] and [5, 5; 4, NaN]
      const x = tf.tensor4d([1, NaN, 5, 5, 3, 2, 4, NaN], [1, 2, 4, 1]);
      const g = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid').sum())(x).dataSync()));
      assert.deepEqual(g, [0, 1, 0, 0, 0, 0, 0, 1], `${b}: 2x2 path`);
      // 3x3 window, stride 3 (general path): the NaN at the centre wins over the larger values
      const y = tf.tensor4d([9, 8, 7, 6, NaN, 5, 4, 3, 2], [1, 3, 3, 1]);
      const h = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 3, 3, 'valid').sum())(y).dataSync()));
      assert.deepEqual(h, [0, 0, 0, 0, 1, 0, 0, 0, 0], `${b}: general path`);
      tf.dispose([x, y]);
    });
  }
});

test('registerGradientFixes re-registers what something replaced, and only that', () => {
  const fixed = () => GRADIENT_FIXES.every((c) => tf.getGradient(c.kernelName) === c);
  const clobber = () => {
    for (const c of GRADIENT_FIXES) tf.registerGradient({ ...c, gradFunc: c.gradFunc }); // a different config object
  };
  const warn = console.warn;
  console.warn = () => undefined; // tfjs warns about overwriting gradients
  try {
    clobber();
    assert.ok(!fixed(), 'clobbered');
    assert.deepEqual(registerGradientFixes().sort(), GRADIENT_FIXES.map((c) => c.kernelName).sort());
    assert.ok(fixed());
    assert.deepEqual(registerGradientFixes(), [], 'nothing to redo');
  } finally {
    console.warn = warn;
  }
});
