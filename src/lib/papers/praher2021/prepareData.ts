/**
 * P2's data at the configured scale (Praher et al. 2021, arXiv 2107.09045), split by song: the
 * JamendoLyrics songs in data/ (first `trainSongs` train, the rest test), or at paper scale the
 * Jamendo singing-voice corpus's train / test lists from ROBUSTLENS_P2_DATA (loadSvdCorpus).
 *
 * @example
 *   const { train, test, description } = prepareData(config());
 */
import { loadJamendoLyrics } from '../../data';
import type { P2Config } from './config';
import { loadSvdCorpus, svdCorpusDir } from './loadSvdCorpus';
import { songsFromJamendo, SvdSong } from './songs';

export interface P2Data {
  train: SvdSong[];
  test: SvdSong[];
  description: string;
}

export function prepareData(cfg: P2Config, options: { dir?: string } = {}): P2Data {
  if (cfg.source === 'corpus') {
    const dir = options.dir ?? svdCorpusDir();
    const train = loadSvdCorpus('train', { dir });
    const test = loadSvdCorpus('test', { dir });
    return { train, test, description: `Jamendo singing-voice corpus from ${dir}: ${train.length} train / ${test.length} test songs` };
  }
  const all = songsFromJamendo(loadJamendoLyrics(options.dir), { mergeGap: cfg.data.mergeGap, seconds: cfg.data.seconds });
  const k = cfg.data.trainSongs;
  if (!(k >= 1 && k < all.length)) throw new Error(`prepareData: trainSongs must leave at least one of the ${all.length} songs for testing, got ${k}.`);
  return {
    train: all.slice(0, k),
    test: all.slice(k),
    description: `JamendoLyrics songs in data/ (${all.length}; labels from word timings, gaps < ${cfg.data.mergeGap} s merged${cfg.data.seconds ? `; first ${cfg.data.seconds} s of each` : ''}): ` +
      `${k} train / ${all.length - k} test`,
  };
}
