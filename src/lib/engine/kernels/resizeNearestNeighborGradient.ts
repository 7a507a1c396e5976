/**
 * Corrected gradient of ResizeNearestNeighbor (tf.image.resizeNearestNeighbor, UpSampling2D) for
 * tfjs 4.22 (all backends).
 *
 * tfjs' cpu ResizeNearestNeighborGrad is wrong for batch > 1 and the wasm one is wrong with
 * halfPixelCenters. Nearest-neighbour resizing copies input row r(i) and column c(j) to output
 * pixel (i, j), so with one-hot matrices R[i, r] = [r(i) = r] and S[j, c] = [c(j) = c]:
 *
 *   dx[b, :, :, ch] = R^T . dy[b, :, :, ch] . S
 *
 * r(.) and c(.) are read off the backend's own forward pass on index images, so the gradient is
 * the exact derivative of whatever rounding rule the forward pass uses (alignCorners,
 * halfPixelCenters). Two matMuls; differentiable again.
 *
 * @example
 *   registerGradientFixes();
 *   tf.grad((x) => tf.image.resizeNearestNeighbor(x, [8, 8]).sum())(tf.ones([2, 4, 4, 1])); // all 4
 */
import * as tf from '@tensorflow/tfjs';

/** The source index each output index reads along one axis, from the forward pass itself. */
function sourceIndex(inLen: number, outLen: number, alignCorners: boolean, halfPixelCenters: boolean, axis: 1 | 2): tf.Tensor1D {
  return tf.tidy(() => {
    const shape: [number, number, number, number] = axis === 1 ? [1, inLen, 1, 1] : [1, 1, inLen, 1];
    const size: [number, number] = axis === 1 ? [outLen, 1] : [1, outLen];
    const idx = tf.range(0, inLen, 1, 'float32').reshape(shape) as tf.Tensor4D;
    return tf.image.resizeNearestNeighbor(idx, size, alignCorners, halfPixelCenters).reshape([outLen]).round().toInt() as tf.Tensor1D;
  });
}

export const resizeNearestNeighborGradient: tf.GradConfig = {
  kernelName: 'ResizeNearestNeighbor',
  inputsToSave: ['images'],
  gradFunc: (dyIn, saved, attrs) => {
    const dy = dyIn as tf.Tensor4D;
    const [images] = saved as tf.Tensor4D[];
    const { alignCorners, halfPixelCenters } = attrs as unknown as tf.ResizeNearestNeighborAttrs;
    return {
      images: () => {
        const [B, H, W, C] = images.shape;
        const [, oH, oW] = dy.shape;
        const R = tf.oneHot(sourceIndex(H, oH, alignCorners, halfPixelCenters, 1), H).toFloat() as tf.Tensor2D; // [oH, H]
        const S = tf.oneHot(sourceIndex(W, oW, alignCorners, halfPixelCenters, 2), W).toFloat() as tf.Tensor2D; // [oW, W]
        // Sum over output rows: [oH, B*oW*C] -> [H, B*oW*C]
        const t1 = tf.matMul(R, tf.transpose(dy, [1, 0, 2, 3]).reshape([oH, B * oW * C]), true, false);
        // Sum over output columns: [oW, B*H*C] -> [W, B*H*C]
        const t2 = tf.transpose(t1.reshape([H, B, oW, C]), [2, 1, 0, 3]).reshape([oW, B * H * C]);
        const t3 = tf.matMul(S, t2, true, false);
        return tf.transpose(t3.reshape([W, B, H, C]), [1, 2, 0, 3]); // [B, H, W, C]
      },
    };
  },
};
