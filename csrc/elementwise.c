/*
 * Elementwise and reduction kernels for the per-op overhead of training (P1's conv-BatchNorm-ReLU
 * blocks): sums over leading axes (bias and BatchNorm gradients, BatchNorm's batch moments), binary
 * ops of a [M, C] tensor with a [C] vector (BatchNorm's per-channel scale and shift, their
 * gradients), and the ReLU gradient in one pass.
 */
#include "common.h"

/*
 * out[c] = scale * sum_m x[m * C + c] for c < C, accumulated in double precision (as tfjs' cpu
 * backend does) in acc[0..C) (caller's scratch, C doubles, 16-byte aligned).
 */
EXPORT(sum_rows)
void sum_rows(const float* x, int M, int C, double* acc, float* out, float scale) {
  for (int c = 0; c < C; c++) acc[c] = 0.0;
  const int c4 = C & ~3;
  for (int m = 0; m < M; m++) {
    const float* r = x + (long)m * C;
    int c = 0;
    for (; c < c4; c += 4) {
      v128_t v = wasm_v128_load(r + c);
      v128_t lo = wasm_f64x2_promote_low_f32x4(v);
      v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
      wasm_v128_store(acc + c, wasm_f64x2_add(wasm_v128_load(acc + c), lo));
      wasm_v128_store(acc + c + 2, wasm_f64x2_add(wasm_v128_load(acc + c + 2), hi));
    }
    for (; c < C; c++) acc[c] += (double)r[c];
  }
  for (int c = 0; c < C; c++) out[c] = (float)(acc[c] * (double)scale);
}

/*
 * out[m, c] = x[m, c] op v[c] for a [M, C] tensor x and a [C] vector v:
 * op 0: x * v, 1: x + v, 2: x - v, 3: v - x.
 */
EXPORT(bcast_rows)
void bcast_rows(const float* x, int M, int C, const float* v, float* out, int op) {
  const int c4 = C & ~3;
  for (int m = 0; m < M; m++) {
    const float* r = x + (long)m * C;
    float* o = out + (long)m * C;
    int c = 0;
    switch (op) {
      case 0:
        for (; c < c4; c += 4) st(o + c, mul(ld(r + c), ld(v + c)));
        for (; c < C; c++) o[c] = r[c] * v[c];
        break;
      case 1:
        for (; c < c4; c += 4) st(o + c, add(ld(r + c), ld(v + c)));
        for (; c < C; c++) o[c] = r[c] + v[c];
        break;
      case 2:
        for (; c < c4; c += 4) st(o + c, wasm_f32x4_sub(ld(r + c), ld(v + c)));
        for (; c < C; c++) o[c] = r[c] - v[c];
        break;
      default:
        for (; c < c4; c += 4) st(o + c, wasm_f32x4_sub(ld(v + c), ld(r + c)));
        for (; c < C; c++) o[c] = v[c] - r[c];
        break;
    }
  }
}

/*
 * ReLU gradient in one pass: dx = dy * step(x) with step(x) = 1 for x > 0, 0 for x <= 0, NaN for
 * NaN x (tfjs' Relu gradient dy * cast(step(x)), NaN and 0 * Inf included).
 */
EXPORT(relu_grad)
void relu_grad(const float* x, const float* dy, float* dx, int n) {
  const int n4 = n & ~3;
  const f4 one = splat(1.f), zero = splat(0.f);
  int i = 0;
  for (; i < n4; i += 4) {
    f4 xv = ld(x + i);
    v128_t pos = wasm_f32x4_gt(xv, zero);
    f4 s = wasm_v128_bitselect(one, zero, pos);
    v128_t isnan = wasm_f32x4_ne(xv, xv);
    s = wasm_v128_bitselect(xv, s, isnan); /* NaN x: s = x (NaN) */
    st(dx + i, mul(ld(dy + i), s));
  }
  for (; i < n; i++) {
    float xv = x[i];
    float s = xv > 0.f ? 1.f : (xv != xv ? xv : 0.f);
    dx[i] = dy[i] * s;
  }
}
