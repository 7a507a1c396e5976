/**
 * Soundtracks data set listener ratings (Eerola & Vuoskoski 2011): set 1 = 360 film-music excerpts,
 * set 2 = 110; mean ratings on a 1-9 scale of the 8 emotions valence, energy, tension, anger, fear,
 * happy, sad, tender (P1, arXiv 2508.03780, trains on set 1 with ratings / 10). Ratings only: the
 * audio is commercial and not shipped. Reads mean_ratings_set{1|2}.csv and, if present,
 * set{1|2}_tracklist.csv (album, track, time span) from `dir` (default data/soundtracks).
 *
 * @example
 *   const s = loadSoundtracks(); s.y[i * 8 + s.emotions.indexOf('tender')] // tender rating of excerpt i
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkOptions } from '../engine';
import { findColumn, numberColumn, stringColumn } from './csvColumns';
import { dataDir } from './dataDir';
import { findFile, requireDir } from './files';
import { readCsv } from './parseCsv';

export const SOUNDTRACKS_EMOTIONS = ['valence', 'energy', 'tension', 'anger', 'fear', 'happy', 'sad', 'tender'];

export interface SoundtracksRatings {
  set: 1 | 2;
  /** Excerpt numbers as in the files ('001' ...). */
  ids: string[];
  /** The 8 emotion names, in column order of y. */
  emotions: string[];
  /** Mean ratings, row-major [n, 8], 1-9 scale. */
  y: Float32Array;
  /** The emotion category the excerpt was chosen for (TARGET column), e.g. 'HAPPY'. */
  target: string[];
  /** Further numeric rating columns (set 2: beauty, liking). */
  extra: Record<string, Float32Array>;
  /** Tracklist rows (same order as ids) when the tracklist file is present. */
  tracks: { emotion: string; album: string; track: string; time: string }[] | null;
}

export interface SoundtracksOptions {
  /** Which set: 1 (360 excerpts, default) or 2 (110). */
  set?: 1 | 2;
}

export function loadSoundtracks(dir?: string, options: SoundtracksOptions = {}): SoundtracksRatings {
  const where = 'loadSoundtracks';
  checkOptions(where, options, ['set']);
  const set = options.set ?? 1;
  if (set !== 1 && set !== 2) throw new Error(`${where}: set must be 1 or 2, got ${set}.`);
  const root = dir ?? dataDir('soundtracks');
  requireDir(where, root, `mean_ratings_set${set}.csv (columns number, ${SOUNDTRACKS_EMOTIONS.join(', ')}, TARGET) and optionally set${set}_tracklist.csv`);
  const t = readCsv(findFile(where, root, [`mean_ratings_set${set}.csv`]));
  const ids = stringColumn(t, ['number', 'nro', 'id'], where);
  const n = ids.length;
  const y = new Float32Array(n * SOUNDTRACKS_EMOTIONS.length);
  SOUNDTRACKS_EMOTIONS.forEach((e, k) => {
    const col = numberColumn(t, e, where);
    for (let i = 0; i < n; i++) y[i * SOUNDTRACKS_EMOTIONS.length + k] = col[i];
  });
  const tc = findColumn(t, 'target');
  const target = tc >= 0 ? t.rows.map((r) => r[tc]) : ids.map(() => '');
  const extra: Record<string, Float32Array> = {};
  for (const name of ['beauty', 'liking']) if (findColumn(t, name) >= 0) extra[name] = Float32Array.from(numberColumn(t, name, where));
  let tracks: SoundtracksRatings['tracks'] = null;
  const tlPath = join(root, `set${set}_tracklist.csv`);
  if (existsSync(tlPath)) {
    const tl = readCsv(tlPath);
    const tlIds = stringColumn(tl, ['nro', 'number', 'id'], where);
    const byId = new Map(tlIds.map((id, i) => [id, i]));
    const [em, al, tr, tm] = [['emotion'], ['album name', 'album'], ['track'], ['min:sec', 'time']].map((a) => findColumn(tl, a));
    tracks = ids.map((id) => {
      const i = byId.get(id);
      if (i === undefined) throw new Error(`${where}: excerpt ${id} of mean_ratings_set${set}.csv is missing from ${tlPath}; use the matching tracklist.`);
      const r = tl.rows[i];
      return { emotion: em >= 0 ? r[em] : '', album: al >= 0 ? r[al] : '', track: tr >= 0 ? r[tr] : '', time: tm >= 0 ? r[tm] : '' };
    });
  }
  return { set, ids, emotions: SOUNDTRACKS_EMOTIONS.slice(), y, target, extra, tracks };
}
