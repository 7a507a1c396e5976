/*
 * Weight gradient of a 2-D convolution (NHWC, dilation 1), SIMD128.
 *
 *   dw[i, j, c, o] = sum_{b, y, x} xp[b, y*sH + i, x*sW + j, c] * dy[b, y, x, o]
 *
 * xp is the input with the forward pass's zero padding applied (shape [B, Hp, Wp, C]; the caller
 * pads a copy when the forward conv had padding). For a fixed filter row i and output point
 * (b, y, x), the patch values (j, c), j < fW, c < C, are the fW*C contiguous floats starting at
 * xp[b, y*sH + i, x*sW, 0], and dw[i] is a [fW*C, O] matrix in the same order, so each filter row is
 * a sum of rank-1 updates xrow (fW*C) x dyrow (O) over the output points. Register tile: 4 patch
 * values x 8 output channels (8 accumulators), streamed over a block of output points that
 * fits in L1; remainders take narrower tiles and a scalar loop.
 */
#include "common.h"

/* accumulate over the points of rows [y0, y1) of image b: dw[i][m0..m0+MR)[o0..o0+NW) */
#define TILE(MR, NV)                                                                              \
  static void tile_##MR##_##NV(const float* xp, int Hp, int Wp, int C, const float* dy, int oW, int O, \
                               int sH, int sW, int b, int y0, int y1, int oH, int i, int m0, int o0,    \
                               float* dwrow, int ldw) {                                          \
    f4 acc[MR][NV];                                                                              \
    for (int r = 0; r < MR; r++)                                                                 \
      for (int v = 0; v < NV; v++) acc[r][v] = ld(dwrow + (m0 + r) * ldw + o0 + 4 * v);           \
    for (int y = y0; y < y1; y++) {                                                              \
      const float* xr = xp + ((b * Hp + y * sH + i) * Wp) * C + m0;                              \
      const float* dr = dy + ((b * oH + y) * oW) * O + o0;                                       \
      for (int x = 0; x < oW; x++) {                                                             \
        const float* xv = xr + x * sW * C;                                                       \
        const float* dv = dr + x * O;                                                            \
        f4 d[NV];                                                                                \
        for (int v = 0; v < NV; v++) d[v] = ld(dv + 4 * v);                                      \
        for (int r = 0; r < MR; r++) {                                                           \
          f4 s = splat(xv[r]);                                                                   \
          for (int v = 0; v < NV; v++) acc[r][v] = madd(acc[r][v], s, d[v]);                     \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
    for (int r = 0; r < MR; r++)                                                                 \
      for (int v = 0; v < NV; v++) st(dwrow + (m0 + r) * ldw + o0 + 4 * v, acc[r][v]);           \
  }

/* tiles: NV vectors (4*NV output channels) x MR patch values, MR*NV <= 12 accumulators */
TILE(3, 4) TILE(2, 4) TILE(1, 4)
TILE(4, 3) TILE(3, 3) TILE(2, 3) TILE(1, 3)
TILE(6, 2) TILE(5, 2) TILE(4, 2) TILE(3, 2) TILE(2, 2) TILE(1, 2)
TILE(8, 1) TILE(7, 1) TILE(6, 1) TILE(5, 1) TILE(4, 1) TILE(3, 1) TILE(2, 1) TILE(1, 1)

#define ARGS xp, Hp, Wp, C, dy, oW, O, sH, sW, b, y0, y1, oH, i, m0, o0, dwrow, ldw
/* one column block of NV vectors at o0, all patch values of filter row i (a switch, not a table
 * of function pointers: the module may own no data) */
static void column_block(int nv, const float* xp, int Hp, int Wp, int C, const float* dy, int oW, int O, int sH,
                         int sW, int b, int y0, int y1, int oH, int i, int K, int o0, float* dwrow, int ldw) {
  const int mrmax = nv == 4 ? 3 : nv == 3 ? 4 : nv == 2 ? 6 : 8;
  for (int m0 = 0; m0 < K; m0 += mrmax) {
    int mr = K - m0 < mrmax ? K - m0 : mrmax;
    switch (nv * 16 + mr) {
      case 0x43: tile_3_4(ARGS); break;
      case 0x42: tile_2_4(ARGS); break;
      case 0x41: tile_1_4(ARGS); break;
      case 0x34: tile_4_3(ARGS); break;
      case 0x33: tile_3_3(ARGS); break;
      case 0x32: tile_2_3(ARGS); break;
      case 0x31: tile_1_3(ARGS); break;
      case 0x26: tile_6_2(ARGS); break;
      case 0x25: tile_5_2(ARGS); break;
      case 0x24: tile_4_2(ARGS); break;
      case 0x23: tile_3_2(ARGS); break;
      case 0x22: tile_2_2(ARGS); break;
      case 0x21: tile_1_2(ARGS); break;
      case 0x18: tile_8_1(ARGS); break;
      case 0x17: tile_7_1(ARGS); break;
      case 0x16: tile_6_1(ARGS); break;
      case 0x15: tile_5_1(ARGS); break;
      case 0x14: tile_4_1(ARGS); break;
      case 0x13: tile_3_1(ARGS); break;
      case 0x12: tile_2_1(ARGS); break;
      default: tile_1_1(ARGS); break;
    }
  }
}

/*
 * dw: [fH, fW, C, O], overwritten. xp: [B, Hp, Wp, C] padded input, Hp >= (oH-1)*sH + fH,
 * Wp >= (oW-1)*sW + fW. dy: [B, oH, oW, O].
 */
EXPORT(conv2d_filter_grad)
void conv2d_filter_grad(const float* xp, int B, int Hp, int Wp, int C, const float* dy, int oH, int oW, int O,
                        int fH, int fW, int sH, int sW, float* dw) {
  const int K = fW * C; /* patch row length */
  const int ldw = O;
  for (int t = 0; t < fH * K * O; t++) dw[t] = 0.f;
  /* rows per block: about 128 output points */
  int rows = 128 / (oW > 0 ? oW : 1);
  if (rows < 1) rows = 1;
  const int o4 = O & ~3;
  /* column blocks: as many 16-wide as fit, then 12, 8, 4 */
  for (int b = 0; b < B; b++) {
    for (int y0 = 0; y0 < oH; y0 += rows) {
      int y1 = y0 + rows < oH ? y0 + rows : oH;
      for (int i = 0; i < fH; i++) {
        float* dwrow = dw + i * K * O;
        int o0 = 0;
        for (; o0 + 16 <= o4; o0 += 16) column_block(4, xp, Hp, Wp, C, dy, oW, O, sH, sW, b, y0, y1, oH, i, K, o0, dwrow, ldw);
        if (o0 + 12 <= o4) { column_block(3, xp, Hp, Wp, C, dy, oW, O, sH, sW, b, y0, y1, oH, i, K, o0, dwrow, ldw); o0 += 12; }
        if (o0 + 8 <= o4) { column_block(2, xp, Hp, Wp, C, dy, oW, O, sH, sW, b, y0, y1, oH, i, K, o0, dwrow, ldw); o0 += 8; }
        if (o0 + 4 <= o4) { column_block(1, xp, Hp, Wp, C, dy, oW, O, sH, sW, b, y0, y1, oH, i, K, o0, dwrow, ldw); o0 += 4; }
        /* scalar remainder columns */
        for (int o = o4; o < O; o++) {
          for (int m = 0; m < K; m++) {
            float acc = dwrow[m * ldw + o];
            for (int y = y0; y < y1; y++) {
              const float* xr = xp + ((b * Hp + y * sH + i) * Wp) * C + m;
              const float* dr = dy + ((b * oH + y) * oW) * O + o;
              for (int x = 0; x < oW; x++) acc += xr[x * sW * C] * dr[x * O];
            }
            dwrow[m * ldw + o] = acc;
          }
        }
      }
    }
  }
}

/*
 * Zero-padded copy of x [B, H, W, C] into out [B, Hp, Wp, C] with x at row offset top, column
 * offset left (negative offsets crop).
 */
EXPORT(pad_nhwc)
void pad_nhwc(const float* x, int B, int H, int W, int C, int top, int left, int Hp, int Wp, float* out) {
  for (int b = 0; b < B; b++) {
    for (int r = 0; r < Hp; r++) {
      float* o = out + ((b * Hp + r) * Wp) * C;
      int sr = r - top;
      if (sr < 0 || sr >= H) {
        for (int t = 0; t < Wp * C; t++) o[t] = 0.f;
        continue;
      }
      const float* s = x + ((b * H + sr) * W) * C;
      for (int c = 0; c < Wp; c++) {
        int sc = c - left;
        if (sc < 0 || sc >= W)
          for (int k = 0; k < C; k++) o[c * C + k] = 0.f;
        else
          for (int k = 0; k < C; k++) o[c * C + k] = s[sc * C + k];
      }
    }
  }
}
