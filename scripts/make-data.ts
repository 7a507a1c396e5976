#!/usr/bin/env -S node --import tsx
/**
 * Build the project's embedded data subsets (data/) from the shared data shelf (../shared/data),
 * reproducibly: same shelf -> same bytes (stratified picks from a fixed seed, gzip without a
 * timestamp). Writes data/MANIFEST.json (every file with bytes and SHA-256) last.
 *
 *   node --import tsx scripts/make-data.ts [--shared DIR] [--out DIR]
 *
 * Subsets: MNIST / Fashion-MNIST / CIFAR-10 2,000 train + 1,000 test (200 / 100 per class), FSDD
 * test split (index 0-4, all 6 speakers: 300 wavs), all Soundtracks rating CSVs, all DEAM CSVs and 3
 * of its clips, all 4 JamendoLyrics songs with their annotations, and the 50 attack logs the authors
of P1 (Hoedt et al. 2025) published (models.csv, runs/<run>/{hparams.yaml, log.csv}). About 50 MB in all.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Rng, seedFor } from '../src/lib/engine/random';
import { readIdx } from '../src/lib/data/readIdx';
import { writeIdx } from '../src/lib/data/writeIdx';

const SEED = 20240601;
const root = resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? resolve(args[i + 1]) : dflt;
};
const shared = opt('--shared', resolve(root, '..', 'shared', 'data'));
const out = opt('--out', resolve(root, 'data'));
if (!existsSync(shared)) throw new Error(`make-data: shared data shelf not found at ${shared}; pass --shared DIR.`);

const gz = (b: Uint8Array) => gzipSync(b, { level: 9 }); // node's gzip header has mtime 0: deterministic
const write = (rel: string, bytes: Uint8Array | string) => {
  const p = join(out, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, bytes);
};
const copy = (fromRel: string, toRel: string) => {
  const p = join(out, toRel);
  mkdirSync(dirname(p), { recursive: true });
  copyFileSync(join(shared, fromRel), p);
};

/** Indices of `perClass` examples of each class, chosen by a seeded shuffle, returned in ascending order. */
function stratifiedPick(labels: ArrayLike<number>, classes: number, perClass: number, seed: number): number[] {
  const rng = new Rng(seed);
  const picked: number[] = [];
  for (let k = 0; k < classes; k++) {
    const idx: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === k) idx.push(i);
    if (idx.length < perClass) throw new Error(`make-data: class ${k} has only ${idx.length} examples, need ${perClass}.`);
    picked.push(...rng.shuffle(idx).slice(0, perClass));
  }
  return picked.sort((a, b) => a - b);
}

function idxSubset(name: string, perClass: { train: number; test: number }) {
  for (const [split, prefix] of [['train', 'train'], ['test', 't10k']] as const) {
    const img = readIdx(join(shared, name, `${prefix}-images-idx3-ubyte.gz`));
    const lbl = readIdx(join(shared, name, `${prefix}-labels-idx1-ubyte.gz`));
    const [, h, w] = img.dims;
    const pick = stratifiedPick(lbl.data, 10, perClass[split], seedFor(SEED, name, split));
    const xi = new Uint8Array(pick.length * h * w);
    const yi = new Uint8Array(pick.length);
    pick.forEach((i, j) => {
      xi.set((img.data as Uint8Array).subarray(i * h * w, (i + 1) * h * w), j * h * w);
      yi[j] = lbl.data[i];
    });
    write(`${name}/${prefix}-images-idx3-ubyte.gz`, gz(writeIdx([pick.length, h, w], xi)));
    write(`${name}/${prefix}-labels-idx1-ubyte.gz`, gz(writeIdx([pick.length], yi)));
  }
}

function cifarSubset(perClass: { train: number; test: number }) {
  for (const [split, file] of [['train', 'data_batch_1.bin.gz'], ['test', 'test_batch.bin.gz']] as const) {
    const b = new Uint8Array(gunzipSync(readFileSync(join(shared, 'cifar10', file))));
    const n = b.length / 3073;
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) labels[i] = b[i * 3073];
    const pick = stratifiedPick(labels, 10, perClass[split], seedFor(SEED, 'cifar10', split));
    const o = new Uint8Array(pick.length * 3073);
    pick.forEach((i, j) => o.set(b.subarray(i * 3073, (i + 1) * 3073), j * 3073));
    write(`cifar10/${file}`, gz(o));
  }
  copy('cifar10/batches.meta.txt', 'cifar10/batches.meta.txt');
}

const LICENSES: Record<string, string> = {
  mnist: `# MNIST subset: licence and attribution

MNIST handwritten digits by Yann LeCun, Corinna Cortes and Christopher J. C. Burges.
Licence: CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/).

This folder holds a subset: 2,000 training images (200 per class) and 1,000 test images (100 per
class), chosen by a seeded stratified draw (scripts/make-data.ts) from the project's shared copy,
which has the same images and class counts as the original, re-encoded losslessly from PNGs to IDX
with the order shuffled by a fixed seed. Files: gzipped IDX, as published. Modifications: subset only.
`,
  'fashion-mnist': `# Fashion-MNIST subset: licence and attribution

Fashion-MNIST by Zalando Research (Han Xiao, Kashif Rasul, Roland Vollgraf, arXiv 1708.07747).
Licence: MIT License, Copyright (c) 2017 Zalando SE.

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files, to deal in them without restriction, subject to including the
copyright notice and this permission notice; THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF
ANY KIND (full text: https://opensource.org/licenses/MIT).

This folder holds a subset: 2,000 training images (200 per class) and 1,000 test images (100 per
class), chosen by a seeded stratified draw (scripts/make-data.ts). Files: gzipped IDX, as published.
`,
  cifar10: `# CIFAR-10 subset: terms and attribution

CIFAR-10 by Alex Krizhevsky, Vinod Nair and Geoffrey Hinton: "Learning Multiple Layers of Features
from Tiny Images", Alex Krizhevsky, 2009. Used under the CIFAR-10 terms (free for research, cite the
report above).

SLIGHTLY LOSSY: the shared copy these images come from was decoded from JPEG copies (quality ~75),
so pixel values differ slightly from the original CIFAR-10 bytes. Say so wherever they are used.

This folder holds a subset: 2,000 training images (200 per class, from data_batch_1) and 1,000 test
images (100 per class, from test_batch), chosen by a seeded stratified draw (scripts/make-data.ts),
in the CIFAR binary layout (1 label byte, then 1024 R, 1024 G, 1024 B bytes), gzipped.
`,
  fsdd: `# Free Spoken Digit Dataset (FSDD) subset: licence and attribution

Free Spoken Digit Dataset, Zohar Jackson and contributors (speakers george, jackson, lucas, nicolas,
theo, yweweler). Licence: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), as stated
on the data set's Zenodo record.

This folder holds the customary test split only: recordings with index 0-4 for every digit and all
6 speakers (10 x 6 x 5 = 300 files), unmodified 8 kHz mono 16-bit WAV named {digit}_{speaker}_{index}.wav.
`,
  soundtracks: `# Soundtracks data set (ratings only): licence and attribution

T. Eerola and J. K. Vuoskoski (2011). "A comparison of the discrete and dimensional models of
emotion in music." Psychology of Music 39(1), 18-49. Listener mean ratings (1-9 scale) for set 1
(360 film-music excerpts: valence, energy, tension, anger, fear, happy, sad, tender) and set 2
(110 excerpts, plus beauty and liking), and the tracklists.
Ratings licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).

Ratings only, NO audio: the excerpts are commercial film music. All four CSVs, unmodified.
`,
  deam: `# DEAM / MediaEval emotion in music subset: licence and attribution

DEAM: MediaEval Database for Emotional Analysis in Music. A. Aljanaki, Y.-H. Yang, M. Soleymani
(2017), "Developing a benchmark for emotional analysis of music", PLoS ONE 12(3): e0173392.
Annotations licence: CC BY-NC (non-commercial use, with attribution). Audio: Creative Commons
licences of the sources (Free Music Archive, Jamendo, MedleyDB); see songs_info.csv for artist and title.

This folder holds all static (song-level) annotation CSVs, unmodified (arousal/valence means and
standard deviations on a 1-9 scale, song_id keyed; static_annotations.csv covers the 744-song
MediaEval 2013 subset), songs_info.csv, and 3 of the 45 s clips (audio/2.wav, 3.wav, 4.wav),
22.05 kHz mono 16-bit WAV decoded from the published 64 kbps MP3s.
`,
  'hoedt2025-attack-logs': `# Hoedt, Flexer, Widmer (2025) attack logs: licence and attribution

The adversarial-attack logs published by the authors of "Are Inherently Interpretable Models More
Robust? A Study In Music Emotion Recognition" (K. Hoedt, A. Flexer, G. Widmer, arXiv 2508.03780) with
their code, repository CPJKU/robustness_mer_bottleneck, folder runs/adversaries. Copyright (c) 2025
Institute of Computational Perception. Licence: MIT (the text is in LICENSE beside this file, unchanged).

All 50 runs (5 architectures x 10 seeds, 36 test excerpts each): runs/<run>/hparams.yaml and log.csv,
unmodified; models.csv maps each run folder to its seed and architecture (from the authors' analysis
code); README.md describes the columns. Read by papers.hoedt2025.loadAuthorsLogs.
`,
  jamendolyrics: `# JamendoLyrics subset: licences and attribution

JamendoLyrics (D. Stoller, S. Durand, S. Ewert, "End-to-end lyrics alignment for polyphonic music
using an audio-to-character recognition model", ICASSP 2019; the multi-lingual 2023 release).
Annotations and code: MIT License (LICENSE.code-and-annotations, copied unchanged beside this file).
Songs (audio), per JamendoLyrics.csv:
  - Fantasma_-_Los_Rombos: "Fantasma" by LOS ROMBOS, CC BY-SA
  - Yuanan_-_Miedo_-_Yuanan: "Miedo" by YUANAN "J.A.R", CC BY-NC-SA
  - de_bonne_humeur_-_Le_Nez_Tordu: "de bonne humeur" by LE NEZ TORDU, CC BY-NC-SA
  - te_amo_-_fabios_la_nueva_expresion_de_la_cancion: "te amo" by FABIOS LA NUEVA EXPRESION DE LA CANCION, CC BY-NC-SA
(https://creativecommons.org/licenses/). Audio: 22.05 kHz mono 16-bit WAV decoded from the published MP3s.

All 4 songs of the shared shelf are here, with word-level (annotations/*.words.csv: word_start,
word_end, line_end in s) and line-level timings, unmodified. They are the project's only real
singing-voice data: sung / not-sung frame labels are derived from the word spans (loadJamendoLyrics).
`,
};

function main() {
  if (existsSync(out)) for (const e of readdirSync(out)) rmSync(join(out, e), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  idxSubset('mnist', { train: 200, test: 100 });
  idxSubset('fashion-mnist', { train: 200, test: 100 });
  cifarSubset({ train: 200, test: 100 });
  for (const f of readdirSync(join(shared, 'fsdd')).sort()) {
    const m = /^(\d)_([a-z]+)_(\d+)\.wav$/.exec(f);
    if (m && Number(m[3]) <= 4) copy(`fsdd/${f}`, `fsdd/${f}`);
  }
  for (const f of readdirSync(join(shared, 'soundtracks')).filter((f) => f.endsWith('.csv')).sort()) copy(`soundtracks/${f}`, `soundtracks/${f}`);
  for (const f of readdirSync(join(shared, 'deam')).filter((f) => f.endsWith('.csv')).sort()) copy(`deam/${f}`, `deam/${f}`);
  for (const id of [2, 3, 4]) copy(`deam/audio/${id}.wav`, `deam/audio/${id}.wav`);
  copy('jamendolyrics/JamendoLyrics.csv', 'jamendolyrics/JamendoLyrics.csv');
  copy('jamendolyrics/LICENSE.code-and-annotations', 'jamendolyrics/LICENSE.code-and-annotations');
  for (const f of readdirSync(join(shared, 'jamendolyrics', 'annotations')).sort()) copy(`jamendolyrics/annotations/${f}`, `jamendolyrics/annotations/${f}`);
  for (const f of readdirSync(join(shared, 'jamendolyrics', 'audio')).sort()) copy(`jamendolyrics/audio/${f}`, `jamendolyrics/audio/${f}`);
  const logs = 'hoedt2025-attack-logs';
  for (const f of ['LICENSE', 'README.md', 'models.csv']) copy(`${logs}/${f}`, `${logs}/${f}`);
  for (const run of readdirSync(join(shared, logs, 'runs')).sort()) {
    for (const f of ['hparams.yaml', 'log.csv']) copy(`${logs}/runs/${run}/${f}`, `${logs}/runs/${run}/${f}`);
  }
  for (const [name, text] of Object.entries(LICENSES)) write(`${name}/LICENSE.md`, text);
  write('README.md', README);
  writeManifest();
}

function listFiles(dir: string): string[] {
  const res: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) res.push(...listFiles(p));
    else res.push(p);
  }
  return res;
}

function writeManifest() {
  const files = listFiles(out)
    .filter((p) => relative(out, p) !== 'MANIFEST.json')
    .map((p) => {
      const b = readFileSync(p);
      return { path: relative(out, p).split('\\').join('/'), bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') };
    });
  const total = files.reduce((a, f) => a + f.bytes, 0);
  const manifest = { generatedBy: 'scripts/make-data.ts', seed: SEED, totalBytes: total, files };
  write('MANIFEST.json', JSON.stringify(manifest, null, 1) + '\n');
  console.log(`make-data: ${files.length} files, ${(total / 1e6).toFixed(1)} MB in ${out}`);
  if (total > 60e6) throw new Error(`make-data: data/ is ${(total / 1e6).toFixed(1)} MB, over the 60 MB budget.`);
}

const README = `# data/: the embedded subsets

Built by \`node --import tsx scripts/make-data.ts\` from the shared data shelf (reproducible: fixed
seed ${SEED}, stratified per class; gzip without timestamps). Every file with its size and SHA-256 is
in MANIFEST.json (checked by tests/data/manifest.test.ts). Each folder has a LICENSE.md with the
licence and attribution of its data set; the data are NOT under the project's MIT licence.

| folder | what | loader |
|---|---|---|
| mnist/ | 2,000 train + 1,000 test (200 / 100 per class), gzipped IDX | data.loadMnist |
| fashion-mnist/ | 2,000 train + 1,000 test (200 / 100 per class), gzipped IDX | data.loadFashionMnist |
| cifar10/ | 2,000 train + 1,000 test (200 / 100 per class), CIFAR binary, gz; decoded from JPEG (q~75): slightly lossy | data.loadCifar10 |
| fsdd/ | Free Spoken Digit Dataset test split (index 0-4), 6 speakers, 300 wavs, 8 kHz | data.loadFsdd |
| soundtracks/ | Soundtracks set 1 and 2 mean ratings and tracklists (no audio) | data.loadSoundtracks |
| deam/ | DEAM static annotations (all CSVs) and 3 clips (song ids 2, 3, 4), 22.05 kHz | data.loadDeamStatic |
| jamendolyrics/ | 4 JamendoLyrics songs with word and line timings, 22.05 kHz | data.loadJamendoLyrics |
| hoedt2025-attack-logs/ | the P1 authors' 50 published attack logs (5 architectures x 10 seeds x 36 test excerpts), MIT | papers.hoedt2025.loadAuthorsLogs |

Full data sets: pass their folder to the loader (e.g. \`loadMnist('/data/mnist')\`) or set
ROBUSTLENS_DATA to a root holding folders named as above.
`;

main();
