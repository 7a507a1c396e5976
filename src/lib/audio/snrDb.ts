/**
 * Signal-to-noise ratio of a perturbation in dB (P2, Praher et al., arXiv 2107.09045; P1 reports it too):
 *
 *   SNR(x, xAdv) = 20 log10( ||x||_2 / ||x - xAdv||_2 )
 *
 * Infinity when xAdv equals x. The form for one signal held in plain arrays (float64 sums); for
 * tensor batches the one definition is attacks.perturbationSizes (L2, Linf and this SNR per example).
 *
 * @example
 *   snrDb(x, x.map((v) => v * 1.01)); // 40 dB
 */
export function snrDb(x: ArrayLike<number>, xAdv: ArrayLike<number>): number {
  if (x.length !== xAdv.length) throw new Error(`snrDb: x has ${x.length} samples, xAdv has ${xAdv.length}.`);
  let s = 0, d = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(xAdv[i])) throw new Error(`snrDb: sample ${i} is not finite (x ${x[i]}, xAdv ${xAdv[i]}).`);
    s += x[i] * x[i];
    const e = x[i] - xAdv[i];
    d += e * e;
  }
  return 10 * Math.log10(s / d);
}
