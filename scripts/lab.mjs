#!/usr/bin/env node
// npm run lab: build the library and start Jupyter Notebook with the project-local tslab kernel.
// Jupyter is optional for robustlens (notebooks run headless with Node alone) but needed to edit
// notebooks interactively in a browser. As root (Docker, cloud VMs) it passes --allow-root itself.
// Figures carry plotly.js inline once per session (~4.5 MB): the output rate limit is raised so
// Jupyter does not drop it. Extra arguments go to Jupyter (`npm run lab -- --port 8890`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, jupyterPython, jupyterEnv, build } from './env.mjs';

const py = jupyterPython(['notebook']);
build();
const extra = process.argv.slice(2);
const args = ['-m', 'notebook', `--notebook-dir=${join(root, 'notebooks')}`, '--ServerApp.iopub_data_rate_limit=1e10', '--NotebookApp.iopub_data_rate_limit=1e10', ...extra];
if (typeof process.getuid === 'function' && process.getuid() === 0 && !extra.includes('--allow-root')) args.push('--allow-root');
const r = spawnSync(py, args, { stdio: 'inherit', env: jupyterEnv() });
process.exit(r.status ?? 1);
