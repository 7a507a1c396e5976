// Shared by the npm scripts: project paths, the Python with Jupyter, the environment for the kernel.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The Python that has Jupyter (optional: robustlens runs notebooks with Node alone):
 * ROBUSTLENS_PYTHON, else Debian's /usr/bin/python3, else python3 on PATH; null when none has `modules`.
 */
export function findJupyterPython(modules = ['nbclient', 'nbformat']) {
  const candidates = [process.env.ROBUSTLENS_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  for (const py of candidates) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const r = spawnSync(py, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

/** findJupyterPython, or exit with the install command. */
export function jupyterPython(modules = ['nbclient', 'nbformat']) {
  const py = findJupyterPython(modules);
  if (py) return py;
  console.error(
    `robustlens: Jupyter is not installed (no python3 with ${modules.join(', ')}). ` +
      'Install it with: sudo apt-get install jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel jupyter-notebook',
  );
  process.exit(2);
}

/** Environment for Jupyter: the project-local kernelspec first on JUPYTER_PATH. */
export function jupyterEnv(extra = {}) {
  const jp = [join(root, 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(':');
  return { ...process.env, JUPYTER_PATH: jp, ...extra };
}

/** Compile src/lib to dist/ (exit on a compile error). */
export function build() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    console.error('robustlens: dependencies are missing; run `npm ci` first.');
    process.exit(2);
  }
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error('robustlens: the library did not compile (errors above).');
    process.exit(1);
  }
}
