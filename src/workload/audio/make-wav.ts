export interface MakeWavOptions {
  /** 1 (mono) unless told. */
  readonly channels?: number;
  /** Frequency of the sine tone written as samples; 0 writes silence. 440 unless told. */
  readonly toneHz?: number;
}

/**
 * A small, valid 16-bit PCM WAV file of the given length (a sine tone, deterministic), for tests
 * and load generation.
 *
 * @throws {RangeError} when the duration is negative or not finite, or the rate is not a positive integer
 * @example
 * makeWav(1).byteLength; // -> 32044 (44-byte header + 16000 samples × 2 bytes)
 * makeWav(0.5, 8000).byteLength; // -> 8044
 */
export function makeWav(durationSeconds: number, sampleRateHz = 16_000, options: MakeWavOptions = {}): Uint8Array<ArrayBuffer> {
  if (!Number.isFinite(durationSeconds) || durationSeconds < 0) {
    throw new RangeError(`Cannot make a WAV as 'durationSeconds' must be a finite number >= 0: got ${durationSeconds}`);
  }
  const rate = sampleRateHz;
  if (!Number.isInteger(rate) || rate <= 0) {
    throw new RangeError(`Cannot make a WAV as 'sampleRateHz' must be a positive integer: got ${rate}`);
  }
  const channels = options.channels ?? 1;
  const toneHz = options.toneHz ?? 440;
  const frames = Math.round(durationSeconds * rate);
  const blockAlign = channels * 2;
  const dataBytes = frames * blockAlign;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // PCM fmt chunk size
  view.setUint16(20, 1, true); // audio format 1 = PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * blockAlign, true); // byte rate
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  if (toneHz > 0) {
    for (let f = 0; f < frames; f++) {
      const sample = Math.round(Math.sin((2 * Math.PI * toneHz * f) / rate) * 0.2 * 32767);
      for (let c = 0; c < channels; c++) view.setInt16(44 + f * blockAlign + c * 2, sample, true);
    }
  }
  return out;
}
