/*
 * Forward 2-D convolution (NHWC, dilation 1), SIMD128, for the shapes XNNPACK handles slowly
 * (few input channels, e.g. a first layer on images or spectrograms).
 *
 *   out[b, y, x, o] = bias[o] + sum_{i < fH} sum_{m < fW*C} xp[b, y*sH + i, x*sW*C + m] * w[i, m, o]
 *
 * xp is the zero-padded input [B, Hp, Wp, C]; for a filter row i the patch (j, c) of output
 * point (y, x) is the fW*C contiguous floats at xp[b, y*sH + i, x*sW, 0], and w [fH, fW, C, O]
 * is w[i][m][o] with m = j*C + c. Register tile: 4 output points of a row x 8 output channels.
 */
#include "common.h"

#define FTILE(MR, NV)                                                                               \
  static void ftile_##MR##_##NV(const float* xp, int Hp, int Wp, int C, const float* w, const float* bias, \
                                float* out, int oH, int oW, int O, int fH, int K, int sH, int sW, int b, \
                                int y, int x0, int o0) {                                            \
    f4 acc[MR][NV];                                                                                 \
    for (int v = 0; v < NV; v++) {                                                                  \
      f4 b0 = bias ? ld(bias + o0 + 4 * v) : splat(0.f);                                            \
      for (int r = 0; r < MR; r++) acc[r][v] = b0;                                                  \
    }                                                                                               \
    for (int i = 0; i < fH; i++) {                                                                  \
      const float* xr = xp + ((b * Hp + y * sH + i) * Wp + x0 * sW) * C;                            \
      const float* wr = w + i * K * O + o0;                                                         \
      for (int m = 0; m < K; m++) {                                                                 \
        f4 wv[NV];                                                                                  \
        for (int v = 0; v < NV; v++) wv[v] = ld(wr + m * O + 4 * v);                                \
        for (int r = 0; r < MR; r++) {                                                              \
          f4 s = splat(xr[r * sW * C + m]);                                                         \
          for (int v = 0; v < NV; v++) acc[r][v] = madd(acc[r][v], s, wv[v]);                       \
        }                                                                                           \
      }                                                                                             \
    }                                                                                               \
    float* o = out + ((b * oH + y) * oW + x0) * O + o0;                                             \
    for (int r = 0; r < MR; r++)                                                                    \
      for (int v = 0; v < NV; v++) st(o + r * O + 4 * v, acc[r][v]);                                \
  }

FTILE(4, 2) FTILE(3, 2) FTILE(2, 2) FTILE(1, 2)
FTILE(4, 1) FTILE(3, 1) FTILE(2, 1) FTILE(1, 1)

#define FARGS xp, Hp, Wp, C, w, bias, out, oH, oW, O, fH, K, sH, sW, b, y, x0, o0

/*
 * out [B, oH, oW, O] (overwritten) = conv(xp, w) + bias (bias may be 0 = none).
 * xp [B, Hp, Wp, C] with Hp >= (oH-1)*sH + fH, Wp >= (oW-1)*sW + fW; w [fH, fW, C, O].
 */
EXPORT(conv2d_forward)
void conv2d_forward(const float* xp, int B, int Hp, int Wp, int C, const float* w, const float* bias, int fH, int fW,
                    int sH, int sW, float* out, int oH, int oW, int O) {
  const int K = fW * C;
  const int o4 = O & ~3, o8 = O & ~7;
  for (int b = 0; b < B; b++) {
    for (int y = 0; y < oH; y++) {
      for (int x0 = 0; x0 < oW; x0 += 4) {
        const int mr = oW - x0 < 4 ? oW - x0 : 4;
        int o0 = 0;
        for (; o0 < o8; o0 += 8) {
          switch (mr) {
            case 4: ftile_4_2(FARGS); break;
            case 3: ftile_3_2(FARGS); break;
            case 2: ftile_2_2(FARGS); break;
            default: ftile_1_2(FARGS); break;
          }
        }
        if (o0 < o4) {
          switch (mr) {
            case 4: ftile_4_1(FARGS); break;
            case 3: ftile_3_1(FARGS); break;
            case 2: ftile_2_1(FARGS); break;
            default: ftile_1_1(FARGS); break;
          }
          o0 += 4;
        }
        for (int o = o4; o < O; o++) {
          for (int r = 0; r < mr; r++) {
            float acc = bias ? bias[o] : 0.f;
            for (int i = 0; i < fH; i++) {
              const float* xr = xp + ((b * Hp + y * sH + i) * Wp + (x0 + r) * sW) * C;
              const float* wr = w + i * K * O + o;
              for (int m = 0; m < K; m++) acc += xr[m] * wr[m * O];
            }
            out[((b * oH + y) * oW + x0 + r) * O + o] = acc;
          }
        }
      }
    }
  }
}
