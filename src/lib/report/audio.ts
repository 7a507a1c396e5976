/**
 * An inline audio player: the signal as an embedded 16-bit WAV in an HTML <audio> element, so it
 * plays in the notebook and in its HTML export. Optionally saved as figures/<name>.wav.
 *
 * @example
 *   report.audioPlayer(clip, 22050, { label: 'clean' });
 */
import * as path from 'node:path';
import { writeWav } from '../audio/wav';
import { displayBundle, escapeHtml } from './display';
import { checkName } from '../engine';
import { figuresDir, writeAtomic } from './paths';

/** HTML of an audio player for a mono signal (peak-normalised to 0.99 if it clips). */
export function audioHtml(signal: Float32Array, sampleRate: number, label = ''): string {
  if (!(signal instanceof Float32Array) || signal.length === 0) throw new Error('report.audioPlayer: signal must be a non-empty Float32Array.');
  if (!(sampleRate > 0)) throw new Error(`report.audioPlayer: sampleRate must be positive, got ${sampleRate}.`);
  let peak = 0;
  for (let i = 0; i < signal.length; i++) {
    const v = signal[i];
    if (!Number.isFinite(v)) throw new Error(`report.audioPlayer: signal has a non-finite sample at index ${i}.`);
    peak = Math.max(peak, Math.abs(v));
  }
  const s = peak > 0.99 ? signal.map((v) => (0.99 * v) / peak) : signal;
  const wav = writeWav(s, sampleRate, { bitDepth: 16 });
  const b64 = Buffer.from(wav).toString('base64');
  const secs = (signal.length / sampleRate).toFixed(2);
  return `<div style="display:flex;align-items:center;gap:8px"><span>${escapeHtml(label)} (${secs} s)</span><audio controls preload="none" src="data:audio/wav;base64,${b64}"></audio></div>`;
}

/** Show an audio player inline; with `name`, also write figures/<name>.wav. */
export function audioPlayer(signal: Float32Array, sampleRate: number, opts: { label?: string; name?: string } = {}): string | undefined {
  const html = audioHtml(signal, sampleRate, opts.label ?? opts.name ?? 'audio');
  displayBundle({ 'text/html': html, 'text/plain': `[audio ${opts.label ?? ''}: ${signal.length} samples at ${sampleRate} Hz]` });
  if (!opts.name) return undefined;
  const file = path.join(figuresDir(), `${checkName('report', opts.name, 'output name')}.wav`);
  writeAtomic(file, writeWav(signal, sampleRate, { bitDepth: 16 }));
  return file;
}
