#!/usr/bin/env node
/**
 * Build robustlens' WebAssembly kernels: csrc/*.c -> csrc/out/robustlens_kernels.wasm, plus
 * csrc/out/manifest.json recording the SHA-256 of the sources and flags the .wasm was built from
 * and of the .wasm itself. The .wasm is committed (fresh and CI machines may lack clang);
 * tests/engine/wasmKernels.test.ts fails when the sources or flags no longer match the manifest,
 * or the .wasm no longer matches it (no file times involved: git checkouts reset them).
 *
 *   node csrc/build.mjs            # build (needs clang >= 14 and wasm-ld: apt-get install clang lld)
 *   node csrc/build.mjs --check    # exit 1 if the committed .wasm is stale; builds nothing
 *
 * The module imports tfjs-backend-wasm's memory (env.memory) and must own no memory: the build
 * rejects a module with data segments, globals (a shadow stack), a start function or other imports.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync, renameSync, mkdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CSRC = dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = join(CSRC, 'out');
export const WASM_FILE = join(OUT_DIR, 'robustlens_kernels.wasm');
export const MANIFEST_FILE = join(OUT_DIR, 'manifest.json');
/** Compile flags (clang -c per file) and link flags (wasm-ld). Linking separately keeps clang from
 * running a binaryen wasm-opt it may find on PATH (the output would depend on the machine). */
export const FLAGS = ['--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-ffp-contract=off', '-fno-builtin', '-nostdlib'];
export const LINK_FLAGS = ['--no-entry', '--import-memory', '--strip-all'];

/** The C sources and headers, sorted by name. */
export function sources() {
  return readdirSync(CSRC)
    .filter((f) => f.endsWith('.c') || f.endsWith('.h'))
    .sort();
}

/** SHA-256 over the flags and every source file's name and bytes. */
export function sourceHash() {
  const h = createHash('sha256');
  h.update(FLAGS.join(' ') + '\0' + LINK_FLAGS.join(' ') + '\0');
  for (const f of sources()) {
    h.update(f + '\0');
    h.update(readFileSync(join(CSRC, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** Section ids of a wasm binary and its imports (module/name), for the no-own-memory check. */
export function inspectWasm(bytes) {
  const mod = new WebAssembly.Module(bytes);
  const ids = [];
  let p = 8;
  const leb = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++];
      v |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return v >>> 0;
      shift += 7;
    }
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    ids.push(id);
    p += size;
  }
  return { sections: ids, imports: WebAssembly.Module.imports(mod), exports: WebAssembly.Module.exports(mod).map((e) => e.name) };
}

/**
 * Throws unless the module imports only env.memory and has no start function, data segments or
 * data count. (wasm-ld always defines a __stack_pointer global; that no code uses it is checked
 * on the object files, see checkObjects.)
 */
export function checkOwnsNoMemory(bytes) {
  const { sections, imports } = inspectWasm(bytes);
  const bad = { 8: 'a start function', 11: 'data segments', 12: 'a data count' };
  for (const id of sections) if (bad[id]) throw new Error(`csrc/build: the module has ${bad[id]}; kernels must use no static data and no stack (see csrc/common.h)`);
  const other = imports.filter((i) => !(i.module === 'env' && i.name === 'memory' && i.kind === 'memory'));
  if (other.length) throw new Error(`csrc/build: unexpected imports ${other.map((i) => `${i.module}.${i.name}`).join(', ')} (only env.memory)`);
}

/** Is the committed .wasm built from the current sources and flags? Returns a reason when not. */
export function staleReason() {
  if (!existsSync(WASM_FILE) || !existsSync(MANIFEST_FILE)) return 'csrc/out/robustlens_kernels.wasm or its manifest is missing';
  const m = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8'));
  if (m.sourceSha256 !== sourceHash()) return 'csrc/*.c|h or the build flags changed since the .wasm was built';
  if (m.wasmSha256 !== sha256(readFileSync(WASM_FILE))) return 'csrc/out/robustlens_kernels.wasm is not the file the manifest records';
  return null;
}

/** Reject objects that use the shadow stack (__stack_pointer) or any undefined symbol, or define data. */
function checkObjects(objects, nm) {
  for (const o of objects) {
    const r = spawnSync(nm, [o], { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`csrc/build: ${nm} failed on ${o}: ${r.error?.message ?? r.stderr}`);
    for (const line of r.stdout.split('\n')) {
      const m = /^\s*(?:[0-9a-f]+\s+)?([A-Za-z])\s+(\S+)$/.exec(line);
      if (!m) continue;
      const [, type, name] = m;
      if (type === 'U') throw new Error(`csrc/build: ${o} needs ${name}${name === '__stack_pointer' ? ' (a shadow stack: a local array or address-taken local spilled to memory)' : ''}; the kernels may use no stack and no libc`);
      if ('dDbBrR'.includes(type)) throw new Error(`csrc/build: ${o} defines data ${name}; the module may own no memory`);
    }
  }
}

/** Compile with clang into `outFile` (default: the committed location) and return its bytes. */
export function compile(outFile = WASM_FILE) {
  const cc = process.env.CC_WASM ?? 'clang';
  const ld = process.env.LD_WASM ?? 'wasm-ld';
  const tmp = mkdtempSync(join(tmpdir(), 'rl-csrc-'));
  const run = (cmd, argv) => {
    const r = spawnSync(cmd, argv, { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      throw new Error(`csrc/build: ${cmd} failed${r.error ? ` (${r.error.message}; install clang and lld, e.g. apt-get install clang lld)` : ''}:\n${r.stderr ?? ''}`);
    }
  };
  try {
    const objects = sources()
      .filter((f) => f.endsWith('.c'))
      .map((f) => {
        const o = join(tmp, f.replace(/\.c$/, '.o'));
        run(cc, [...FLAGS, '-c', '-o', o, join(CSRC, f)]);
        return o;
      });
    checkObjects(objects, process.env.NM_WASM ?? 'llvm-nm');
    run(ld, [...LINK_FLAGS, '-o', outFile, ...objects]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const bytes = readFileSync(outFile);
  checkOwnsNoMemory(bytes);
  return bytes;
}

function compilerVersion() {
  const r = spawnSync(process.env.CC_WASM ?? 'clang', ['--version'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n')[0].trim();
}

function main() {
  if (process.argv.includes('--check')) {
    const why = staleReason();
    if (why) {
      console.error(`csrc: stale: ${why}. Run: node csrc/build.mjs`);
      process.exit(1);
    }
    console.log('csrc: robustlens_kernels.wasm matches its sources');
    return;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = `${WASM_FILE}.tmp`;
  const bytes = compile(tmp);
  renameSync(tmp, WASM_FILE);
  const manifest = {
    file: 'robustlens_kernels.wasm',
    sourceSha256: sourceHash(),
    wasmSha256: sha256(bytes),
    bytes: bytes.length,
    flags: FLAGS,
    linkFlags: LINK_FLAGS,
    sources: sources(),
    compiler: compilerVersion(),
    exports: inspectWasm(bytes).exports,
  };
  writeFileSync(`${MANIFEST_FILE}.tmp`, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(`${MANIFEST_FILE}.tmp`, MANIFEST_FILE);
  console.log(`csrc: built ${WASM_FILE} (${bytes.length} bytes, exports ${manifest.exports.join(', ')})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
