/** File plumbing shared by the loaders: clear errors for missing folders/files, optional gzip. */
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Throw a clear error unless `dir` is an existing folder; `expected` says what should be in it. */
export function requireDir(where: string, dir: string, expected: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`${where}: folder not found: ${dir}. Expected it to contain ${expected}. ` +
      'Pass the folder that holds these files, or set ROBUSTLENS_DATA to a data root.');
  }
}

/** The first of `names` that exists in `dir` (each tried as is and with .gz), or a clear error. */
export function findFile(where: string, dir: string, names: string[]): string {
  for (const n of names) {
    for (const cand of [n, n + '.gz']) {
      const p = join(dir, cand);
      if (existsSync(p)) return p;
    }
  }
  let present = '';
  try {
    present = readdirSync(dir).slice(0, 12).join(', ');
  } catch {
    present = '(unreadable)';
  }
  throw new Error(`${where}: none of ${names.map((n) => `${n}[.gz]`).join(', ')} found in ${dir} (it holds: ${present || 'nothing'}).`);
}

/** True when bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Read a file, gunzipping it if it is gzip; errors name the file. */
export function readMaybeGz(path: string): Uint8Array {
  const raw = new Uint8Array(readFileSync(path));
  return gunzipOrPass(raw, path);
}

/** Gunzip bytes if they are gzip (errors name `label`). */
export function gunzipOrPass(raw: Uint8Array, label: string): Uint8Array {
  if (!isGzip(raw)) return raw;
  try {
    return new Uint8Array(gunzipSync(raw));
  } catch (e) {
    throw new Error(`${label}: corrupt or truncated gzip data (${(e as Error).message}). Re-download or re-create the file.`);
  }
}
