/**
 * A view of a LayersModel whose outputs are the named layers' outputs (sharing the same weights):
 * for intermediate activations (activation-sensitivity regulariser, P3), logits under a sigmoid
 * (singing voice detector) or the emotions of an A2M2E model.
 *
 * With `withOutput: true` the model's own output is appended last: [a_l1, ..., a_lk, f(x)].
 *
 * @example
 *   const v = layerView(model, ['conv1_relu', 'conv2_relu'], { withOutput: true });
 *   const [a1, a2, logits] = v.apply(x) as tf.Tensor[];
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';

export function layerView(
  model: tf.LayersModel,
  names: string | string[],
  options: { withOutput?: boolean } = {},
): tf.LayersModel {
  checkOptions('layerView', options, ['withOutput']);
  const list = typeof names === 'string' ? [names] : names;
  const known = model.layers.map((l) => l.name);
  const outs: tf.SymbolicTensor[] = list.map((n) => {
    if (!known.includes(n)) throw new Error(`layerView: model "${model.name}" has no layer "${n}". Layers: ${known.join(', ')}.`);
    const o = model.getLayer(n).output;
    if (Array.isArray(o)) throw new Error(`layerView: layer "${n}" has several outputs; not supported.`);
    return o;
  });
  if (options.withOutput) outs.push(...model.outputs);
  return tf.model({ inputs: model.inputs, outputs: outs.length === 1 ? outs[0] : outs, name: `${model.name}_view` });
}
