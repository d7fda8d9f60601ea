/** One recognised word with its time span in seconds. */
export interface TranscriptWord {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

export interface PlaceholderTranscript {
  readonly transcription: string;
  readonly words: readonly TranscriptWord[];
}

/** Speaking rate used to size the placeholder: 150 words per minute. */
export const PLACEHOLDER_WORDS_PER_SECOND = 2.5;
/** The placeholder never lists more words than this, however long the audio. */
export const PLACEHOLDER_MAX_WORDS = 500;

const VOCABULARY = ['this', 'is', 'a', 'synthetic', 'transcript', 'from', 'the', 'hpa', 'lab', 'worker'] as const;

/**
 * The worker's stand-in for a transcription: a deterministic text whose length follows the
 * audio's length (2.5 words per second, at least one, at most 500), with evenly spaced word
 * times rounded to milliseconds. It is honest about being synthetic.
 *
 * @example
 * placeholderTranscript(1).transcription; // -> 'this is a'
 * placeholderTranscript(1).words[0]; // -> { word: 'this', start: 0, end: 0.333 }
 */
export function placeholderTranscript(durationSeconds: number): PlaceholderTranscript {
  const seconds = Number.isFinite(durationSeconds) && durationSeconds > 0 ? durationSeconds : 0;
  const count = Math.min(PLACEHOLDER_MAX_WORDS, Math.max(1, Math.round(seconds * PLACEHOLDER_WORDS_PER_SECOND)));
  const step = seconds / count;
  const words: TranscriptWord[] = [];
  for (let i = 0; i < count; i++) {
    words.push({
      word: VOCABULARY[i % VOCABULARY.length] as string,
      start: roundMs(i * step),
      end: roundMs((i + 1) * step),
    });
  }
  return { transcription: words.map((w) => w.word).join(' '), words };
}

function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
