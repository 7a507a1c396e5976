import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', 'data');

function list(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? list(p) : [relative(root, p).split('\\').join('/')];
  });
}

test('data/MANIFEST.json lists every file in data/ with its exact size and SHA-256', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'MANIFEST.json'), 'utf8')) as { totalBytes: number; files: { path: string; bytes: number; sha256: string }[] };
  const listed = new Set(manifest.files.map((f) => f.path));
  const present = list(root).filter((p) => p !== 'MANIFEST.json');
  assert.deepEqual(present.filter((p) => !listed.has(p)), [], 'files in data/ missing from MANIFEST.json (re-run scripts/make-data.ts)');
  let total = 0;
  for (const f of manifest.files) {
    const b = readFileSync(join(root, f.path));
    assert.equal(b.length, f.bytes, `${f.path}: size`);
    assert.equal(createHash('sha256').update(b).digest('hex'), f.sha256, `${f.path}: sha256`);
    total += b.length;
  }
  assert.equal(total, manifest.totalBytes);
  assert.ok(total < 60e6, `data/ is ${(total / 1e6).toFixed(1)} MB, over the 60 MB budget`);
});

test('every subset folder carries a LICENSE.md', () => {
  for (const d of readdirSync(root).filter((e) => statSync(join(root, e)).isDirectory())) {
    assert.match(readFileSync(join(root, d, 'LICENSE.md'), 'utf8'), /licen[cs]e|terms/i, `${d}/LICENSE.md`);
  }
});
