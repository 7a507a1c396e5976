/**
 * Planted truth for P2's question (Praher et al. 2021, arXiv 2107.09045, Fig. 3): confine the
 * adversarial perturbation to k chosen segments of the 5 x 4 grid, so that the true cause of the
 * flip is known by construction, then ask how many of those k segments an attribution ranks in its
 * top k. Attributions other than LIME are pooled over segments: s_j = sum_{cells in segment j} a.
 *
 * @example
 *   const { segments, masks } = segmentMasks(candidates.length, 3, 7);
 *   // craftAdversaries(..., { domain: 'spec', masks }) ; detectionCount(limeWeights, segments)
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Rng, seedFor } from '../../engine';
import { integratedGradients } from '../../explain';
import { DetectorDomains } from './detector';
import { GRID, limeOffValue, N_SEGMENTS } from './limeVeracity';

/** k random segments per example (seeded) and the matching [115 x 80] 0/1 masks. */
export function segmentMasks(n: number, k: number, seed: number): { segments: number[][]; masks: Float32Array[] } {
  if (!Number.isInteger(k) || k < 1 || k > N_SEGMENTS) throw new Error(`segmentMasks: k must be an integer in [1, ${N_SEGMENTS}], got ${k}.`);
  const segments: number[][] = [];
  const masks: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const rng = new Rng(seedFor(seed, 'segments', k, i));
    const chosen = rng.shuffle(Array.from({ length: N_SEGMENTS }, (_, j) => j)).slice(0, k).sort((a, b) => a - b);
    const set = new Set(chosen);
    segments.push(chosen);
    masks.push(Float32Array.from(GRID, (g) => (set.has(g) ? 1 : 0)));
  }
  return { segments, masks };
}

/** Sum of a map [N, 115, 80, (1)] over each of the 20 segments: [N][20]. */
export function poolSegments(map: tf.Tensor): number[][] {
  const n = map.shape[0];
  const cells = GRID.length;
  if (map.size !== n * cells) throw new Error(`poolSegments: map [${map.shape}] does not hold ${cells} cells per example.`);
  const v = map.dataSync();
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const s = new Array<number>(N_SEGMENTS).fill(0);
    for (let j = 0; j < cells; j++) s[GRID[j]] += v[i * cells + j];
    out.push(s);
  }
  return out;
}

/**
 * Integrated Gradients of P(sing) on standardised excerpts z, from LIME's "off" value (audioLIME's
 * 'mean': the mean of the un-normalised log-mel excerpt, standardised per band) to z, pooled per segment and multiplied by `signs` (+1: towards sing, -1: towards
 * no sing).
 */
export async function pooledIntegratedGradients(d: DetectorDomains, z: tf.Tensor, signs: number[], options: { steps?: number; batchSize?: number } = {}): Promise<number[][]> {
  checkOptions('pooledIntegratedGradients', options, ['steps', 'batchSize']);
  if (signs.length !== z.shape[0]) throw new Error(`pooledIntegratedGradients: ${signs.length} signs for ${z.shape[0]} excerpts.`);
  if (z.shape[0] === 0) return [];
  const baseline = limeOffValue(d, z, 'audioLIME mean');
  try {
    const r = await integratedGradients(d.prob, z, { target: 0, baseline, steps: options.steps ?? 32, rule: 'trapezoid', batchSize: options.batchSize ?? 32 });
    const pooled = poolSegments(r.map);
    r.map.dispose();
    return pooled.map((row, i) => row.map((v) => v * signs[i]));
  } finally {
    baseline.dispose();
  }
}
