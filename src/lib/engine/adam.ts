/**
 * Adam with each variable's update as one kernel on wasm: bit for bit tfjs' AdamOptimizer (same
 * float32 operations in the same order), but one kernel call per variable instead of about a
 * dozen (Multiply, Add, Square, RealDiv, Sqrt, ...), which is per-op overhead that dominated a P1
 * training step after the convolutions. Other backends (and non-float32 variables) take tfjs'
 * own update.
 *
 *   m' = m b1 + g (1 - b1),  v' = v b2 + g^2 (1 - b2)
 *   w' = (m' / (1 - b1^t)) / (sqrt(v' / (1 - b2^t)) + eps) (-lr) + w      (each step rounded to float32)
 *
 * @example
 *   const opt = adam(1e-3);           // a tf.AdamOptimizer
 *   opt.minimize(() => loss(), false, vars);
 */
import * as tf from '@tensorflow/tfjs';
import { KernelArgs, WasmBackendLike, heapF32 } from './kernels/wasmUtil';

export const ADAM_KERNEL = 'RobustlensAdam';
const f = Math.fround;

interface AdamAttrs {
  beta1: number;
  beta2: number;
  learningRate: number;
  epsilon: number;
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

/** Kernel: inputs {value, m, v, g} (float32, same shape); outputs [value', m', v']. */
export function adamKernel(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackendLike;
  const { value, m, v, g } = args.inputs as Record<'value' | 'm' | 'v' | 'g', tf.TensorInfo>;
  const a = args.attrs as unknown as AdamAttrs;
  const n = tf.util.sizeFromShape(value.shape);
  const outW = backend.makeOutput(value.shape, 'float32');
  const outM = backend.makeOutput(value.shape, 'float32');
  const outV = backend.makeOutput(value.shape, 'float32');
  if (n === 0) return [outW, outM, outV];
  // views after every allocation (allocations can grow the heap)
  const wv = heapF32(backend, value), mv = heapF32(backend, m), vv = heapF32(backend, v), gv = heapF32(backend, g);
  const ow = heapF32(backend, outW), om = heapF32(backend, outM), ov = heapF32(backend, outV);
  // the constants as tfjs makes them: float32 scalars
  const b1 = f(a.beta1), c1 = f(1 - a.beta1), b2 = f(a.beta2), c2 = f(1 - a.beta2);
  const d1 = f(a.oneMinusAccBeta1), d2 = f(a.oneMinusAccBeta2), eps = f(a.epsilon), nlr = f(-a.learningRate);
  for (let i = 0; i < n; i++) {
    const gi = gv[i];
    const m1 = f(f(mv[i] * b1) + f(gi * c1));
    const v1 = f(f(vv[i] * b2) + f(f(gi * gi) * c2));
    const mh = f(m1 / d1);
    const vh = f(v1 / d2);
    // Math.sqrt of a float32 in double, rounded to float32, is the correctly rounded float32 sqrt
    ow[i] = f(f(f(mh / f(f(Math.sqrt(vh)) + eps)) * nlr) + wv[i]);
    om[i] = m1;
    ov[i] = v1;
  }
  return [outW, outM, outV];
}

export const adamKernelConfig: tf.KernelConfig = {
  kernelName: ADAM_KERNEL,
  backendName: 'wasm',
  kernelFunc: adamKernel as unknown as tf.KernelFunc,
};

/** tfjs' AdamOptimizer whose per-variable update is one kernel where ADAM_KERNEL is registered. */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const backendName = tf.getBackend();
    if (tf.getKernel(ADAM_KERNEL, backendName) == null) return super.applyGradients(variableGradients);
    const self = this as unknown as {
      accBeta1: tf.Variable;
      accBeta2: tf.Variable;
      accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
      accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
      learningRate: number;
      beta1: number;
      beta2: number;
      epsilon: number;
    };
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const registered = tf.engine().registeredVariables;
    for (const name of names) {
      if (registered[name]?.dtype !== 'float32') return super.applyGradients(variableGradients);
    }
    tf.tidy(() => {
      const accB1 = self.accBeta1.dataSync()[0], accB2 = self.accBeta2.dataSync()[0];
      const attrs: AdamAttrs = {
        beta1: self.beta1,
        beta2: self.beta2,
        learningRate: self.learningRate,
        epsilon: self.epsilon,
        oneMinusAccBeta1: f(1 - accB1),
        oneMinusAccBeta2: f(1 - accB2),
      };
      names.forEach((name, i) => {
        const value = registered[name];
        if (self.accumulatedFirstMoment[i] == null) {
          self.accumulatedFirstMoment[i] = { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        }
        if (self.accumulatedSecondMoment[i] == null) {
          self.accumulatedSecondMoment[i] = { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        }
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : (variableGradients as tf.NamedTensorMap)[name];
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i].variable;
        const v = self.accumulatedSecondMoment[i].variable;
        const g = gradient.dtype === 'float32' ? gradient : tf.cast(gradient, 'float32');
        const [w1, m1, v1] = tf.engine().runKernel(ADAM_KERNEL, { value, m, v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(m1);
        v.assign(v1);
        value.assign(w1);
      });
      self.accBeta1.assign(tf.scalar(f(accB1 * f(self.beta1))));
      self.accBeta2.assign(tf.scalar(f(accB2 * f(self.beta2))));
    });
    (this as unknown as { incrementIterations(): void }).incrementIterations();
  }
}

/** Adam as tf.train.adam(learningRate, beta1, beta2, epsilon), with the fused update on wasm. */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): tf.AdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon as number);
}
