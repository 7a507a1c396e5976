/**
 * Where the data lives: the project's own data/ folder (the embedded subsets), found relative to
 * the compiled library (dist/lib/data/ -> ../../../data; the same from src/lib/data/ under tsx),
 * unless the environment variable ROBUSTLENS_DATA names another folder.
 *
 * @example
 *   dataDir()                 // '/path/to/robustlens/data'
 *   dataDir('mnist')          // '/path/to/robustlens/data/mnist'
 *   ROBUSTLENS_DATA=/big/data node ...   // every loader without a dir argument reads from /big/data
 */
import { resolve } from 'node:path';

/** The default data directory (or a sub-path of it). */
export function dataDir(...parts: string[]): string {
  const env = process.env.ROBUSTLENS_DATA;
  const root = env && env.trim() !== '' ? resolve(env) : resolve(__dirname, '..', '..', '..', 'data');
  return resolve(root, ...parts);
}
