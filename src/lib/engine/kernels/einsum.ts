/**
 * Einsum for the wasm backend (tf.einsum; missing from tfjs-backend-wasm 4.22): tfjs' cpu
 * algorithm (transpose each operand to a common axis order, broadcast-multiply, sum the
 * contracted axes in order) run on the wasm Transpose / Reshape / Multiply / Sum kernels.
 *
 *   tf.einsum('ij,jk->ik', a, b)[i, k] = sum_j a[i, j] * b[j, k]
 *
 * Forward only: tfjs 4.22 defines no gradient for Einsum on any backend.
 *
 * @example
 *   tf.einsum('bi,bi->b', x, y)   // batched dot product, on wasm
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, disposeInfos, KernelArgs, wasmKernel, WasmBackendLike } from './wasmUtil';

export function einsumWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { equation } = (args.attrs ?? {}) as unknown as tf.EinsumAttrs;
  const tensors = Object.values(args.inputs) as tf.TensorInfo[]; // inputs arrive as {0: t0, 1: t1, ...}
  const bu = tf.backend_util;
  const { allDims, summedDims, idDims } = bu.decodeEinsumEquation(equation, tensors.length);
  bu.checkEinsumDimSizes(allDims.length, idDims, tensors as unknown as tf.Tensor[]);
  const { path, steps } = bu.getEinsumComputePath(summedDims, idDims);
  const k = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}) => callKernel(name, 'wasm', backend, inputs, attrs);
  let out: tf.TensorInfo | null = null;
  let numDimsRemaining = allDims.length;
  const made: tf.TensorInfo[] = [];
  for (let i = 0; i < steps.length; ++i) {
    for (const idTerm of steps[i]) {
      const { permutationIndices: perm, expandDims: dimsToExpand } = bu.getEinsumPermutation(numDimsRemaining, idDims[idTerm]);
      let x = tensors[idTerm];
      if (!bu.isIdentityPermutation(perm)) {
        x = k('Transpose', { x }, { perm });
        made.push(x);
      }
      const targetShape = x.shape.slice();
      for (const d of dimsToExpand) targetShape.splice(d, 0, 1);
      if (!tf.util.arraysEqual(x.shape, targetShape)) {
        x = k('Reshape', { x }, { shape: targetShape });
        made.push(x);
      }
      if (out === null) {
        out = x;
      } else {
        out = k('Multiply', { a: x, b: out });
        made.push(out);
      }
    }
    if (i < steps.length - 1) {
      if (path[i] >= 0) {
        out = k('Sum', { x: out as tf.TensorInfo }, { axis: path[i] - (allDims.length - numDimsRemaining), keepDims: false });
        made.push(out);
      }
      numDimsRemaining--;
    }
  }
  let result = out as tf.TensorInfo;
  // An operand passed straight through needs its own reference to be a kernel output.
  if (tensors.includes(result)) result = k('Identity', { x: result });
  disposeInfos(backend, ...made.filter((t) => t !== result));
  return result;
}

export const einsumConfig = wasmKernel('Einsum', einsumWasm);
