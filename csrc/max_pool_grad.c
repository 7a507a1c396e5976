/*
 * MaxPool gradient, first maximum (PyTorch's subgradient choice), NHWC:
 *
 *   dx[x] = sum_{y : x = firstArgmax_{x' in win(y)} x[x']} dy[y]
 *
 * first maximum in row-major window order (strict '>'); a NaN wins over a number (and the first
 * NaN stays), as in PyTorch. The 2x2 / stride 2 case with every window inside the input (windows
 * do not overlap) runs 4 channels at a time with SIMD selects; other windows use a scalar loop.
 */
#include "common.h"

INLINE v128_t better(f4 v, f4 best) {
  /* v > best, or v is NaN while best is not */
  v128_t gt = wasm_f32x4_gt(v, best);
  v128_t vnan = wasm_f32x4_ne(v, v);
  v128_t bnum = wasm_f32x4_eq(best, best);
  return wasm_v128_or(gt, wasm_v128_and(vnan, bnum));
}

static void grad_2x2(const float* x, const float* dy, float* dx, int B, int H, int W, int C, int oH, int oW) {
  const int row = W * C;
  const int c4 = C & ~3;
  for (int b = 0; b < B; b++) {
    for (int oy = 0; oy < oH; oy++) {
      for (int ox = 0; ox < oW; ox++) {
        const int p0 = ((b * H + 2 * oy) * W + 2 * ox) * C;
        const int p1 = p0 + C, p2 = p0 + row, p3 = p2 + C;
        const float* g = dy + ((b * oH + oy) * oW + ox) * C;
        int c = 0;
        for (; c < c4; c += 4) {
          f4 v0 = ld(x + p0 + c), v1 = ld(x + p1 + c), v2 = ld(x + p2 + c), v3 = ld(x + p3 + c);
          /* which cell holds the first maximum: masks m1..m3 (cell 0 when none) */
          v128_t m1 = better(v1, v0);
          f4 best = wasm_v128_bitselect(v1, v0, m1);
          v128_t m2 = better(v2, best);
          best = wasm_v128_bitselect(v2, best, m2);
          v128_t m3 = better(v3, best);
          /* the last cell that improved wins */
          v128_t is3 = m3;
          v128_t is2 = wasm_v128_andnot(m2, m3);
          v128_t is1 = wasm_v128_andnot(m1, wasm_v128_or(m2, m3));
          v128_t is0 = wasm_v128_not(wasm_v128_or(wasm_v128_or(m1, m2), m3));
          f4 d = ld(g + c);
          st(dx + p0 + c, wasm_v128_and(d, is0));
          st(dx + p1 + c, wasm_v128_and(d, is1));
          st(dx + p2 + c, wasm_v128_and(d, is2));
          st(dx + p3 + c, wasm_v128_and(d, is3));
        }
        for (; c < C; c++) {
          int at = p0 + c;
          float best = x[at];
          int cells[3] = {p1 + c, p2 + c, p3 + c};
          for (int k = 0; k < 3; k++) {
            float v = x[cells[k]];
            if (v > best || (v != v && best == best)) { best = v; at = cells[k]; }
          }
          dx[p0 + c] = dx[p1 + c] = dx[p2 + c] = dx[p3 + c] = 0.f;
          dx[at] = g[c];
        }
      }
    }
  }
}

/*
 * dx [B, H, W, C] (overwritten) from x [B, H, W, C] and dy [B, oH, oW, C]; windows fH x fW,
 * strides sH, sW, top/left padding (padded cells never win).
 */
EXPORT(max_pool_grad)
void max_pool_grad(const float* x, const float* dy, float* dx, int B, int H, int W, int C, int oH, int oW, int fH,
                   int fW, int sH, int sW, int top, int left) {
  for (int t = 0; t < B * H * W * C; t++) dx[t] = 0.f;
  if (fH == 2 && fW == 2 && sH == 2 && sW == 2 && top == 0 && left == 0 && 2 * oH <= H && 2 * oW <= W) {
    grad_2x2(x, dy, dx, B, H, W, C, oH, oW);
    return;
  }
  for (int b = 0; b < B; b++) {
    for (int oy = 0; oy < oH; oy++) {
      int r0 = oy * sH - top, r1 = r0 + fH;
      if (r0 < 0) r0 = 0;
      if (r1 > H) r1 = H;
      for (int ox = 0; ox < oW; ox++) {
        int c0 = ox * sW - left, c1 = c0 + fW;
        if (c0 < 0) c0 = 0;
        if (c1 > W) c1 = W;
        if (r0 >= r1 || c0 >= c1) continue;
        const float* g = dy + ((b * oH + oy) * oW + ox) * C;
        for (int c = 0; c < C; c++) {
          int at = ((b * H + r0) * W + c0) * C + c;
          float best = x[at];
          for (int r = r0; r < r1; r++) {
            for (int col = c0; col < c1; col++) {
              int i = ((b * H + r) * W + col) * C + c;
              float v = x[i];
              if (v > best || (v != v && best == best)) { best = v; at = i; }
            }
          }
          dx[at] += g[c];
        }
      }
    }
  }
}
