/**
 * Inline display in a tslab notebook: a bundle of MIME types (the front-end picks the richest it
 * can render), with an optional display id so a later call can update it in place.
 * Outside a notebook (scripts, tests) it prints the text/plain part, or nothing when quiet.
 */
type Sink = (msg: { data: Record<string, unknown>; metadata: object; transient: object }, update: boolean) => void;

function sink(): Sink | null {
  try {
    // tslab's kernel sets this once it is connected; the public API only sends one MIME type.
    // Looked up in the module cache: a kernel has loaded it, and loading it elsewhere pulls in TypeScript.
    const j = require.cache[require.resolve('tslab/dist/jupyter')]?.exports;
    return j && typeof j.lastWriteDisplayData === 'function' ? j.lastWriteDisplayData : null;
  } catch {
    return null;
  }
}

/** True inside a running tslab kernel. */
export function inNotebook(): boolean {
  return sink() !== null;
}

let nextId = 0;
/** A fresh display id, for displays updated in place (progress bars). */
export function newDisplayId(): string {
  return `robustlens-${process.pid}-${Date.now()}-${nextId++}`;
}

/**
 * Show a MIME bundle. `data` maps MIME types to strings (binary types base64-encoded).
 * With `id`, the first call creates the display and calls with `update: true` replace it.
 */
export function displayBundle(data: Record<string, unknown>, opts: { id?: string; update?: boolean; metadata?: Record<string, unknown> } = {}): void {
  const s = sink();
  if (!s) {
    if (process.env.ROBUSTLENS_QUIET !== '1' && typeof data['text/plain'] === 'string') {
      process.stdout.write(`${data['text/plain']}\n`);
    }
    return;
  }
  s({ data, metadata: opts.metadata ?? {}, transient: opts.id ? { display_id: opts.id } : {} }, Boolean(opts.update));
}

/** Escape text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Show markdown (headings, conclusions computed from numbers). */
export function markdown(md: string): void {
  displayBundle({ 'text/markdown': md, 'text/plain': md });
}

