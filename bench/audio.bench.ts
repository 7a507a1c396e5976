/**
 * Benchmark: a 30 s clip (22.05 kHz) through P1's log-filtered and P2's mel spectrogram, on the
 * reference JS path (float64 radix-2 FFT), the differentiable tfjs path (DFT as strided conv1d;
 * forward, and forward + gradient to the waveform) and PyTorch CPU (torch.stft; 2 threads, then 1
 * thread: BENCH_TORCH_THREADS, a comma list, first is the reference), printed as a table with
 * ratios to the reference torch forward time. Torch runs via /usr/bin/python3 (skipped with a
 * line if absent). Also checks the tfjs and torch outputs against the reference.
 *
 *   node --import tsx bench/audio.bench.ts
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, Rng } from '../src/lib/engine';
import { makeSpectrogram, spectrogramFromConfig } from '../src/lib/audio';
import { maxRelErr } from '../tests/helpers';

function timeIt(reps: number, f: () => void): number {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

async function main(): Promise<void> {
  const backend = await ready();
  const sr = 22050, n = 30 * sr;
  const r = new Rng(1);
  const x = Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / sr) + 0.2 * Math.sin((2 * Math.PI * 1234.5 * i) / sr) + 0.05 * r.normal());
  const dir = mkdtempSync(join(tmpdir(), 'audio-bench-'));
  writeFileSync(join(dir, 'signal.f32'), Buffer.from(x.buffer));
  const reps = Number(process.env.REPS ?? 3);
  const cfgJson: Record<string, object> = {};
  const rows: { kind: string; path: string; ms: number }[] = [];
  const refs: Record<string, Float32Array> = {};
  for (const kind of ['logfilt', 'mel'] as const) {
    const spec = makeSpectrogram({ kind });
    const c = spec.config;
    writeFileSync(join(dir, `${kind}_fb.f32`), Buffer.from(c.filterbank.weights.data.buffer));
    cfgJson[kind] = { nFft: c.nFft, hop: c.hop, center: c.center, bins: c.filterbank.weights.shape[0], bands: c.filterbank.weights.shape[1], reps };
    let ref = spectrogramFromConfig(x, c);
    rows.push({ kind, path: 'reference JS (float64 FFT)', ms: timeIt(reps, () => { ref = spectrogramFromConfig(x, c); }) });
    refs[kind] = ref.data.slice(Math.floor(ref.shape[0] / 2) * ref.shape[1], (Math.floor(ref.shape[0] / 2) + 1) * ref.shape[1]);
    const w = tf.tensor2d(x, [1, n]);
    let out: Float32Array = new Float32Array();
    rows.push({ kind, path: `tfjs ${backend} forward`, ms: timeIt(reps, () => { out = tf.tidy(() => spec.fn(w).dataSync() as Float32Array); }) });
    const err = maxRelErr(out, ref.data);
    rows.push({ kind, path: `tfjs ${backend} forward+grad`, ms: timeIt(reps, () => { tf.tidy(() => tf.grad((v: tf.Tensor) => spec.fn(v as tf.Tensor2D).sum())(w).dataSync()); }) });
    console.log(`${kind}: frames x bands ${ref.shape.join(' x ')}; tfjs vs reference max relative error ${err.toExponential(2)}`);
    w.dispose();
    spec.dispose();
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfgJson));
  const py = '/usr/bin/python3';
  const torchMs: Record<string, { forward_ms: number; grad_ms: number; first: number[] }> = {};
  if (!existsSync(py)) console.log('PyTorch: skipped (/usr/bin/python3 not found)');
  else {
    const threadList = (process.env.BENCH_TORCH_THREADS ?? '2,1').split(',').map(Number);
    for (const threads of threadList) {
      const p = spawnSync(py, [join(__dirname, 'audio_torch.py'), dir, String(threads)], { encoding: 'utf8' });
      const line = (p.stdout || '').trim().split('\n').pop() || '';
      let res: Record<string, unknown> = {};
      try { res = JSON.parse(line); } catch { console.log(`PyTorch: skipped (no output; ${p.stderr.slice(0, 200)})`); }
      if (res.skip) console.log(`PyTorch: skipped (${res.skip})`);
      for (const kind of ['logfilt', 'mel']) {
        const k = res[kind] as { forward_ms: number; grad_ms: number; first: number[] } | undefined;
        if (!k) continue;
        if (!torchMs[kind]) torchMs[kind] = k; // the first thread count is the reference
        const t = `${res.threads} thread${res.threads === 1 ? '' : 's'}`;
        rows.push({ kind, path: `torch ${res.torch} CPU forward (${t})`, ms: k.forward_ms });
        rows.push({ kind, path: `torch ${res.torch} CPU forward+grad (${t})`, ms: k.grad_ms });
        console.log(`${kind}: torch (${t}) vs reference (middle frame) max relative error ${maxRelErr(k.first, refs[kind]).toExponential(2)}`);
      }
    }
  }
  console.log('\n| spectrogram | path | ms per 30 s clip | x torch forward |');
  console.log('|---|---|---:|---:|');
  for (const row of rows) {
    const base = torchMs[row.kind]?.forward_ms;
    console.log(`| ${row.kind} | ${row.path} | ${row.ms.toFixed(1)} | ${base ? (row.ms / base).toFixed(1) : '-'} |`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
