import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudioFormatError, readAudioInfo } from './audio-info.js';
import { makeWav } from './make-wav.js';

/** Builds a RIFF/WAVE file from raw chunks: [id, body] pairs, padding odd bodies as RIFF requires. */
function riff(chunks: readonly (readonly [string, Uint8Array, number?])[]): Uint8Array {
  const parts: number[] = [];
  const push32 = (v: number): void => {
    parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  };
  for (const [id, body, declared] of chunks) {
    for (const c of id) parts.push(c.charCodeAt(0));
    push32(declared ?? body.byteLength);
    for (const b of body) parts.push(b);
    if (body.byteLength % 2 === 1) parts.push(0);
  }
  const out = [...'RIFF'].map((c) => c.charCodeAt(0));
  const size = parts.length + 4;
  out.push(size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff);
  out.push(...[...'WAVE'].map((c) => c.charCodeAt(0)));
  return Uint8Array.from([...out, ...Uint8Array.from(parts)]);
}

function fmt(channels: number, rate: number, bits: number, byteRate = rate * channels * (bits / 8)): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, 1, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, byteRate, true);
  v.setUint16(12, channels * (bits / 8), true);
  v.setUint16(14, bits, true);
  return b;
}

describe('readAudioInfo()', () => {
  it.each([
    { name: 'reads 1 s of 16 kHz mono from makeWav', bytes: makeWav(1), format: 'wav', duration: 1 },
    { name: 'reads 2.5 s at 8 kHz', bytes: makeWav(2.5, 8000), format: 'wav', duration: 2.5 },
    { name: 'reads stereo 44.1 kHz', bytes: riff([['fmt ', fmt(2, 44_100, 16)], ['data', new Uint8Array(44_100 * 4)]]), format: 'wav', duration: 1 },
    { name: 'reads 24-bit 48 kHz', bytes: riff([['fmt ', fmt(1, 48_000, 24)], ['data', new Uint8Array(72_000)]]), format: 'wav', duration: 0.5 },
    {
      name: 'skips a LIST chunk of odd size before fmt and data',
      bytes: riff([['LIST', new Uint8Array(7)], ['fmt ', fmt(1, 16_000, 16)], ['data', new Uint8Array(16_000)]]),
      format: 'wav',
      duration: 0.5,
    },
    {
      name: 'cuts a streaming data size (0xFFFFFFFF) at the end of the body',
      bytes: riff([['fmt ', fmt(1, 16_000, 16)], ['data', new Uint8Array(32_000), 0xffffffff]]),
      format: 'wav',
      duration: 1,
    },
    { name: 'reads an empty data chunk as 0 s', bytes: makeWav(0), format: 'wav', duration: 0 },
    { name: 'treats bytes without RIFF as raw 16 kHz 16-bit PCM', bytes: new Uint8Array(64_000), format: 'raw', duration: 2 },
    { name: 'treats RIFF that is not WAVE as raw', bytes: Uint8Array.from([...'RIFF\0\0\0\0AVI '].map((c) => c.charCodeAt(0))), format: 'raw', duration: 12 / 32_000 },
    { name: 'reads an empty body as 0 s raw', bytes: new Uint8Array(0), format: 'raw', duration: 0 },
  ])('$name', ({ bytes, format, duration }) => {
    const info = readAudioInfo(bytes);
    expect(info.format).toBe(format);
    expect(info.durationSeconds).toBeCloseTo(duration, 9);
    expect(info.fileSizeBytes).toBe(bytes.byteLength);
  });

  it('uses totalBytes when given only the head of a large file', () => {
    const head = makeWav(60, 16_000, { toneHz: 0 }).subarray(0, 1024);
    const info = readAudioInfo(head, { totalBytes: 44 + 32_000 * 60 });
    expect(info).toMatchObject({ format: 'wav', durationSeconds: 60, fileSizeBytes: 44 + 32_000 * 60 });
  });

  it('round-trips makeWav durations at any rate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 48_000 }), fc.constantFrom(8000, 16_000, 22_050, 44_100), (frames, rate) => {
        const info = readAudioInfo(makeWav(frames / rate, rate, { toneHz: 0 }));
        expect(info.format).toBe('wav');
        expect(info.sampleRateHz).toBe(rate);
        expect(info.durationSeconds).toBeCloseTo(frames / rate, 9);
      }),
      { numRuns: 50 },
    );
  });

  it.each([
    { name: 'a byte rate of 1 (the 200 s slot from 2 KB)', bytes: riff([['fmt ', fmt(1, 16_000, 16, 1)], ['data', new Uint8Array(2_000)]]), code: 'badHeader', message: 'byteRate 1 contradicts sampleRate × blockAlign = 16000 × 2 = 32000' },
    { name: 'a byte rate of 0', bytes: riff([['fmt ', fmt(1, 16_000, 16, 0)], ['data', new Uint8Array(8)]]), code: 'badHeader', message: 'byteRate 0 contradicts' },
    { name: 'a sample rate of 1 Hz', bytes: riff([['fmt ', fmt(1, 1, 16)], ['data', new Uint8Array(8)]]), code: 'badHeader', message: 'sampleRate 1 Hz: expected 8000..384000 Hz' },
    { name: 'no channels', bytes: riff([['fmt ', fmt(0, 16_000, 16)], ['data', new Uint8Array(8)]]), code: 'badHeader', message: 'channels 0: expected 1..8' },
    { name: 'odd bits per sample', bytes: riff([['fmt ', fmt(1, 16_000, 12)], ['data', new Uint8Array(8)]]), code: 'badHeader', message: 'bitsPerSample 12 does not fit PCM' },
    { name: 'a data size larger than the body', bytes: riff([['fmt ', fmt(1, 16_000, 16)], ['data', new Uint8Array(100), 1_000_000]]), code: 'sizeMismatch', message: "'data' chunk claims 1000000 bytes but the body holds 100" },
    { name: 'a data chunk before fmt', bytes: riff([['data', new Uint8Array(100)], ['fmt ', fmt(1, 16_000, 16)]]), code: 'badHeader', message: "comes before any 'fmt ' chunk" },
    { name: 'a header cut inside fmt', bytes: makeWav(1).subarray(0, 30), code: 'badHeader', message: "'fmt ' chunk at byte 12 is cut" },
    { name: 'no data chunk', bytes: riff([['fmt ', fmt(1, 16_000, 16)]]), code: 'badHeader', message: "no 'data' chunk" },
  ])('throws AudioFormatError for $name', ({ bytes, code, message }) => {
    let caught: unknown;
    try {
      readAudioInfo(bytes);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AudioFormatError);
    expect((caught as AudioFormatError).code).toBe(code);
    expect((caught as AudioFormatError).message).toContain(message);
  });

  it('claims no more audio than the body holds, or refuses it, on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, withHeader) => {
        const bytes = withHeader ? Uint8Array.from([...makeWav(0.001).subarray(0, 36), ...tail]) : tail;
        let info;
        try {
          info = readAudioInfo(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(AudioFormatError);
          return;
        }
        expect(info.durationSeconds).toBeGreaterThanOrEqual(0);
        // The slowest rate accepted is 8 kHz 8-bit mono: 8,000 bytes per second of audio.
        expect(info.durationSeconds).toBeLessThanOrEqual(bytes.byteLength / 8_000);
      }),
      { numRuns: 300 },
    );
  });
});

describe('makeWav()', () => {
  it.each([
    { name: 'writes a 44-byte header plus 2 bytes per sample', seconds: 1, rate: 16_000, bytes: 32_044 },
    { name: 'honours the sample rate', seconds: 0.5, rate: 8000, bytes: 8044 },
    { name: 'writes only a header for 0 s', seconds: 0, rate: 16_000, bytes: 44 },
  ])('$name', ({ seconds, rate, bytes }) => {
    expect(makeWav(seconds, rate).byteLength).toBe(bytes);
  });

  it('is deterministic', () => {
    expect(makeWav(0.1)).toEqual(makeWav(0.1));
  });

  it.each([
    { name: 'a negative duration', args: [-1, 16_000] as const, message: "Cannot make a WAV as 'durationSeconds' must be a finite number >= 0: got -1" },
    { name: 'an infinite duration', args: [Infinity, 16_000] as const, message: "Cannot make a WAV as 'durationSeconds' must be a finite number >= 0: got Infinity" },
    { name: 'a fractional rate', args: [1, 1.5] as const, message: "Cannot make a WAV as 'sampleRateHz' must be a positive integer: got 1.5" },
  ])('throws RangeError for $name', ({ args, message }) => {
    expect(() => makeWav(args[0], args[1])).toThrow(RangeError);
    expect(() => makeWav(args[0], args[1])).toThrow(message);
  });
});
