/**
 * The data of the P4 notebook: synthetic images with planted objects (data.synthImages; train and
 * test from different seeds) and the evaluation subset (the first nEval test images, with their
 * boxes), plus CIFAR-10 (the embedded subset at smoke/demo; the full binary set from
 * ROBUSTLENS_P4_DATA at paper scale, with an error that names the files when it is missing).
 *
 * @example
 *   const d = loadP4Data(cfg);   d.eval.x; d.eval.boxes; d.cifar.test.x; d.dispose();
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { loadCifar10, synthImages, toTensors } from '../../data';
import type { ImageSet, SynthImageSet } from '../../data';
import type { Box } from '../../metrics';
import type { P4Config } from './config';
import { synthBoxes } from './localisation';

export interface P4Data {
  synthTrain: SynthImageSet;
  synthTest: SynthImageSet;
  train: { x: tf.Tensor4D; y: tf.Tensor1D };
  test: { x: tf.Tensor4D; y: tf.Tensor1D };
  /** The evaluation images: the first nEval test images. */
  eval: { x: tf.Tensor4D; y: number[]; boxes: Box[]; n: number };
  cifar: { trainSet: ImageSet; testSet: ImageSet; train: { x: tf.Tensor4D; y: tf.Tensor1D }; test: { x: tf.Tensor4D; y: tf.Tensor1D }; source: string };
  dispose: () => void;
}

const CIFAR_FILES = 'the CIFAR-10 binary version: data_batch_1.bin ... data_batch_5.bin and test_batch.bin (optionally .gz, optionally inside cifar-10-batches-bin/), plus batches.meta.txt';

export function loadP4Data(cfg: P4Config, env: NodeJS.ProcessEnv = process.env): P4Data {
  const S = cfg.synth;
  const common = { size: S.size, channels: S.channels, classes: S.classes, contrast: S.contrast, polarity: S.polarity };
  const synthTrain = synthImages({ n: S.nTrain, seed: S.seed, ...common });
  const synthTest = synthImages({ n: S.nTest, seed: S.seed + 1, ...common });
  const C = cfg.cifar;
  let dir: string | undefined;
  if (C.source === 'folder') {
    dir = env.ROBUSTLENS_P4_DATA;
    if (!dir) throw new Error(`loadP4Data: paper scale needs the full CIFAR-10: set ROBUSTLENS_P4_DATA to a folder holding ${CIFAR_FILES}.`);
    if (!fs.existsSync(dir)) throw new Error(`loadP4Data: ROBUSTLENS_P4_DATA=${dir} does not exist; it should hold ${CIFAR_FILES}.`);
  }
  const trainSet = loadCifar10(dir, { split: 'train', limit: C.nTrain });
  const testSet = loadCifar10(dir, { split: 'test', limit: C.nTest });
  const n = Math.min(cfg.nEval, S.nTest);
  const idx = Array.from({ length: n }, (_, i) => i);
  const train = toTensors(synthTrain);
  const test = toTensors(synthTest);
  const cifar = { trainSet, testSet, train: toTensors(trainSet), test: toTensors(testSet), source: dir ?? 'embedded subset (JPEG-decoded)' };
  const ev = { x: test.x.slice(0, n) as tf.Tensor4D, y: Array.from(synthTest.y.slice(0, n)), boxes: synthBoxes(synthTest.boxes, idx), n };
  const dispose = () => tf.dispose([train.x, train.y, test.x, test.y, ev.x, cifar.train.x, cifar.train.y, cifar.test.x, cifar.test.y]);
  return { synthTrain, synthTest, train, test, eval: ev, cifar, dispose };
}
