/**
 * CPU-time profile per kernel: wraps every kernel registered for the current backend, runs `fn`
 * once, and returns each kernel's self CPU time (process.cpuUsage, so time other processes take
 * from this machine's cores is not counted, unlike tf.profile's wall times) and call count.
 * Nested kernel calls (a robustlens kernel calling another) are charged to the inner kernel only.
 *
 * @example
 *   const rows = await cpuProfile(() => step());   // [{ kernel, ms, calls }], slowest first
 */
import * as tf from '@tensorflow/tfjs';

export interface KernelCpu {
  kernel: string;
  ms: number;
  calls: number;
}

export async function cpuProfile(fn: () => Promise<void> | void): Promise<{ rows: KernelCpu[]; totalMs: number; kernelMs: number }> {
  const backendName = tf.getBackend();
  const configs = tf.getKernelsForBackend(backendName);
  const stats = new Map<string, { us: number; calls: number }>();
  const stack: number[] = []; // child time accumulated per open frame (us)
  const now = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const wrapped = configs.map((c) => {
    const inner = c.kernelFunc;
    const kernelFunc: tf.KernelFunc = (args) => {
      const t0 = now();
      stack.push(0);
      try {
        return inner(args);
      } finally {
        const dt = now() - t0;
        const child = stack.pop()!;
        if (stack.length) stack[stack.length - 1] += dt;
        const e = stats.get(c.kernelName) ?? { us: 0, calls: 0 };
        e.us += dt - child;
        e.calls++;
        stats.set(c.kernelName, e);
      }
    };
    return { original: c, wrapper: { ...c, kernelFunc } };
  });
  const swap = (to: 'wrapper' | 'original') => {
    for (const w of wrapped) {
      tf.unregisterKernel(w.original.kernelName, backendName);
      tf.registerKernel(w[to]);
    }
  };
  swap('wrapper');
  const t0 = now();
  try {
    await fn();
  } finally {
    swap('original');
  }
  const totalMs = (now() - t0) / 1000;
  const rows = [...stats.entries()].map(([kernel, e]) => ({ kernel, ms: e.us / 1000, calls: e.calls })).sort((a, b) => b.ms - a.ms);
  return { rows, totalMs, kernelMs: rows.reduce((a, r) => a + r.ms, 0) };
}
