/**
 * The scale knob every notebook reads: ROBUSTLENS_SCALE = smoke | demo | paper (default demo).
 * smoke: tiny data, seconds per notebook (tests); demo: real results on a laptop CPU;
 * paper: the paper's sizes (needs the real data sets and time).
 *
 * @example
 *   const cfg = papers.byScale({ smoke: { epochs: 1 }, demo: { epochs: 20 }, paper: { epochs: 199 } });
 */
export const SCALES = ['smoke', 'demo', 'paper'] as const;
export type Scale = (typeof SCALES)[number];

/** The scale in force; an unknown value is an error listing the valid ones. */
export function scale(env: NodeJS.ProcessEnv = process.env): Scale {
  const raw = (env.ROBUSTLENS_SCALE ?? '').trim().toLowerCase();
  if (raw === '') return 'demo';
  if ((SCALES as readonly string[]).includes(raw)) return raw as Scale;
  throw new Error(`ROBUSTLENS_SCALE="${env.ROBUSTLENS_SCALE}" is not a scale. Valid: ${SCALES.join(', ')} (default demo).`);
}

/** Pick the value for the scale in force. */
export function byScale<T>(values: Record<Scale, T>, s: Scale = scale()): T {
  return values[s];
}
