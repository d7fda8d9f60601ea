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

/**
 * Duration and format of an audio body. Parses the RIFF chunks (`fmt `, `data`, skipping others
 * such as `LIST`, with odd-sized chunks padded) and divides the data size by the byte rate. A
 * `data` size larger than the body (streamed WAVs write 0xFFFFFFFF) is cut at the body's end.
 * Anything that is not a readable WAV counts as raw 16 kHz 16-bit mono PCM:
 * `byteLength / 32000` seconds.
 *
 * @example
 * readAudioInfo(makeWav(2)).durationSeconds; // -> 2
 * readAudioInfo(new Uint8Array(64_000)).format; // -> 'raw' (and 2 seconds)
 */
export function readAudioInfo(bytes: Uint8Array, options: ReadAudioInfoOptions = {}): AudioInfo {
  const totalBytes = Math.max(options.totalBytes ?? bytes.byteLength, bytes.byteLength);
  return parseWav(bytes, totalBytes) ?? rawInfo(totalBytes);
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

function parseWav(bytes: Uint8Array, totalBytes: number): AudioInfo | undefined {
  if (bytes.byteLength < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (fourCc(view, 0) !== 'RIFF' || fourCc(view, 8) !== 'WAVE') return undefined;
  let fmt: { channels: number; sampleRateHz: number; byteRate: number; bitsPerSample: number } | undefined;
  let offset = 12;
  // Bounded: every step advances by at least 8 bytes through a finite buffer.
  while (offset + 8 <= bytes.byteLength) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + 16 > bytes.byteLength) return undefined;
      fmt = {
        channels: view.getUint16(body + 2, true),
        sampleRateHz: view.getUint32(body + 4, true),
        byteRate: view.getUint32(body + 8, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (fmt === undefined || fmt.byteRate === 0) return undefined;
      const dataBytes = Math.min(size, totalBytes - body);
      return {
        format: 'wav',
        durationSeconds: Math.max(0, dataBytes) / fmt.byteRate,
        fileSizeBytes: totalBytes,
        sampleRateHz: fmt.sampleRateHz,
        channels: fmt.channels,
        bitsPerSample: fmt.bitsPerSample,
      };
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}
