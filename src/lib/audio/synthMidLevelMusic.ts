/**
 * Synthetic music clips with planted mid-level truth, for P1's audio -> mid-level -> emotion chain
 * (Hoedt, Flexer, Widmer, arXiv 2508.03780). Each clip's generator is driven by the seven mid-level
 * qualities m in [0,1]^7, each mapped to something audible in a 3 s clip (version 2, the default):
 *
 *   melodiousness        P(melody moves one scale step, keeping its direction w.p. 0.8) = 0.1 + 0.9 m,
 *                        else a leap of 5-9 steps
 *   articulation         note gate = (0.95 - 0.75 m) of the inter-onset interval; attack 2 + 60 (1 - m) ms
 *   rhythmicStability    a hi-hat pulse on the 8ths, present on a fraction 0.35 + 0.65 m of them, jitter
 *                        sd 0.35 (1 - m) of an 8th; melody onset jitter sd 0.3 (1 - m) 16ths; tempo
 *                        random walk sd 4 (1 - m) % per beat
 *   rhythmicComplexity   P(melody onset) on the beat 1 - 0.3 m, on the 8th 0.1 + 0.8 m, on 16ths 0.7 m
 *   dissonance           P(second voice at a minor 2nd / tritone / major 7th) = m (else a 3rd/6th/5th
 *                        w.p. 0.5); partial inharmonicity B = 0.002 m (f_k = k f0 sqrt(1 + B k^2));
 *                        a semitone cluster tone added to the chord w.p. m
 *   tonalStability       one chord per beat; a fraction m of the beats stay in the home key on the tonic
 *                        triad over a held tonic pedal (bass); the others move the key (by 1, 2, 5, 6
 *                        or 7 semitones) and play I, IV or V with the bass re-attacked; melody leaps
 *                        land on a tonic-triad tone w.p. 0.8 m; per note P(chromatic alteration) = 0.35 (1 - m)
 *   minorness            a fraction m of the beats in the minor mode (lowered 3rd, 6th, 7th: minor
 *                        triads i, iv, v in the chords, in the tonic's octave where the spectrogram
 *                        resolves the third; melody an octave above)
 *
 * "A fraction m of the beats" is spread evenly (not a coin per beat), so that a 3 s slice (5-7
 * beats) holds about m of them: with per-beat coins, or per half-bar as version 1 drew them, a short
 * slice's realised mode or key stability scatters far from m.
 *
 * plus nuisance variation (tempo 100-130 bpm, key, timbre brightness) and loudness normalised to
 * RMS 0.1. The eight emotion ratings are a fixed linear function of the seven plus noise:
 *
 *   e = clip( bias + W (m - 0.5) + N(0, noiseSd^2), 0, 1 )      (W, bias in EMOTION_WEIGHTS)
 *
 * Version 1 (`version: 1`, the first renderer) drew mode and key changes per half-bar, put the chords
 * an octave lower (where 24 bands/octave cannot separate a minor from a major third), had no pulse
 * track and 80-140 bpm; at 3 s a ridge probe on spectrogram features found no trace of rhythmic
 * stability, tonal stability or minorness in it (held-out R^2 <= 0.3, 0.0, -0.1).
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
  /** Renderer version (module doc): 2 (default) or 1 (the first renderer). */
  version?: 1 | 2;
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

/**
 * Beat j carries an event with probability-like density p spread evenly over the beats: true for a
 * fraction p of any run of beats (up to one beat), from a per-clip phase u in [0, 1). So a short
 * slice holds about p of them, not a binomial draw around p.
 */
function evenly(p: number, u: number, j: number): boolean {
  return Math.floor((j + 1) * p + u) > Math.floor(j * p + u);
}

/** Add a hi-hat-like tick (high-passed noise burst, 20 ms decay) into out. */
function addTick(out: Float32Array, sr: number, t0: number, amp: number, rng: Rng): void {
  const s0 = Math.max(0, Math.round(t0 * sr));
  const s1 = Math.min(out.length, s0 + Math.round(0.08 * sr));
  const decay = Math.exp(-1 / (0.02 * sr));
  let env = amp, prev = 0;
  for (let s = s0; s < s1; s++) {
    const w = rng.uniform() * 2 - 1;
    out[s] += env * (w - prev); // first difference: energy above ~5 kHz
    prev = w;
    env *= decay;
  }
}

/** A clip's silent buffer, its random stream and the draws both renderers make first, in this order:
 * tempo (bpm uniform in the range), tonic (A3 + 0-11 semitones), spectral tilt exponent (nuisance);
 * and the partials' inharmonicity B = 0.002 dissonance. */
function clipStart(seconds: number, sr: number, seed: number, diss: number, bpm: [number, number]) {
  const rng = new Rng(seed);
  const out = new Float32Array(Math.round(seconds * sr));
  const beat = 60 / rng.range(bpm[0], bpm[1]);
  const tonic = 57 + rng.int(12);
  const brightness = rng.range(0.8, 1.6);
  return { rng, out, beat, tonic, brightness, B: 0.002 * diss };
}

/** Each chord segment with its end and duration (until the next one starts, or the clip ends; at least 50 ms) and root degree. */
function chordSpans<G extends { t: number; chordDeg: number }>(segs: readonly G[], seconds: number): { s: number; g: G; end: number; dur: number; root: number }[] {
  return segs.map((g, s) => {
    const end = s + 1 < segs.length ? segs[s + 1].t : seconds;
    return { s, g, end, dur: Math.max(0.05, end - g.t), root: g.chordDeg };
  });
}

/** The tempo's random walk: the beat's length times 1 + N(0, sd^2), kept within [lo, hi] seconds. */
function driftBeat(beat: number, rng: Rng, sd: number, lo: number, hi: number): number {
  return Math.min(Math.max(beat * (1 + rng.normal(0, sd)), lo), hi);
}

/** The melody's onsets in one beat: each 16th q sounds w.p. pOn[q], jittered by sd 0.3 (1 - rhythmic stability) 16ths. */
function gridOnsets(onsets: { t: number; seg: number }[], rng: Rng, t: number, beat: number, pOn: readonly number[], rStab: number, seg: number): void {
  const sixteenth = beat / 4;
  for (let q = 0; q < 4; q++) {
    if (rng.uniform() < pOn[q]) {
      const jit = rng.normal(0, 0.3 * (1 - rStab) * sixteenth);
      onsets.push({ t: Math.max(0, t + q * sixteenth + jit), seg });
    }
  }
}

/**
 * One melody note of both renderers: a chromatic alteration w.p. 0.35 (1 - tonal stability), the gate
 * and attack of articulation, and a second voice (a dissonant interval w.p. dissonance, else a 3rd,
 * 6th or 5th below w.p. 0.5). The random draws are made in this order (the clips depend on it).
 */
function melodyNote(out: Float32Array, sr: number, rng: Rng, t: number, ioi: number, pitch: number,
  c: { art: number; tonal: number; diss: number; brightness: number; B: number }): void {
  if (rng.uniform() < 0.35 * (1 - c.tonal)) pitch += rng.uniform() < 0.5 ? 1 : -1;
  const gate = (0.95 - 0.75 * c.art) * ioi;
  const attack = 0.002 + 0.06 * (1 - c.art);
  addNote(out, sr, t, gate, midiHz(pitch), 0.25, attack, 8, c.brightness, c.B);
  const u = rng.uniform();
  if (u < c.diss) addNote(out, sr, t, gate, midiHz(pitch + [1, 6, 11][rng.int(3)]), 0.15, attack, 8, c.brightness, c.B);
  else if (rng.uniform() < 0.5) addNote(out, sr, t, gate, midiHz(pitch - [3, 4, 7][rng.int(3)]), 0.15, attack, 8, c.brightness, c.B);
}

/** Scale the clip to RMS 0.1 (a silent clip stays silent) and clip to [-1, 1], in place. */
function normaliseRms(out: Float32Array): Float32Array {
  const n = out.length;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += out[i] * out[i];
  const g = ss > 0 ? 0.1 / Math.sqrt(ss / n) : 1;
  for (let i = 0; i < n; i++) out[i] = Math.max(-1, Math.min(1, out[i] * g));
  return out;
}

/** Render one clip from its seven controls. */
export function renderMidLevelClip(m: readonly number[], seconds: number, sr: number, seed: number): Float32Array {
  const [mel, art, rStab, rComp, diss, tonal, minorness] = m;
  const start = clipStart(seconds, sr, seed, diss, [100, 130]);
  const { rng, out, brightness, B } = start;
  let { beat, tonic } = start;
  const uMinor = rng.uniform(), uStable = rng.uniform(), uPulse = rng.uniform();
  const pOn = [1 - 0.3 * rComp, 0.7 * rComp, 0.1 + 0.8 * rComp, 0.7 * rComp];
  const pPulse = 0.35 + 0.65 * rStab;
  // One chord per beat: its mode (minorness) and whether it stays on the home key (tonal stability).
  type Seg = { t: number; tonic: number; minor: boolean; stable: boolean; chordDeg: number };
  const segs: Seg[] = [];
  const onsets: { t: number; seg: number }[] = [];
  let t = 0.02;
  for (let j = 0; t < seconds; j++) {
    const stable = evenly(tonal, uStable, j);
    if (!stable && j > 0) tonic = 57 + ((tonic - 57 + [1, -1, 2, -2, 5, 7, 6][rng.int(7)] + 12) % 12);
    segs.push({ t, tonic, minor: evenly(minorness, uMinor, j), stable, chordDeg: stable ? 0 : [0, 3, 4][rng.int(3)] });
    gridOnsets(onsets, rng, t, beat, pOn, rStab, segs.length - 1);
    // Pulse on the 8ths: present for a fraction 0.35 + 0.65 rStab, jitter sd 0.35 (1 - rStab) of an 8th.
    for (let e = 0; e < 2; e++) {
      if (evenly(pPulse, uPulse, 2 * j + e)) addTick(out, sr, Math.max(0, t + (e * beat) / 2 + rng.normal(0, 0.35 * (1 - rStab) * (beat / 2))), 0.12, rng);
    }
    t += beat;
    beat = driftBeat(beat, rng, 0.04 * (1 - rStab), 60 / 160, 60 / 80);
  }
  onsets.sort((a, c) => a.t - c.t);
  // Chords: triad in the tonic's octave (+ semitone cluster tone w.p. dissonance); bass: a held tonic
  // pedal across consecutive stable beats, else the chord root re-attacked each beat.
  for (const { s, g, end, dur, root } of chordSpans(segs, seconds)) {
    for (const d of [root, root + 2, root + 4]) addNote(out, sr, g.t, dur, midiHz(degreePitch(g.tonic, g.minor, d)), 0.08, 0.02, 6, brightness, B);
    if (rng.uniform() < diss) addNote(out, sr, g.t, dur, midiHz(degreePitch(g.tonic, g.minor, root) + 1), 0.08, 0.02, 6, brightness, B);
    if (g.stable && s > 0 && segs[s - 1].stable && segs[s - 1].tonic === g.tonic) continue; // pedal already sounding
    let e = s + 1;
    while (g.stable && e < segs.length && segs[e].stable && segs[e].tonic === g.tonic) e++;
    const bassEnd = g.stable && e < segs.length ? segs[e].t : g.stable ? seconds : end;
    addNote(out, sr, g.t, Math.max(0.05, bassEnd - g.t), midiHz(degreePitch(g.tonic - 24, g.minor, root)), 0.12, 0.01, 5, brightness, B);
  }
  // Melody an octave above the chords, over the onsets.
  let deg = rng.int(5);
  let dir = rng.uniform() < 0.5 ? 1 : -1;
  for (let i = 0; i < onsets.length; i++) {
    const o = onsets[i];
    const g = segs[o.seg];
    const next = i + 1 < onsets.length ? onsets[i + 1].t : Math.min(seconds, o.t + beat);
    const ioi = Math.max(0.04, next - o.t);
    // melodious: scale runs (one step, direction kept w.p. 0.8); else a leap of 5-9 steps, landing on
    // a tonic-triad tone on stable beats w.p. 0.8 tonalStability
    const leap = rng.uniform() >= 0.1 + 0.9 * mel;
    const size = leap ? 5 + rng.int(5) : 1;
    if (leap || rng.uniform() < 0.2) dir = rng.uniform() < 0.5 ? 1 : -1;
    if (deg + dir * size > 12 || deg + dir * size < -2) dir = -dir;
    deg += dir * size;
    if (leap && g.stable && rng.uniform() < 0.8 * tonal) {
      const r = ((deg % 7) + 7) % 7;
      deg += r === 1 || r === 3 || r === 5 ? -1 : r === 6 ? 1 : 0;
    }
    melodyNote(out, sr, rng, o.t, ioi, degreePitch(g.tonic + 12, g.minor, deg), { art, tonal, diss, brightness, B });
  }
  return normaliseRms(out);
}

/** Version 1 of the renderer (see the module doc); kept so version-1 data (and models trained on it) reproduce. */
export function renderMidLevelClipV1(m: readonly number[], seconds: number, sr: number, seed: number): Float32Array {
  const [mel, art, rStab, rComp, diss, tonal, minorness] = m;
  const start = clipStart(seconds, sr, seed, diss, [80, 140]);
  const { rng, out, brightness, B } = start;
  let { beat, tonic } = start;
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
    gridOnsets(onsets, rng, t, beat, pOn, rStab, segs.length - 1);
    t += beat;
    b++;
    beat = driftBeat(beat, rng, 0.03 * (1 - rStab), 60 / 180, 60 / 60);
  }
  onsets.sort((a, c) => a.t - c.t);
  // Chords: pad triad (+ cluster tone w.p. dissonance) and bass, per half-bar.
  for (const { s, g, dur, root } of chordSpans(segs, seconds)) {
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
    melodyNote(out, sr, rng, o.t, ioi, degreePitch(g.tonic, g.minor, deg), { art, tonal, diss, brightness, B });
  }
  return normaliseRms(out);
}

export function synthMidLevelMusic(n: number, options: SynthMidLevelOptions = {}): SynthMidLevelData {
  checkOptions('synthMidLevelMusic', options, ['seconds', 'sampleRate', 'seed', 'noiseSd', 'midLevel', 'version']);
  if (!Number.isInteger(n) || n < 0) throw new Error(`synthMidLevelMusic: n must be a non-negative integer, got ${n}.`);
  const seconds = options.seconds ?? 3;
  const sr = options.sampleRate ?? 22050;
  const seed = options.seed ?? 0;
  const noiseSd = options.noiseSd ?? 0.05;
  const version = options.version ?? 2;
  if (version !== 1 && version !== 2) throw new Error(`synthMidLevelMusic: version must be 1 or 2, got ${version}.`);
  const render = version === 1 ? renderMidLevelClipV1 : renderMidLevelClip;
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
    audio.push(render(m, seconds, sr, seedFor(seed, 'render', i)));
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
