/**
 * Free Spoken Digit Dataset: recordings named {digit}_{speaker}_{index}.wav (8 kHz mono), label =
 * digit. The customary split is test = index 0-4, train = index >= 5. Default dir data/fsdd, which
 * holds only the test split (300 files, 6 speakers); pass the full recordings folder for training.
 *
 * @example
 *   const d = loadFsdd(undefined, { split: 'test', speakers: ['george'] }); d.signals.length // 50
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readWav, toMono } from '../audio/wav';
import { checkOptions } from '../engine';
import { dataDir } from './dataDir';
import { requireDir } from './files';
import { limit as resolveLimit } from './loadIdxImages';

export interface FsddItem {
  digit: number;
  speaker: string;
  index: number;
  path: string;
}

export interface FsddSet {
  items: FsddItem[];
  /** Mono signals in [-1, 1), one per item (empty when audio: false). */
  signals: Float32Array[];
  sampleRate: number;
  /** Digit labels. */
  y: Int32Array;
  classes: string[];
}

export interface FsddOptions {
  /** 'test' (index 0-4), 'train' (index >= 5) or 'all' (default). */
  split?: 'train' | 'test' | 'all';
  /** Keep only these speakers. */
  speakers?: string[];
  /** Keep only the first `limit` files (sorted by digit, speaker, index). */
  limit?: number;
  /** Read the audio; default true. */
  audio?: boolean;
}

export function loadFsdd(dir?: string, options: FsddOptions = {}): FsddSet {
  const where = 'loadFsdd';
  checkOptions(where, options, ['split', 'speakers', 'limit', 'audio']);
  const { split = 'all', speakers, audio = true } = options;
  if (!['train', 'test', 'all'].includes(split)) throw new Error(`${where}: split must be 'train', 'test' or 'all', got ${JSON.stringify(split)}.`);
  const root = dir ?? dataDir('fsdd');
  requireDir(where, root, 'Free Spoken Digit Dataset recordings named {digit}_{speaker}_{index}.wav');
  let items: FsddItem[] = [];
  for (const f of readdirSync(root)) {
    const m = /^(\d)_([A-Za-z0-9-]+)_(\d+)\.wav$/.exec(f);
    if (m) items.push({ digit: Number(m[1]), speaker: m[2], index: Number(m[3]), path: join(root, f) });
  }
  if (items.length === 0) throw new Error(`${where}: no {digit}_{speaker}_{index}.wav files in ${root}; pass the FSDD recordings folder.`);
  const allSpeakers = [...new Set(items.map((it) => it.speaker))].sort();
  if (speakers) for (const s of speakers) if (!allSpeakers.includes(s)) throw new Error(`${where}: no recordings of speaker "${s}" in ${root}; speakers there: ${allSpeakers.join(', ')}.`);
  items = items.filter((it) => (split === 'all' || (split === 'test') === (it.index <= 4)) && (!speakers || speakers.includes(it.speaker)));
  if (items.length === 0) {
    throw new Error(`${where}: no ${split} recordings in ${root}` + (split === 'train' ? ' (index >= 5; the embedded data/fsdd holds only the test split: pass the full FSDD folder)' : '') + '.');
  }
  items.sort((a, b) => a.digit - b.digit || (a.speaker < b.speaker ? -1 : a.speaker > b.speaker ? 1 : 0) || a.index - b.index);
  items = items.slice(0, resolveLimit(where, options.limit, items.length));
  const signals: Float32Array[] = [];
  let sampleRate = 8000;
  if (audio) {
    items.forEach((it, i) => {
      let w;
      try {
        w = readWav(it.path);
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
      if (i === 0) sampleRate = w.sampleRate;
      else if (w.sampleRate !== sampleRate) throw new Error(`${where}: ${it.path} is ${w.sampleRate} Hz but the others are ${sampleRate} Hz; resample it.`);
      signals.push(w.channels.length === 1 ? w.channels[0] : toMono(w.channels));
    });
  }
  return { items, signals, sampleRate, y: Int32Array.from(items, (it) => it.digit), classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
}
