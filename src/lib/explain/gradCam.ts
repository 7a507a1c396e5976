/**
 * Grad-CAM: class activation map of a convolutional layer, weighted by the pooled gradient.
 *
 * Selvaraju et al. (2017), "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization" (arXiv 1610.02391). With A^k the layer's feature maps ([B, h, w, K]):
 *   alpha_k = mean_{i,j} d f_target / d A^k_{ij}
 *   L = ReLU(sum_k alpha_k A^k)                 ([B, h, w])
 * upsampled (bilinear or nearest, forward only) to x's spatial size [H, W] and repeated over x's
 * channels, so `map` is shaped like x. The model is split at the layer into a body (x -> A) and
 * a head (A -> output) sharing the model's weights (cached per model and layer); the layer must
 * cut the graph (no connection may bypass it).
 *
 * @example
 *   const { map, cam } = await gradCam(model, x, { target: 2, layer: 'conv2' });
 */
import * as tf from '@tensorflow/tfjs';
import { Model, checkInput, outputs2d, positiveInt, checkedModel, outputCount, rowsPerPass } from '../engine';
import { Attribution, checkMethodOptions, pickTargets, resolveTargets, TargetOptions } from './common';

export interface GradCamOptions extends TargetOptions {
  /** Name of a layer of the model with a [B, h, w, K] output (usually the last conv). */
  layer: string;
  /** Resize method to x's spatial size (default 'bilinear'). */
  resize?: 'bilinear' | 'nearest';
  /** Apply the ReLU of the paper (default true). */
  relu?: boolean;
  /** Rows per pass (default 64). */
  batchSize?: number;
}

export interface GradCamAttribution extends Attribution {
  /** The low-resolution map L per example ([h][w]). */
  cam: number[][][];
}

const KNOWN = ['target', 'layer', 'resize', 'relu', 'batchSize'] as const;

export async function gradCam(model: Model, x: tf.Tensor, options: GradCamOptions): Promise<GradCamAttribution> {
  const where = 'gradCam';
  checkMethodOptions(where, options, KNOWN);
  if (!(model instanceof tf.LayersModel)) throw new Error(`${where}: needs a tf.LayersModel (to reach the layer by name).`);
  if (typeof options.layer !== 'string') throw new Error(`${where}: option "layer" (a layer name) is required.`);
  checkInput(where, x);
  if (x.rank < 3) throw new Error(`${where}: x must have spatial dimensions ([B, H, W] or [B, H, W, C]); got [${x.shape}].`);
  const { resize = 'bilinear', relu = true, batchSize = 64 } = options;
  if (resize !== 'bilinear' && resize !== 'nearest') throw new Error(`${where}: unknown resize "${resize}"; use 'bilinear' or 'nearest'.`);
  positiveInt(where, 'batchSize', batchSize);
  const { body, head } = split(where, model, options.layer);
  const nOut = outputCount(where, checkedModel(where, model), x);
  const targets = resolveTargets(where, options.target, x.shape[0], nOut);
  const [H, W] = x.shape.slice(1, 3);
  const B = x.shape[0];
  const rows = rowsPerPass(where, model, x, batchSize, 'backward'); // batchSize, lowered under the memory budget
  const cams: tf.Tensor[] = [];
  for (let i = 0; i < B; i += rows) {
    const k = Math.min(rows, B - i);
    cams.push(
      tf.tidy(() => {
        const A = body.apply(x.slice(i, k), { training: false }) as tf.Tensor;
        if (A.rank !== 4) throw new Error(`${where}: layer "${options.layer}" outputs rank ${A.rank}; need [B, h, w, K].`);
        const t = tf.tensor1d(targets.slice(i, i + k), 'int32');
        const g = tf.grad((a: tf.Tensor) => tf.sum(pickTargets(outputs2d(head.apply(a, { training: false }) as tf.Tensor), t)))(A);
        const alpha = g.mean([1, 2], true); // alpha_k = mean_ij dy/dA^k_ij
        const L = A.mul(alpha).sum(3); // sum_k alpha_k A^k
        return relu ? tf.relu(L) : L;
      }),
    );
  }
  const cam = cams.length === 1 ? cams[0] : tf.concat(cams);
  const map = tf.tidy(() => {
    const c4 = cam.expandDims(3) as tf.Tensor4D;
    const up = resize === 'bilinear' ? tf.image.resizeBilinear(c4, [H, W], false, true) : tf.image.resizeNearestNeighbor(c4, [H, W], false, true);
    return x.rank === 3 ? up.reshape(x.shape) : tf.broadcastTo(up.reshape([B, H, W, ...x.shape.slice(3).map(() => 1)]), x.shape);
  });
  const camArr = (await cam.array()) as number[][][];
  cams.forEach((c) => c.dispose());
  if (cam !== cams[0]) cam.dispose();
  return { map, cam: camArr };
}

type Sym = tf.SymbolicTensor;
interface NodeLike {
  inputTensors: Sym[];
  outputTensors: Sym[];
  callArgs?: Record<string, unknown>;
}

const views = new WeakMap<tf.LayersModel, Map<string, { body: tf.LayersModel; head: tf.LayersModel }>>();

/** body: x -> the layer's output; head: that output -> the model's output (same weights). */
function split(where: string, model: tf.LayersModel, name: string): { body: tf.LayersModel; head: tf.LayersModel } {
  let perModel = views.get(model);
  if (!perModel) views.set(model, (perModel = new Map()));
  const hit = perModel.get(name);
  if (hit) return hit;
  const layer = model.layers.find((l) => l.name === name);
  if (!layer) throw new Error(`${where}: no layer "${name}" in the model. Layers: ${model.layers.map((l) => l.name).join(', ')}.`);
  if (model.outputs.length !== 1) throw new Error(`${where}: the model must have one output.`);
  const cut = layer.getOutputAt(0);
  if (Array.isArray(cut)) throw new Error(`${where}: layer "${name}" has several outputs.`);
  const body = tf.model({ inputs: model.inputs, outputs: cut });
  const input = tf.input({ shape: cut.shape.slice(1) as number[] });
  const mapped = new Map<number, Sym>([[cut.id, input]]);
  const start = model.layers.indexOf(layer);
  for (const l of model.layers.slice(start + 1)) {
    for (const node of l.inboundNodes as unknown as NodeLike[]) {
      if (!node.inputTensors.every((t) => mapped.has(t.id))) continue;
      if (node.outputTensors.some((t) => mapped.has(t.id))) continue;
      const ins = node.inputTensors.map((t) => mapped.get(t.id)!);
      const outs = l.apply(ins.length === 1 ? ins[0] : ins, node.callArgs ?? {}) as Sym | Sym[];
      const outList = Array.isArray(outs) ? outs : [outs];
      node.outputTensors.forEach((t, j) => mapped.set(t.id, outList[j]));
    }
  }
  const out = mapped.get(model.outputs[0].id);
  if (!out) {
    throw new Error(`${where}: layer "${name}" does not cut the model's graph (a connection bypasses it); choose a later layer.`);
  }
  const head = tf.model({ inputs: input, outputs: out });
  const views2 = { body, head };
  perModel.set(name, views2);
  return views2;
}
