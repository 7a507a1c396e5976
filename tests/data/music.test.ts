import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadSoundtracks, loadMidlevel, loadDeamStatic, loadJamendoLyrics, loadFsdd, sungFrames, mergeSpans,
  SOUNDTRACKS_EMOTIONS, MIDLEVEL_FEATURES, readCsv,
} from '../../src/lib/data';

const data = join(__dirname, '..', '..', 'data');

test('loadSoundtracks reads set 1 (360 x 8) and set 2 with its extra columns and tracklists', () => {
  const s = loadSoundtracks();
  assert.equal(s.ids.length, 360);
  assert.equal(s.y.length, 360 * 8);
  const raw = readFileSync(join(data, 'soundtracks', 'mean_ratings_set1.csv'), 'utf8').split(/\r?\n/)[100].split(',');
  assert.equal(s.ids[99], raw[0]);
  SOUNDTRACKS_EMOTIONS.forEach((e, k) => assert.equal(s.y[99 * 8 + k], Math.fround(Number(raw[1 + k])), e));
  assert.ok(s.y.every((v) => v >= 1 && v <= 9));
  assert.equal(s.tracks!.length, 360);
  const s2 = loadSoundtracks(undefined, { set: 2 });
  assert.equal(s2.ids.length, 110);
  assert.deepEqual(Object.keys(s2.extra), ['beauty', 'liking']);
  assert.throws(() => loadSoundtracks(undefined, { set: 3 as never }), /set must be 1 or 2/);
});

test('loadSoundtracks throws on a missing emotion column and on NaN ratings, naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-st-'));
  writeFileSync(join(dir, 'mean_ratings_set1.csv'), 'number,valence,energy,tension,anger,fear,happy,sad\n001,1,2,3,4,5,6,7\n');
  assert.throws(() => loadSoundtracks(dir), /mean_ratings_set1\.csv is missing the required column "tender"/);
  writeFileSync(join(dir, 'mean_ratings_set1.csv'), 'number,valence,energy,tension,anger,fear,happy,sad,tender\n001,1,2,NaN,4,5,6,7,8\n');
  assert.throws(() => loadSoundtracks(dir), /mean_ratings_set1\.csv line 2, column "tension": "NaN" is not a finite number/);
  assert.throws(() => loadSoundtracks(join(dir, 'none')), /folder not found: .*none\. Expected it to contain mean_ratings_set1\.csv/);
});

test('loadMidlevel reads the Aljanaki & Soleymani layout, with column aliases and metadata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-ml-'));
  mkdirSync(join(dir, 'metadata_annotations'));
  writeFileSync(join(dir, 'metadata_annotations', 'annotations.csv'),
    'song id,minorness,melody,articulation,rhythm_complexity,rhythm_stability,dissonance,tonal_stability\n7,1,2,3,4,5,6,7.5\n9,8,7,6,5,4,3,2\n');
  writeFileSync(join(dir, 'metadata_annotations', 'metadata.csv'), 'song_id,source\n9,jamendo\n7,soundtracks\n');
  const m = loadMidlevel(dir);
  assert.deepEqual(m.ids, ['7', '9']);
  assert.deepEqual(m.features, MIDLEVEL_FEATURES);
  assert.deepEqual(Array.from(m.y.subarray(0, 7)), [2, 3, 4, 5, 6, 7.5, 1]); // reordered to MIDLEVEL_FEATURES
  assert.deepEqual(m.metadata!.map((r) => r.source), ['soundtracks', 'jamendo']);
  assert.deepEqual(loadMidlevel(dir, { ids: ['9'] }).ids, ['9']);
  assert.throws(() => loadMidlevel(dir, { ids: ['10'] }), /song id 10 is not in/);
  writeFileSync(join(dir, 'metadata_annotations', 'annotations.csv'), 'song_id,melodiousness\n1,2\n');
  assert.throws(() => loadMidlevel(dir), /annotations\.csv is missing the required column "articulation"/);
  assert.throws(() => loadMidlevel(join(dir, 'x')), /folder not found.*Expected it to contain annotations\.csv .*not shipped with robustlens/);
});

test('loadDeamStatic reads 1,802 averaged songs and the 744-song MediaEval 2013 file, and finds the clips', () => {
  const d = loadDeamStatic();
  assert.equal(d.songIds.length, 1802);
  assert.deepEqual(d.clips.map((c) => c.songId), [2, 3, 4]);
  assert.ok(d.valence.every((v) => v >= 1 && v <= 9) && d.arousal.every((v) => v >= 1 && v <= 9));
  const m = loadDeamStatic(undefined, { source: 'mediaeval2013' });
  assert.equal(m.songIds.length, 744);
  // Documented quirk: the two published files carry the same means with valence/arousal labels swapped.
  const pos = new Map(Array.from(d.songIds, (id, i) => [id, i]));
  let swapped = 0;
  let straight = 0;
  const near = (a: number, b: number) => Math.abs(a - b) < 0.051; // the averaged file rounds to 0.1
  m.songIds.forEach((id, j) => {
    const i = pos.get(id)!;
    if (near(d.valence[i], m.arousal[j]) && near(d.arousal[i], m.valence[j])) swapped++;
    if (near(d.valence[i], m.valence[j]) && near(d.arousal[i], m.arousal[j])) straight++;
  });
  assert.ok(swapped > 0.95 * 744 && straight < 0.05 * 744, `swapped ${swapped}, straight ${straight} of 744`);
});

test('loadDeamStatic throws when the annotation files are missing, or a value is NaN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-deam-'));
  assert.throws(() => loadDeamStatic(dir), /none of static_annotations_averaged_songs_1_2000\.csv, .* found in/);
  writeFileSync(join(dir, 'static_annotations.csv'), 'song_id,mean_arousal,std_arousal,mean_valence,std_valence\n2,3,1,,1\n');
  assert.throws(() => loadDeamStatic(dir, { source: 'mediaeval2013' }), /static_annotations\.csv line 2, column "mean_valence": empty value/);
});

test('sungFrames: a word span is singing, short gaps merge, frames sample t_i = i / frameRate', () => {
  const words = [{ start: 0.1, end: 0.3 }, { start: 0.35, end: 0.5 }];
  assert.deepEqual(Array.from(sungFrames(words, { frameRate: 10, duration: 1 })), [0, 1, 1, 0, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(sungFrames(words, { frameRate: 10, duration: 1, mergeGap: 0.1 })), [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(sungFrames(words, { frameRate: 10, nFrames: 3, mergeGap: 0.01 })), [0, 1, 1]);
  assert.deepEqual(mergeSpans([{ start: 2, end: 3 }, { start: 0, end: 1 }, { start: 1.2, end: 1.5 }], 0.5), [{ start: 0, end: 1.5 }, { start: 2, end: 3 }]);
  assert.throws(() => sungFrames([{ start: NaN, end: 1 }], { frameRate: 10, duration: 1 }), /word 0 has a NaN/);
  assert.throws(() => sungFrames([{ start: 2, end: 1 }], { frameRate: 10, duration: 3 }), /ends \(1 s\) before it starts/);
  assert.throws(() => sungFrames(words, { frameRate: 0, duration: 1 }), /frameRate must be a positive/);
});

test('loadJamendoLyrics: 4 songs with word timings; labels follow the word spans', () => {
  const songs = loadJamendoLyrics(undefined, { audio: false });
  assert.equal(songs.length, 4);
  const f = songs.find((s) => s.name === 'Fantasma_-_Los_Rombos')!;
  assert.equal(f.license, 'CC BY-SA');
  const wt = readCsv(join(data, 'jamendolyrics', 'annotations', 'Fantasma_-_Los_Rombos.words.csv'));
  assert.equal(f.words.length, wt.rows.length);
  assert.ok(Number.isNaN(f.words[0].lineEnd) && f.words[3].lineEnd > 0);
  const [song] = loadJamendoLyrics(undefined, { songs: ['Fantasma_-_Los_Rombos'], frameRate: 70, mergeGap: 0.5 });
  assert.equal(song.sampleRate, 22050);
  assert.equal(song.labels!.length, Math.ceil((song.signal!.length / 22050) * 70));
  const w = song.words[0];
  assert.equal(song.labels![Math.ceil(w.start * 70) + 1], 1, 'inside the first word');
  assert.equal(song.labels![Math.floor(w.start * 70) - 70], 0, 'a second before the first word');
  assert.throws(() => loadJamendoLyrics(undefined, { songs: ['nope'] }), /no annotations\/nope\.words\.csv .* available songs: /);
});

test('loadFsdd reads the embedded test split (300 files, 6 speakers, 8 kHz) and filters', () => {
  const all = loadFsdd(undefined, { audio: false });
  assert.equal(all.items.length, 300);
  assert.equal(new Set(all.items.map((i) => i.speaker)).size, 6);
  assert.ok(all.items.every((i) => i.index <= 4));
  const g = loadFsdd(undefined, { split: 'test', speakers: ['george'], limit: 3 });
  assert.deepEqual(g.items.map((i) => [i.digit, i.speaker, i.index]), [[0, 'george', 0], [0, 'george', 1], [0, 'george', 2]]);
  assert.equal(g.sampleRate, 8000);
  assert.ok(g.signals[0].length > 1000 && g.signals[0].every((v) => v >= -1 && v < 1));
  assert.throws(() => loadFsdd(undefined, { split: 'train' }), /no train recordings .*embedded data\/fsdd holds only the test split/);
  assert.throws(() => loadFsdd(undefined, { speakers: ['bob'] }), /no recordings of speaker "bob"/);
  const empty = mkdtempSync(join(tmpdir(), 'rl-fsdd-'));
  assert.throws(() => loadFsdd(empty), /no \{digit\}_\{speaker\}_\{index\}\.wav files in/);
});
