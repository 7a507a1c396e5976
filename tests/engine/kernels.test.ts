import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, maxRelErr, onBackend, noLeak } from '../helpers';
import { Rng } from '../../src/lib/engine';
import { WASM_KERNELS, WASM_KERNEL_REPLACEMENTS, registerWasmKernels } from '../../src/lib/engine/kernels';

before(setup);

const TOL = 1e-4;
const onWasm = () => tf.getBackend() === 'wasm';

/** Seeded normal data, shared by both backends. */
function data(shape: number[], seed: number): { shape: number[]; values: Float32Array } {
  return { shape, values: new Rng(seed).normals(shape.reduce((a, b) => a * b, 1)) };
}
const T = (d: { shape: number[]; values: Float32Array }) => tf.tensor(d.values, d.shape);

/** Run f on the current backend and on cpu; return both results as flat arrays. */
async function both(f: () => tf.Tensor[]): Promise<{ here: Float32Array[]; cpu: Float32Array[] }> {
  const run = () =>
    tf.tidy(() => f()).map((t) => {
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return Float32Array.from(v);
    });
  const here = run();
  const cpu = await onBackend('cpu', run);
  return { here, cpu };
}

async function assertMatchesCpu(what: string, f: () => tf.Tensor[]): Promise<void> {
  const { here, cpu } = await both(f);
  assert.equal(here.length, cpu.length);
  here.forEach((h, i) => {
    const e = maxRelErr(h, cpu[i]);
    assert.ok(e <= TOL, `${what} [output ${i}] max relative error ${e} vs cpu > ${TOL}`);
  });
}

type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];
const PADS: Pad[] = [
  'valid',
  'same',
  [
    [0, 0],
    [1, 2],
    [2, 0],
    [0, 0],
  ],
];

test('the extra kernels are registered on wasm', (t) => {
  if (!onWasm()) return t.skip('not on wasm');
  registerWasmKernels(); // idempotent
  for (const k of WASM_KERNELS) assert.ok(tf.getKernel(k.kernelName, 'wasm'), `${k.kernelName} registered`);
  assert.ok(tf.getKernel('Conv2DBackpropInput', 'wasm'), 'wasm ships Conv2DBackpropInput');
});

for (const strides of [1, 2]) {
  for (const pad of PADS) {
    test(`conv2d gradients (dx via Conv2DBackpropInput, dW via Conv2DBackpropFilter) match cpu: strides ${strides}, pad ${JSON.stringify(pad)}`, async () => {
      const xd = data([2, 9, 8, 3], 1);
      const wd = data([3, 3, 3, 4], 2);
      const loss = (x: tf.Tensor, w: tf.Tensor) =>
        tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad).square().sum() as tf.Scalar;
      await assertMatchesCpu('conv2d grads', () => tf.grads(loss)([T(xd), T(wd)]));
    });
  }
}

test('conv2d gradients match cpu for a 5x5 filter, 1 input channel, stride 2 (first-layer shape)', async () => {
  const xd = data([3, 12, 11, 1], 3);
  const wd = data([5, 5, 1, 6], 4);
  const loss = (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same').sin().sum() as tf.Scalar;
  await assertMatchesCpu('conv2d grads', () => tf.grads(loss)([T(xd), T(wd)]));
});

test('fused conv2d (tf.layers path, bias + relu) gradients match cpu', async () => {
  const xd = data([2, 7, 7, 2], 5);
  const wd = data([3, 3, 2, 3], 6);
  const bd = data([3], 7);
  const loss = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
    tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'same', bias: b }).square().sum() as tf.Scalar;
  await assertMatchesCpu('fused conv2d grads', () => tf.grads(loss)([T(xd), T(wd), T(bd)]));
});

for (const dilations of [2, 3]) {
  test(`Conv2DBackpropFilter honours a dilations attribute (${dilations}): equals the cpu sum over filter basis elements`, async () => {
    const xd = data([2, 10, 9, 2], 8);
    const filterShape: [number, number, number, number] = [3, 2, 2, 3];
    const pad = 'same';
    const outShape = tf.tidy(() => tf.conv2d(T(xd) as tf.Tensor4D, tf.zeros(filterShape), 1, pad, 'NHWC', dilations).shape);
    const dyd = data(outShape, 9);
    const got = tf.tidy(() =>
      (
        tf.engine().runKernel('Conv2DBackpropFilter', { x: T(xd), dy: T(dyd) }, {
          strides: 1,
          pad,
          dataFormat: 'NHWC',
          dilations,
          filterShape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor
      ).dataSync(),
    );
    // dW[k] = <conv2d(x, e_k, dilated), dy> for each basis filter e_k, computed on cpu.
    const want = await onBackend('cpu', () =>
      tf.tidy(() => {
        const x = T(xd) as tf.Tensor4D;
        const dy = T(dyd);
        const n = filterShape.reduce((a, b) => a * b, 1);
        const out = new Float32Array(n);
        for (let k = 0; k < n; k++) {
          const e = tf.oneHot(k, n).reshape(filterShape).toFloat() as tf.Tensor4D;
          out[k] = tf.conv2d(x, e, 1, pad, 'NHWC', dilations).mul(dy).sum().dataSync()[0];
        }
        return out;
      }),
    );
    if (tf.getBackend() !== 'wasm') return; // the attribute is robustlens' extension, wasm only
    const e = maxRelErr(got, want);
    assert.ok(e <= TOL, `dilated dW max relative error ${e}`);
  });
}

for (const strides of [1, 2]) {
  for (const pad of ['valid', 'same'] as const) {
    for (const mult of [1, 2]) {
      test(`depthwiseConv2d gradients match cpu: strides ${strides}, pad ${pad}, channel multiplier ${mult}`, async () => {
        const xd = data([2, 9, 8, 3], 10);
        const wd = data([3, 3, 3, mult], 11);
        const loss = (x: tf.Tensor, w: tf.Tensor) =>
          tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad).square().sum() as tf.Scalar;
        await assertMatchesCpu('depthwise grads', () => tf.grads(loss)([T(xd), T(wd)]));
      });
    }
  }
}

test('depthwise backprop kernels with dilation 2 equal the cpu forward pass summed over basis elements', async (t) => {
  if (!onWasm()) return t.skip('tfjs cpu backprop kernels ignore dilations; the wasm ones are robustlens');
  // tfjs' own depthwise gradient refuses dilations > 1 and the cpu backprop kernels ignore them, so
  // the reference is linearity: dx[k] = <dwconv(e_k, w), dy>, dW[k] = <dwconv(x, e_k), dy> on cpu.
  const xd = data([1, 7, 7, 2], 12);
  const wd = data([3, 3, 2, 2], 13);
  const dyd = data([1, 7, 7, 4], 14);
  const attrs = { strides: 1, dilations: 2, pad: 'same' } as const;
  const got = tf.tidy(() => [
    (tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: T(xd), dy: T(dyd) }, {
      ...attrs,
      filterShape: wd.shape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync(),
    (tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: T(dyd), filter: T(wd) }, {
      ...attrs,
      inputShape: xd.shape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync(),
  ]);
  const basis = (shape: number[], k: number) => tf.oneHot(k, shape.reduce((a, b) => a * b, 1)).reshape(shape).toFloat() as tf.Tensor4D;
  const want = await onBackend('cpu', () =>
    tf.tidy(() => {
      const x = T(xd) as tf.Tensor4D;
      const w = T(wd) as tf.Tensor4D;
      const dy = T(dyd);
      const ip = (a: tf.Tensor) => a.mul(dy).sum().dataSync()[0];
      const dW = wd.values.map((_, k) => ip(tf.depthwiseConv2d(x, basis(wd.shape, k), 1, 'same', 'NHWC', 2)));
      const dx = xd.values.map((_, k) => ip(tf.depthwiseConv2d(basis(xd.shape, k), w, 1, 'same', 'NHWC', 2)));
      return [dW, dx];
    }),
  );
  assert.ok(maxRelErr(got[0], want[0]) <= TOL, `dilated depthwise dW error ${maxRelErr(got[0], want[0])}`);
  assert.ok(maxRelErr(got[1], want[1]) <= TOL, `dilated depthwise dx error ${maxRelErr(got[1], want[1])}`);
});

test('separableConv2d layer gradients (weights and input) match cpu', async () => {
  const xd = data([2, 8, 8, 2], 15);
  const run = () => {
    const layer = tf.layers.separableConv2d({
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      depthMultiplier: 2,
      depthwiseInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      pointwiseInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    });
    const x = T(xd);
    layer.build(x.shape);
    const { grads } = tf.variableGrads(() => (layer.apply(x) as tf.Tensor).square().sum() as tf.Scalar);
    const gx = tf.grad((xx: tf.Tensor) => (layer.apply(xx) as tf.Tensor).square().sum())(x);
    return [...Object.keys(grads).sort().map((k) => grads[k]), gx];
  };
  await assertMatchesCpu('separableConv2d grads', run);
});

test('gather gradients (UnsortedSegmentSum) match cpu, axis 0 and 1, repeated indices', async () => {
  const xd = data([5, 4, 3], 16);
  const idx = [0, 2, 2, 4, 0, 3];
  await assertMatchesCpu('gather grads', () => [
    tf.grad((x: tf.Tensor) => tf.gather(x, tf.tensor1d(idx, 'int32')).square().sum())(T(xd)),
    tf.grad((x: tf.Tensor) => tf.gather(x, tf.tensor2d([1, 1, 3, 0], [2, 2], 'int32'), 1).square().sum())(T(xd)),
  ]);
});

test('unsortedSegmentSum: analytic values, 2-D ids, int32, out-of-range ids dropped like cpu', async () => {
  const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0, 1, 0, 1], 'int32'), 3).arraySync());
  assert.deepEqual(got, [4, 6, 0]);
  const gotInt = tf.tidy(() =>
    tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2).arraySync(),
  );
  assert.deepEqual(gotInt, [
    [5, 6],
    [4, 6],
  ]);
  // 2-D ids index the first two axes; ids outside [0, numSegments) are dropped.
  const xd = data([3, 2, 4], 17);
  const ids = [0, 2, 1, 2, 7, -1];
  const want = new Float32Array(3 * 4);
  ids.forEach((k, i) => {
    if (k >= 0 && k < 3) for (let t = 0; t < 4; t++) want[k * 4 + t] += xd.values[i * 4 + t];
  });
  const got2d = !onWasm() ? want : tf.tidy(() =>
    (tf.engine().runKernel('UnsortedSegmentSum', { x: T(xd), segmentIds: tf.tensor2d(ids, [3, 2], 'int32') }, {
      numSegments: 3,
    }) as tf.Tensor).dataSync(),
  );
  if (onWasm()) assert.ok(maxRelErr(got2d, want) <= TOL, '2-D segment ids'); // tfjs' cpu kernel cannot do 2-D ids
  await assertMatchesCpu('unsortedSegmentSum vs cpu', () => [
    tf.unsortedSegmentSum(T(data([6, 5], 18)), tf.tensor1d([3, 0, 3, 9, 1, 0], 'int32'), 4),
  ]);
});

test('einsum (missing from tfjs-backend-wasm) matches cpu on matmul, batched dot, outer product, transpose, reductions', async () => {
  const a = data([3, 4], 30);
  const b = data([4, 5], 31);
  const c = data([3, 4], 32);
  const v = data([5], 33);
  await assertMatchesCpu('einsum', () => [
    tf.einsum('ij,jk->ik', T(a), T(b)),
    tf.einsum('bi,bi->b', T(a), T(c)),
    tf.einsum('i,j->ij', T(data([3], 34)), T(v)),
    tf.einsum('ij->ji', T(a)),
    tf.einsum('ij->j', T(a)),
    tf.einsum('ij,j->i', T(b).transpose(), T(data([4], 35))),
  ]);
  if (!onWasm()) return; // tfjs' cpu Einsum returns its input for 'ij->ij' (a double dispose), so check wasm only
  const backend = tf.engine().backend as unknown as { numDataIds(): number };
  const [x, y] = [T(a), T(b)];
  const ids = backend.numDataIds();
  await noLeak(() => tf.dispose([tf.einsum('ij,jk->ik', x, y), tf.einsum('ij->ij', x), tf.einsum('ij->ji', x)]));
  assert.equal(backend.numDataIds(), ids, 'einsum leaves no backend buffers');
  assert.deepEqual(Array.from(tf.tidy(() => tf.einsum('ij->ij', x).dataSync())), Array.from(a.values), 'identity einsum');
  tf.dispose([x, y]);
});

test('the kernels leave no tensors and no backend buffers behind', async () => {
  const xd = data([2, 6, 6, 2], 18);
  const wd = data([3, 3, 2, 2], 19);
  const step = () => {
    const [gx, gw] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same').sum())([
      T(xd),
      T(wd),
    ]);
    const [dx, dw] = tf.grads((x: tf.Tensor, w: tf.Tensor) =>
      tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid').sum(),
    )([T(xd), T(wd)]);
    const g = tf.grad((x: tf.Tensor) => tf.gather(x, tf.tensor1d([1, 1], 'int32')).sum())(T(xd));
    return [gx, gw, dx, dw, g];
  };
  tf.dispose(tf.tidy(step)); // warm up
  const backend = tf.engine().backend as unknown as { numDataIds(): number };
  const ids = backend.numDataIds();
  await noLeak(() => tf.dispose(tf.tidy(step)));
  assert.equal(backend.numDataIds(), ids, 'backend buffers leaked');
});

test('throws a clear error for NCHW in Conv2DBackpropFilter on wasm', (t) => {
  if (!onWasm()) return t.skip('not on wasm');
  assert.throws(
    () =>
      tf.tidy(() =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.zeros([1, 2, 5, 5]), dy: tf.zeros([1, 2, 3, 3]) }, {
          strides: 1,
          pad: 'valid',
          dataFormat: 'NCHW',
          filterShape: [3, 3, 2, 2],
        } as unknown as tf.NamedAttrMap),
      ),
    /NHWC/,
  );
});

/** The small CNN of the brief: conv 3x3x8 same, relu, maxPool 2, conv 3x3x16, relu, maxPool 2, flatten, dense 10. */
function smallCnn(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 10, kernelInitializer: init(3) }));
  return m;
}

test('the small CNN trains with variableGrads + Adam: loss after 30 steps well below the initial loss', async () => {
  const model = smallCnn();
  const x = T(data([8, 28, 28, 1], 20));
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
  const opt = tf.train.adam(1e-2);
  const lossFn = () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar;
  const initial = tf.tidy(() => lossFn().dataSync()[0]);
  for (let i = 0; i < 30; i++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(lossFn);
      (opt as tf.Optimizer).applyGradients(grads);
    });
  }
  const final = tf.tidy(() => lossFn().dataSync()[0]);
  assert.ok(Number.isFinite(final), 'loss finite');
  assert.ok(final < 0.3 * initial, `loss ${initial.toFixed(4)} -> ${final.toFixed(4)} did not drop below 30%`);
  opt.dispose();
  model.dispose();
  tf.dispose([x, y]);
});

test('the small CNN input gradient matches central finite differences', async () => {
  const model = smallCnn();
  const x = T(data([2, 28, 28, 1], 21));
  const y = tf.oneHot(tf.tensor1d([3, 7], 'int32'), 10);
  const f = (xx: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, model.apply(xx) as tf.Tensor) as tf.Scalar;
  const g = tf.tidy(() => tf.grad(f)(x).dataSync());
  // A few coordinates where the gradient is not tiny, plus two arbitrary ones.
  const order = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]));
  const coords = [...order.slice(0, 4), 100, 1000];
  const base = x.dataSync();
  for (const i of coords) {
    const h = 1e-2;
    const at = (d: number) =>
      tf.tidy(() => {
        const v = Float32Array.from(base);
        v[i] += d;
        return f(tf.tensor(v, x.shape)).dataSync()[0];
      });
    const fd = (at(h) - at(-h)) / (2 * h);
    assert.ok(Math.abs(fd - g[i]) <= 2e-2 * Math.max(Math.abs(g[i]), 1e-2), `coordinate ${i}: grad ${g[i]} vs finite difference ${fd}`);
  }
  model.dispose();
  tf.dispose([x, y]);
});

test("Conv2DBackpropInput on wasm is robustlens' XNNPACK kernel (replaces tfjs' loop kernel)", (t) => {
  if (!onWasm()) return t.skip('not on wasm');
  registerWasmKernels(); // idempotent
  const [mine] = WASM_KERNEL_REPLACEMENTS;
  assert.equal(mine.kernelName, 'Conv2DBackpropInput');
  assert.equal(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc, mine.kernelFunc);
});

// dx kernel cases beyond the conv2d-gradient sweep above: strides 3 with rows the forward pass
// never reads, 1x1 and 5x5 filters, explicit pads larger than the filter (negative pads of the
// flipped correlation), rectangular strides, ceil rounding, many channels.
const DX_CASES: { name: string; x: number[]; w: number[]; strides: number | [number, number]; pad: Pad | number; round?: 'ceil' | 'floor' }[] = [
  { name: 'stride 3 valid, leftover rows', x: [2, 11, 10, 2], w: [3, 3, 2, 3], strides: 3, pad: 'valid' },
  { name: '1x1 filter, stride 2', x: [2, 7, 6, 3], w: [1, 1, 3, 4], strides: 2, pad: 'valid' },
  { name: '5x5 filter, stride 1 same', x: [2, 9, 7, 2], w: [5, 5, 2, 3], strides: 1, pad: 'same' },
  { name: 'explicit pads > filter - 1, stride 1', x: [1, 6, 5, 2], w: [3, 3, 2, 2], strides: 1, pad: [[0, 0], [3, 0], [0, 4], [0, 0]] },
  { name: 'rectangular strides [2, 1]', x: [2, 8, 7, 2], w: [3, 2, 2, 3], strides: [2, 1], pad: 'same' },
  { name: 'numeric pad 1 with ceil rounding, stride 2', x: [1, 8, 8, 2], w: [3, 3, 2, 2], strides: 2, pad: 1, round: 'ceil' },
  { name: '32 -> 16 channels, stride 1 same (small-CNN layer shape)', x: [3, 7, 7, 16], w: [3, 3, 16, 32], strides: 1, pad: 'same' },
  // sH * sW > 4: the column route (matmul + col2im)
  { name: 'stride 3 same (column route)', x: [2, 10, 9, 3], w: [4, 3, 3, 2], strides: 3, pad: 'same' },
  { name: 'stride 3 numeric pad 2, ceil rounding (column route)', x: [1, 9, 11, 2], w: [3, 5, 2, 3], strides: 3, pad: 2, round: 'ceil' },
  { name: 'hop-sized 1-D stride with overlapping frames (the DFT conv shape; column route)', x: [2, 1, 70, 1], w: [1, 16, 1, 6], strides: [1, 5], pad: 'valid' },
];
for (const c of DX_CASES) {
  test(`Conv2DBackpropInput matches cpu: ${c.name}`, async () => {
    const wd = data(c.w, 30);
    const fwd = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, T(wd) as tf.Tensor4D, c.strides, c.pad as 'valid', 'NHWC', 1, c.round));
    const dyd = data(fwd.shape, 31);
    fwd.dispose();
    await assertMatchesCpu('Conv2DBackpropInput', () => [
      tf.engine().runKernel('Conv2DBackpropInput', { dy: T(dyd), filter: T(wd) }, {
        strides: c.strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        dimRoundingMode: c.round,
        inputShape: c.x,
      } as unknown as tf.NamedAttrMap) as tf.Tensor,
    ]);
  });
}

test('Conv2DBackpropInput and the max-pool gradient leave no tensors and no backend buffers behind', async () => {
  const xd = data([2, 8, 8, 3], 32);
  const wd = data([3, 3, 3, 4], 33);
  const step = () =>
    tf.grads((x: tf.Tensor, w: tf.Tensor) =>
      tf.maxPool(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [2, 1], 'same'), 2, 2, 'valid').sum(),
    )([T(xd), T(wd)]);
  tf.dispose(tf.tidy(step));
  const backend = tf.engine().backend as unknown as { numDataIds(): number };
  const ids = backend.numDataIds();
  await noLeak(() => tf.dispose(tf.tidy(step)));
  assert.equal(backend.numDataIds(), ids, 'backend buffers leaked');
});

// BatchMatMul / _FusedMatMul with transposed operands: robustlens transposes explicitly on wasm
const MM_CASES: { a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [
  { a: [5, 7], b: [7, 3], tA: false, tB: false },
  { a: [7, 5], b: [7, 3], tA: true, tB: false },
  { a: [5, 7], b: [3, 7], tA: false, tB: true },
  { a: [7, 5], b: [3, 7], tA: true, tB: true },
  { a: [2, 6, 4], b: [2, 5, 6], tA: true, tB: true },
  { a: [3, 4, 6], b: [1, 5, 6], tA: false, tB: true }, // broadcast batch of b
];
for (const c of MM_CASES) {
  test(`BatchMatMul matches cpu: a ${JSON.stringify(c.a)}${c.tA ? '^T' : ''} x b ${JSON.stringify(c.b)}${c.tB ? '^T' : ''}`, async () => {
    const ad = data(c.a, 40);
    const bd = data(c.b, 41);
    await assertMatchesCpu('BatchMatMul', () => [tf.matMul(T(ad), T(bd), c.tA, c.tB)]);
  });
}

test('_FusedMatMul with transposes, bias and relu matches cpu; gradients of a dense layer match cpu', async () => {
  const ad = data([6, 9], 42);
  const bd = data([4, 6], 43);
  const biasd = data([4], 44);
  for (const [tA, tB] of [[true, true], [false, false]] as const) {
    const a = tA ? ad : data([9, 6], 45);
    const b = tB ? bd : data([6, 4], 46);
    await assertMatchesCpu(`fused tA ${tA} tB ${tB}`, () => [
      tf.fused.matMul({ a: T(a) as tf.Tensor2D, b: T(b) as tf.Tensor2D, transposeA: tA, transposeB: tB, bias: T(biasd), activation: 'relu' }),
    ]);
  }
  const xd = data([8, 12], 47);
  const wd = data([12, 5], 48);
  await assertMatchesCpu('dense gradients', () =>
    tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: T(data([5], 51)), activation: 'relu' }).square().sum())([T(xd), T(wd)]),
  );
});

test('the matmul wrappers replace tfjs kernels on wasm and leave no backend buffers behind', async (t) => {
  if (!onWasm()) return t.skip('not on wasm');
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const mine = WASM_KERNEL_REPLACEMENTS.find((k) => k.kernelName === name);
    assert.ok(mine, `${name} is a replacement`);
    assert.equal(tf.getKernel(name, 'wasm')?.kernelFunc, mine!.kernelFunc);
  }
  const a = T(data([4, 6], 49));
  const b = T(data([5, 6], 50));
  tf.dispose(tf.matMul(a, b, false, true));
  const backend = tf.engine().backend as unknown as { numDataIds(): number };
  const ids = backend.numDataIds();
  await noLeak(() => tf.dispose(tf.matMul(a, b, false, true)));
  assert.equal(backend.numDataIds(), ids, 'backend buffers leaked');
  tf.dispose([a, b]);
});
