/**
 * DEAM / MediaEval "Emotion in Music" static (song-level) annotations (Aljanaki, Yang, Soleymani
 * 2017): mean and standard deviation of arousal and valence on a 1-9 scale per song.
 * source 'averaged' (default) reads static_annotations_averaged_songs_1_2000.csv and
 * ..._2000_2058.csv (1,802 songs: columns song_id, valence_mean, valence_std, arousal_mean,
 * arousal_std); source 'mediaeval2013' reads static_annotations.csv (744 songs: mean_arousal,
 * std_arousal, mean_valence, std_valence). Files are looked up in `dir` (default data/deam) and its
 * subfolders (the official archive nests them), clips as audio/{song_id}.wav.
 *
 * CAUTION, a quirk of the published files (checked by tests/data/music.test.ts): for 738 of the 744
 * songs in both, the averaged file's valence_mean equals static_annotations.csv's mean_arousal and
 * vice versa (to rounding): one of the two headers has valence and arousal swapped. Genre means
 * suggest the 2013 file is the right one (with it, Classical has the lowest and Rock the highest
 * arousal; with the averaged file's header, Classical would have the lowest valence). The loader
 * returns what each header says; weigh this before drawing conclusions from valence vs arousal.
 *
 * @example
 *   const d = loadDeamStatic(); d.songIds[0], d.valence[0], d.clips // [{ songId: 2, path: '.../audio/2.wav' }, ...]
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkOptions } from '../engine';
import { numberColumn } from './csvColumns';
import { dataDir } from './dataDir';
import { requireDir } from './files';
import { readCsv } from './parseCsv';

export interface DeamStatic {
  songIds: Int32Array;
  valence: Float32Array;
  arousal: Float32Array;
  valenceStd: Float32Array;
  arousalStd: Float32Array;
  /** Songs whose clip is present as audio/{id}.wav, with its path. */
  clips: { songId: number; path: string }[];
}

export interface DeamStaticOptions {
  /** 'averaged' (1,802 songs, default) or 'mediaeval2013' (744 songs). */
  source?: 'averaged' | 'mediaeval2013';
}

export function loadDeamStatic(dir?: string, options: DeamStaticOptions = {}): DeamStatic {
  const where = 'loadDeamStatic';
  checkOptions(where, options, ['source']);
  const source = options.source ?? 'averaged';
  if (source !== 'averaged' && source !== 'mediaeval2013') throw new Error(`${where}: source must be 'averaged' or 'mediaeval2013', got ${JSON.stringify(source)}.`);
  const root = dir ?? dataDir('deam');
  const files = source === 'averaged'
    ? ['static_annotations_averaged_songs_1_2000.csv', 'static_annotations_averaged_songs_2000_2058.csv']
    : ['static_annotations.csv'];
  requireDir(where, root, files.join(' and ') + ' (DEAM static annotations) and optionally audio/{song_id}.wav');
  const found = files.map((f) => findDeep(root, f, 4)).filter((p): p is string => p !== null);
  if (found.length === 0) throw new Error(`${where}: none of ${files.join(', ')} found in ${root} or its subfolders; pass the DEAM annotations folder.`);
  const ids: number[] = [];
  const cols = { valence: [] as number[], arousal: [] as number[], valenceStd: [] as number[], arousalStd: [] as number[] };
  for (const p of found) {
    const t = readCsv(p);
    const id = numberColumn(t, 'song_id', where);
    const names = source === 'averaged'
      ? { valence: 'valence_mean', arousal: 'arousal_mean', valenceStd: 'valence_std', arousalStd: 'arousal_std' }
      : { valence: 'mean_valence', arousal: 'mean_arousal', valenceStd: 'std_valence', arousalStd: 'std_arousal' };
    const v = Object.fromEntries(Object.entries(names).map(([k, c]) => [k, numberColumn(t, c, where)])) as Record<keyof typeof cols, Float64Array>;
    id.forEach((x) => ids.push(x));
    for (const k of Object.keys(cols) as (keyof typeof cols)[]) v[k].forEach((x) => cols[k].push(x));
  }
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) throw new Error(`${where}: song_id ${id} appears twice in ${found.join(' + ')}; the files overlap, keep one copy.`);
    seen.add(id);
  }
  const clips: DeamStatic['clips'] = [];
  const audioDir = join(root, 'audio');
  if (existsSync(audioDir)) {
    for (const f of readdirSync(audioDir)) {
      const m = /^(\d+)\.wav$/i.exec(f);
      if (m && seen.has(Number(m[1]))) clips.push({ songId: Number(m[1]), path: join(audioDir, f) });
    }
    clips.sort((a, b) => a.songId - b.songId);
  }
  return {
    songIds: Int32Array.from(ids),
    valence: Float32Array.from(cols.valence),
    arousal: Float32Array.from(cols.arousal),
    valenceStd: Float32Array.from(cols.valenceStd),
    arousalStd: Float32Array.from(cols.arousalStd),
    clips,
  };
}

function findDeep(dir: string, name: string, depth: number): string | null {
  const p = join(dir, name);
  if (existsSync(p)) return p;
  if (depth === 0) return null;
  for (const e of readdirSync(dir).sort()) {
    const q = join(dir, e);
    if (e !== 'audio' && statSync(q).isDirectory()) {
      const r = findDeep(q, name, depth - 1);
      if (r) return r;
    }
  }
  return null;
}
