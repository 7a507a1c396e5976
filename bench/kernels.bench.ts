/**
 * Benchmark: one Adam step of the small CNN (conv 3x3x8 same, relu, maxPool 2, conv 3x3x16, relu,
 * maxPool 2, flatten, dense 10) at batch 64 on the running backend, plus the dW kernel alone
 * against tfjs' cpu Conv2DBackpropFilter in the same process (a ratio, not a timing assertion).
 *
 *   node --import tsx bench/kernels.bench.ts            # default backend (wasm)
 *   ROBUSTLENS_BACKEND=cpu node --import tsx bench/kernels.bench.ts
 */
import * as tf from '@tensorflow/tfjs';
import { ready, Rng } from '../src/lib/engine';

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

function timeIt(reps: number, f: () => void): number {
  f(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

async function main(): Promise<void> {
  const backend = await ready();
  const batch = Number(process.env.BATCH ?? 64);
  const reps = Number(process.env.REPS ?? 10);
  const r = new Rng(0);
  const x = tf.tensor(r.normals(batch * 28 * 28), [batch, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10);
  const model = smallCnn();
  const opt = tf.train.adam(1e-3);
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar);
      (opt as tf.Optimizer).applyGradients(grads);
      value.dataSync();
    });
  const msStep = timeIt(reps, step);
  console.log(`backend ${backend}: small CNN Adam step, batch ${batch}: ${msStep.toFixed(1)} ms/step (mean of ${reps})`);

  // The dW kernel alone, first and second conv layer shapes, this backend vs tfjs' cpu kernel.
  for (const [xs, dys] of [
    [[batch, 28, 28, 1], [batch, 28, 28, 8]],
    [[batch, 14, 14, 8], [batch, 12, 12, 16]],
  ] as const) {
    const fs: [number, number, number, number] = [3, 3, xs[3], dys[3]];
    const pad = xs[1] === dys[1] ? 'same' : 'valid';
    const run = (n: number) => {
      const xt = tf.tensor(r.normals(xs.reduce((a, b) => a * b, 1)), [...xs]);
      const dyt = tf.tensor(r.normals(dys.reduce((a, b) => a * b, 1)), [...dys]);
      const ms = timeIt(n, () =>
        tf.tidy(() =>
          (tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, {
            strides: 1,
            pad,
            dataFormat: 'NHWC',
            filterShape: fs,
          } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync(),
        ),
      );
      tf.dispose([xt, dyt]);
      return ms;
    };
    const here = run(reps);
    const prev = tf.getBackend();
    await tf.setBackend('cpu');
    const cpu = run(1); // tfjs' cpu kernel takes seconds per call at batch 64: one timed call
    await tf.setBackend(prev);
    console.log(
      `Conv2DBackpropFilter x[${xs}] dy[${dys}]: ${backend} ${here.toFixed(2)} ms, cpu ${cpu.toFixed(2)} ms (cpu/${backend} = ${(cpu / here).toFixed(1)}x)`,
    );
  }
  opt.dispose();
  model.dispose();
  tf.dispose([x, y]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
