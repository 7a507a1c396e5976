/**
 * Mid-level perceptual feature annotations in the layout of Aljanaki & Soleymani's data set
 * ("A data-driven approach to mid-level perceptual musical feature modeling", ISMIR 2018; 5,000
 * clips): annotations.csv with a song id column and the 7 ratings melodiousness, articulation,
 * rhythm_complexity, rhythm_stability, dissonance, tonal_stability, minorness (P1, arXiv
 * 2508.03780, uses them / 10 as its concept layer). Optionally metadata.csv (song id keyed) is
 * joined in.
 *
 * Assumed layout (the data set is not on this machine, so this was not checked against the files):
 * annotations.csv in `dir` or in `dir`/metadata_annotations/; delimiter comma, semicolon or tab
 * (detected); the id column called song_id / song id / id; column names matched case-insensitively
 * ignoring spaces and underscores, with the aliases seen in public code (melody for melodiousness,
 * r_complexity / rhythmic_complexity, r_stability / rhythmic_stability, tonal stability, modality for
 * minorness). Values are returned as stored (the published ratings are on a 1-10 scale).
 *
 * @example
 *   const m = loadMidlevel('/data/midlevel'); m.y[i * 7 + m.features.indexOf('dissonance')]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkOptions } from '../engine';
import { numberColumn, stringColumn } from './csvColumns';
import { dataDir } from './dataDir';
import { requireDir } from './files';
import { readCsv } from './parseCsv';

export const MIDLEVEL_FEATURES = ['melodiousness', 'articulation', 'rhythm_complexity', 'rhythm_stability', 'dissonance', 'tonal_stability', 'minorness'];

const ALIASES: Record<string, string[]> = {
  melodiousness: ['melodiousness', 'melody'],
  articulation: ['articulation'],
  rhythm_complexity: ['rhythm_complexity', 'rhythmic_complexity', 'r_complexity'],
  rhythm_stability: ['rhythm_stability', 'rhythmic_stability', 'r_stability'],
  dissonance: ['dissonance'],
  tonal_stability: ['tonal_stability'],
  minorness: ['minorness', 'modality'],
};

export interface MidlevelAnnotations {
  /** Song ids as strings, in file order. */
  ids: string[];
  /** The 7 feature names, in column order of y. */
  features: string[];
  /** Ratings, row-major [n, 7], as stored in the file. */
  y: Float32Array;
  /** metadata.csv rows keyed by column name, in the order of ids (null if there is no metadata.csv). */
  metadata: Record<string, string>[] | null;
}

export interface MidlevelOptions {
  /** Keep only these song ids (in this order); unknown ids are an error. */
  ids?: string[];
}

export function loadMidlevel(dir?: string, options: MidlevelOptions = {}): MidlevelAnnotations {
  const where = 'loadMidlevel';
  checkOptions(where, options, ['ids']);
  const root = dir ?? dataDir('midlevel');
  const expected = 'annotations.csv (song_id + melodiousness, articulation, rhythm_complexity, rhythm_stability, dissonance, ' +
    'tonal_stability, minorness), optionally metadata.csv: the Mid-level Perceptual Features data set (Aljanaki & Soleymani 2018), ' +
    'which is not shipped with robustlens: download it and pass its folder';
  requireDir(where, root, expected);
  const base = existsSync(join(root, 'annotations.csv')) ? root : join(root, 'metadata_annotations');
  const annPath = join(base, 'annotations.csv');
  if (!existsSync(annPath)) throw new Error(`${where}: annotations.csv not found in ${root} (nor in its metadata_annotations/); expected ${expected}.`);
  const t = readCsv(annPath);
  const allIds = stringColumn(t, ['song_id', 'song id', 'id'], where);
  const cols = MIDLEVEL_FEATURES.map((f) => numberColumn(t, ALIASES[f], where));
  let rows = allIds.map((_, i) => i);
  if (options.ids) {
    const pos = new Map(allIds.map((id, i) => [id, i]));
    rows = options.ids.map((id) => {
      const i = pos.get(String(id));
      if (i === undefined) throw new Error(`${where}: song id ${id} is not in ${annPath}.`);
      return i;
    });
  }
  const y = new Float32Array(rows.length * 7);
  rows.forEach((r, i) => cols.forEach((c, k) => (y[i * 7 + k] = c[r])));
  const ids = rows.map((r) => allIds[r]);
  let metadata: MidlevelAnnotations['metadata'] = null;
  const metaPath = join(base, 'metadata.csv');
  if (existsSync(metaPath)) {
    const m = readCsv(metaPath);
    const mIds = stringColumn(m, ['song_id', 'song id', 'id'], where);
    const pos = new Map(mIds.map((id, i) => [id, i]));
    metadata = ids.map((id) => {
      const i = pos.get(id);
      const rec: Record<string, string> = {};
      if (i !== undefined) m.columns.forEach((c, k) => (rec[c] = m.rows[i][k]));
      return rec;
    });
  }
  return { ids, features: MIDLEVEL_FEATURES.slice(), y, metadata };
}
