/**
 * MNIST handwritten digits (LeCun, Cortes, Burges), 28x28 grey, classes '0'..'9'.
 * Reads train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz] from `dir` (default: data/mnist, the
 * embedded stratified subset: 2,000 train + 1,000 test; pass the folder of the full set to use it).
 * Pixels are b / 255 for the stored byte b.
 *
 * @example
 *   const test = loadMnist(undefined, { split: 'test', limit: 500 }); // x [500,28,28,1] in [0,1]
 */
import { dataDir } from './dataDir';
import { ImageSet } from './imageSet';
import { IdxSplitOptions, loadIdxImages } from './loadIdxImages';

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function loadMnist(dir?: string, options: IdxSplitOptions = {}): ImageSet {
  return loadIdxImages('loadMnist', dir ?? dataDir('mnist'), MNIST_CLASSES, options);
}
