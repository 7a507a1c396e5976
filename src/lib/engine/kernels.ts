/**
 * Kernels the wasm backend lacks for training and gradients. Filled in by engine/kernels/*.
 */
let registered = false;
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
}
