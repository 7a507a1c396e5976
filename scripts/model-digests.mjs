#!/usr/bin/env node
// Record (or check) the SHA-256 digests in the model cards of a models folder, for models whose
// files you trust but whose cards lack digests or were edited by hand (e.g. committed demo models
// after a retrain outside getOrTrain). getOrTrain/saveModel write the digests themselves; loads
// verify them. Uses the built library (npm run build first).
//   node scripts/model-digests.mjs [--check] [models folder (default: models/)]
// --check: write nothing, list cards whose digests are missing or do not match, exit 1 if any.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const check = args.includes('--check');
const rest = args.filter((a) => a !== '--check');
if (rest.some((a) => a.startsWith('--')) || rest.length > 1) {
  console.error('usage: node scripts/model-digests.mjs [--check] [models folder]');
  process.exit(2);
}
const dir = resolve(rest[0] ?? join(root, 'models'));
const lib = join(root, 'dist', 'lib', 'models', 'modelDigests.js');
if (!existsSync(lib)) {
  console.error(`model-digests: ${lib} is missing; run npm run build first.`);
  process.exit(2);
}
const { modelDigests } = createRequire(import.meta.url)(lib);

let bad = 0;
for (const name of readdirSync(dir).sort()) {
  const cardPath = join(dir, name, 'card.json');
  if (name.startsWith('.') || !existsSync(cardPath)) continue;
  const card = JSON.parse(readFileSync(cardPath, 'utf8'));
  const d = modelDigests(join(dir, name));
  const same = card.digests && card.digests.weights === d.weights && card.digests.topology === d.topology;
  if (check) {
    if (!same) {
      bad++;
      console.log(`${name}: ${card.digests ? 'digests do not match the files' : 'no digests'}`);
    }
    continue;
  }
  if (same) continue;
  card.digests = d;
  card.cardVersion = Math.max(card.cardVersion ?? 1, 2);
  const tmp = `${cardPath}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(card, null, 2));
  renameSync(tmp, cardPath);
  console.log(`${name}: digests recorded`);
}
if (check) console.log(bad ? `${bad} card(s) unverified in ${dir}` : `all cards in ${dir} verify`);
process.exit(bad ? 1 : 0);
