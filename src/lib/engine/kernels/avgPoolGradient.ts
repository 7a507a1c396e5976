/**
 * Corrected gradient of AvgPool for tfjs 4.22 (all backends).
 *
 * The forward pass divides each window sum by the number of real (non-padding) cells n(y), but
 * tfjs' AvgPoolGrad divides by the full window size fH*fW, so 'same' padding gets wrong
 * gradients at the borders. With the same AvgPoolGrad kernel, the exact gradient is
 *
 *   dx = AvgPoolGrad(dy * fH*fW / n(y))        since AvgPoolGrad(g)[x] = sum_{y : x in win(y)} g[y] / (fH*fW)
 *
 * so dx[x] = sum_{y : x in win(y)} dy[y] / n(y), the derivative of the forward pass. 'valid' padding
 * (n = fH*fW everywhere) is unchanged. dimRoundingMode is passed on (tfjs drops it).
 *
 * @example
 *   registerGradientFixes();
 *   tf.grad((x) => tf.avgPool(x, 3, 2, 'same').sum())(x); // matches finite differences
 */
import * as tf from '@tensorflow/tfjs';

/** Number of real input cells under each output window along one axis. */
function counts(outLen: number, inLen: number, filter: number, stride: number, padBefore: number): number[] {
  const n: number[] = [];
  for (let o = 0; o < outLen; o++) {
    const start = o * stride - padBefore;
    n.push(Math.min(inLen, start + filter) - Math.max(0, start));
  }
  return n;
}

export const avgPoolGradient: tf.GradConfig = {
  kernelName: 'AvgPool',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as tf.Tensor4D[];
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.AvgPoolAttrs;
    return {
      x: () => {
        const dy4 = dy as tf.Tensor4D;
        const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode);
        const rows = counts(info.outHeight, info.inHeight, info.filterHeight, info.strideHeight, info.padInfo.top);
        const cols = counts(info.outWidth, info.inWidth, info.filterWidth, info.strideWidth, info.padInfo.left);
        const full = info.filterHeight * info.filterWidth;
        const scale = new Float32Array(rows.length * cols.length);
        rows.forEach((r, i) => cols.forEach((c, j) => (scale[i * cols.length + j] = full / Math.max(1, r * c))));
        const dyScaled = tf.mul(dy4, tf.tensor4d(scale, [1, rows.length, cols.length, 1]));
        return tf.engine().runKernel('AvgPoolGrad', { dy: dyScaled, input: x }, {
          filterSize,
          strides,
          pad,
          dimRoundingMode,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
      },
    };
  },
};
