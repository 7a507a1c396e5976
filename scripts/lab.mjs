#!/usr/bin/env node
// npm run lab: build the library and start Jupyter with the project-local tslab kernel.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, jupyterPython, jupyterEnv, build } from './env.mjs';

const py = jupyterPython(['notebook']);
build();
const extra = process.argv.slice(2);
const r = spawnSync(py, ['-m', 'notebook', `--notebook-dir=${join(root, 'notebooks')}`, ...extra], { stdio: 'inherit', env: jupyterEnv() });
process.exit(r.status ?? 1);
