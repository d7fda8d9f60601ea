import type { CommandDef } from '../command.js';
import { explainCommand } from './explain.js';

/** Every command of the CLI, in help order. Each lives in its own file in this folder. */
export const COMMANDS: readonly CommandDef[] = [explainCommand];
