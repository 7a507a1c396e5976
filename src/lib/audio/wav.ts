/**
 * WAV (RIFF/WAVE) reading and writing: PCM 8/16/24/32-bit integer and 32-bit float, any number of
 * channels, any sample rate, plain and WAVE_FORMAT_EXTENSIBLE headers.
 *
 * Samples are float in [-1, 1): integer PCM of b bits maps v -> v / 2^(b-1) (8-bit is unsigned,
 * offset 128). Writing clips to [-1, 1] and rounds, v = round(x * 2^(b-1)) clamped to the range,
 * so write -> read is exact for any input already on the b-bit grid.
 *
 * @example
 *   const { sampleRate, channels } = readWav('clip.wav');
 *   const bytes = writeWav(toMono(channels), sampleRate, { bitDepth: 16 });
 */
import { readFileSync } from 'node:fs';
import { checkOptions } from '../engine';

export interface WavAudio {
  sampleRate: number;
  /** One Float32Array per channel, all the same length. */
  channels: Float32Array[];
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

const FORMAT_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'mu-law',
  0x11: 'IMA ADPCM',
  0x55: 'MPEG Layer 3',
};

/**
 * Decode a WAV file (bytes or a file path) into float channels in [-1, 1). A file without samples,
 * or a float file holding NaN or Infinity, is an error naming the file (and the sample).
 */
export function readWav(input: Uint8Array | string): WavAudio {
  const bytes = typeof input === 'string' ? new Uint8Array(readFileSync(input)) : input;
  const where = typeof input === 'string' ? `readWav(${input})` : 'readWav';
  if (!(bytes instanceof Uint8Array)) throw new Error(`${where}: expected a Uint8Array or a file path.`);
  if (bytes.length < 12) throw new Error(`${where}: truncated file (${bytes.length} bytes; a WAV header needs at least 12).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new Error(`${where}: not a RIFF/WAVE file (starts with "${tag(0)}"..."${tag(8)}"${tag(0) === 'RF64' ? '; RF64 is not supported' : ''}).`);
  }
  let fmt: { format: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | null = null;
  let data: { offset: number; size: number } | null = null;
  let o = 12;
  while (o + 8 <= bytes.length) {
    const id = tag(o);
    const size = view.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new Error(`${where}: truncated file (fmt chunk is cut short).`);
      let format = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bits = view.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 40 > bytes.length) throw new Error(`${where}: truncated file (WAVE_FORMAT_EXTENSIBLE fmt chunk is cut short).`);
        // SubFormat GUID: its first two bytes are the format code (1 = PCM, 3 = IEEE float).
        format = view.getUint16(body + 24, true);
      }
      fmt = { format, channels, sampleRate, blockAlign, bits };
    } else if (id === 'data') {
      data = { offset: body, size };
      if (fmt) break;
    }
    o = body + size + (size & 1);
  }
  if (!fmt) throw new Error(`${where}: truncated file or missing "fmt " chunk.`);
  if (!data) throw new Error(`${where}: truncated file or missing "data" chunk.`);
  const { format, channels: nch, sampleRate, bits } = fmt;
  if (nch < 1) throw new Error(`${where}: header says ${nch} channels.`);
  if (!(sampleRate > 0)) throw new Error(`${where}: header says sample rate ${sampleRate}.`);
  const isPcm = format === FORMAT_PCM && [8, 16, 24, 32].includes(bits);
  const isFloat = format === FORMAT_FLOAT && bits === 32;
  if (!isPcm && !isFloat) {
    const name =
      format === FORMAT_PCM ? `${bits}-bit PCM` :
      format === FORMAT_FLOAT ? `${bits}-bit float` :
      `${FORMAT_NAMES[format] ?? 'format code 0x' + format.toString(16)} (${bits}-bit)`;
    throw new Error(`${where}: unsupported encoding ${name}; supported: PCM 8/16/24/32-bit and 32-bit float.`);
  }
  const bps = bits / 8;
  const frameBytes = bps * nch;
  if (data.offset + data.size > bytes.length) {
    throw new Error(`${where}: truncated file (data chunk declares ${data.size} bytes, ${bytes.length - data.offset} present).`);
  }
  const n = Math.floor(data.size / frameBytes);
  if (n === 0) throw new Error(`${where}: the data chunk holds no samples (an empty recording).`);
  const channels = Array.from({ length: nch }, () => new Float32Array(n));
  let p = data.offset;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < nch; c++, p += bps) {
      let v: number;
      if (isFloat) v = view.getFloat32(p, true);
      else if (bits === 8) v = (bytes[p] - 128) / 128;
      else if (bits === 16) v = view.getInt16(p, true) / 32768;
      else if (bits === 24) {
        let s = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16);
        if (s & 0x800000) s -= 0x1000000;
        v = s / 8388608;
      } else v = view.getInt32(p, true) / 2147483648;
      if (!Number.isFinite(v)) throw new Error(`${where}: channel ${c} sample ${i} is ${v} (a float WAV holding NaN or Infinity).`);
      channels[c][i] = v;
    }
  }
  return { sampleRate, channels };
}

export interface WriteWavOptions {
  /** 8, 16, 24 or 32 (integer PCM), or 'float' / 32 with float: true for IEEE float. Default 16. */
  bitDepth?: 8 | 16 | 24 | 32;
  /** Write 32-bit IEEE float instead of integer PCM (bitDepth must be 32 or absent). Default false. */
  float?: boolean;
}

/** Encode float channels (or one mono Float32Array) as a WAV file; samples are clipped to [-1, 1]. */
export function writeWav(input: Float32Array | Float32Array[], sampleRate: number, options: WriteWavOptions = {}): Uint8Array {
  checkOptions('writeWav', options, ['bitDepth', 'float']);
  const channels = input instanceof Float32Array ? [input] : input;
  if (!Array.isArray(channels) || channels.length === 0) throw new Error('writeWav: expected a Float32Array or a non-empty array of them.');
  const n = channels[0].length;
  for (const [c, ch] of channels.entries()) {
    if (!(ch instanceof Float32Array)) throw new Error(`writeWav: channel ${c} is not a Float32Array.`);
    if (ch.length !== n) throw new Error(`writeWav: channel ${c} has ${ch.length} samples, channel 0 has ${n}.`);
    for (let i = 0; i < ch.length; i++) {
      if (!Number.isFinite(ch[i])) throw new Error(`writeWav: channel ${c} sample ${i} is ${ch[i]} (NaN or Infinity); clean the signal first.`);
    }
  }
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new Error(`writeWav: sampleRate must be a positive integer, got ${sampleRate}.`);
  const isFloat = options.float ?? false;
  const bits = options.bitDepth ?? (isFloat ? 32 : 16);
  if (![8, 16, 24, 32].includes(bits)) throw new Error(`writeWav: bitDepth must be 8, 16, 24 or 32, got ${bits}.`);
  if (isFloat && bits !== 32) throw new Error(`writeWav: float samples are 32-bit, got bitDepth ${bits}.`);
  const nch = channels.length;
  const bps = bits / 8;
  const dataSize = n * nch * bps;
  const out = new Uint8Array(44 + dataSize + (dataSize & 1));
  const view = new DataView(out.buffer);
  const put = (o: number, s: string) => { for (let i = 0; i < 4; i++) out[o + i] = s.charCodeAt(i); };
  put(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, isFloat ? FORMAT_FLOAT : FORMAT_PCM, true);
  view.setUint16(22, nch, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * nch * bps, true);
  view.setUint16(32, nch * bps, true);
  view.setUint16(34, bits, true);
  put(36, 'data');
  view.setUint32(40, dataSize, true);
  let p = 44;
  const full = 2 ** (bits - 1);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < nch; c++, p += bps) {
      const x = Math.max(-1, Math.min(1, channels[c][i]));
      if (isFloat) { view.setFloat32(p, x, true); continue; }
      const v = Math.max(-full, Math.min(full - 1, Math.round(x * full)));
      if (bits === 8) out[p] = v + 128;
      else if (bits === 16) view.setInt16(p, v, true);
      else if (bits === 24) { const u = v & 0xffffff; out[p] = u & 0xff; out[p + 1] = (u >> 8) & 0xff; out[p + 2] = (u >> 16) & 0xff; }
      else view.setInt32(p, v, true);
    }
  }
  return out;
}

/** Average the channels into one (a single channel is returned as a copy). */
export function toMono(channels: Float32Array[]): Float32Array {
  if (!Array.isArray(channels) || channels.length === 0) throw new Error('toMono: expected a non-empty array of channels.');
  const n = channels[0].length;
  const out = new Float32Array(n);
  for (const [c, ch] of channels.entries()) {
    if (ch.length !== n) throw new Error(`toMono: channel ${c} has ${ch.length} samples, channel 0 has ${n}.`);
    for (let i = 0; i < n; i++) out[i] += ch[i];
  }
  if (channels.length > 1) for (let i = 0; i < n; i++) out[i] /= channels.length;
  return out;
}
