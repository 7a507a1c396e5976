/**
 * Where trained models live: ROBUSTLENS_MODELS if set, else the project's models/ folder,
 * resolved from this file (dist/lib/models or src/lib/models -> ../../../models).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = (env.ROBUSTLENS_MODELS ?? '').trim();
  return fromEnv ? path.resolve(fromEnv) : path.resolve(__dirname, '..', '..', '..', 'models');
}

/**
 * Why models cannot be saved under `root`, or null when they can: creates the folder if missing,
 * then writes and removes a probe file (what a save does first). Never throws.
 */
export function unwritableReason(root: string): string | null {
  const probe = path.join(root, `.write-probe-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  try {
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
