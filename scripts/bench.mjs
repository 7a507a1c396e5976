#!/usr/bin/env node
/**
 * `npm run bench`: robustlens vs PyTorch CPU on the same workloads, in the same command.
 *
 * The machine is shared, and PyTorch's own time for one workload has ranged 5x within minutes, so
 * only ratios measured side by side mean anything. Each workload therefore runs in ROUNDS
 * (BENCH_ROUNDS, default 3); one round runs, one after the other, each in its own child process:
 * ours (bench/run.ts under tsx), PyTorch at 2 threads (bench/torch_ref.py under /usr/bin/python3),
 * ours with the kernels from before the speed-ups (--legacy: bench/legacyKernels.ts, C kernels off,
 * ROBUSTLENS_WASM_KERNELS=0 also in worker threads; for the differentiable spectrogram the DFT
 * matmul path instead of the FFT op), PyTorch at 1 thread. Each process reports the median of its
 * repetitions; the table shows the median over rounds of each, and the ratios are the medians
 * of the per-round ratios (each from runs seconds apart), with their range over rounds.
 *
 * PyTorch runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment (they pin
 * an older OpenBLAS kernel on this machine and could flatter us); the BLAS / oneDNN path torch
 * reports (torch.__config__, parallel_info, OpenBLAS' core name) is printed first.
 *
 *   npm run bench                        # all workloads
 *   npm run bench -- cnn_adam pgd10      # some ('spectrogram' = its three rows)
 *   npm run bench -- --profile           # plus CPU time per kernel (first round, ours and legacy)
 * Env: BENCH_ROUNDS (default 3), BENCH_TORCH_THREADS (comma list, default "2,1"; the first is the
 * reference), BENCH_LIME_SAMPLES (default 1024: LIME time scaled to 8192 samples), BENCH_NO_LEGACY=1,
 * BENCH_REPS (repetitions per process). Writes bench/results/latest.csv.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, tmpdir } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PY = '/usr/bin/python3';
const TORCH_THREADS = (process.env.BENCH_TORCH_THREADS ?? '2,1').split(',').map(Number);
if (TORCH_THREADS.some((t) => !Number.isInteger(t) || t < 1)) throw new Error(`bench: BENCH_TORCH_THREADS must be a comma list of positive integers, got "${process.env.BENCH_TORCH_THREADS}"`);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`bench: BENCH_ROUNDS must be a positive integer, got "${process.env.BENCH_ROUNDS}"`);
const LIME_SAMPLES = Number(process.env.BENCH_LIME_SAMPLES ?? 1024);
const args = process.argv.slice(2);
const profile = args.includes('--profile');
const GROUPS = { spectrogram: ['spectrogram', 'spectrogram_diff', 'spectrogram_grad'] };
const ALL = ['cnn_adam', 'pgd10', 'ig50', 'lime8192', 'big50', 'spectrogram', 'mer_epoch'];
const KNOWN = [...ALL, ...GROUPS.spectrogram];
const chosen = args.filter((a) => !a.startsWith('--'));
for (const c of chosen) if (!KNOWN.includes(c)) throw new Error(`bench: unknown workload "${c}"; known: ${KNOWN.join(', ')}`);
const workloads = (chosen.length ? chosen : ALL).flatMap((w) => GROUPS[w] ?? [w]);
// the reference JS spectrogram has no legacy variant (no tfjs kernels)
const hasLegacy = (name) => !process.env.BENCH_NO_LEGACY && name !== 'spectrogram';
const t0 = Date.now();
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const audioDir = mkdtempSync(join(tmpdir(), 'robustlens-bench-audio-'));
process.on('exit', () => rmSync(audioDir, { recursive: true, force: true }));

function parseResult(stdout) {
  const line = (stdout || '').split('\n').reverse().find((l) => l.startsWith('BENCH_RESULT '));
  return line ? JSON.parse(line.slice('BENCH_RESULT '.length)) : null;
}

function runOurs(name, extra = []) {
  const env = { ...process.env, BENCH_LIME_SAMPLES: String(LIME_SAMPLES), BENCH_AUDIO_DIR: audioDir };
  if (extra.includes('--legacy')) env.ROBUSTLENS_WASM_KERNELS = '0'; // worker threads too
  const p = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/run.ts'), name, ...extra], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const res = parseResult(p.stdout);
  if (!res) throw new Error(`bench: bench/run.ts ${name} failed (exit ${p.status}):\n${p.stdout}\n${p.stderr}`);
  const text = p.stdout.split('\n').filter((l) => l && !l.startsWith('BENCH_RESULT')).join('\n');
  if (text) console.log(text);
  return res;
}

/** PyTorch's environment: ours minus the OpenBLAS pins (this command only). */
function torchEnv() {
  const env = { ...process.env, BENCH_AUDIO_DIR: audioDir };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

let torchSkip = null;
function runTorch(name, threads, extra = []) {
  if (torchSkip) return null;
  if (!existsSync(PY)) {
    torchSkip = `${PY} not found`;
    return null;
  }
  const p = spawnSync(PY, [join(root, 'bench/torch_ref.py'), name, '--threads', String(threads), '--lime-samples', String(LIME_SAMPLES), ...extra], { cwd: root, env: torchEnv(), encoding: 'utf8', maxBuffer: 1 << 26 });
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

const median = (v) => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const range = (v) => {
  const s = v.filter(Number.isFinite);
  return s.length ? `${f(Math.min(...s), 2)}-${f(Math.max(...s), 2)}` : '-';
};

console.log(`robustlens bench: ${cpus().length} cores, load average ${load()}; ${ROUNDS} rounds per workload (ours, torch ${TORCH_THREADS[0]} threads, ours before, torch ${TORCH_THREADS.slice(1).join(',') || '-'} thread), medians`);
const info = runTorch('info', TORCH_THREADS[0]);
if (info) {
  console.log(`PyTorch ${info.torch} (env for it: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset; it sees ${JSON.stringify(info.openblas_env)}):`);
  for (const l of info.config ?? []) console.log(`  config: ${l}`);
  for (const l of (info.parallel ?? []).filter((x) => /threads|backend|OpenMP|MKL|oneDNN|MKLDNN/i.test(x))) console.log(`  parallel: ${l}`);
  console.log(`  cpu capability ${info.cpu_capability ?? '?'}; mkldnn (oneDNN) available ${info.mkldnn_available}; OpenBLAS core ${info.openblas_get_corename ?? '-'} (${info.openblas_get_config ?? '-'})`);
  console.log(`  libraries mapped: ${(info.libraries ?? []).join(', ') || '-'}`);
}

const rows = [];
for (const name of workloads) {
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const prof = profile && r === 0 ? ['--profile'] : [];
    const round = { ours: runOurs(name, prof), torch: {}, before: null };
    const t = runTorch(name, TORCH_THREADS[0]);
    if (t) round.torch[TORCH_THREADS[0]] = t;
    if (hasLegacy(name)) round.before = runOurs(name, ['--legacy', ...prof]);
    for (const th of TORCH_THREADS.slice(1)) {
      const t1 = runTorch(name, th);
      if (t1) round.torch[th] = t1;
    }
    rounds.push(round);
    const tr = round.torch[TORCH_THREADS[0]];
    console.log(
      `  ${name} round ${r + 1}/${ROUNDS}: ours ${f(round.ours.ms)} ms, torch ${f(tr?.ms)} ms` +
        (round.before ? `, before ${f(round.before.ms)} ms` : '') +
        `; load ${load()}`,
    );
  }
  const ours = rounds[0].ours;
  const t2 = TORCH_THREADS[0], t1 = TORCH_THREADS[1];
  const oursMs = rounds.map((r) => r.ours.ms);
  const torchMs = rounds.map((r) => r.torch[t2]?.ms ?? NaN);
  const torch1Ms = rounds.map((r) => (t1 ? r.torch[t1]?.ms ?? NaN : NaN));
  const beforeMs = rounds.map((r) => r.before?.ms ?? NaN);
  const ratios = rounds.map((r, i) => oursMs[i] / torchMs[i]);
  const ratios1 = rounds.map((r, i) => oursMs[i] / torch1Ms[i]);
  const speedups = rounds.map((r, i) => beforeMs[i] / oursMs[i]);
  const row = {
    workload: name,
    unit: ours.unit,
    backend: ours.backend,
    rounds: ROUNDS,
    ours_ms: median(oursMs),
    torch_ms: median(torchMs),
    ratio: median(ratios),
    ratio_range: range(ratios),
    torch_threads: rounds[0].torch[t2]?.threads ?? NaN,
    torch_1t_ms: median(torch1Ms),
    ratio_1t: median(ratios1),
    before_ms: median(beforeMs),
    speedup: median(speedups),
    ratio_before: median(rounds.map((r, i) => beforeMs[i] / torchMs[i])),
    max_rss_mb: Math.max(...rounds.map((r) => r.ours.maxRssMB)),
    tf_peak_mb: ours.tfPeakMB,
    wasm_heap_mb: Math.max(...rounds.map((r) => r.ours.wasmHeapMB)),
    torch_rss_mb: rounds[0].torch[t2]?.maxRssMB ?? NaN,
    ours_all: oursMs.map((v) => f(v)).join(' '),
    torch_all: torchMs.map((v) => f(v)).join(' '),
    loadavg: loadavg()[0],
  };
  rows.push(row);
  console.log(
    `${name}: ours ${f(row.ours_ms)} ms (${row.backend})` +
      (Number.isFinite(row.before_ms) ? `, before ${f(row.before_ms)} ms (x${f(row.speedup, 2)} faster; before/torch ${f(row.ratio_before, 2)})` : '') +
      `, torch ${f(row.torch_ms)} ms (${f(row.torch_threads, 0)} threads), ratio ours/torch ${f(row.ratio, 2)} (rounds ${row.ratio_range})` +
      (t1 ? `; torch ${t1} thread ${f(row.torch_1t_ms)} ms, ratio ${f(row.ratio_1t, 2)}` : '') +
      `; ${((Date.now() - t0) / 1000).toFixed(0)} s so far`,
  );
  if (name === 'pgd10') {
    const per = (v) => v / 10;
    rows.push({ ...row, workload: 'pgd_step', unit: 'one PGD step (PGD-10 / 10)', ours_ms: per(row.ours_ms), torch_ms: per(row.torch_ms), torch_1t_ms: per(row.torch_1t_ms), before_ms: per(row.before_ms) });
  }
}
if (torchSkip) console.log(`PyTorch: skipped (${torchSkip}).`);

console.log(`\nbackend: ${rows[0]?.backend}; PyTorch CPU threads: ${TORCH_THREADS.join(' and ')} (ratio: vs ${TORCH_THREADS[0]}); ${ROUNDS} rounds, medians; ratios are medians of per-round ratios; LIME timed at ${LIME_SAMPLES} samples, scaled to 8192; load average at end ${load()}`);
console.log(`| workload | what | ours ms | torch ms (${TORCH_THREADS[0]} thr) | ours/torch | range over rounds | torch ms (${TORCH_THREADS[1] ?? '-'} thr) | ours/torch | before ms | before/ours | before/torch | peak RSS MB | tf peak MB | wasm heap MB |`);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.workload} | ${r.unit} | ${f(r.ours_ms)} | ${f(r.torch_ms)} | ${f(r.ratio, 2)} | ${r.ratio_range} | ${f(r.torch_1t_ms)} | ${f(r.ratio_1t, 2)} | ${f(r.before_ms)} | ${f(r.speedup, 2)} | ${f(r.ratio_before, 2)} | ${f(r.max_rss_mb, 0)} | ${f(r.tf_peak_mb)} | ${f(r.wasm_heap_mb, 0)} |`);
}
const cols = ['workload', 'unit', 'backend', 'rounds', 'ours_ms', 'torch_ms', 'ratio', 'ratio_range', 'torch_threads', 'torch_1t_ms', 'ratio_1t', 'before_ms', 'speedup', 'ratio_before', 'max_rss_mb', 'tf_peak_mb', 'wasm_heap_mb', 'torch_rss_mb', 'ours_all', 'torch_all', 'loadavg'];
const esc = (v) => (typeof v === 'string' && /[,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : typeof v === 'number' ? (Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '') : String(v));
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/latest.csv'), [cols.join(','), ...rows.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n');
console.log(`\nwrote bench/results/latest.csv (${rows.length} rows) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
