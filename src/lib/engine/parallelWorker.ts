/**
 * The worker thread of engine.modelPool (parallel.ts): start the engine with the main thread's
 * backend, rebuild the model from its artifacts, then answer {predict} messages with the model's
 * outputs (model.apply(x, {training: false}), as asFn). Not imported by the library; started as a
 * Worker entry. The custom layers the artifacts may name are registered by the modules given to
 * registerWorkerSetup in the main thread (parallel.ts), required here first.
 */
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { ready } from './backend';

interface Request {
  type: 'predict';
  id: number;
  data: ArrayBuffer;
  shape: number[];
}

const port = parentPort!;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function main(): Promise<void> {
  let model: tf.LayersModel;
  try {
    await ready();
    for (const m of workerData.setups as string[]) require(m);
    const { modelTopology, weightSpecs, weightData } = workerData.artifacts;
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
  } catch (e) {
    const hint = /Unknown layer/.test(message(e)) ? " (a worker knows robustlens' own layers only)" : '';
    port.postMessage({ type: 'loadError', message: message(e) + hint });
    return;
  }
  port.on('message', (m: Request) => {
    if (m.type !== 'predict') return;
    try {
      const y = tf.tidy(() => {
        const x = tf.tensor(new Float32Array(m.data), m.shape);
        return model.apply(x, { training: false }) as tf.Tensor;
      });
      const shape = y.shape.slice();
      const v = y.dataSync() as Float32Array;
      y.dispose();
      const out = v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v : v.slice();
      port.postMessage({ type: 'result', id: m.id, data: out.buffer, shape }, [out.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ type: 'error', id: m.id, message: message(e) });
    }
  });
  port.postMessage({ type: 'ready' });
}

void main();
