/**
 * A progress display for long loops (epochs, attack iterations): a bar with count, rate and time
 * left, updated in place in the notebook (one display, updated), throttled; a line on stderr
 * outside notebooks when ROBUSTLENS_PROGRESS=1. A bar finished without a single tick (the work was
 * found in the cache: a model loaded instead of trained) shows "<label>: loaded from cache" instead.
 *
 * @example
 *   const bar = report.progress(epochs, 'train A2E');
 *   for (...) { ...; bar.tick({ loss }); }
 *   bar.done();
 */
import { displayBundle, escapeHtml, inNotebook, newDisplayId } from './display';

export interface Progress {
  tick(info?: Record<string, number | string>, n?: number): void;
  done(info?: Record<string, number | string>): void;
  readonly count: number;
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

function fmtInfo(info?: Record<string, number | string>): string {
  if (!info) return '';
  return Object.entries(info)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toPrecision(4)) : v}`)
    .join(', ');
}

/** Text of a progress line (pure; exported for tests). */
export function progressLine(label: string, count: number, total: number, elapsed: number, info?: Record<string, number | string>): string {
  const frac = total > 0 ? Math.min(1, count / total) : 0;
  const width = 24;
  const filled = Math.round(frac * width);
  const rate = elapsed > 0 ? count / elapsed : 0;
  const left = rate > 0 ? (total - count) / rate : NaN;
  const extra = fmtInfo(info);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total} ${(100 * frac).toFixed(0)}% | ${rate.toFixed(2)}/s | ${count >= total ? `took ${fmtSeconds(elapsed)}` : `left ~${fmtSeconds(left)}`}${extra ? ` | ${extra}` : ''}`;
}

/** Text shown by a bar that finished without any step (exported for tests). */
export function cachedLine(label: string): string {
  return `${label}: loaded from cache (nothing to run)`;
}

/** Start a progress display for `total` steps. */
export function progress(total: number, label = 'progress'): Progress {
  if (!(total >= 0)) throw new Error(`report.progress: total must be >= 0, got ${total}`);
  const id = newDisplayId();
  const t0 = Date.now();
  let count = 0;
  let last = 0;
  let shown = false;
  const notebook = inNotebook();
  const verbose = process.env.ROBUSTLENS_PROGRESS === '1';
  const show = (info?: Record<string, number | string>, force = false) => {
    const now = Date.now();
    if (!force && now - last < 500) return;
    last = now;
    const line = force && count === 0 && total > 0 ? cachedLine(label) : progressLine(label, count, total, (now - t0) / 1000, info);
    if (notebook) {
      displayBundle({ 'text/plain': line, 'text/html': `<pre style="margin:0">${escapeHtml(line)}</pre>` }, { id, update: shown });
      shown = true;
    } else if (verbose) process.stderr.write(line + '\n');
  };
  return {
    tick(info, n = 1) {
      count += n;
      show(info);
    },
    done(info) {
      if (count > 0) count = Math.max(count, total);
      show(info, true); // with no tick at all: the cached line
    },
    get count() {
      return count;
    },
  };
}
