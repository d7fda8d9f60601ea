/**
 * Reading an audio body's duration the way the ASR worker needs it: from a WAV header when the
 * bytes are a RIFF/WAVE file, else as raw 16 kHz 16-bit mono PCM.
 */

/** Sample rate assumed for a body that is not a WAV file (Lightning ASR's native rate). */
export const RAW_SAMPLE_RATE_HZ = 16_000;
/** Bytes per second assumed for a raw body: 16 kHz, 16-bit, mono. */
export const RAW_BYTES_PER_SECOND = RAW_SAMPLE_RATE_HZ * 2;

export interface AudioInfo {
  /** 'wav' when a RIFF/WAVE header with `fmt ` and `data` chunks was found, else 'raw'. */
  readonly format: 'wav' | 'raw';
  readonly durationSeconds: number;
  /** Size of the whole body in bytes. */
  readonly fileSizeBytes: number;
  readonly sampleRateHz: number;
  readonly channels: number;
  readonly bitsPerSample: number;
}

export interface ReadAudioInfoOptions {
  /**
   * Size of the whole body when `bytes` is only its beginning (a file or stream read partially):
   * the `data` chunk is then cut at this size instead of at `bytes.byteLength`.
   */
  readonly totalBytes?: number;
}

/** Why an audio body was refused: a WAV header that contradicts itself or the body it came with. */
export class AudioFormatError extends Error {
  override name = 'AudioFormatError';
  readonly code: 'badHeader' | 'unsupported' | 'sizeMismatch';
  constructor(code: AudioFormatError['code'], detail: string, options?: ErrorOptions) {
    super(`Cannot read the WAV header: ${detail}`, options);
    this.code = code;
  }
}

/** Sample rates a WAV may declare: telephony (8 kHz) to studio (384 kHz). */
export const WAV_SAMPLE_RATE_RANGE_HZ = { min: 8_000, max: 384_000 } as const;
/** Channels a WAV may declare. */
export const WAV_MAX_CHANNELS = 8;

/** WAV format codes read: PCM, IEEE float, A-law, µ-law, and WAVE_FORMAT_EXTENSIBLE. */
const FORMAT_NAMES: Readonly<Record<number, string>> = { 1: 'PCM', 3: 'IEEE float', 6: 'A-law', 7: 'µ-law', 0xfffe: 'extensible' };
const BITS: Readonly<Record<number, readonly number[]>> = { 1: [8, 16, 24, 32], 3: [32, 64], 6: [8], 7: [8], 0xfffe: [8, 16, 24, 32, 64] };
/** A `data` size that streaming writers put before they know the length. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);

/**
 * Duration and format of an audio body. Parses the RIFF chunks (`fmt `, `data`, skipping others
 * such as `LIST`, with odd-sized chunks padded) and divides the data size by the byte rate.
 * A WAV header must agree with itself and with the body, so the duration a request claims is
 * bounded by the bytes it sent: `blockAlign = channels × bitsPerSample / 8`,
 * `byteRate = sampleRate × blockAlign`, the sample rate in 8..384 kHz, and a `data` size no larger
 * than the body (0 and 0xFFFFFFFF, written by streaming encoders, mean "to the end of the body").
 * A body that does not start with `RIFF....WAVE` counts as raw 16 kHz 16-bit mono PCM:
 * `byteLength / 32000` seconds.
 *
 * @throws {AudioFormatError} when a RIFF/WAVE header lies (byte rate, block align, rate, channels,
 *   data size) or has no `fmt ` and `data` chunks in the bytes given
 * @example
 * readAudioInfo(makeWav(2)).durationSeconds; // -> 2
 * readAudioInfo(new Uint8Array(64_000)).format; // -> 'raw' (and 2 seconds)
 */
export function readAudioInfo(bytes: Uint8Array, options: ReadAudioInfoOptions = {}): AudioInfo {
  const totalBytes = Math.max(options.totalBytes ?? bytes.byteLength, bytes.byteLength);
  return isRiffWave(bytes) ? parseWav(bytes, totalBytes) : rawInfo(totalBytes);
}

function rawInfo(totalBytes: number): AudioInfo {
  return {
    format: 'raw',
    durationSeconds: totalBytes / RAW_BYTES_PER_SECOND,
    fileSizeBytes: totalBytes,
    sampleRateHz: RAW_SAMPLE_RATE_HZ,
    channels: 1,
    bitsPerSample: 16,
  };
}

function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

function isRiffWave(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 12) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return fourCc(view, 0) === 'RIFF' && fourCc(view, 8) === 'WAVE';
}

interface WavFormat {
  readonly channels: number;
  readonly sampleRateHz: number;
  readonly byteRate: number;
  readonly blockAlign: number;
  readonly bitsPerSample: number;
}

function checkFormat(view: DataView, body: number, size: number): WavFormat {
  if (size < 16) throw new AudioFormatError('badHeader', `'fmt ' chunk is ${size} bytes: expected at least 16`);
  const code = view.getUint16(body, true);
  const f: WavFormat = {
    channels: view.getUint16(body + 2, true),
    sampleRateHz: view.getUint32(body + 4, true),
    byteRate: view.getUint32(body + 8, true),
    blockAlign: view.getUint16(body + 12, true),
    bitsPerSample: view.getUint16(body + 14, true),
  };
  const name = FORMAT_NAMES[code];
  if (name === undefined) {
    throw new AudioFormatError('unsupported', `format code ${code} is not supported: expected PCM (1), IEEE float (3), A-law (6), µ-law (7) or extensible (0xFFFE)`);
  }
  if (!(BITS[code] ?? []).includes(f.bitsPerSample)) {
    throw new AudioFormatError('badHeader', `bitsPerSample ${f.bitsPerSample} does not fit ${name}: expected one of ${(BITS[code] ?? []).join(', ')}`);
  }
  if (f.channels < 1 || f.channels > WAV_MAX_CHANNELS) throw new AudioFormatError('badHeader', `channels ${f.channels}: expected 1..${WAV_MAX_CHANNELS}`);
  const { min, max } = WAV_SAMPLE_RATE_RANGE_HZ;
  if (f.sampleRateHz < min || f.sampleRateHz > max) throw new AudioFormatError('badHeader', `sampleRate ${f.sampleRateHz} Hz: expected ${min}..${max} Hz`);
  const blockAlign = (f.channels * f.bitsPerSample) / 8;
  if (f.blockAlign !== blockAlign) {
    throw new AudioFormatError('badHeader', `blockAlign ${f.blockAlign} contradicts channels × bitsPerSample / 8 = ${f.channels} × ${f.bitsPerSample} / 8 = ${blockAlign}`);
  }
  if (f.byteRate !== f.sampleRateHz * blockAlign) {
    throw new AudioFormatError('badHeader', `byteRate ${f.byteRate} contradicts sampleRate × blockAlign = ${f.sampleRateHz} × ${blockAlign} = ${f.sampleRateHz * blockAlign}`);
  }
  return f;
}

function parseWav(bytes: Uint8Array, totalBytes: number): AudioInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: WavFormat | undefined;
  let offset = 12;
  // Bounded: every step advances by at least 8 bytes through a finite buffer.
  while (offset + 8 <= bytes.byteLength) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + 16 > bytes.byteLength) throw new AudioFormatError('badHeader', `'fmt ' chunk at byte ${offset} is cut: the body ends at byte ${bytes.byteLength}`);
      fmt = checkFormat(view, body, size);
    } else if (id === 'data') {
      if (fmt === undefined) throw new AudioFormatError('badHeader', `'data' chunk at byte ${offset} comes before any 'fmt ' chunk`);
      const held = Math.max(0, totalBytes - body);
      if (!UNKNOWN_SIZES.has(size) && size > held) {
        throw new AudioFormatError('sizeMismatch', `'data' chunk claims ${size} bytes but the body holds ${held} after the header (${totalBytes} bytes in all)`);
      }
      const dataBytes = UNKNOWN_SIZES.has(size) ? held : size;
      return {
        format: 'wav',
        durationSeconds: dataBytes / fmt.byteRate,
        fileSizeBytes: totalBytes,
        sampleRateHz: fmt.sampleRateHz,
        channels: fmt.channels,
        bitsPerSample: fmt.bitsPerSample,
      };
    }
    offset = body + size + (size % 2);
  }
  throw new AudioFormatError('badHeader', fmt === undefined ? "no 'fmt ' chunk in the header" : "no 'data' chunk after the 'fmt ' chunk");
}
