/**
 * The Jamendo singing-voice corpus (Ramona, Richard & David, ICASSP 2008; 93 songs, split 61 / 16 /
 * 16), P2's data at paper scale (Praher et al. 2021, arXiv 2107.09045), from a folder laid out as
 * in Schlueter's singing-voice-detection code:
 *   audio/{song}.wav        mono or stereo WAV (the corpus ships .ogg / .mp3: convert them, e.g.
 *                           `ffmpeg -i "{song}.ogg" -ar 22050 -ac 1 "{song}.wav"`); resampled to 22.05 kHz
 *   labels/{song}.lab       lines "start end sing|nosing" (seconds)
 *   filelists/{train,valid,test}   one audio file name per line (any extension)
 * The folder is named by ROBUSTLENS_P2_DATA; without it, or with files missing, the error says
 * exactly what is expected where.
 *
 * @example
 *   const test = loadSvdCorpus('test');   // SvdSong[] with 1/0 frame labels at 70 fps
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resample, readWav, toMono } from '../../audio';
import { checkOptions } from '../../engine';
import { makeSong, SAMPLE_RATE, SvdSong } from './songs';

export const SVD_LAYOUT =
  'audio/{song}.wav (the corpus .ogg/.mp3 converted to WAV, e.g. ffmpeg -i "{song}.ogg" -ar 22050 -ac 1 "{song}.wav"), ' +
  'labels/{song}.lab (lines "start end sing|nosing" in seconds) and filelists/train, filelists/valid, filelists/test ' +
  '(one song file name per line) - the Jamendo singing-voice corpus (Ramona et al. 2008) as in Schlueter\'s singing voice detection code';

/** The corpus folder from ROBUSTLENS_P2_DATA, checked; a clear error when absent. */
export function svdCorpusDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = (env.ROBUSTLENS_P2_DATA ?? '').trim();
  if (!dir) {
    throw new Error(`Paper scale needs the Jamendo singing-voice corpus: set ROBUSTLENS_P2_DATA to a folder holding ${SVD_LAYOUT}. ` +
      'Run at demo scale (ROBUSTLENS_SCALE=demo) to use the JamendoLyrics songs in data/ instead.');
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`ROBUSTLENS_P2_DATA=${dir} is not a folder. Expected a folder holding ${SVD_LAYOUT}.`);
  return dir;
}

/** Sung spans of a .lab file ("start end sing|nosing" per line). */
export function parseLab(text: string, where = 'parseLab'): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t) return;
    const [a, b, lab] = t.split(/\s+/);
    const start = Number(a), end = Number(b);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start || (lab !== 'sing' && lab !== 'nosing')) {
      throw new Error(`${where}: line ${i + 1} "${t}" is not "start end sing|nosing".`);
    }
    if (lab === 'sing') spans.push({ start, end });
  });
  return spans;
}

export function loadSvdCorpus(split: 'train' | 'valid' | 'test', options: { dir?: string; maxSongs?: number } = {}): SvdSong[] {
  const where = 'loadSvdCorpus';
  checkOptions(where, options, ['dir', 'maxSongs']);
  const dir = options.dir ?? svdCorpusDir();
  const list = join(dir, 'filelists', split);
  if (!existsSync(list)) throw new Error(`${where}: ${list} not found. Expected ${SVD_LAYOUT}.`);
  let names = readFileSync(list, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((f) => f.replace(/\.(ogg|mp3|wav|flac)$/i, ''));
  if (options.maxSongs !== undefined) names = names.slice(0, options.maxSongs);
  const missing = names.flatMap((n) => [join(dir, 'audio', `${n}.wav`), join(dir, 'labels', `${n}.lab`)].filter((p) => !existsSync(p)));
  if (missing.length) {
    throw new Error(`${where}: ${missing.length} file(s) of the ${split} list are missing, e.g. ${missing.slice(0, 3).join(', ')}. Expected ${SVD_LAYOUT}.`);
  }
  return names.map((n) => {
    const wav = readWav(join(dir, 'audio', `${n}.wav`));
    let x = wav.channels.length === 1 ? wav.channels[0] : toMono(wav.channels);
    if (wav.sampleRate !== SAMPLE_RATE) x = resample(x, wav.sampleRate, SAMPLE_RATE);
    const spans = parseLab(readFileSync(join(dir, 'labels', `${n}.lab`), 'utf8'), `${where}(${n}.lab)`);
    return makeSong(n, x, SAMPLE_RATE, spans);
  });
}
