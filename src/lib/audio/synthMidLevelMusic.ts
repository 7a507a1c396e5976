/**
 * Synthetic music clips with planted mid-level truth, for P1's audio -> mid-level -> emotion chain
 * (Hoedt, Flexer, Widmer, arXiv 2508.03780). Each clip's generator is driven by the seven mid-level
 * qualities m in [0,1]^7, each mapped to something audible:
 *
 *   melodiousness        P(melody moves by one scale step) = 0.15 + 0.8 m, else a leap of 3-7 steps
 *   articulation         note gate = (0.95 - 0.75 m) of the inter-onset interval; attack 2 + 60 (1 - m) ms
 *   rhythmicStability    onset jitter sd = 0.3 (1 - m) sixteenths; tempo random walk sd 3 (1 - m) % per beat
 *   rhythmicComplexity   P(onset) on beat 0.95 - 0.4 m, on the 8th 0.2 + 0.6 m, on 16ths 0.05 + 0.55 m
 *   dissonance           P(second voice at a minor 2nd / tritone / major 7th) = m (else a 3rd/6th/5th
 *                        w.p. 0.5); partial inharmonicity B = 0.002 m (f_k = k f0 sqrt(1 + B k^2));
 *                        a semitone cluster tone added to the chord w.p. m
 *   tonalStability       per half-bar P(key change) = 0.5 (1 - m); per note P(chromatic alteration) = 0.35 (1 - m);
 *                        melody pulled to the tonic chord with weight m
 *   minorness            per half-bar P(minor mode: lowered 3rd, 6th, 7th in melody and chords) = m
 *
 * plus nuisance variation (tempo 80-140 bpm, key, timbre brightness) and loudness normalised to
 * RMS 0.1. The eight emotion ratings are a fixed linear function of the seven plus noise:
 *
 *   e = clip( bias + W (m - 0.5) + N(0, noiseSd^2), 0, 1 )      (W, bias in EMOTION_WEIGHTS)
 *
 * Same seed, same clips (clip i depends only on seed and i). About 20-40 ms per 3 s clip.
 *
 * @example
 *   const d = synthMidLevelMusic(100, { seconds: 3, seed: 1 });
 *   d.audio[0];      // Float32Array, 66150 samples at 22.05 kHz
 *   d.midLevel[0];   // 7 controls;  d.emotions[0]: 8 ratings
 */
import { checkOptions, Rng, seedFor } from '../engine';

export const MID_LEVEL_NAMES = ['melodiousness', 'articulation', 'rhythmicStability', 'rhythmicComplexity', 'dissonance', 'tonalStability', 'minorness'] as const;
export const EMOTION_NAMES = ['valence', 'energy', 'tension', 'anger', 'fear', 'happy', 'sad', 'tender'] as const;

/** e = clip(bias + weights (m - 0.5) + noise); rows: emotions, columns: mid-level qualities. */
export const EMOTION_WEIGHTS = {
  bias: [0.5, 0.5, 0.5, 0.3, 0.3, 0.45, 0.4, 0.4],
  weights: [
    //  mel    art  rStab  rComp  diss  tonal  minor
    [0.25, 0.05, 0.0, 0.0, -0.25, 0.15, -0.35], // valence
    [-0.1, 0.35, 0.0, 0.3, 0.1, 0.0, 0.0], // energy
    [-0.1, 0.1, -0.15, 0.2, 0.35, -0.25, 0.1], // tension
    [-0.2, 0.25, 0.0, 0.1, 0.3, -0.05, 0.05], // anger
    [-0.1, 0.0, -0.25, 0.05, 0.3, -0.15, 0.2], // fear
    [0.15, 0.2, 0.05, 0.05, -0.15, 0.05, -0.35], // happy
    [0.1, -0.25, 0.0, -0.2, -0.05, 0.0, 0.35], // sad
    [0.3, -0.3, 0.1, -0.1, -0.25, 0.05, 0.0], // tender
  ],
} as const;

export interface SynthMidLevelOptions {
  /** Clip length in seconds. Default 3. */
  seconds?: number;
  sampleRate?: number;
  seed?: number;
  /** Sd of the Gaussian noise on the emotion ratings. Default 0.05. */
  noiseSd?: number;
  /** Use these controls (n x 7, in [0, 1]) instead of drawing them uniformly. */
  midLevel?: number[][];
}

export interface SynthMidLevelData {
  audio: Float32Array[];
  sampleRate: number;
  midLevel: number[][];
  emotions: number[][];
  midLevelNames: string[];
  emotionNames: string[];
  emotionWeights: { bias: number[]; weights: number[][]; noiseSd: number };
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];

/** Pitch (MIDI) of scale degree d (any integer) in a key/mode. */
function degreePitch(tonic: number, minor: boolean, d: number): number {
  const sc = minor ? MINOR : MAJOR;
  const oct = Math.floor(d / 7);
  return tonic + 12 * oct + sc[((d % 7) + 7) % 7];
}

const midiHz = (p: number) => 440 * 2 ** ((p - 69) / 12);

/** Add an additive-synthesis note into out. */
function addNote(out: Float32Array, sr: number, t0: number, dur: number, hz: number, amp: number, attack: number, partials: number, tilt: number, B: number): void {
  const release = 0.012;
  const s0 = Math.max(0, Math.round(t0 * sr));
  const s1 = Math.min(out.length, Math.round((t0 + dur + release) * sr));
  const amps: number[] = [], ws: number[] = [];
  for (let k = 1; k <= partials; k++) {
    const f = k * hz * Math.sqrt(1 + B * k * k);
    if (f >= sr / 2 - 200) break;
    amps.push(amp / k ** tilt);
    ws.push((2 * Math.PI * f) / sr);
  }
  // Partials as rotating phasors (no per-sample sin), envelope by recursion (no per-sample exp).
  const P = ws.length;
  const cr = new Float64Array(P), ci = new Float64Array(P), re = new Float64Array(P), im = new Float64Array(P);
  for (let k = 0; k < P; k++) { cr[k] = Math.cos(ws[k]); ci[k] = Math.sin(ws[k]); re[k] = 1; im[k] = 0; }
  const decay = Math.exp(-1 / (0.6 * sr));
  let sustain = 1;
  for (let s = s0; s < s1; s++) {
    const t = s / sr - t0;
    let env = t < attack ? t / attack : (sustain *= decay);
    if (t > dur) env *= Math.max(0, 1 - (t - dur) / release);
    let v = 0;
    for (let k = 0; k < P; k++) {
      v += amps[k] * im[k];
      const r2 = re[k] * cr[k] - im[k] * ci[k];
      im[k] = re[k] * ci[k] + im[k] * cr[k];
      re[k] = r2;
    }
    out[s] += env * v;
  }
}

function clip01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** Render one clip from its seven controls. */
export function renderMidLevelClip(m: readonly number[], seconds: number, sr: number, seed: number): Float32Array {
  const [mel, art, rStab, rComp, diss, tonal, minorness] = m;
  const rng = new Rng(seed);
  const n = Math.round(seconds * sr);
  const out = new Float32Array(n);
  const bpm = rng.range(80, 140);
  let beat = 60 / bpm;
  let tonic = 57 + rng.int(12);
  const brightness = rng.range(0.8, 1.6); // spectral tilt exponent (nuisance)
  const B = 0.002 * diss;
  const pOn = [0.95 - 0.4 * rComp, 0.05 + 0.55 * rComp, 0.2 + 0.6 * rComp, 0.05 + 0.55 * rComp];
  // Onset times on a jittered 16th grid, with the mode/key of each half-bar.
  type Seg = { t: number; tonic: number; minor: boolean; chordDeg: number };
  const segs: Seg[] = [];
  const onsets: { t: number; seg: number }[] = [];
  let t = 0.02;
  let b = 0;
  while (t < seconds) {
    if (b % 2 === 0) {
      if (segs.length > 0 && rng.uniform() < 0.5 * (1 - tonal)) tonic = 57 + ((tonic - 57 + [1, -1, 2, -2, 5, 7, 6][rng.int(7)] + 12) % 12);
      segs.push({ t, tonic, minor: rng.uniform() < minorness, chordDeg: [0, 3, 4, 5, 0][rng.int(5)] });
    }
    const sixteenth = beat / 4;
    for (let q = 0; q < 4; q++) {
      if (rng.uniform() < pOn[q]) {
        const jit = rng.normal(0, 0.3 * (1 - rStab) * sixteenth);
        onsets.push({ t: Math.max(0, t + q * sixteenth + jit), seg: segs.length - 1 });
      }
    }
    t += beat;
    b++;
    beat *= 1 + rng.normal(0, 0.03 * (1 - rStab));
    beat = Math.min(Math.max(beat, 60 / 180), 60 / 60);
  }
  onsets.sort((a, c) => a.t - c.t);
  // Chords: pad triad (+ cluster tone w.p. dissonance) and bass, per half-bar.
  for (let s = 0; s < segs.length; s++) {
    const g = segs[s];
    const end = s + 1 < segs.length ? segs[s + 1].t : seconds;
    const dur = Math.max(0.05, end - g.t);
    const root = g.chordDeg;
    for (const d of [root, root + 2, root + 4]) addNote(out, sr, g.t, dur, midiHz(degreePitch(g.tonic - 12, g.minor, d)), 0.07, 0.03, 5, 1.5 * brightness, B);
    addNote(out, sr, g.t, dur, midiHz(degreePitch(g.tonic - 24, g.minor, root)), 0.1, 0.01, 4, 1.5 * brightness, B);
    if (rng.uniform() < diss) addNote(out, sr, g.t, dur, midiHz(degreePitch(g.tonic - 12, g.minor, root) + 1), 0.07, 0.03, 5, 1.5 * brightness, B);
  }
  // Melody over the onsets.
  let deg = rng.int(5);
  for (let i = 0; i < onsets.length; i++) {
    const o = onsets[i];
    const g = segs[o.seg];
    const next = i + 1 < onsets.length ? onsets[i + 1].t : Math.min(seconds, o.t + beat);
    const ioi = Math.max(0.04, next - o.t);
    if (rng.uniform() < 0.15 + 0.8 * mel) deg += rng.uniform() < 0.5 ? 1 : -1;
    else deg += (rng.uniform() < 0.5 ? 1 : -1) * (3 + rng.int(5));
    if (rng.uniform() < tonal * 0.5) {
      // pull to the nearest chord tone of the tonic triad (degrees 0, 2, 4 mod 7)
      const r = ((deg % 7) + 7) % 7;
      deg += r === 1 || r === 3 ? -1 : r === 5 ? -1 : r === 6 ? 1 : 0;
    }
    if (deg > 11) deg -= 7;
    if (deg < -3) deg += 7;
    let pitch = degreePitch(g.tonic, g.minor, deg);
    if (rng.uniform() < 0.35 * (1 - tonal)) pitch += rng.uniform() < 0.5 ? 1 : -1;
    const gate = (0.95 - 0.75 * art) * ioi;
    const attack = 0.002 + 0.06 * (1 - art);
    addNote(out, sr, o.t, gate, midiHz(pitch), 0.25, attack, 8, brightness, B);
    const u = rng.uniform();
    if (u < diss) addNote(out, sr, o.t, gate, midiHz(pitch + [1, 6, 11][rng.int(3)]), 0.15, attack, 8, brightness, B);
    else if (rng.uniform() < 0.5) addNote(out, sr, o.t, gate, midiHz(pitch - [3, 4, 7][rng.int(3)]), 0.15, attack, 8, brightness, B);
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += out[i] * out[i];
  const g = ss > 0 ? 0.1 / Math.sqrt(ss / n) : 1;
  for (let i = 0; i < n; i++) out[i] = Math.max(-1, Math.min(1, out[i] * g));
  return out;
}

export function synthMidLevelMusic(n: number, options: SynthMidLevelOptions = {}): SynthMidLevelData {
  checkOptions('synthMidLevelMusic', options, ['seconds', 'sampleRate', 'seed', 'noiseSd', 'midLevel']);
  if (!Number.isInteger(n) || n < 0) throw new Error(`synthMidLevelMusic: n must be a non-negative integer, got ${n}.`);
  const seconds = options.seconds ?? 3;
  const sr = options.sampleRate ?? 22050;
  const seed = options.seed ?? 0;
  const noiseSd = options.noiseSd ?? 0.05;
  if (!(seconds > 0)) throw new Error(`synthMidLevelMusic: seconds must be positive, got ${seconds}.`);
  if (!(sr >= 8000)) throw new Error(`synthMidLevelMusic: sampleRate must be at least 8000, got ${sr}.`);
  if (!(noiseSd >= 0)) throw new Error(`synthMidLevelMusic: noiseSd must be >= 0, got ${noiseSd}.`);
  if (options.midLevel) {
    if (options.midLevel.length !== n) throw new Error(`synthMidLevelMusic: midLevel has ${options.midLevel.length} rows, n = ${n}.`);
    options.midLevel.forEach((row, i) => {
      if (row.length !== 7 || !row.every((v) => v >= 0 && v <= 1)) throw new Error(`synthMidLevelMusic: midLevel row ${i} must hold 7 values in [0, 1].`);
    });
  }
  const audio: Float32Array[] = [], midLevel: number[][] = [], emotions: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = new Rng(seedFor(seed, 'midlevel', i));
    const m = options.midLevel ? options.midLevel[i].slice() : Array.from({ length: 7 }, () => r.uniform());
    audio.push(renderMidLevelClip(m, seconds, sr, seedFor(seed, 'render', i)));
    const er = new Rng(seedFor(seed, 'emotion', i));
    emotions.push((EMOTION_WEIGHTS.weights as readonly (readonly number[])[]).map((w, e) => clip01(EMOTION_WEIGHTS.bias[e] + w.reduce((a, wj, j) => a + wj * (m[j] - 0.5), 0) + er.normal(0, noiseSd))));
    midLevel.push(m);
  }
  return {
    audio, sampleRate: sr, midLevel, emotions,
    midLevelNames: [...MID_LEVEL_NAMES], emotionNames: [...EMOTION_NAMES],
    emotionWeights: { bias: [...EMOTION_WEIGHTS.bias], weights: EMOTION_WEIGHTS.weights.map((r) => [...r]), noiseSd },
  };
}
