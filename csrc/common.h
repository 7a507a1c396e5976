/*
 * robustlens WebAssembly kernels: shared definitions.
 *
 * The module imports tfjs-backend-wasm's own memory and reads/writes tensors in place (pointers
 * are byte offsets into that memory). It must own no memory itself: no data segments, no
 * globals, no shadow stack (csrc/build.mjs checks the linked module). Scratch buffers are
 * allocated by the caller with tfjs-wasm's malloc.
 */
#ifndef ROBUSTLENS_COMMON_H
#define ROBUSTLENS_COMMON_H
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name))) 
#define INLINE static inline __attribute__((always_inline))

typedef v128_t f4;
INLINE f4 ld(const float* p) { return wasm_v128_load(p); }
INLINE void st(float* p, f4 v) { wasm_v128_store(p, v); }
INLINE f4 splat(float v) { return wasm_f32x4_splat(v); }
INLINE f4 add(f4 a, f4 b) { return wasm_f32x4_add(a, b); }
INLINE f4 mul(f4 a, f4 b) { return wasm_f32x4_mul(a, b); }
INLINE f4 madd(f4 acc, f4 a, f4 b) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b)); }

#endif
