/**
 * JamendoLyrics songs (Stoller, Durand, Ewert, ICASSP 2019) with word- and line-level timings, and
 * sung / not-sung frame labels derived from the word spans (see sungFrames), for singing voice
 * detection (P2, arXiv 2107.09045). Layout (as published): JamendoLyrics.csv (Filepath, Artist,
 * Title, LicenseType, Language ...), annotations/{song}.words.csv (word_start, word_end, line_end in
 * s), annotations/{song}.lines.csv (start_time, end_time, lyrics_line), audio/{song}.wav (or .mp3:
 * not decoded here; convert to WAV). Default dir data/jamendolyrics (4 songs, 22.05 kHz mono).
 *
 * @example
 *   const [song] = loadJamendoLyrics(undefined, { songs: ['Fantasma_-_Los_Rombos'], frameRate: 70, mergeGap: 0.5 });
 *   song.labels // Uint8Array, one 0/1 per 1/70 s frame of the audio
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readWav, toMono } from '../audio/wav';
import { checkOptions } from '../engine';
import { findColumn, numberColumn } from './csvColumns';
import { dataDir } from './dataDir';
import { requireDir } from './files';
import { readCsv } from './parseCsv';
import { sungFrames, WordSpan } from './sungFrames';

export interface JamendoSong {
  /** File stem, e.g. 'Fantasma_-_Los_Rombos'. */
  name: string;
  artist: string;
  title: string;
  language: string;
  license: string;
  /** Word spans in seconds; lineEnd is the end of the line the word closes (NaN otherwise). */
  words: (WordSpan & { lineEnd: number })[];
  lines: { start: number; end: number; text: string }[];
  /** Mono audio (absent when audio: false). */
  sampleRate?: number;
  signal?: Float32Array;
  /** Sung (1) / not sung (0) per frame at options.frameRate (absent without audio unless duration is known). */
  labels?: Uint8Array;
}

export interface JamendoOptions {
  /** Song names (file stems) to load; default all in the folder. */
  songs?: string[];
  /** Read the audio; default true. */
  audio?: boolean;
  /** Frame rate of the labels in frames per second; default 70 (P2: hop 315 at 22.05 kHz). */
  frameRate?: number;
  /** Merge word gaps shorter than this many seconds; default 0. */
  mergeGap?: number;
}

export function loadJamendoLyrics(dir?: string, options: JamendoOptions = {}): JamendoSong[] {
  const where = 'loadJamendoLyrics';
  checkOptions(where, options, ['songs', 'audio', 'frameRate', 'mergeGap']);
  const { audio = true, frameRate = 70, mergeGap = 0 } = options;
  const root = dir ?? dataDir('jamendolyrics');
  requireDir(where, root, 'JamendoLyrics.csv, annotations/{song}.words.csv (word_start, word_end, line_end) and audio/{song}.wav');
  const annDir = join(root, 'annotations');
  requireDir(where, annDir, '{song}.words.csv and {song}.lines.csv files');
  const available = readdirSync(annDir).filter((f) => f.endsWith('.words.csv')).map((f) => f.slice(0, -'.words.csv'.length)).sort();
  const names = options.songs ?? available;
  for (const s of names) if (!available.includes(s)) throw new Error(`${where}: no annotations/${s}.words.csv in ${root}; available songs: ${available.join(', ') || 'none'}.`);
  const meta = new Map<string, Record<string, string>>();
  const metaPath = join(root, 'JamendoLyrics.csv');
  if (existsSync(metaPath)) {
    const t = readCsv(metaPath);
    const fp = findColumn(t, 'Filepath');
    if (fp >= 0) for (const r of t.rows) meta.set(r[fp].replace(/\.(mp3|wav)$/i, ''), Object.fromEntries(t.columns.map((c, k) => [c, r[k]])));
  }
  return names.map((name) => {
    const wPath = join(annDir, `${name}.words.csv`);
    const wt = readCsv(wPath);
    const ws = numberColumn(wt, 'word_start', where);
    const we = numberColumn(wt, 'word_end', where);
    const le = findColumn(wt, 'line_end') >= 0 ? numberColumn(wt, 'line_end', where, { missing: ['nan', ''] }) : new Float64Array(ws.length).fill(NaN);
    const words = Array.from(ws, (s, i) => {
      if (we[i] < s) throw new Error(`${where}: ${wPath} line ${wt.lines[i]}: word_end ${we[i]} is before word_start ${s}; fix the annotation.`);
      return { start: s, end: we[i], lineEnd: le[i] };
    });
    const lines: JamendoSong['lines'] = [];
    const lPath = join(annDir, `${name}.lines.csv`);
    if (existsSync(lPath)) {
      const lt = readCsv(lPath);
      const a = numberColumn(lt, 'start_time', where);
      const b = numberColumn(lt, 'end_time', where);
      const tc = findColumn(lt, 'lyrics_line');
      a.forEach((s, i) => lines.push({ start: s, end: b[i], text: tc >= 0 ? lt.rows[i][tc] : '' }));
    }
    const m = meta.get(name) ?? {};
    const song: JamendoSong = {
      name, words, lines,
      artist: m.Artist ?? '', title: m.Title ?? '', language: m.Language ?? '', license: (m.LicenseType ?? '').replace(/\s+/g, ' '),
    };
    if (audio) {
      const aPath = join(root, 'audio', `${name}.wav`);
      if (!existsSync(aPath)) {
        throw new Error(`${where}: audio file ${aPath} not found` + (existsSync(join(root, 'audio', `${name}.mp3`)) ? ' (only the .mp3 is there: convert it to WAV, e.g. with ffmpeg)' : '') +
          '; or pass { audio: false } to load annotations only.');
      }
      const wav = readWav(aPath);
      song.sampleRate = wav.sampleRate;
      song.signal = wav.channels.length === 1 ? wav.channels[0] : toMono(wav.channels);
      song.labels = sungFrames(words, { frameRate, duration: song.signal.length / wav.sampleRate, mergeGap });
    }
    return song;
  });
}
