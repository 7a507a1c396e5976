/** A dense row-major float matrix: `data[r * shape[1] + c]`; `tf.tensor2d(m.data, m.shape)` makes it a tensor. */
export interface Mat {
  data: Float32Array;
  shape: [number, number];
}

/** a [m, k] x b [k, n] -> [m, n], accumulated in float64; b's zeros are skipped (filterbanks are sparse). */
export function matmul(a: Mat, b: Mat): Mat {
  const [m, k] = a.shape;
  const [k2, n] = b.shape;
  if (k !== k2) throw new Error(`matmul: inner sizes differ (${a.shape} x ${b.shape}).`);
  // b in compressed-row form
  const start = new Int32Array(k + 1);
  const cols: number[] = [], vals: number[] = [];
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < n; j++) {
      const v = b.data[p * n + j];
      if (v !== 0) { cols.push(j); vals.push(v); }
    }
    start[p + 1] = cols.length;
  }
  const out = new Float32Array(m * n);
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const v = a.data[i * k + p];
      if (v === 0) continue;
      for (let q = start[p]; q < start[p + 1]; q++) acc[cols[q]] += v * vals[q];
    }
    out.set(acc, i * n);
  }
  return { data: out, shape: [m, n] };
}

/** Check a 1-D signal: a Float32Array (or number[]) of finite values, at least `minLength` long. */
export function checkSignal(where: string, x: ArrayLike<number>, minLength = 1): void {
  if (!x || typeof x.length !== 'number') throw new Error(`${where}: expected a Float32Array signal.`);
  if (x.length < minLength) throw new Error(`${where}: signal has ${x.length} samples, needs at least ${minLength}.`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new Error(`${where}: signal sample ${i} is ${x[i]} (NaN or Infinity).`);
  }
}
