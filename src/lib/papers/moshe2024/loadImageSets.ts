/**
 * P3's data: the planted-object images (synthImages: masks and boxes, so "what matters" is known by
 * construction) and the real image sets for accuracy and robustness: the embedded MNIST /
 * Fashion-MNIST subsets at smoke and demo scale; at paper scale the full MNIST, Fashion-MNIST and
 * CIFAR-10 from the folder named by ROBUSTLENS_P3_DATA (mnist/, fashion-mnist/, cifar10/).
 *
 * @example
 *   const { synthTrain, synthTest, images } = loadImageSets(config('demo'));
 *   images.mnist.train.shape // [1000, 28, 28, 1]
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCifar10, loadFashionMnist, loadMnist, synthImages } from '../../data';
import type { ImageSet, SynthImageSet } from '../../data';
import { ImageDataset, P3Config } from './config';

/** Folder names under ROBUSTLENS_P3_DATA and the files each must hold (paper scale). */
export const P3_DATA_FILES: Record<ImageDataset, { folder: string; files: string[] }> = {
  mnist: { folder: 'mnist', files: ['train-images-idx3-ubyte[.gz]', 'train-labels-idx1-ubyte[.gz]', 't10k-images-idx3-ubyte[.gz]', 't10k-labels-idx1-ubyte[.gz]'] },
  fashion: { folder: 'fashion-mnist', files: ['train-images-idx3-ubyte[.gz]', 'train-labels-idx1-ubyte[.gz]', 't10k-images-idx3-ubyte[.gz]', 't10k-labels-idx1-ubyte[.gz]'] },
  cifar10: { folder: 'cifar10', files: ['data_batch_1.bin .. data_batch_5.bin[.gz]', 'test_batch.bin[.gz]', '(CIFAR-10 binary version)'] },
};

export interface P3Data {
  synthTrain: SynthImageSet;
  synthTest: SynthImageSet;
  /** Held-out planted-object images (as many as the test set, another seed) for choosing lambda. */
  synthValid: SynthImageSet;
  images: Partial<Record<ImageDataset, { train: ImageSet; test: ImageSet }>>;
}

/** The folder of a full data set at paper scale, or an Error saying exactly what is expected where. */
export function paperDataDir(ds: ImageDataset, env: NodeJS.ProcessEnv = process.env): string {
  const root = env.ROBUSTLENS_P3_DATA?.trim();
  const spec = P3_DATA_FILES[ds];
  const want = `ROBUSTLENS_P3_DATA/${spec.folder}/ holding ${spec.files.join(', ')}`;
  if (!root) throw new Error(`moshe2024: paper scale needs the full ${ds} data set: set ROBUSTLENS_P3_DATA to a folder with ${want}.`);
  const dir = resolve(root, spec.folder);
  if (!existsSync(dir)) throw new Error(`moshe2024: ${dir} does not exist; paper scale expects ${want}.`);
  return dir;
}

function loadOne(ds: ImageDataset, cfg: P3Config, split: 'train' | 'test'): ImageSet {
  const dir = cfg.scale === 'paper' ? paperDataDir(ds) : undefined;
  const limit = split === 'train' ? cfg.images.nTrain : cfg.images.nTest;
  if (ds === 'mnist') return loadMnist(dir, { split, limit });
  if (ds === 'fashion') return loadFashionMnist(dir, { split, limit });
  if (ds === 'cifar10') return loadCifar10(dir, { split, limit });
  throw new Error(`moshe2024: unknown data set "${ds}" (mnist, fashion, cifar10).`);
}

function synthSet(cfg: P3Config, split: 'train' | 'test' | 'valid'): SynthImageSet {
  const s = cfg.synth;
  const common = { size: s.size, channels: s.channels, classes: s.classes, contrast: s.contrast, minScale: s.minScale, maxScale: s.maxScale };
  if (split === 'train') return synthImages({ n: s.nTrain, seed: s.seed, ...common });
  return synthImages({ n: s.nTest, seed: s.seed + (split === 'test' ? 1000 : 2000), ...common });
}

/** The training set of one data set, exactly as loadImageSets(cfg) builds it (synthTrain or images[ds].train). */
export function loadTrainSet(cfg: P3Config, dataset: ImageDataset | 'synth'): ImageSet {
  return dataset === 'synth' ? synthSet(cfg, 'train') : loadOne(dataset, cfg, 'train');
}

/** Load every set the configuration names (limits are capped by what the files hold). */
export function loadImageSets(cfg: P3Config): P3Data {
  const synthTrain = synthSet(cfg, 'train');
  const synthTest = synthSet(cfg, 'test');
  const synthValid = synthSet(cfg, 'valid');
  const images: P3Data['images'] = {};
  for (const ds of cfg.images.datasets) images[ds] = { train: loadOne(ds, cfg, 'train'), test: loadOne(ds, cfg, 'test') };
  return { synthTrain, synthTest, synthValid, images };
}

