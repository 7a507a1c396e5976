/**
 * SHA-256 digests of a saved model, stored in its card so a load can tell the files are the ones
 * that were saved. A weights.bin of the right size with flipped bytes, a NaN, zeros or another
 * model's weights, or a model.json with one activation changed, all load "fine" as far as tfjs can
 * tell; only a digest catches them.
 *
 * - `weights`: SHA-256 of weights.bin's bytes.
 * - `topology`: SHA-256 of model.json's modelTopology and weightsManifest, serialised with sorted
 *   keys (stableStringify), so re-indenting the JSON or a line-ending change does not matter but
 *   any change to a layer, an activation, a shape or a weight name does.
 *
 * @example
 *   const d = modelDigests('models/p4_synth_demo_eps0');   // { algorithm: 'sha256', weights: '9f…', topology: '41…' }
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stableStringify } from './card';
import { MODEL_JSON, WEIGHTS_BIN } from './fsHandler';

export interface ModelDigests {
  algorithm: 'sha256';
  /** Hex SHA-256 of weights.bin. */
  weights: string;
  /** Hex SHA-256 of stableStringify({ modelTopology, weightsManifest }) from model.json. */
  topology: string;
}

/** Thrown when a model's files do not match the digests in its card (or the card has none). */
export class DigestMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DigestMismatchError';
  }
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Digest of weights.bin's bytes. */
export function weightsDigest(bytes: Uint8Array): string {
  return sha256(bytes);
}

/** Digest of a parsed model.json's topology and weights manifest (key order ignored). */
export function topologyDigest(json: { modelTopology?: unknown; weightsManifest?: unknown }): string {
  return sha256(stableStringify({ modelTopology: json.modelTopology ?? null, weightsManifest: json.weightsManifest ?? null }));
}

/** Compute the digests of the model saved in `dir` (model.json + weights.bin). */
export function modelDigests(dir: string): ModelDigests {
  const jsonPath = path.join(dir, MODEL_JSON);
  const binPath = path.join(dir, WEIGHTS_BIN);
  for (const f of [jsonPath, binPath]) if (!fs.existsSync(f)) throw new Error(`modelDigests: ${f} is missing`);
  let json: { modelTopology?: unknown; weightsManifest?: unknown };
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new Error(`modelDigests: ${jsonPath} is corrupt (not valid JSON: ${(e as Error).message})`);
  }
  return { algorithm: 'sha256', weights: weightsDigest(fs.readFileSync(binPath)), topology: topologyDigest(json) };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Whether `d` is a well-formed digests record (as stored in a card). */
export function isDigests(d: unknown): d is ModelDigests {
  const o = d as Record<string, unknown> | null;
  return !!o && typeof o === 'object' && o.algorithm === 'sha256' && HEX64.test(String(o.weights)) && HEX64.test(String(o.topology));
}

/**
 * Compare the digests of what is about to be loaded with the card's; throw DigestMismatchError
 * naming the file that differs. `where` prefixes the message (e.g. 'loadModel').
 */
export function checkDigests(where: string, dir: string, expected: unknown, actual: ModelDigests): void {
  const card = path.join(dir, 'card.json');
  if (!isDigests(expected)) {
    throw new DigestMismatchError(
      `${where}: ${card} has no SHA-256 digests, so ${dir} cannot be verified (a card saved before digests were recorded). ` +
        'Retrain it (getOrTrain does so), or, only if you trust these files, record their digests with `node scripts/model-digests.mjs <models folder>`.',
    );
  }
  const short = (h: string) => h.slice(0, 12);
  if (expected.topology !== actual.topology) {
    throw new DigestMismatchError(
      `${where}: ${path.join(dir, MODEL_JSON)} does not match the digest in ${card} (topology sha256 ${short(actual.topology)}…, card says ${short(expected.topology)}…): ` +
        'the architecture was altered or the file replaced. Retrain (getOrTrain does so) or restore the saved file.',
    );
  }
  if (expected.weights !== actual.weights) {
    throw new DigestMismatchError(
      `${where}: ${path.join(dir, WEIGHTS_BIN)} does not match the digest in ${card} (sha256 ${short(actual.weights)}…, card says ${short(expected.weights)}…): ` +
        'the weights were altered or replaced. Retrain (getOrTrain does so) or restore the saved file.',
    );
  }
}
