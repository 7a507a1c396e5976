/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv 1708.07747), 28x28 grey clothing images, 10 classes.
 * Same file layout as MNIST; default dir data/fashion-mnist (2,000 train + 1,000 test, stratified).
 *
 * @example
 *   const train = loadFashionMnist(undefined, { split: 'train' }); train.classes[9] // 'Ankle boot'
 */
import { dataDir } from './dataDir';
import { ImageSet } from './imageSet';
import { IdxSplitOptions, loadIdxImages } from './loadIdxImages';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export function loadFashionMnist(dir?: string, options: IdxSplitOptions = {}): ImageSet {
  return loadIdxImages('loadFashionMnist', dir ?? dataDir('fashion-mnist'), FASHION_MNIST_CLASSES, options);
}
