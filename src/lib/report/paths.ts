/** Where the report layer writes: figures/ (figures and result tables) of the project. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root: the folder holding package.json above the compiled (or source) library. */
export function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'lib'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** Output folder for figures and CSV tables: ROBUSTLENS_FIGURES or <project>/figures. Created on demand. */
export function figuresDir(): string {
  const dir = process.env.ROBUSTLENS_FIGURES ? path.resolve(process.env.ROBUSTLENS_FIGURES) : path.join(projectRoot(), 'figures');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * An href for a file written by the report layer, relative to where the notebook showing it lives:
 * ROBUSTLENS_LINK_BASE (the headless runner sets it to the folder it writes executed notebooks to),
 * else the working directory (a tslab kernel runs in the notebook's folder).
 */
export function linkHref(file: string): string {
  const base = process.env.ROBUSTLENS_LINK_BASE ? path.resolve(process.env.ROBUSTLENS_LINK_BASE) : process.cwd();
  return path.relative(base, path.resolve(file)).split(path.sep).map(encodeURIComponent).join('/');
}

/** Write a file atomically: write a temp file beside it, then rename. */
export function writeAtomic(file: string, content: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
