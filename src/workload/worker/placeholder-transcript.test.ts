import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_MAX_WORDS, placeholderTranscript } from './placeholder-transcript.js';

describe('placeholderTranscript()', () => {
  it.each([
    { name: 'gives one word for silence-length audio', seconds: 0, words: 1, text: 'this' },
    { name: 'gives 2.5 words per second, rounded', seconds: 1, words: 3, text: 'this is a' },
    { name: 'cycles the vocabulary', seconds: 4.4, words: 11, text: 'this is a synthetic transcript from the hpa lab worker this' },
    { name: 'caps the word count for long audio', seconds: 3600, words: PLACEHOLDER_MAX_WORDS, text: undefined },
    { name: 'treats a non-finite duration as 0', seconds: Number.NaN, words: 1, text: 'this' },
  ])('$name', ({ seconds, words, text }) => {
    const t = placeholderTranscript(seconds);
    expect(t.words).toHaveLength(words);
    if (text !== undefined) expect(t.transcription).toBe(text);
    expect(t.transcription.split(' ')).toHaveLength(words);
  });

  it('spaces word times evenly over the audio, ending at its duration', () => {
    const t = placeholderTranscript(2);
    expect(t.words[0]).toEqual({ word: 'this', start: 0, end: 0.4 });
    expect(t.words.at(-1)?.end).toBe(2);
  });

  it('is deterministic', () => {
    expect(placeholderTranscript(7.3)).toEqual(placeholderTranscript(7.3));
  });
});
