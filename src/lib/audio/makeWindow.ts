/**
 * Analysis windows. Periodic (DFT-even, for STFT/overlap-add) or symmetric (numpy's np.hanning,
 * which madmom and Schlueter's singing-voice code use).
 *
 *   hann:     w[n] = 0.5 - 0.5 cos(2 pi n / M)
 *   hamming:  w[n] = 0.54 - 0.46 cos(2 pi n / M)
 *   blackman: w[n] = 0.42 - 0.5 cos(2 pi n / M) + 0.08 cos(4 pi n / M)
 *   rect:     w[n] = 1
 * with M = N (periodic) or N - 1 (symmetric).
 *
 * @example
 *   makeWindow('hann', 2048, { periodic: false }); // == np.hanning(2048)
 */
import { checkOptions } from '../engine';

export type WindowName = 'hann' | 'hamming' | 'blackman' | 'rect';
export const WINDOW_NAMES: readonly WindowName[] = ['hann', 'hamming', 'blackman', 'rect'];

export function makeWindow(name: WindowName, n: number, options: { periodic?: boolean } = {}): Float32Array {
  checkOptions('makeWindow', options, ['periodic']);
  if (!WINDOW_NAMES.includes(name)) throw new Error(`makeWindow: unknown window "${name}". Known: ${WINDOW_NAMES.join(', ')}.`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`makeWindow: length must be a positive integer, got ${n}.`);
  const periodic = options.periodic ?? true;
  const m = periodic ? n : n - 1;
  const w = new Float32Array(n);
  if (m === 0) { w[0] = 1; return w; }
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / m;
    w[i] =
      name === 'hann' ? 0.5 - 0.5 * Math.cos(t) :
      name === 'hamming' ? 0.54 - 0.46 * Math.cos(t) :
      name === 'blackman' ? 0.42 - 0.5 * Math.cos(t) + 0.08 * Math.cos(2 * t) :
      1;
  }
  return w;
}
