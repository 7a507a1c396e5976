/**
 * Memory discipline on error paths of gradient computations.
 *
 * tfjs records a tape while a gradient's forward function runs, and every op keeps clones of the
 * tensors its gradient needs ("saved" tensors, kept outside tf.tidy). They are disposed only at the
 * end of a successful backward pass. When the forward function (a model that throws, a bad label)
 * or the backward pass throws, tf.tidy cleans up the ordinary tensors but the tape and its saved
 * clones are abandoned: the next gradient computation starts a new tape and they leak for good
 * (tfjs 4.22; e.g. 2 tensors per pgd call whose model throws mid-loop).
 *
 * guardGradientTape() (installed once by engine.ready) wraps the engine's gradients() so that an
 * error thrown from it releases the abandoned tape when no outer gradient computation is still
 * recording; gradSafe / releaseAbandonedTape do the same for code that manages tapes itself.
 */
import * as tf from '@tensorflow/tfjs';

interface TapeNode {
  saved?: tf.Tensor[];
}
interface EngineState {
  gradientDepth: number;
  activeTape: TapeNode[] | null;
}
interface GuardedEngine {
  state: EngineState;
  gradients: (...args: unknown[]) => unknown;
  robustlensTapeGuard?: boolean;
}

const engine = () => tf.engine() as unknown as GuardedEngine;

/**
 * Dispose the saved tensors of a tape left behind by a failed gradient computation; no-op while a
 * gradient computation is recording (depth > 0) or when there is no tape. Returns how many
 * tensors were released.
 */
export function releaseAbandonedTape(): number {
  const st = engine().state;
  if (st.gradientDepth !== 0 || !st.activeTape) return 0;
  let n = 0;
  for (const node of st.activeTape) {
    for (const t of node.saved ?? []) {
      if (!t.isDisposed) {
        t.dispose();
        n++;
      }
    }
  }
  st.activeTape = null;
  return n;
}

/** Run fn (which computes gradients); if it throws, release the abandoned tape, then rethrow. */
export function gradSafe<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    releaseAbandonedTape();
    throw e;
  }
}

/** Wrap the engine's gradients() once so that every tf.grad / valueAndGrad / minimize that throws releases its tape. */
export function guardGradientTape(): void {
  const eng = engine();
  if (eng.robustlensTapeGuard) return;
  const original = eng.gradients;
  eng.gradients = function guardedGradients(this: unknown, ...args: unknown[]) {
    return gradSafe(() => original.apply(this, args));
  };
  eng.robustlensTapeGuard = true;
}
