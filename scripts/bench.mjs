#!/usr/bin/env node
/**
 * `npm run bench`: robustlens vs PyTorch CPU on the same workloads, in the same command.
 *
 * Each workload runs in its own child process (bench/run.ts under tsx; bench/torch_ref.py under
 * /usr/bin/python3), so each process's RSS high-water mark is that workload's. Prints, per
 * workload: our median ms, PyTorch's median ms, the ratio ours/torch, our peak memory (process
 * RSS high-water mark, tf.profile peak bytes, wasm heap size), and writes bench/results/latest.csv.
 * The small-CNN Adam step and PGD also run with the kernels from before the bench's speed-ups
 * (bench/legacyKernels.ts) for a before/after in the same command.
 *
 *   npm run bench                        # all workloads
 *   npm run bench -- cnn_adam pgd10      # some
 *   npm run bench -- --profile           # plus time per kernel (small CNN step, PGD)
 * PyTorch runs with 2 threads (the reference, both cores) and again with 1 thread (a
 * per-core comparison with the single-threaded wasm backend): ratio is ours / torch at 2 threads,
 * ratio_1t ours / torch at 1 thread.
 * Env: BENCH_TORCH_THREADS (comma list, default "2,1"; the first is the reference), BENCH_LIME_SAMPLES
 * (default 1024, so the worker threads start as in real use; LIME time is scaled to 8192 samples), BENCH_NO_LEGACY=1, BENCH_REPS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PY = '/usr/bin/python3';
const TORCH_THREADS = (process.env.BENCH_TORCH_THREADS ?? '2,1').split(',').map(Number);
if (TORCH_THREADS.some((t) => !Number.isInteger(t) || t < 1)) throw new Error(`bench: BENCH_TORCH_THREADS must be a comma list of positive integers, got "${process.env.BENCH_TORCH_THREADS}"`);
const LIME_SAMPLES = Number(process.env.BENCH_LIME_SAMPLES ?? 1024);
const args = process.argv.slice(2);
const profile = args.includes('--profile');
const ALL = ['cnn_adam', 'pgd10', 'ig50', 'lime8192', 'big50', 'spectrogram', 'mer_epoch'];
// 'spectrogram' gives two rows: the reference path (JS FFT, features) and the differentiable one (tfjs)
const chosen = args.filter((a) => !a.startsWith('--'));
for (const c of chosen) if (!ALL.includes(c)) throw new Error(`bench: unknown workload "${c}"; known: ${ALL.join(', ')}`);
const workloads = chosen.length ? chosen : ALL;
const LEGACY = new Set(process.env.BENCH_NO_LEGACY ? [] : ['cnn_adam', 'pgd10']);
const t0 = Date.now();
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

function parseResult(stdout) {
  const line = (stdout || '').split('\n').reverse().find((l) => l.startsWith('BENCH_RESULT '));
  return line ? JSON.parse(line.slice('BENCH_RESULT '.length)) : null;
}

function runOurs(name, extra = []) {
  const env = { ...process.env, BENCH_LIME_SAMPLES: String(LIME_SAMPLES) };
  const p = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/run.ts'), name, ...extra], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const res = parseResult(p.stdout);
  if (!res) throw new Error(`bench: bench/run.ts ${name} failed (exit ${p.status}):\n${p.stdout}\n${p.stderr}`);
  const text = p.stdout.split('\n').filter((l) => l && !l.startsWith('BENCH_RESULT')).join('\n');
  if (text) console.log(text);
  return res;
}

let torchSkip = null;
function runTorch(name, threads) {
  if (torchSkip) return null;
  if (!existsSync(PY)) {
    torchSkip = `${PY} not found`;
    return null;
  }
  const p = spawnSync(PY, [join(root, 'bench/torch_ref.py'), name, '--threads', String(threads), '--lime-samples', String(LIME_SAMPLES)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const res = parseResult(p.stdout);
  if (!res) {
    console.log(`PyTorch ${name}: failed (exit ${p.status}): ${(p.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
    return null;
  }
  if (res.skip) {
    torchSkip = res.skip;
    return null;
  }
  return res;
}

/**
 * The 30 s log-filtered spectrogram: bench/audio.bench.ts measures ours (reference JS FFT path and
 * differentiable tfjs path) and torch's (each thread count); parse its table.
 */
function runSpectrogram() {
  const rssHook = join(root, 'bench/maxrss.cjs');
  const p = spawnSync(process.execPath, ['--require', rssHook, '--import', 'tsx', join(root, 'bench/audio.bench.ts')], {
    cwd: root,
    env: { ...process.env, REPS: process.env.BENCH_REPS ?? '1', BENCH_TORCH_THREADS: TORCH_THREADS.join(',') },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (p.status !== 0) throw new Error(`bench: bench/audio.bench.ts failed (exit ${p.status}):\n${p.stdout}\n${p.stderr}`);
  const rows = p.stdout.split('\n').filter((l) => l.startsWith('| logfilt |')).map((l) => l.split('|').map((c) => c.trim()));
  const find = (re) => rows.find((r) => re.test(r[2]));
  const diff = find(/^tfjs .* forward$/);
  const ref = find(/^reference JS/);
  const rss = /BENCH_MAXRSS_MB (\S+)/.exec(p.stderr);
  const backend = /^tfjs (\S+)/.exec(diff?.[2] ?? '')?.[1] ?? '?';
  const torch = {};
  for (const t of TORCH_THREADS) {
    const r = find(new RegExp(`^torch .*forward \\(${t} threads?\\)`));
    if (r) torch[t] = { ms: Number(r[3]), threads: t, torch: /torch (\S+)/.exec(r[2])?.[1] };
  }
  const mk = (row, unit) => ({ ms: Number(row[3]), backend, maxRssMB: rss ? Number(rss[1]) : NaN, tfPeakMB: NaN, wasmHeapMB: NaN, unit });
  return {
    ref: mk(ref, 'log-filtered spectrogram of a 30 s clip (reference path: float64 JS FFT, as the notebooks compute features)'),
    diff: mk(diff, 'log-filtered spectrogram of a 30 s clip (differentiable path: tfjs DFT as strided conv, as attacks use)'),
    torch,
    extra: p.stdout.split('\n').filter((l) => /^\| logfilt \|/.test(l)),
  };
}

console.log(`robustlens bench: ${cpus().length} cores, load average ${load()} (other jobs share these cores: timings are noisy, compare ratios)`);
const rows = [];
const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
function addRow(name, ours, torch, before) {
  const t2 = torch[TORCH_THREADS[0]];
  const t1 = TORCH_THREADS.length > 1 ? torch[TORCH_THREADS[1]] : undefined;
  const row = {
    workload: name,
    unit: ours.unit,
    backend: ours.backend,
    ours_ms: ours.ms,
    torch_ms: t2?.ms ?? NaN,
    ratio: t2 ? ours.ms / t2.ms : NaN,
    torch_threads: t2?.threads ?? NaN,
    torch_1t_ms: t1?.ms ?? NaN,
    ratio_1t: t1 ? ours.ms / t1.ms : NaN,
    before_ms: before?.ms ?? NaN,
    speedup: before ? before.ms / ours.ms : NaN,
    max_rss_mb: ours.maxRssMB,
    tf_peak_mb: ours.tfPeakMB,
    wasm_heap_mb: ours.wasmHeapMB,
    torch_rss_mb: t2?.maxRssMB ?? NaN,
    loadavg: loadavg()[0],
  };
  rows.push(row);
  console.log(
    `${name}: ours ${f(row.ours_ms)} ms (${row.backend})` +
      (before ? `, before ${f(row.before_ms)} ms (x${f(row.speedup, 2)})` : '') +
      `, torch ${f(row.torch_ms)} ms (${f(row.torch_threads, 0)} threads), ratio ${f(row.ratio, 2)}` +
      (t1 ? `; torch 1 thread ${f(row.torch_1t_ms)} ms, ratio ${f(row.ratio_1t, 2)}` : '') +
      `; load ${load()}; ${((Date.now() - t0) / 1000).toFixed(0)} s so far`,
  );
  return row;
}
for (const name of workloads) {
  if (name === 'spectrogram') {
    const s = runSpectrogram();
    for (const l of s.extra) console.log(`  ${l}`);
    addRow('spectrogram', s.ref, s.torch, null);
    addRow('spectrogram_diff', s.diff, s.torch, null);
    continue;
  }
  const ours = runOurs(name, profile && LEGACY.has(name) ? ['--profile'] : []);
  const before = LEGACY.has(name) ? runOurs(name, ['--legacy', ...(profile ? ['--profile'] : [])]) : null;
  const torch = {};
  for (const t of TORCH_THREADS) {
    const r = runTorch(name, t);
    if (r) torch[t] = r;
  }
  const row = addRow(name, ours, torch, before);
  if (name === 'pgd10') {
    // the same run, per PGD step
    const per = (v) => v / 10;
    rows.push({ ...row, workload: 'pgd_step', unit: 'one PGD step (PGD-10 / 10)', ours_ms: per(row.ours_ms), torch_ms: per(row.torch_ms), torch_1t_ms: per(row.torch_1t_ms), before_ms: per(row.before_ms) });
  }
}
if (torchSkip) console.log(`PyTorch: skipped (${torchSkip}).`);

console.log(`\nbackend: ${rows[0]?.backend}; PyTorch CPU threads: ${TORCH_THREADS.join(' and ')} (ratio: vs ${TORCH_THREADS[0]}); LIME timed at ${LIME_SAMPLES} samples, scaled to 8192; load average at end ${load()}`);
console.log(`| workload | what | ours ms | torch ms (${TORCH_THREADS[0]} thr) | ours/torch | torch ms (${TORCH_THREADS[1] ?? '-'} thr) | ours/torch | before ms (old kernels) | before/ours | peak RSS MB | tf peak MB | wasm heap MB |`);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.workload} | ${r.unit} | ${f(r.ours_ms)} | ${f(r.torch_ms)} | ${f(r.ratio, 2)} | ${f(r.torch_1t_ms)} | ${f(r.ratio_1t, 2)} | ${f(r.before_ms)} | ${f(r.speedup, 2)} | ${f(r.max_rss_mb, 0)} | ${f(r.tf_peak_mb)} | ${f(r.wasm_heap_mb, 0)} |`);
}
const cols = ['workload', 'unit', 'backend', 'ours_ms', 'torch_ms', 'ratio', 'torch_threads', 'torch_1t_ms', 'ratio_1t', 'before_ms', 'speedup', 'max_rss_mb', 'tf_peak_mb', 'wasm_heap_mb', 'torch_rss_mb', 'loadavg'];
const esc = (v) => (typeof v === 'string' && /[,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : typeof v === 'number' ? (Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '') : String(v));
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/latest.csv'), [cols.join(','), ...rows.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n');
console.log(`\nwrote bench/results/latest.csv (${rows.length} rows) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

