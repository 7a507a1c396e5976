/**
 * Synthetic singing-voice mixes with frame labels, for P2's singing voice detection (Praher et al.,
 * arXiv 2107.09045). Voice: a harmonic source through formant resonances; accompaniment: chords
 * and drum-like noise bursts.
 *
 *   voice(t) = env(t) sum_h a_h(t) sin(phi_h(t)),   phi_h' = 2 pi h f0(t),
 *   f0(t) = note glide (portamento 40-80 ms) * 2^(v sin(2 pi r t) / 12),  vibrato r 5-6.5 Hz, v 0.2-0.5 semitone
 *   a_h = (1 / h) sum_i g_i / sqrt(1 + ((h f0 - F_i) / (B_i / 2))^2)   (vowel formants F1..F4, /a e i o u/)
 *   env: phrases of 0.6-2 s separated by 0.4-1.5 s silence, syllables 0.15-0.4 s with 30 ms dips
 *   mix = accompaniment + voice * 10^(vocalDb / 20) * rms(acc) / rms(voice while sung), vocalDb ~ U(-3, 6)
 *
 * Label of frame t = 1 if its centre lies inside a sung phrase. Frames follow the P2 mel front-end
 * by default (hop 315, nFft 1024, no centring: centre at t*hop + nFft/2; 70 fps at 22.05 kHz).
 *
 * @example
 *   const d = synthSingingMix(10, { seconds: 4, seed: 3 });
 *   d.labels[0].length === melSpectrogram(d.audio[0]).shape[0]; // true
 */
import { checkOptions, Rng, seedFor } from '../engine';
import { frameCount } from './frameSignal';

export interface SynthSingingOptions {
  /** Default 4. */
  seconds?: number;
  sampleRate?: number;
  seed?: number;
  /** Label frames: default { hop: 315, nFft: 1024, center: false } (P2's mel spectrogram). */
  labelFrames?: { hop?: number; nFft?: number; center?: boolean };
  /** Voice-to-accompaniment level range in dB. Default [-3, 6]. */
  vocalDb?: [number, number];
}

export interface SynthSingingData {
  audio: Float32Array[];
  /** The two stems before mixing (already scaled as in the mix). */
  voice: Float32Array[];
  accompaniment: Float32Array[];
  /** Per clip, 1 = sung frame, 0 = not. */
  labels: Uint8Array[];
  /** Sung phrases [startSec, endSec] per clip. */
  segments: [number, number][][];
  sampleRate: number;
  /** Label frames per second. */
  labelRate: number;
  labelFrames: { hop: number; nFft: number; center: boolean };
}

const VOWELS: [number, number, number, number][] = [
  [730, 1090, 2440, 3400], // a
  [530, 1840, 2480, 3500], // e
  [270, 2290, 3010, 3600], // i
  [570, 840, 2410, 3300], // o
  [300, 870, 2240, 3300], // u
];
const F_GAIN = [1, 0.7, 0.35, 0.2];
const F_BW = [90, 110, 160, 200];

function renderVoice(n: number, sr: number, rng: Rng, seconds: number): { x: Float32Array; segs: [number, number][] } {
  const x = new Float32Array(n);
  const segs: [number, number][] = [];
  let t = rng.uniform() < 0.5 ? rng.range(0.1, 1.0) : 0;
  while (t < seconds - 0.3) {
    const end = Math.min(seconds, t + rng.range(0.6, 2.0));
    segs.push([t, end]);
    t = end + rng.range(0.4, 1.5);
  }
  const base = 50 + rng.int(12); // MIDI around 130-250 Hz
  const vibRate = rng.range(5, 6.5), vibDepth = rng.range(0.2, 0.5);
  const BLOCK = 32;
  const hMax = 40;
  const amps = new Float64Array(hMax);
  for (const [s0, s1] of segs) {
    // syllables
    let ts = s0;
    let prevPitch = base + [0, 2, 4, 5, 7, 9][rng.int(6)];
    let formants = VOWELS[rng.int(5)].slice();
    let phase = 0;
    while (ts < s1) {
      const te = Math.min(s1, ts + rng.range(0.15, 0.4));
      const pitch = base + [0, 2, 4, 5, 7, 9, 12][rng.int(7)];
      const glide = rng.range(0.04, 0.08);
      const target = VOWELS[rng.int(5)];
      const from = formants.slice();
      const i0 = Math.round(ts * sr), i1 = Math.min(n, Math.round(te * sr));
      for (let b = i0; b < i1; b += BLOCK) {
        const tt = b / sr - ts;
        const g = Math.min(1, tt / glide);
        const p = prevPitch + (pitch - prevPitch) * (0.5 - 0.5 * Math.cos(Math.PI * g));
        const fm = Math.min(1, tt / 0.03);
        for (let i = 0; i < 4; i++) formants[i] = from[i] + (target[i] - from[i]) * fm;
        // f0 constant within the block; vibrato sampled per block
        const f0 = 440 * 2 ** ((p - 69 + vibDepth * Math.sin(2 * Math.PI * vibRate * (b / sr))) / 12);
        const H = Math.min(hMax, Math.floor(5000 / f0));
        for (let h = 1; h <= H; h++) {
          let a = 0;
          for (let i = 0; i < 4; i++) a += F_GAIN[i] / Math.sqrt(1 + ((h * f0 - formants[i]) / (F_BW[i] / 2)) ** 2);
          amps[h - 1] = a / h;
        }
        const w = (2 * Math.PI * f0) / sr;
        for (let s = b; s < Math.min(i1, b + BLOCK); s++) {
          const u = s / sr;
          // syllable envelope: 20 ms fade in, 30 ms dip at the end; phrase fades 30 ms
          const env = Math.min(1, (u - ts) / 0.02, (te - u) / 0.03 + 0.15, (u - s0) / 0.03, (s1 - u) / 0.03);
          // sin(h phase) by the Chebyshev recurrence sin((h+1)p) = 2 cos(p) sin(hp) - sin((h-1)p)
          const c2 = 2 * Math.cos(phase);
          let sPrev = 0, sCur = Math.sin(phase), v = 0;
          for (let h = 1; h <= H; h++) {
            v += amps[h - 1] * sCur;
            const sNext = c2 * sCur - sPrev;
            sPrev = sCur;
            sCur = sNext;
          }
          x[s] += Math.max(0, env) * v;
          phase += w;
          if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
        }
      }
      prevPitch = pitch;
      formants = target.slice();
      ts = te;
    }
  }
  return { x, segs };
}

function renderAccompaniment(n: number, sr: number, rng: Rng, seconds: number): Float32Array {
  const x = new Float32Array(n);
  const root = 45 + rng.int(12);
  let t = 0;
  while (t < seconds) {
    const dur = rng.range(1, 2);
    const deg = [0, 5, 7, 9][rng.int(4)];
    const minor = rng.uniform() < 0.5;
    const notes = [root + deg - 12, root + deg, root + deg + (minor ? 3 : 4), root + deg + 7];
    const i0 = Math.round(t * sr), i1 = Math.min(n, Math.round((t + dur) * sr));
    for (const p of notes) {
      const f = 440 * 2 ** ((p - 69) / 12);
      for (let k = 1; k <= 5; k++) {
        const w = (2 * Math.PI * f * k) / sr, a = 0.08 / (k * k);
        const cr = Math.cos(w), ci = Math.sin(w);
        let re = 1, im = 0; // phasor e^{i w (s - i0)}
        for (let s = i0; s < i1; s++) {
          x[s] += a * im * Math.min(1, (s - i0) / 200, (i1 - s) / 200);
          const r2 = re * cr - im * ci;
          im = re * ci + im * cr;
          re = r2;
        }
      }
    }
    t += dur;
  }
  const beat = 60 / rng.range(90, 130);
  for (let b = 0, tb = rng.range(0, 0.2); tb < seconds; b++, tb += beat / 2) {
    const i0 = Math.round(tb * sr);
    const kind = b % 4 === 0 ? 'kick' : b % 4 === 2 ? 'snare' : 'hat';
    const len = Math.round((kind === 'kick' ? 0.15 : kind === 'snare' ? 0.12 : 0.04) * sr);
    let prev = 0;
    for (let j = 0; j < len && i0 + j < n; j++) {
      const e = Math.exp(-j / (len / 4));
      const noise = rng.uniform() * 2 - 1;
      let v: number;
      if (kind === 'kick') v = 0.5 * Math.sin(2 * Math.PI * (50 + 60 * Math.exp(-j / (0.02 * sr))) * (j / sr));
      else if (kind === 'snare') v = 0.2 * noise;
      else { v = 0.12 * (noise - prev); prev = noise; } // first difference: bright hi-hat
      x[i0 + j] += e * v;
    }
  }
  return x;
}

function rms(x: Float32Array, mask?: Uint8Array): number {
  let s = 0, c = 0;
  for (let i = 0; i < x.length; i++) if (!mask || mask[i]) { s += x[i] * x[i]; c++; }
  return c ? Math.sqrt(s / c) : 0;
}

export function synthSingingMix(n: number, options: SynthSingingOptions = {}): SynthSingingData {
  checkOptions('synthSingingMix', options, ['seconds', 'sampleRate', 'seed', 'labelFrames', 'vocalDb']);
  checkOptions('synthSingingMix labelFrames', options.labelFrames, ['hop', 'nFft', 'center']);
  if (!Number.isInteger(n) || n < 0) throw new Error(`synthSingingMix: n must be a non-negative integer, got ${n}.`);
  const seconds = options.seconds ?? 4;
  const sr = options.sampleRate ?? 22050;
  const seed = options.seed ?? 0;
  const [dbLo, dbHi] = options.vocalDb ?? [-3, 6];
  if (!(seconds >= 0.5)) throw new Error(`synthSingingMix: seconds must be at least 0.5, got ${seconds}.`);
  if (!(sr >= 11025)) throw new Error(`synthSingingMix: sampleRate must be at least 11025 (formants up to 3.6 kHz), got ${sr}.`);
  const lf = { hop: options.labelFrames?.hop ?? 315, nFft: options.labelFrames?.nFft ?? 1024, center: options.labelFrames?.center ?? false };
  if (!Number.isInteger(lf.hop) || lf.hop < 1) throw new Error(`synthSingingMix: labelFrames.hop must be a positive integer, got ${lf.hop}.`);
  const len = Math.round(seconds * sr);
  const out: SynthSingingData = { audio: [], voice: [], accompaniment: [], labels: [], segments: [], sampleRate: sr, labelRate: sr / lf.hop, labelFrames: lf };
  for (let c = 0; c < n; c++) {
    const rng = new Rng(seedFor(seed, 'singing', c));
    const { x: voice, segs } = renderVoice(len, sr, rng, seconds);
    const acc = renderAccompaniment(len, sr, rng, seconds);
    const mask = new Uint8Array(len);
    for (const [a, b] of segs) mask.fill(1, Math.round(a * sr), Math.min(len, Math.round(b * sr)));
    const rv = rms(voice, mask), ra = rms(acc);
    const gain = rv > 0 ? (10 ** (rng.range(dbLo, dbHi) / 20) * ra) / rv : 0;
    const mix = new Float32Array(len);
    let peak = 0;
    for (let i = 0; i < len; i++) { voice[i] *= gain; mix[i] = voice[i] + acc[i]; peak = Math.max(peak, Math.abs(mix[i])); }
    const norm = peak > 0.95 ? 0.95 / peak : 1;
    if (norm !== 1) for (let i = 0; i < len; i++) { mix[i] *= norm; voice[i] *= norm; acc[i] *= norm; }
    const T = frameCount(len, lf.nFft, lf.hop, lf.center);
    const labels = new Uint8Array(T);
    for (let t = 0; t < T; t++) {
      const centre = (t * lf.hop + (lf.center ? 0 : lf.nFft / 2)) / sr;
      labels[t] = segs.some(([a, b]) => centre >= a && centre < b) ? 1 : 0;
    }
    out.audio.push(mix);
    out.voice.push(voice);
    out.accompaniment.push(acc);
    out.labels.push(labels);
    out.segments.push(segs);
  }
  return out;
}
