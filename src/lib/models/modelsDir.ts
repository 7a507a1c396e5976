/**
 * Where trained models live: ROBUSTLENS_MODELS if set, else the project's models/ folder,
 * resolved from this file (dist/lib/models or src/lib/models -> ../../../models).
 */
import * as path from 'node:path';

export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = (env.ROBUSTLENS_MODELS ?? '').trim();
  return fromEnv ? path.resolve(fromEnv) : path.resolve(__dirname, '..', '..', '..', 'models');
}

/** A model name is one path segment: letters, digits, '.', '_', '-' (not starting with '.'). */
export function checkName(where: string, name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new Error(`${where}: model name "${name}" must be letters, digits, '.', '_' or '-' (one folder name, not starting with '.')`);
  }
}
