/**
 * A tf.io handler that saves and loads a LayersModel in the TensorFlow.js layers format
 * (model.json + weights.bin) with node's fs. (tf.io's 'file://' scheme needs tfjs-node.)
 * Every file is fsync'ed. Loading checks model.json parses and weights.bin has the size the
 * manifest promises, with a clear error naming the file otherwise.
 *
 * @example
 *   await model.save(fsHandler('/tmp/m'));  const m2 = await tf.loadLayersModel(fsHandler('/tmp/m'));
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Write a file and fsync it before closing. */
export function writeFileSynced(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync a directory (so a rename inside it is durable); ignored where the OS does not allow it. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* not supported on this platform */
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

function expectedBytes(specs: tf.io.WeightsManifestEntry[]): number {
  let n = 0;
  for (const s of specs) {
    if (s.quantization) throw new Error(`quantized weights ("${s.name}") are not supported`);
    const b = BYTES[s.dtype];
    if (!b) throw new Error(`weight "${s.name}" has unsupported dtype ${s.dtype}`);
    n += b * s.shape.reduce((a, d) => a * d, 1);
  }
  return n;
}

export interface FsHandlerOptions {
  /**
   * Called on load with the parsed model.json and the weights.bin bytes about to be loaded, before
   * tfjs sees them; throw to refuse them (loadModel checks the card's digests here).
   */
  verify?: (json: tf.io.ModelJSON, weights: Uint8Array) => void;
}

export function fsHandler(dir: string, options: FsHandlerOptions = {}): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('fsHandler: binary model topology is not supported');
      fs.mkdirSync(dir, { recursive: true });
      const weights = artifacts.weightData ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : new Uint8Array(0);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSynced(path.join(dir, WEIGHTS_BIN), weights);
      writeFileSynced(path.join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, MODEL_JSON);
      const binPath = path.join(dir, WEIGHTS_BIN);
      if (!fs.existsSync(jsonPath)) throw new Error(`fsHandler: ${jsonPath} is missing`);
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
      } catch (e) {
        throw new Error(`fsHandler: ${jsonPath} is corrupt (not valid JSON: ${(e as Error).message})`);
      }
      if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new Error(`fsHandler: ${jsonPath} is corrupt (no modelTopology / weightsManifest)`);
      }
      const specs = json.weightsManifest.flatMap((g) => g.weights);
      if (!fs.existsSync(binPath)) throw new Error(`fsHandler: ${binPath} is missing`);
      const buf = fs.readFileSync(binPath);
      const want = expectedBytes(specs);
      if (buf.byteLength !== want) {
        throw new Error(`fsHandler: ${binPath} is corrupt or partial: ${buf.byteLength} bytes, the manifest needs ${want}`);
      }
      options.verify?.(json, buf); // after the size check, so a partial file keeps its own message
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
      };
    },
  };
}
