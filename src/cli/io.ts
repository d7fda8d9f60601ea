/** What a command may touch of the outside world: the CLI's streams (tests pass fakes). */
export interface Io {
  readonly stdout: { write(chunk: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(chunk: string): unknown };
  /** Working directory relative paths resolve against; defaults to process.cwd(). */
  readonly cwd?: string;
}
