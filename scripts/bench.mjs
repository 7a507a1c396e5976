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
 * Env: BENCH_TORCH_THREADS (default 1, like the single-threaded wasm backend), BENCH_LIME_SAMPLES
 * (default 256; LIME time is scaled to 8192 samples), BENCH_NO_LEGACY=1, BENCH_REPS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PY = '/usr/bin/python3';
const TORCH_THREADS = Number(process.env.BENCH_TORCH_THREADS ?? 1);
const LIME_SAMPLES = Number(process.env.BENCH_LIME_SAMPLES ?? 256);
const args = process.argv.slice(2);
const profile = args.includes('--profile');
const ALL = ['cnn_adam', 'pgd10', 'ig50', 'lime8192', 'big50', 'spectrogram', 'mer_epoch'];
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
function runTorch(name) {
  if (torchSkip) return null;
  if (!existsSync(PY)) {
    torchSkip = `${PY} not found`;
    return null;
  }
  const p = spawnSync(PY, [join(root, 'bench/torch_ref.py'), name, '--threads', String(TORCH_THREADS), '--lime-samples', String(LIME_SAMPLES)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
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

/** The 30 s log-filtered spectrogram: bench/audio.bench.ts measures ours and torch's; parse its table. */
function runSpectrogram() {
  const rssHook = join(root, 'bench/maxrss.cjs');
  const p = spawnSync(process.execPath, ['--require', rssHook, '--import', 'tsx', join(root, 'bench/audio.bench.ts')], {
    cwd: root,
    env: { ...process.env, REPS: process.env.BENCH_REPS ?? '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (p.status !== 0) throw new Error(`bench: bench/audio.bench.ts failed (exit ${p.status}):\n${p.stdout}\n${p.stderr}`);
  const rows = p.stdout.split('\n').filter((l) => l.startsWith('| logfilt |')).map((l) => l.split('|').map((c) => c.trim()));
  const find = (re) => rows.find((r) => re.test(r[2]));
  const ours = find(/^tfjs .* forward$/);
  const torch = find(/^torch .*forward \(/);
  const rss = /BENCH_MAXRSS_MB (\S+)/.exec(p.stderr);
  const backend = /^tfjs (\S+)/.exec(ours?.[2] ?? '')?.[1] ?? '?';
  return {
    ours: { ms: Number(ours[3]), backend, maxRssMB: rss ? Number(rss[1]) : NaN, tfPeakMB: NaN, wasmHeapMB: NaN, unit: 'log-filtered spectrogram of a 30 s clip (forward, tfjs DFT-as-conv path)' },
    torch: torch ? { ms: Number(torch[3]), threads: 1, torch: /torch (\S+)/.exec(torch[2])?.[1] } : null,
    extra: p.stdout.split('\n').filter((l) => /^\| logfilt \|/.test(l)),
  };
}

console.log(`robustlens bench: ${cpus().length} cores, load average ${load()} (other jobs share these cores: timings are noisy, compare ratios)`);
const rows = [];
for (const name of workloads) {
  let ours, torch;
  let before = null;
  if (name === 'spectrogram') {
    const s = runSpectrogram();
    ours = s.ours;
    torch = s.torch;
    for (const l of s.extra) console.log(`  ${l}`);
  } else {
    ours = runOurs(name, profile && LEGACY.has(name) ? ['--profile'] : []);
    if (LEGACY.has(name)) before = runOurs(name, ['--legacy', ...(profile ? ['--profile'] : [])]);
    torch = runTorch(name);
  }
  const row = {
    workload: name,
    unit: ours.unit,
    backend: ours.backend,
    ours_ms: ours.ms,
    torch_ms: torch?.ms ?? NaN,
    ratio: torch ? ours.ms / torch.ms : NaN,
    before_ms: before?.ms ?? NaN,
    speedup: before ? before.ms / ours.ms : NaN,
    max_rss_mb: ours.maxRssMB,
    tf_peak_mb: ours.tfPeakMB,
    wasm_heap_mb: ours.wasmHeapMB,
    torch_rss_mb: torch?.maxRssMB ?? NaN,
    torch_threads: torch?.threads ?? NaN,
    loadavg: loadavg()[0],
  };
  rows.push(row);
  if (name === 'pgd10') {
    // the same run, per PGD step
    rows.push({ ...row, workload: 'pgd_step', unit: 'one PGD step (PGD-10 / 10)', ours_ms: row.ours_ms / 10, torch_ms: row.torch_ms / 10, before_ms: row.before_ms / 10 });
  }
  const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  console.log(
    `${name}: ours ${f(row.ours_ms)} ms (${row.backend})` +
      (before ? `, before ${f(row.before_ms)} ms (x${f(row.speedup, 2)})` : '') +
      `, torch ${f(row.torch_ms)} ms, ratio ${f(row.ratio, 2)}; load ${load()}; ${((Date.now() - t0) / 1000).toFixed(0)} s so far`,
  );
}
if (torchSkip) console.log(`PyTorch: skipped (${torchSkip}).`);

const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
console.log(`\nbackend: ${rows[0]?.backend}; PyTorch CPU threads: ${TORCH_THREADS}; LIME timed at ${LIME_SAMPLES} samples, scaled to 8192; load average at end ${load()}`);
console.log('| workload | what | ours ms | torch ms | ours/torch | before ms (old kernels) | before/ours | peak RSS MB | tf peak MB | wasm heap MB |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.workload} | ${r.unit} | ${f(r.ours_ms)} | ${f(r.torch_ms)} | ${f(r.ratio, 2)} | ${f(r.before_ms)} | ${f(r.speedup, 2)} | ${f(r.max_rss_mb, 0)} | ${f(r.tf_peak_mb)} | ${f(r.wasm_heap_mb, 0)} |`);
}
const cols = ['workload', 'unit', 'backend', 'ours_ms', 'torch_ms', 'ratio', 'before_ms', 'speedup', 'max_rss_mb', 'tf_peak_mb', 'wasm_heap_mb', 'torch_rss_mb', 'torch_threads', 'loadavg'];
const esc = (v) => (typeof v === 'string' && /[,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : typeof v === 'number' ? (Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '') : String(v));
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/latest.csv'), [cols.join(','), ...rows.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n');
console.log(`\nwrote bench/results/latest.csv (${rows.length} rows) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

