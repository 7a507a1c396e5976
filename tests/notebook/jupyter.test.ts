// Where Jupyter is installed: a real tslab kernel (the project's kernelspec, started by nbclient)
// survives a promise nobody awaited, reports it, and the next cell still sees earlier variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const py = [process.env.ROBUSTLENS_PYTHON, '/usr/bin/python3'].find((p) => p && existsSync(p));
const hasJupyter = !!py && spawnSync(py, ['-c', 'import nbclient, nbformat, jupyter_client'], { stdio: 'ignore' }).status === 0;
const built = existsSync(join(root, 'dist', 'lib', 'index.js'));

const SCRIPT = `
import json, sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name='tslab', allow_errors=True,
               resources={'metadata': {'path': sys.argv[2]}}).execute()
print(json.dumps([[o.get('text', '') for o in c.get('outputs', []) if o.get('output_type') == 'stream'] for c in nb.cells]))
`;

test('a real tslab kernel survives an unawaited rejection and keeps its variables', { skip: (!hasJupyter && 'skipped: Jupyter not installed') || (!built && 'run `npm run build` first') }, () => {
  const dir = join(root, 'tests', 'fixtures', 'notebooks');
  const r = spawnSync(py!, ['-c', SCRIPT, join(dir, 'kernel_survives.ipynb'), dir], {
    encoding: 'utf8',
    timeout: 600000,
    env: { ...process.env, JUPYTER_PATH: join(root, 'jupyter') },
  });
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  const streams: string[][] = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.match(streams[1].join(''), /nobody awaited me/);
  assert.match(streams[1].join(''), /the kernel keeps running/);
  assert.equal(streams[2].join(''), 'x + 1 = 42\n', 'the kernel is the same process: x is still defined');
});
