/*
 * Input gradient of a 2-D convolution (NHWC, dilation 1, any stride), SIMD128, as a scatter:
 *
 *   dxp[b, y*sH + i, x*sW*C + m] += sum_o dy[b, y, x, o] * w[i, m, o]      (m = j*C + c < fW*C)
 *
 * into the zero-initialised padded gradient dxp [B, Hp, Wp, C]; the caller crops the forward
 * pass's padding off (or passes dx itself when there is none). For each filter row i and output
 * point, the fW*C values form one contiguous run of dxp, computed in registers as a sum over o of
 * dy[p, o] * wT[i, o, m] (wT = w with its last two axes swapped, packed by pack_filter_t) and then
 * added to memory. Tile: 3 output points x 16 patch values (12 accumulators).
 */
#include "common.h"

/* wT[i][o][m] = w[i][m][o]: w [fH, K, O] -> wT [fH, O, K] */
EXPORT(pack_filter_t)
void pack_filter_t(const float* w, int fH, int K, int O, float* wT) {
  for (int i = 0; i < fH; i++)
    for (int m = 0; m < K; m++)
      for (int o = 0; o < O; o++) wT[(i * O + o) * K + m] = w[(i * K + m) * O + o];
}

#define GTILE(MR, NV)                                                                              \
  static void gtile_##MR##_##NV(const float* dy, const float* wT, float* dxp, int Hp, int Wp, int C, int oH, \
                                int oW, int O, int K, int sH, int sW, int b, int y, int x0, int i, int m0) { \
    f4 acc[MR][NV];                                                                                \
    for (int r = 0; r < MR; r++)                                                                   \
      for (int v = 0; v < NV; v++) acc[r][v] = splat(0.f);                                         \
    const float* d = dy + ((b * oH + y) * oW + x0) * O;                                            \
    const float* wr = wT + i * O * K + m0;                                                         \
    for (int o = 0; o < O; o++) {                                                                  \
      f4 wv[NV];                                                                                   \
      for (int v = 0; v < NV; v++) wv[v] = ld(wr + o * K + 4 * v);                                 \
      for (int r = 0; r < MR; r++) {                                                               \
        f4 s = splat(d[r * O + o]);                                                                \
        for (int v = 0; v < NV; v++) acc[r][v] = madd(acc[r][v], s, wv[v]);                        \
      }                                                                                            \
    }                                                                                              \
    for (int r = 0; r < MR; r++) {                                                                 \
      float* t = dxp + ((b * Hp + y * sH + i) * Wp + (x0 + r) * sW) * C + m0;                      \
      for (int v = 0; v < NV; v++) st(t + 4 * v, add(ld(t + 4 * v), acc[r][v]));                  \
    }                                                                                              \
  }

GTILE(3, 4) GTILE(2, 4) GTILE(1, 4)
GTILE(3, 2) GTILE(2, 2) GTILE(1, 2)
GTILE(3, 1) GTILE(2, 1) GTILE(1, 1)

#define GARGS dy, wT, dxp, Hp, Wp, C, oH, oW, O, K, sH, sW, b, y, x0, i, m0

/*
 * dxp [B, Hp, Wp, C] += scatter of dy [B, oH, oW, O] through wT [fH, O, fW*C] (see above).
 * Points of one output row are taken in order, so overlapping runs accumulate in a fixed order.
 */
EXPORT(conv2d_input_grad)
void conv2d_input_grad(const float* dy, int B, int oH, int oW, int O, const float* wT, int fH, int fW, int sH, int sW,
                       float* dxp, int Hp, int Wp, int C) {
  const int K = fW * C;
  const int k4 = K & ~3;
  for (int b = 0; b < B; b++) {
    for (int y = 0; y < oH; y++) {
      for (int i = 0; i < fH; i++) {
        for (int x0 = 0; x0 < oW; x0 += 3) {
          const int mr = oW - x0 < 3 ? oW - x0 : 3;
          /* when sW*C < K, the runs of neighbouring points overlap: a tile's points are added one
             after the other (each st reloads), which keeps the sum exact in any order */
          int m0 = 0;
          for (; m0 + 16 <= k4; m0 += 16) {
            switch (mr) {
              case 3: gtile_3_4(GARGS); break;
              case 2: gtile_2_4(GARGS); break;
              default: gtile_1_4(GARGS); break;
            }
          }
          for (; m0 + 8 <= k4; m0 += 8) {
            switch (mr) {
              case 3: gtile_3_2(GARGS); break;
              case 2: gtile_2_2(GARGS); break;
              default: gtile_1_2(GARGS); break;
            }
          }
          for (; m0 + 4 <= k4; m0 += 4) {
            switch (mr) {
              case 3: gtile_3_1(GARGS); break;
              case 2: gtile_2_1(GARGS); break;
              default: gtile_1_1(GARGS); break;
            }
          }
          for (int m = k4; m < K; m++) {
            for (int r = 0; r < mr; r++) {
              const float* d = dy + ((b * oH + y) * oW + x0 + r) * O;
              const float* wr = wT + i * O * K + m;
              float acc = 0.f;
              for (int o = 0; o < O; o++) acc += d[o] * wr[o * K];
              dxp[((b * Hp + y * sH + i) * Wp + (x0 + r) * sW) * C + m] += acc;
            }
          }
        }
      }
    }
  }
}

/* out [B, H, W, C] = xp [B, Hp, Wp, C] cropped at row top, column left */
EXPORT(crop_nhwc)
void crop_nhwc(const float* xp, int B, int Hp, int Wp, int C, int top, int left, int H, int W, float* out) {
  for (int b = 0; b < B; b++)
    for (int r = 0; r < H; r++) {
      const float* s = xp + ((b * Hp + r + top) * Wp + left) * C;
      float* o = out + ((b * H + r) * W) * C;
      for (int t = 0; t < W * C; t++) o[t] = s[t];
    }
}

/*
 * Input gradient for few input channels (C < 4, e.g. a first layer on images or spectrograms),
 * vectorised over 4 output points instead of patch values:
 *
 *   dxp[b, y*sH + i, (x+r)*sW + j, c] += sum_o w[i, j, c, o] * dyT[b, y, o, x + r]     r < 4
 *
 * dyT is dy with its last two axes swapped ([B, oH, O, oWp], oWp = oW rounded up to 4, the tail
 * zero), followed by one zero row of oWp floats that stands in for channels past O (so no 0 * Inf
 * from a real row); transpose_dy writes both. For each (b, y, i, j, c), 8 filter values stay in registers while
 * the loop runs along the row; the 4 lanes are added to cells sW*C apart (one vector add when sW*C == 1).
 */
EXPORT(transpose_dy)
void transpose_dy(const float* dy, int B, int oH, int oW, int O, float* dyT, int oWp) {
  for (int b = 0; b < B; b++)
    for (int y = 0; y < oH; y++) {
      const float* s = dy + (b * oH + y) * oW * O;
      float* t = dyT + (b * oH + y) * O * oWp;
      for (int o = 0; o < O; o++) {
        for (int x = 0; x < oW; x++) t[o * oWp + x] = s[x * O + o];
        for (int x = oW; x < oWp; x++) t[o * oWp + x] = 0.f;
      }
    }
  for (int x = 0; x < oWp; x++) dyT[B * oH * O * oWp + x] = 0.f;
}

EXPORT(conv2d_input_grad_thin)
void conv2d_input_grad_thin(const float* dyT, int B, int oH, int oW, int oWp, int O, const float* w, int fH, int fW,
                            int sH, int sW, float* dxp, int Hp, int Wp, int C) {
  const int unit = sW * C; /* distance in dxp between neighbouring points' cells */
  const float* zrow = dyT + B * oH * O * oWp;
  for (int b = 0; b < B; b++) {
    for (int y = 0; y < oH; y++) {
      const float* d = dyT + (b * oH + y) * O * oWp;
      for (int i = 0; i < fH; i++) {
        float* row = dxp + ((b * Hp + y * sH + i) * Wp) * C;
        for (int j = 0; j < fW; j++) {
          for (int c = 0; c < C; c++) {
            const float* wv = w + ((i * fW + j) * C + c) * O;
            for (int o0 = 0; o0 < O; o0 += 8) {
              const int on = O - o0 < 8 ? O - o0 : 8;
              f4 s0 = splat(wv[o0]), s1 = splat(on > 1 ? wv[o0 + 1] : 0.f), s2 = splat(on > 2 ? wv[o0 + 2] : 0.f),
                 s3 = splat(on > 3 ? wv[o0 + 3] : 0.f), s4 = splat(on > 4 ? wv[o0 + 4] : 0.f),
                 s5 = splat(on > 5 ? wv[o0 + 5] : 0.f), s6 = splat(on > 6 ? wv[o0 + 6] : 0.f),
                 s7 = splat(on > 7 ? wv[o0 + 7] : 0.f);
              const float* dd = d + o0 * oWp;
              /* channels o0+k beyond O: weight 0 times the zero row */
              const float* r1 = on > 1 ? dd + oWp : zrow;
              const float* r2 = on > 2 ? dd + 2 * oWp : zrow;
              const float* r3 = on > 3 ? dd + 3 * oWp : zrow;
              const float* r4 = on > 4 ? dd + 4 * oWp : zrow;
              const float* r5 = on > 5 ? dd + 5 * oWp : zrow;
              const float* r6 = on > 6 ? dd + 6 * oWp : zrow;
              const float* r7 = on > 7 ? dd + 7 * oWp : zrow;
              for (int x = 0; x < oW; x += 4) {
                f4 acc = mul(s0, ld(dd + x));
                acc = madd(acc, s1, ld(r1 + x));
                acc = madd(acc, s2, ld(r2 + x));
                acc = madd(acc, s3, ld(r3 + x));
                acc = madd(acc, s4, ld(r4 + x));
                acc = madd(acc, s5, ld(r5 + x));
                acc = madd(acc, s6, ld(r6 + x));
                acc = madd(acc, s7, ld(r7 + x));
                float* t = row + x * unit + j * C + c;
                if (unit == 1 && x + 4 <= oW) {
                  st(t, add(ld(t), acc));
                } else {
                  const int n = oW - x < 4 ? oW - x : 4;
                  t[0] += wasm_f32x4_extract_lane(acc, 0);
                  if (n > 1) t[unit] += wasm_f32x4_extract_lane(acc, 1);
                  if (n > 2) t[2 * unit] += wasm_f32x4_extract_lane(acc, 2);
                  if (n > 3) t[3 * unit] += wasm_f32x4_extract_lane(acc, 3);
                }
              }
            }
          }
        }
      }
    }
  }
}
