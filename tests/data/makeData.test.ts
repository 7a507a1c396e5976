import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const shared = join(root, '..', 'shared', 'data');

test('scripts/make-data.ts rebuilds data/ byte for byte from the shared shelf', { skip: !existsSync(shared) && 'no shared data shelf' }, () => {
  const out = mkdtempSync(join(tmpdir(), 'rl-make-data-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'make-data.ts'), '--shared', shared, '--out', out], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const rebuilt = JSON.parse(readFileSync(join(out, 'MANIFEST.json'), 'utf8'));
    const committed = JSON.parse(readFileSync(join(root, 'data', 'MANIFEST.json'), 'utf8'));
    assert.deepEqual(rebuilt, committed);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
