import { describe, expect, it } from 'vitest';
import { chooseTimeInterval, formatClock } from './time-axis.js';

describe('formatClock()', () => {
  it.each([
    { name: 'zero', seconds: 0, span: undefined, want: '0:00:00' },
    { name: 'minutes and seconds', seconds: 75, span: undefined, want: '0:01:15' },
    { name: 'hours', seconds: 3725, span: undefined, want: '1:02:05' },
    { name: 'fraction dropped', seconds: 59.9, span: undefined, want: '0:00:59' },
    { name: 'past a day in a short run', seconds: 90_000, span: 100_000, want: '25:00:00' },
    { name: 'whole day in a long run', seconds: 3 * 86_400, span: 30 * 86_400, want: '3d' },
    { name: 'day and time in a long run', seconds: 3 * 86_400 + 6 * 3600 + 30 * 60, span: 30 * 86_400, want: '3d 06:30' },
    { name: 'negative', seconds: -30, span: undefined, want: '-0:00:30' },
  ])('$name', ({ seconds, span, want }) => {
    expect(formatClock(seconds, span === undefined ? {} : { spanSeconds: span })).toBe(want);
  });
});

describe('chooseTimeInterval()', () => {
  it.each([
    { span: 60, maxTicks: 6, want: 10 },
    { span: 900, maxTicks: 11, want: 120 },
    { span: 3600, maxTicks: 8, want: 600 },
    { span: 86_400, maxTicks: 10, want: 10_800 },
    { span: 30 * 86_400, maxTicks: 11, want: 604_800 },
    { span: 365 * 86_400, maxTicks: 10, want: 6 * 604_800 },
    { span: 0, maxTicks: 10, want: 1 },
  ])('$span s over at most $maxTicks ticks -> $want s', ({ span, maxTicks, want }) => {
    expect(chooseTimeInterval(span, maxTicks)).toBe(want);
  });
});
