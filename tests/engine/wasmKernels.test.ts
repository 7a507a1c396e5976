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
