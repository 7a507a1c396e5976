/**
 * One robustlens benchmark workload in this process; prints one JSON line (BENCH_RESULT {...}).
 * Called by scripts/bench.mjs (one child process per workload, so the RSS high-water mark is the
 * workload's own).
 *
 *   node --import tsx bench/run.ts <workload> [--legacy] [--profile] [--reps N]
 *
 * --legacy swaps in the kernels from before the bench's speed-ups (bench/legacyKernels.ts) and, for
 * the differentiable spectrogram, the DFT-as-conv1d path (makeSpectrogram method 'dft');
 * --profile prints the CPU time per kernel of one (already warm) repetition (bench/cpuProfile.ts).
 * Workloads and their torch twins (bench/torch_ref.py) share shapes, architecture and seeds.
 */
import * as tf from '@tensorflow/tfjs';
import { useLegacyKernels } from './legacyKernels';
import { cpuProfile } from './cpuProfile';
import { ready, Rng, adam } from '../src/lib/engine';
import { smallCnn, singingVoiceCnn, merCnn } from '../src/lib/models';
import { pgd } from '../src/lib/attacks';
import { integratedGradients, big, lime, audioTimeFreqGrid } from '../src/lib/explain';
import { coalitionStats } from '../src/lib/explain/coalitions';
import { fit, merLoss } from '../src/lib/train';
import { makeSpectrogram, spectrogramFromConfig } from '../src/lib/audio';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Workload {
  /** What one timed repetition is. */
  unit: string;
  /** Default repetitions (after warm-up). */
  reps: number;
  warmup: number;
  /** Builds the state; returns the repetition and a disposer. */
  setup(): Promise<{ run: () => Promise<void>; dispose: () => void; note?: string }>;
  /** Divide the repetition's time by this for the reported number (e.g. per PGD step). */
  per?: number;
}

const SEED = 1;
const normals = (n: number, seed: number) => new Rng(seed).normals(n);
const uniforms = (n: number, seed: number) => new Rng(seed).uniforms(n);
const labels = (n: number, k: number) => Array.from({ length: n }, (_, i) => i % k);

/** The brief's small CNN: conv3x3x16 same + relu, pool 2, conv3x3x32 same + relu, pool 2, dense 10. */
const cnn = () => smallCnn({ inputShape: [28, 28, 1], classes: 10, hidden: 0, seed: SEED });

const cnnAdam: Workload = {
  unit: 'Adam step, batch 64',
  reps: 15,
  warmup: 3,
  async setup() {
    const model = cnn();
    const x = tf.tensor(uniforms(64 * 784, SEED), [64, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(labels(64, 10), 'int32'), 10);
    // the library's Adam (engine.adam, fused update on wasm); before: tfjs' own
    const opt = legacyMode ? tf.train.adam(1e-3) : adam(1e-3);
    return {
      run: async () => {
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar);
          opt.applyGradients(grads);
          value.dataSync();
        });
      },
      dispose: () => { opt.dispose(); model.dispose(); tf.dispose([x, y]); },
    };
  },
};

function pgdWorkload(steps: number, reps: number): Workload {
  return {
    unit: `PGD-${steps} Linf (eps 0.3, random start), batch 64`,
    reps,
    warmup: 1,
    per: 1,
    async setup() {
      const model = cnn();
      const x = tf.tensor(uniforms(64 * 784, SEED), [64, 28, 28, 1]);
      const y = tf.tensor1d(labels(64, 10), 'int32');
      return {
        run: async () => {
          const r = await pgd(model, x, y, { eps: 0.3, norm: 'linf', steps, seed: SEED });
          r.xAdv.dispose();
        },
        dispose: () => { model.dispose(); tf.dispose([x, y]); },
      };
    },
  };
}

const ig: Workload = {
  unit: 'Integrated Gradients, 50 steps, batch 16 (small CNN)',
  reps: 5,
  warmup: 1,
  async setup() {
    const model = cnn();
    const x = tf.tensor(uniforms(16 * 784, SEED), [16, 28, 28, 1]);
    return {
      run: async () => {
        const r = await integratedGradients(model, x, { target: labels(16, 10), steps: 50 });
        r.map.dispose();
      },
      dispose: () => { model.dispose(); x.dispose(); },
    };
  },
};

const bigW: Workload = {
  unit: 'BIG, 50 steps, batch 16 (small CNN, given boundary point)',
  reps: 5,
  warmup: 1,
  async setup() {
    const model = cnn();
    const x = tf.tensor(uniforms(16 * 784, SEED), [16, 28, 28, 1]);
    const boundary = tf.tidy(() => x.add(tf.tensor(normals(16 * 784, SEED + 1), x.shape).mul(0.1)).clipByValue(0, 1));
    return {
      run: async () => {
        const r = await big(model, x, { target: labels(16, 10), boundary, steps: 50 });
        r.map.dispose();
      },
      dispose: () => { model.dispose(); tf.dispose([x, boundary]); },
    };
  },
};

/** LIME samples: 8192 in the paper; BENCH_LIME_SAMPLES lowers it (the time is scaled back to 8192). */
export const LIME_SAMPLES = Number(process.env.BENCH_LIME_SAMPLES ?? 1024);
const LIME_UNIT = `LIME 8192 samples (timed: ${LIME_SAMPLES}, scaled), one 115x80 excerpt, singingVoiceCnn width 1`;
const limeW: Workload = {
  unit: LIME_UNIT,
  reps: 1,
  warmup: 0,
  per: LIME_SAMPLES / 8192,
  async setup() {
    const model = singingVoiceCnn({ width: 1, seed: SEED });
    const x = tf.tensor(normals(115 * 80, SEED), [1, 115, 80, 1]);
    const segments = audioTimeFreqGrid(115, 80);
    // one tiny warm-up pass (kernel set-up) outside the timing
    const warm = await lime(model, x, { target: 0, segments, nSamples: 8, seed: SEED, batchSize: 256 });
    warm.map.dispose();
    return {
      run: async () => {
        // default workers: 'auto' (worker threads beside the main thread once the work pays for them)
        const before = coalitionStats.workerRows;
        const r = await lime(model, x, { target: 0, segments, nSamples: LIME_SAMPLES, seed: SEED, batchSize: 256 });
        r.map.dispose();
        const inWorkers = coalitionStats.workerRows - before;
        limeW.unit = `${LIME_UNIT}, workers 'auto': ${
          inWorkers > 0 ? `main + ${coalitionStats.workers} worker thread(s), ${inWorkers} of ${LIME_SAMPLES} samples in workers` : 'main thread only'
        }`;
      },
      dispose: () => { model.dispose(); x.dispose(); },
    };
  },
};

const merEpoch: Workload = {
  unit: 'one epoch, merCnn A2M2E width 1/8, 128x149, 288 examples, batch 8',
  reps: 1,
  warmup: 0,
  async setup() {
    const model = merCnn({ head: 'A2M2E', width: 1 / 8, inputShape: [128, 149, 1], seed: SEED });
    const x = tf.tensor(normals(288 * 128 * 149, SEED), [288, 128, 149, 1]);
    const y = tf.tensor(uniforms(288 * 15, SEED + 1), [288, 15]);
    // warm-up: 4 steps on the first 32 examples (kernel set-up) outside the timing
    const xs = x.slice(0, 32);
    const ys = y.slice(0, 32);
    await fit(model, { x: xs, y: ys }, { epochs: 1, batchSize: 8, loss: merLoss({ w: 0.5 }), seed: SEED });
    tf.dispose([xs, ys]);
    return {
      run: async () => {
        await fit(model, { x, y }, { epochs: 1, batchSize: 8, loss: merLoss({ w: 0.5 }), seed: SEED });
      },
      dispose: () => { model.dispose(); tf.dispose([x, y]); },
    };
  },
};

/**
 * The 30 s clip (22.05 kHz: two tones and noise) through P1's log-filtered spectrogram. With
 * BENCH_AUDIO_DIR set, setup writes the signal, filterbank and config there for the torch twin
 * (bench/torch_ref.py spectrogram*), which reads them (so both compute the same thing).
 */
/** Set by --legacy: workloads with a pre-speed-up path of their own (the spectrogram's DFT) take it. */
let legacyMode = false;

function spectrogramSignal(): Float32Array {
  const sr = 22050, n = 30 * sr;
  const r = new Rng(1);
  return Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / sr) + 0.2 * Math.sin((2 * Math.PI * 1234.5 * i) / sr) + 0.05 * r.normal());
}

function writeAudioDir(x: Float32Array, spec: ReturnType<typeof makeSpectrogram>): void {
  const dir = process.env.BENCH_AUDIO_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const c = spec.config;
  writeFileSync(join(dir, 'signal.f32'), Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  const fb = c.filterbank.weights.data;
  writeFileSync(join(dir, 'fb.f32'), Buffer.from(fb.buffer, fb.byteOffset, fb.byteLength));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ nFft: c.nFft, hop: c.hop, center: c.center, bins: c.filterbank.weights.shape[0], bands: c.filterbank.weights.shape[1], log: c.log }));
}

function spectrogramWorkload(path: 'reference' | 'forward' | 'grad'): Workload {
  const what = { reference: 'reference path: float64 JS FFT, as the notebooks compute features', forward: 'differentiable tfjs path, forward (as attacks use)', grad: 'differentiable tfjs path, forward + gradient to the waveform' }[path];
  return {
    unit: `log-filtered spectrogram of a 30 s clip (${what})`,
    reps: 3,
    warmup: 1,
    async setup() {
      const x = spectrogramSignal();
      // before the speed-ups: the DFT as a strided conv1d (method 'dft'); now the FFT op (default)
      const spec = makeSpectrogram({ kind: 'logfilt', ...(legacyMode && path !== 'reference' ? { method: 'dft' as const } : {}) });
      writeAudioDir(x, spec);
      const w = tf.tensor2d(x, [1, x.length]);
      const run = {
        reference: async () => { spectrogramFromConfig(x, spec.config); },
        forward: async () => { tf.tidy(() => { spec.fn(w).dataSync(); }); },
        grad: async () => { tf.tidy(() => { tf.grad((v: tf.Tensor) => spec.fn(v as tf.Tensor2D).sum())(w).dataSync(); }); },
      }[path];
      return { run, dispose: () => { w.dispose(); spec.dispose(); } };
    },
  };
}

export const WORKLOADS: Record<string, Workload> = {
  spectrogram: spectrogramWorkload('reference'),
  spectrogram_diff: spectrogramWorkload('forward'),
  spectrogram_grad: spectrogramWorkload('grad'),
  cnn_adam: cnnAdam,
  pgd10: pgdWorkload(10, 5),
  ig50: ig,
  lime8192: limeW,
  big50: bigW,
  mer_epoch: merEpoch,
};

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args[0];
  const w = WORKLOADS[name];
  if (!w) throw new Error(`bench/run.ts: unknown workload "${name}"; known: ${Object.keys(WORKLOADS).join(', ')}`);
  const legacy = args.includes('--legacy');
  const profile = args.includes('--profile');
  const ri = args.indexOf('--reps');
  const reps = ri >= 0 ? Number(args[ri + 1]) : Number(process.env.BENCH_REPS ?? w.reps);
  const backend = await ready();
  if (legacy) useLegacyKernels();
  legacyMode = legacy;
  const { run, dispose } = await w.setup();
  for (let i = 0; i < w.warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await run();
    times.push((performance.now() - t0) / (w.per ?? 1));
  }
  // tf's own peak bytes during one more repetition (not timed)
  let tfPeakBytes = 0;
  if (!profile) {
    const info = await tf.profile(run);
    tfPeakBytes = info.peakBytes;
  } else {
    const info = await tf.profile(run);
    tfPeakBytes = info.peakBytes;
    // CPU time per kernel (wall-clock kernel times are dominated by other processes on a shared machine)
    const prof = await cpuProfile(run);
    console.log(
      `CPU profile of one ${w.unit} (${backend}${legacy ? ', legacy kernels' : ''}): ${prof.totalMs.toFixed(1)} ms CPU, ` +
        `${prof.kernelMs.toFixed(1)} ms in kernels, ${(prof.totalMs - prof.kernelMs).toFixed(1)} ms outside them (JS, tape, GC); median wall ${median(times).toFixed(1)} ms`,
    );
    for (const r of prof.rows.slice(0, 18)) {
      console.log(`  ${r.kernel.padEnd(28)} ${r.ms.toFixed(2).padStart(8)} ms ${((100 * r.ms) / prof.totalMs).toFixed(1).padStart(5)}%  x${r.calls}`);
    }
  }
  let wasmHeapBytes = 0;
  if (backend === 'wasm') {
    const b = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
    wasmHeapBytes = b.wasm?.HEAPU8?.length ?? 0;
  }
  dispose();
  const out = {
    workload: name,
    unit: w.unit,
    backend,
    legacy,
    reps,
    ms: median(times),
    msAll: times.map((t) => Math.round(t * 10) / 10),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    tfPeakMB: tfPeakBytes / 2 ** 20,
    wasmHeapMB: wasmHeapBytes / 2 ** 20,
  };
  console.log(`BENCH_RESULT ${JSON.stringify(out)}`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
