/**
 * Model cards: card.json beside model.json, saying what the model is and how it was made.
 * A card's `config` is the identity of a cached model: getOrTrain reuses a model only when the
 * requested config equals the saved one (deep equality, key order ignored).
 * Since card version 2 a card also carries SHA-256 digests of model.json's topology and of
 * weights.bin (modelDigests); a load verifies them, and a card without them is unverifiable
 * (getOrTrain retrains, loadModel throws).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelDigests } from './modelDigests';

export const CARD_JSON = 'card.json';
export const CARD_VERSION = 2;

export interface ModelCard {
  cardVersion: number;
  name: string;
  /** Architecture name, e.g. 'merCnn/A2M2E'. */
  architecture: string;
  /** Everything that defines the model: architecture options, training options, data choice. */
  config: unknown;
  seed: number | null;
  /** Free-form description of the training data (name, split, sizes). */
  data: unknown;
  /** Final metrics (e.g. test accuracy); free-form numbers. */
  metrics: Record<string, unknown>;
  /** Per-epoch history from training, if given. */
  history: unknown;
  trainingSeconds: number | null;
  parameters: number;
  backend: string;
  tfjsVersion: string;
  /** ISO 8601 time of saving. */
  created: string;
  /** SHA-256 of the saved files (card version 2); verified on every load. */
  digests?: ModelDigests;
}

/** JSON with object keys sorted, so equal configs serialise equally. */
export function stableStringify(v: unknown): string {
  return JSON.stringify(normalise(v));
}

function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = normalise(o[k]);
    return out;
  }
  return v;
}

/** Paths where two configs differ, e.g. ['width: saved 0.125, requested 0.25'] (at most `max`). */
export function configDiff(saved: unknown, requested: unknown, max = 5): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, p: string) => {
    if (out.length >= max) return;
    const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
    if (isObj(a) && isObj(b)) {
      const A = a as Record<string, unknown>;
      const B = b as Record<string, unknown>;
      for (const k of [...new Set([...Object.keys(A), ...Object.keys(B)])].sort()) walk(A[k], B[k], p ? `${p}.${k}` : k);
    } else if (stableStringify(a) !== stableStringify(b)) {
      out.push(`${p || '(config)'}: saved ${JSON.stringify(a)}, requested ${JSON.stringify(b)}`);
    }
  };
  walk(normalise(saved), normalise(requested), '');
  return out;
}

/** Read and check card.json in a model folder; clear errors for missing or corrupt cards. */
export function readCard(dir: string): ModelCard {
  const file = path.join(dir, CARD_JSON);
  if (!fs.existsSync(file)) throw new Error(`model card ${file} is missing`);
  let card: ModelCard;
  try {
    card = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`model card ${file} is corrupt (not valid JSON: ${(e as Error).message})`);
  }
  if (!card || typeof card !== 'object' || typeof card.name !== 'string' || !('config' in card)) {
    throw new Error(`model card ${file} is corrupt (no name / config)`);
  }
  return card;
}
