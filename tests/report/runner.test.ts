// The headless notebook runner: a good notebook passes; an awaited error or a floating promise
// rejection fails the run with a non-zero exit naming the notebook and the cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = join(__dirname, '..', '..');
const py = '/usr/bin/python3';
const hasJupyter = existsSync(py) && spawnSync(py, ['-c', 'import nbclient'], { stdio: 'ignore' }).status === 0;

function run(nb: string) {
  const out = mkdtempSync(join(tmpdir(), 'rl-nb-'));
  const r = spawnSync(py, [join(root, 'scripts', 'run_notebooks.py'), out, join(root, 'tests', 'fixtures', 'notebooks', nb)], {
    env: { ...process.env, JUPYTER_PATH: join(root, 'jupyter') },
    encoding: 'utf8',
    timeout: 120000,
  });
  return { ...r, out };
}

test('a clean notebook runs and leaves an executed copy with outputs and an HTML export', { skip: !hasJupyter && 'Jupyter not installed' }, () => {
  const r = run('ok.ipynb');
  assert.equal(r.status, 0, r.stderr);
  const executed = JSON.parse(readFileSync(join(r.out, 'ok.ipynb'), 'utf8'));
  assert.match(JSON.stringify(executed.cells[0].outputs), /answer 42/);
  assert.ok(existsSync(join(r.out, 'ok.html')));
});

test('an awaited error fails the run, naming notebook, cell and message', { skip: !hasJupyter && 'Jupyter not installed' }, () => {
  const r = run('fails_await.ipynb');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /fails_await\.ipynb failed in cell 2 .*planted failure/);
});

test('a promise rejection nobody awaited fails the run too', { skip: !hasJupyter && 'Jupyter not installed' }, () => {
  const r = run('fails_floating.ipynb');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /fails_floating\.ipynb failed in cell 2/);
});
