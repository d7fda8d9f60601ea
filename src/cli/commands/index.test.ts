import { describe, expect, it } from 'vitest';
import { COMMANDS } from './index.js';

describe('the command table', () => {
  it.each(COMMANDS.map((c) => ({ entry: c })))('loads $entry.name with the name and summary --help prints', async ({ entry }) => {
    const cmd = await entry.load();
    expect(cmd.name).toBe(entry.name);
    expect(cmd.summary).toBe(entry.summary);
  });
});
