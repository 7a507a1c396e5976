/**
 * The closing "how far to trust this" paragraph of the P2 notebook (Praher et al. 2021, arXiv
 * 2107.09045), built from the study's numbers: how many claim rows hold, on how many adversarial
 * excerpts from how many attacked spans and songs, and why those excerpts are not independent
 * samples (they are overlapping windows of one perturbation per attacked span and domain).
 *
 *   pAdvMedians(study)      median attacked P(sing) per direction, waveform and spectrogram pooled
 *   howFarToTrust(...)      the paragraph (markdown)
 *
 * @example
 *   const pm = pAdvMedians(study);   // { 'no sing->sing': 0.77, 'sing->no sing': 0.19 }
 *   report.markdown(howFarToTrust(study, claims, cfg, { testSongs: 1, trainSongs: 3, detectorError: 0.188 }));
 */
import { median, type Claim } from '../../stats';
import { checkOptions } from '../../engine';
import type { P2Config } from './config';
import { DIRECTIONS, type Direction } from './craftAdversaries';
import type { VeracityStudy } from './studies';

const DOMAINS = ['wave', 'spec'] as const;
const med = (v: number[]) => (v.length ? median(v) : NaN);

/** Median attacked P(sing) per direction over the adversaries of both domains (NaN where there are none). */
export function pAdvMedians(study: Pick<VeracityStudy, 'adversaries'>): Record<Direction, number> {
  return Object.fromEntries(DIRECTIONS.map((d) => [d, med(DOMAINS.flatMap((m) => study.adversaries[d][m].pAdv))])) as Record<Direction, number>;
}

export function howFarToTrust(
  study: Pick<VeracityStudy, 'adversaries' | 'spans'>,
  claims: Claim[],
  cfg: P2Config,
  info: { testSongs: number; trainSongs: number; detectorError: number },
): string {
  checkOptions('howFarToTrust', info, ['testSongs', 'trainSongs', 'detectorError']);
  for (const k of ['testSongs', 'trainSongs'] as const) {
    if (!(Number.isInteger(info[k]) && info[k] >= 0)) throw new Error(`howFarToTrust: ${k} must be a whole number >= 0, got ${info[k]}.`);
  }
  if (!claims.length) throw new Error('howFarToTrust: no claim rows; pass the rows of P2.claims.');
  const nAdv = DIRECTIONS.reduce((s, d) => s + DOMAINS.reduce((t, m) => t + study.adversaries[d][m].refs.length, 0), 0);
  const spansPerDomain = DOMAINS.map((m) => study.spans.filter((s) => s.domain === m).length);
  const pm = pAdvMedians(study);
  const waveSnr = med(DIRECTIONS.flatMap((d) => study.adversaries[d].wave.snrDb));
  const unit = cfg.attack.spanFrames === null ? 'song' : `${cfg.attack.spanFrames}-frame span`;
  const holds = claims.filter((c) => c.verdict === 'holds').length;
  return `**How far to trust this.** ${holds} of ${claims.length} rows hold at scale *${cfg.scale}*, on ` +
    `${nAdv} adversarial excerpts from ${info.testSongs} test song(s) (the paper: up to 10 per file, direction and domain on 16 songs) and LIME with ` +
    `${cfg.lime.nSamples} samples (the paper: 8192). The excerpts are not independent samples: they are overlapping windows of ` +
    `${spansPerDomain[0]} waveform and ${spansPerDomain[1]} spectrogram perturbation(s), one per attacked ${unit}, so the rates describe ` +
    `${info.testSongs === 1 ? 'this one song' : `these ${info.testSongs} songs`}, and the minimum n of each row counts excerpts, not songs. ` +
    `Our detector is narrower (width ${cfg.detector.width}) and trained on ${info.trainSongs} songs, so its error ` +
    `(${(100 * info.detectorError).toFixed(1)} % vs 11.5 %) is higher, and a weaker detector may flip with smaller perturbations (median SNR of our waveform ` +
    `adversaries: ${waveSnr.toFixed(1)} dB), which changes how concentrated the perturbation is and so both LIME and the energy baseline. ` +
    `As the authors, one perturbation per attacked ${unit} runs until every frame flipped (or the step limit; see the spans table) ` +
    `(median attacked P(sing): no sing->sing ${pm['no sing->sing'].toFixed(2)}, sing->no sing ${pm['sing->no sing'].toFixed(2)}). ` +
    "Rates over a handful of examples move in steps of 10-20 points; read them as directions, not as estimates of the paper's percentages.";
}
