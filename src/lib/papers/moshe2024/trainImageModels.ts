/**
 * The P3 families trained on every real image set of the configuration (MNIST, Fashion-MNIST, and
 * CIFAR-10 at paper scale) for accuracy and robustness: trainAll per data set, in the data's order,
 * with an optional progress bar per data set.
 *
 * @example
 *   const imageModels = await trainImageModels(data.images, families(cfg, cfg.images.lambdas), cfg, (ds, n) => report.progress(n, `${ds} models`));
 *   imageModels.mnist[0].model
 */
import type { ImageSet } from '../../data';
import type { Progress } from '../../report/progress';
import type { ImageDataset, P3Config } from './config';
import type { Family } from './families';
import { trainAll } from './trainFamily';
import type { TrainedFamily } from './trainFamily';

export async function trainImageModels(
  images: Partial<Record<ImageDataset, { train: ImageSet }>>,
  fams: Family[],
  cfg: P3Config,
  progress?: (dataset: ImageDataset, total: number) => Pick<Progress, 'tick' | 'done'>,
): Promise<Partial<Record<ImageDataset, TrainedFamily[]>>> {
  const out: Partial<Record<ImageDataset, TrainedFamily[]>> = {};
  for (const [ds, set] of Object.entries(images) as [ImageDataset, { train: ImageSet }][]) {
    const bar = progress?.(ds, fams.length * cfg.images.seeds.length);
    out[ds] = await trainAll(fams, set.train, { cfg, dataset: ds, seeds: cfg.images.seeds, onModel: (r) => bar?.tick({ model: r.name }) });
    bar?.done();
  }
  return out;
}
