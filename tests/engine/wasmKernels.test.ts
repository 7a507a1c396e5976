// robustlens' C/SIMD128 WebAssembly kernels (csrc/): the committed .wasm matches its sources, the
// module owns no memory, and each kernel equals the cpu backend, its fallback, and finite
// differences, for the shapes it covers and those it hands to the fallback.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup, onBackend, noLeak, maxRelErr, finiteDiff } from '../helpers';
import { Rng } from '../../src/lib/engine';
import { nativeKernels, nativeKernelsError, setNativeKernels, kernelsWasmPath } from '../../src/lib/engine/kernels/wasmKernels';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const build = require('../../csrc/build.mjs') as typeof import('../../csrc/build.mjs');

before(setup);

const onWasm = () => tf.getBackend() === 'wasm';
const TOL = 2e-5;

function values(shape: number[], seed: number): Float32Array {
  return new Rng(seed).normals(shape.reduce((a, b) => a * b, 1));
}

/** Run f with the C kernels on, then off (the fallback), then on cpu; flat outputs. */
async function threeWays(f: () => tf.Tensor): Promise<{ native: Float32Array; fallback: Float32Array; cpu: Float32Array }> {
  const run = () => tf.tidy(() => Float32Array.from(f().dataSync()));
  const native = await noLeak(run);
  const was = setNativeKernels(false);
  let fallback: Float32Array;
  try {
    fallback = run();
  } finally {
    setNativeKernels(was);
  }
  const cpu = await onBackend('cpu', run);
  return { native, fallback, cpu };
}

test('the committed robustlens_kernels.wasm was built from the current csrc sources and flags', () => {
  const why = build.staleReason();
  assert.equal(why, null, `${why}: run node csrc/build.mjs and commit csrc/out`);
  assert.equal(path.resolve(build.WASM_FILE), kernelsWasmPath(), 'the library loads the file the build writes');
});

test('rebuilding csrc with clang reproduces the committed .wasm byte for byte', (t) => {
  const have = (cmd: string) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;
  if (!have(process.env.CC_WASM ?? 'clang') || !have(process.env.LD_WASM ?? 'wasm-ld') || !have(process.env.NM_WASM ?? 'llvm-nm')) {
    return t.skip('clang / wasm-ld / llvm-nm not installed (the manifest check above still runs)');
  }
  const manifest = JSON.parse(fs.readFileSync(build.MANIFEST_FILE, 'utf8'));
  const version = spawnSync(process.env.CC_WASM ?? 'clang', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
  if (version !== manifest.compiler) return t.skip(`another compiler (${version}; the .wasm was built with ${manifest.compiler})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-wasm-'));
  try {
    const bytes = build.compile(path.join(dir, 'k.wasm'));
    assert.equal(build.sha256(bytes), build.sha256(fs.readFileSync(build.WASM_FILE)), 'rebuilt .wasm differs from the committed one');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the module imports only env.memory and owns no data or start function; the build rejects one that does', () => {
  const bytes = fs.readFileSync(build.WASM_FILE);
  build.checkOwnsNoMemory(bytes);
  // a module with a data segment: (module (memory 1) (data (i32.const 0) "x"))
  const withData = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1, 11, 7, 1, 0, 65, 0, 11, 1, 120]);
  assert.throws(() => build.checkOwnsNoMemory(withData), /data segments/);
});

test('the kernels instantiate on the wasm backend; ROBUSTLENS_WASM_KERNELS=0 / setNativeKernels(false) turns them off', (t) => {
  if (!onWasm()) return t.skip('wasm only');
  assert.ok(nativeKernels(tf.backend()), `not loaded: ${nativeKernelsError()}`);
  const was = setNativeKernels(false);
  assert.equal(nativeKernels(tf.backend()), null);
  setNativeKernels(was);
});

// [x shape, filter shape, strides, pad]: the small CNN, merCnn and P2/P4 layer shapes, remainders
// in channel counts (O % 4, O % 16, C odd), strides 2/3, explicit and negative-free pads.
type Pad = 'valid' | 'same' | number[][];
const CONV_CASES: [number[], number[], number, Pad][] = [
  [[4, 28, 28, 1], [3, 3, 1, 16], 1, 'same'],
  [[4, 14, 14, 16], [3, 3, 16, 32], 1, 'same'],
  [[2, 32, 37, 1], [5, 5, 1, 8], 2, 'same'],
  [[2, 16, 18, 8], [3, 3, 8, 8], 1, 'same'],
  [[2, 8, 9, 32], [3, 3, 32, 48], 1, 'same'],
  [[2, 8, 9, 64], [1, 1, 64, 32], 1, 'same'],
  [[3, 9, 10, 3], [3, 2, 3, 5], 2, 'valid'],
  [[2, 7, 6, 5], [2, 3, 5, 13], 3, [[0, 0], [1, 2], [2, 0], [0, 0]]],
  [[1, 6, 7, 2], [3, 3, 2, 1], 1, 'same'],
  [[2, 5, 5, 7], [3, 3, 7, 20], 2, 'same'],
  [[1, 11, 4, 4], [4, 1, 4, 17], 1, 'valid'],
];

for (const [xs, ws, s, pad] of CONV_CASES) {
  test(`conv2d forward, dx (Conv2DBackpropInput) and dW (Conv2DBackpropFilter): C kernels = fallback = cpu: x ${JSON.stringify(xs)}, w ${JSON.stringify(ws)}, stride ${s}, pad ${JSON.stringify(pad)}`, async (t) => {
    if (!onWasm()) return t.skip('wasm only');
    const xv = values(xs, 1);
    const wv = values(ws, 2);
    const conv = (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad as 'same');
    const outputs: [string, () => tf.Tensor][] = [
      ['forward', () => conv(tf.tensor(xv, xs), tf.tensor(wv, ws))],
      ['dW', () => tf.grad((w: tf.Tensor) => conv(tf.tensor(xv, xs), w).sin().sum())(tf.tensor(wv, ws))],
      ['dx', () => tf.grad((x: tf.Tensor) => conv(x, tf.tensor(wv, ws)).sin().sum())(tf.tensor(xv, xs))],
    ];
    for (const [what, f] of outputs) {
      const r = await threeWays(f);
      assert.ok(maxRelErr(r.native, r.cpu) <= TOL, `${what} vs cpu ${maxRelErr(r.native, r.cpu)}`);
      assert.ok(maxRelErr(r.native, r.fallback) <= TOL, `${what} vs fallback ${maxRelErr(r.native, r.fallback)}`);
    }
  });
}

test('conv2d dx (C kernel, thin and wide paths) keeps Inf/NaN where cpu does: no 0 * Inf from padding channels', async (t) => {
  if (!onWasm()) return t.skip('wasm only');
  for (const [C, O] of [[1, 3], [1, 10], [5, 6]]) {
    const xs = [1, 5, 6, C];
    const ws = [3, 3, C, O];
    const wv = values(ws, 11);
    const yShape = [1, 5, 6, O];
    const dyv = values(yShape, 12);
    dyv[7] = Infinity;
    const f = () => tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(dyv, yShape), filter: tf.tensor(wv, ws) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: xs } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const r = await threeWays(f);
    const cls = (v: Float32Array) => Array.from(v, (z) => (Number.isNaN(z) ? 'nan' : Number.isFinite(z) ? 'num' : String(Math.sign(z))));
    assert.deepEqual(cls(r.native), cls(r.cpu), `C ${C}, O ${O}`);
  }
});

for (const [xs, ws, s] of [[[2, 6, 5, 3], [3, 3, 3, 6], 2], [[1, 7, 7, 1], [5, 5, 1, 4], 2], [[1, 5, 5, 8], [3, 3, 8, 8], 1]] as [number[], number[], number][]) {
  test(`conv2d dW and dx (C kernels) equal finite differences of the loss: x ${JSON.stringify(xs)}, w ${JSON.stringify(ws)}, stride ${s}`, (t) => {
    if (!onWasm()) return t.skip('wasm only');
    const x = tf.tensor(values(xs, 3), xs) as tf.Tensor4D;
    const w = tf.tensor(values(ws, 4), ws) as tf.Tensor4D;
    const lossW = (ww: tf.Tensor) => tf.tidy(() => tf.conv2d(x, ww as tf.Tensor4D, s, 'same').square().sum() as tf.Scalar);
    const lossX = (xx: tf.Tensor) => tf.tidy(() => tf.conv2d(xx as tf.Tensor4D, w, s, 'same').square().sum() as tf.Scalar);
    const gW = tf.tidy(() => Float32Array.from(tf.grad(lossW)(w).dataSync()));
    const gX = tf.tidy(() => Float32Array.from(tf.grad(lossX)(x).dataSync()));
    assert.ok(maxRelErr(gW, finiteDiff(lossW, w, 1e-2)) <= 2e-3, `dW vs finite differences ${maxRelErr(gW, finiteDiff(lossW, w, 1e-2))}`);
    assert.ok(maxRelErr(gX, finiteDiff(lossX, x, 1e-2)) <= 2e-3, `dx vs finite differences ${maxRelErr(gX, finiteDiff(lossX, x, 1e-2))}`);
    tf.dispose([x, w]);
  });
}

// dilation > 1 takes the XNNPACK fallback: tested in kernels.test.ts (Conv2DBackpropFilter honours a dilations attribute)

test('the kernels stay correct after the wasm memory grows (pointers are offsets, re-read per call)', (t) => {
  if (!onWasm()) return t.skip('wasm only');
  const xs = [2, 10, 10, 4];
  const ws = [3, 3, 4, 8];
  const x = tf.tensor(values(xs, 7), xs) as tf.Tensor4D;
  const w = tf.tensor(values(ws, 8), ws);
  const g = () => tf.tidy(() => Float32Array.from(tf.grad((ww: tf.Tensor) => tf.conv2d(x, ww as tf.Tensor4D, 1, 'same').sum())(w).dataSync()));
  const before = g();
  const big = tf.zeros([64 * 1024 * 1024]); // 256 MB: the heap grows
  const after = g();
  big.dispose();
  assert.deepEqual(after, before);
  tf.dispose([x, w]);
});

// MaxPool gradient: first maximum, NaN wins, ties; 2x2 SIMD path, channel remainders, odd sizes,
// and the general window path
const POOL_CASES: [number[], number, number, 'valid' | 'same'][] = [
  [[2, 8, 8, 16], 2, 2, 'valid'],
  [[2, 9, 7, 6], 2, 2, 'valid'],
  [[1, 6, 6, 3], 2, 2, 'same'],
  [[2, 9, 9, 5], 3, 2, 'same'],
  [[1, 10, 8, 4], 3, 3, 'valid'],
];
for (const [xs, size, stride, pad] of POOL_CASES) {
  test(`MaxPool gradient (C kernel) = JS fallback (bit for bit) = cpu: x ${JSON.stringify(xs)}, window ${size}, stride ${stride}, ${pad}`, async (t) => {
    if (!onWasm()) return t.skip('wasm only');
    const xv = values(xs, 9);
    // ties (a window of equal values, and zeros), a NaN
    for (let i = 0; i < xv.length; i += 7) xv[i] = 0.5;
    for (let i = 3; i < xv.length; i += 11) xv[i] = 0;
    xv[5] = NaN;
    const f = () => tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, size, stride, pad).mul(tf.range(1, 1 + tf.util.sizeFromShape(tf.maxPool(x as tf.Tensor4D, size, stride, pad).shape)).reshape(tf.maxPool(x as tf.Tensor4D, size, stride, pad).shape)).sum())(tf.tensor(xv, xs));
    const r = await threeWays(f);
    assert.deepEqual(Array.from(r.native), Array.from(r.fallback));
    assert.deepEqual(Array.from(r.native), Array.from(r.cpu));
  });
}

test('MaxPool gradient (C kernel): a tied 2x2 window sends its gradient to the first cell; sum(dx) = sum(dy)', (t) => {
  if (!onWasm()) return t.skip('wasm only');
  const g = tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid').sum())(tf.zeros([1, 2, 2, 4])).dataSync()));
  assert.deepEqual(g, [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

// ---- csrc/elementwise.c: Sum / Mean over leading axes, per-channel binary ops, one-pass ReLU gradient

test('Sum / Mean over leading axes (C kernel) equal cpu and the fallback; other axes, small and int32 tensors take the fallback', async (t) => {
  if (!onWasm()) return t.skip('wasm backend not active');
  const cases: [number[], number | number[] | undefined, boolean][] = [
    [[8, 16, 18, 32], [0, 1, 2], false],
    [[8, 64, 75, 8], [0, 1, 2], true],
    [[4, 33, 7, 5], [0, 1], false], // C = 35, not a multiple of 4
    [[300, 13], 0, false],
    [[6, 40, 9], [1, 0], false], // axes given out of order
    [[6, 40, 9], [1, 2], false], // trailing axes: tfjs' kernel
    [[6, 40, 9], undefined, false], // all axes: tfjs' kernel
    [[3, 4, 5], [0, 1], false], // small: tfjs' kernel
  ];
  for (const [i, [shape, axis, keepDims]] of cases.entries()) {
    const x = values(shape, 30 + i).map((v) => v + 3); // an offset: float32 accumulation would drift
    for (const op of ['sum', 'mean'] as const) {
      const r = await threeWays(() => tf[op](tf.tensor(x, shape), axis, keepDims));
      const want = tf.tidy(() => tf[op](tf.tensor(x, shape), axis, keepDims).shape);
      assert.equal(r.native.length, tf.util.sizeFromShape(want));
      assert.ok(maxRelErr(r.native, r.cpu) < 1e-6, `${op} [${shape}] axis ${axis}: vs cpu ${maxRelErr(r.native, r.cpu)}`);
      assert.ok(maxRelErr(r.native, r.fallback) < 1e-4, `${op} [${shape}] axis ${axis}: vs fallback ${maxRelErr(r.native, r.fallback)}`);
    }
  }
  // shape and keepDims as tfjs: [8, 64, 75, 8] -> [1, 1, 1, 8]
  assert.deepEqual(tf.tidy(() => tf.sum(tf.ones([8, 64, 75, 8]), [0, 1, 2], true).shape), [1, 1, 1, 8]);
  const ints = tf.tidy(() => tf.sum(tf.ones([40, 40], 'int32'), 0));
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(Array.from(ints.dataSync().slice(0, 3)), [40, 40, 40]);
  ints.dispose();
  // NaN and Inf propagate
  const nan = tf.tidy(() => {
    const v = new Float32Array(64 * 8).fill(1);
    v[8 * 10 + 3] = NaN;
    v[8 * 20 + 5] = Infinity;
    return Array.from(tf.sum(tf.tensor(v, [64, 2, 4]), 0).dataSync());
  });
  assert.ok(Number.isNaN(nan[3]) && nan[5] === Infinity && nan[0] === 64, `NaN / Inf: ${nan}`);
});

test('Multiply / Add / Sub of [..., C] with a [C] or [1, 1, 1, C] vector (C kernel) equal cpu and the fallback, either operand order', async (t) => {
  if (!onWasm()) return t.skip('wasm backend not active');
  const shapes: [number[], number[]][] = [
    [[8, 16, 18, 32], [32]],
    [[8, 64, 75, 8], [1, 1, 1, 8]],
    [[5, 17, 7], [7]], // C = 7
    [[40, 30], [1, 30]],
    [[40, 30], [40, 1]], // not a row vector: tfjs' kernel
    [[8, 16, 18, 32], [8, 16, 18, 32]], // same shape: tfjs' kernel
  ];
  for (const [i, [xs, vs]] of shapes.entries()) {
    const x = values(xs, 50 + i), v = values(vs, 60 + i);
    for (const op of ['mul', 'add', 'sub'] as const) {
      for (const swap of [false, true]) {
        const r = await threeWays(() => {
          const a = tf.tensor(x, xs), b = tf.tensor(v, vs);
          return swap ? tf[op](b, a) : tf[op](a, b);
        });
        assert.ok(maxRelErr(r.native, r.cpu) < 1e-6, `${op} [${xs}] [${vs}] swap ${swap}: vs cpu ${maxRelErr(r.native, r.cpu)}`);
        assert.deepEqual(Array.from(r.native), Array.from(r.fallback), `${op} [${xs}] [${vs}] swap ${swap}: vs fallback`);
      }
    }
  }
  // gradients through the replaced kernels (BatchNorm-like expression) match finite differences
  const xs = [4, 6, 5, 8];
  const x = tf.tensor(values(xs, 70), xs);
  const s = tf.tensor(values([8], 71), [8]), o = tf.tensor(values([8], 72), [8]);
  const f = (t: tf.Tensor) => tf.tidy(() => {
    const m = tf.mean(t, [0, 1, 2]);
    return tf.sum(tf.mul(tf.add(tf.mul(tf.sub(t, m), s), o), tf.sin(t))) as tf.Scalar;
  });
  const g = tf.tidy(() => tf.grad(f)(x).dataSync());
  const fd = finiteDiff(f, x, 1e-2);
  assert.ok(maxRelErr(g, fd) < 2e-2, `gradient vs finite differences: ${maxRelErr(g, fd)}`);
  tf.dispose([x, s, o]);
});

test('ReLU gradient in one pass (C kernel) equals dy * step(x) on cpu (NaN x, 0 * Inf), finite differences, second order, no leaks', async (t) => {
  if (!onWasm()) return t.skip('wasm backend not active');
  const shape = [3, 7, 9, 5];
  const x = values(shape, 80);
  const dy = values(shape, 81);
  x[4] = NaN; x[5] = 0; x[6] = -0; x[7] = 1e-30; x[8] = -1e-30;
  dy[9] = Infinity; x[9] = -1; dy[10] = Infinity; x[10] = 2;
  const r = await threeWays(() => {
    const xt = tf.tensor(x, shape), g = tf.tensor(dy, shape);
    return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), g)))(xt);
  });
  for (const [name, other] of [['cpu', r.cpu], ['fallback', r.fallback]] as const) {
    for (let i = 0; i < x.length; i++) {
      const a = r.native[i], b = other[i];
      assert.ok(Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b)), `vs ${name} at ${i} (x ${x[i]}, dy ${dy[i]}): ${a} vs ${b}`);
    }
  }
  assert.ok(Number.isNaN(r.native[4]) && Number.isNaN(r.native[9]) && r.native[10] === Infinity && r.native[5] === 0 && r.native[7] === dy[7]);
  // finite differences away from the kink
  const xs = tf.tensor(values([2, 4, 4, 3], 82).map((v) => (Math.abs(v) < 0.05 ? v + 0.2 : v)), [2, 4, 4, 3]);
  const w = tf.tensor(values([2, 4, 4, 3], 83), [2, 4, 4, 3]);
  const f = (v: tf.Tensor) => tf.tidy(() => tf.sum(tf.mul(tf.relu(tf.mul(v, v).sub(0.3)), w)) as tf.Scalar);
  const g = tf.tidy(() => tf.grad(f)(xs).dataSync());
  assert.ok(maxRelErr(g, finiteDiff(f, xs, 1e-3)) < 2e-2, 'relu gradient vs finite differences');
  // second order: d/dx sum(relu'(x) * x * w) through the gradient's gradient equals cpu
  const second = () => tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.mul(u, u)), w)))(v), w)))(xs).dataSync());
  const s2 = Float32Array.from(second());
  const s2cpu = await onBackend('cpu', () => Float32Array.from(second()));
  assert.ok(maxRelErr(s2, s2cpu) < 1e-5, `second-order gradient vs cpu ${maxRelErr(s2, s2cpu)}`);
  tf.dispose([xs, w]);
});

test('GatherV2 along axis 0 (block copies) equals cpu for float32 and int32, 2-D indices, repeats; other axes and its gradient unchanged; no leaks', async (t) => {
  if (!onWasm()) return t.skip('wasm backend not active');
  const shape = [12, 5, 7, 2];
  const x = values(shape, 90);
  const cases: [number[], number[]][] = [[[3, 1, 11, 1], [4]], [[0, 5, 5, 2, 9, 7], [2, 3]], [[], [0]]];
  for (const [idx, ishape] of cases) {
    const run = () => tf.tidy(() => {
      const g = tf.gather(tf.tensor(x, shape), tf.tensor(idx, ishape, 'int32'));
      const gi = tf.gather(tf.tensor(x, shape).mul(100).toInt(), tf.tensor(idx, ishape, 'int32'));
      return { f: Array.from(g.dataSync()), i: Array.from(gi.dataSync()), shape: g.shape, idtype: gi.dtype };
    });
    const w = await noLeak(run);
    const c = await onBackend('cpu', run);
    assert.deepEqual(w, c, `indices [${idx}]`);
  }
  const other = () => tf.tidy(() => Array.from(tf.gather(tf.tensor(x, shape), tf.tensor1d([4, 0, 4], 'int32'), 2).dataSync()));
  assert.deepEqual(other(), await onBackend('cpu', other), 'axis 2: tfjs kernel');
  const grad = () => tf.tidy(() => Array.from(tf.grad((v: tf.Tensor) => tf.sum(tf.gather(v, tf.tensor1d([2, 2, 7], 'int32')).mul(tf.range(0, 70).reshape([5, 7, 2]))))(tf.tensor(x, shape)).dataSync()));
  assert.deepEqual(grad(), await onBackend('cpu', grad), 'gradient (UnsortedSegmentSum)');
});
