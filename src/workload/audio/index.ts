export { AudioFormatError, RAW_BYTES_PER_SECOND, RAW_SAMPLE_RATE_HZ, readAudioInfo, WAV_MAX_CHANNELS, WAV_SAMPLE_RATE_RANGE_HZ } from './audio-info.js';
export type { AudioInfo, ReadAudioInfoOptions } from './audio-info.js';
export { makeWav } from './make-wav.js';
export type { MakeWavOptions } from './make-wav.js';
