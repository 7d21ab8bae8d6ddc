/**
 * The CLI's command table. A command is a name, a usage text, its options
 * (node:util parseArgs format) and a run function returning the exit code.
 * Other areas add commands by appending to COMMANDS in commands.ts
 * (e.g. the documents issue: `stamp`, `check-package`).
 */
import type { ParseArgsConfig } from 'node:util';
import type { Language } from '../../src-shared/i18n/languages';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  lang: Language;
  json: boolean;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: OptionValues, io: CliIo): Promise<number>;
}

/** Exit codes: 0 success / signature valid; anything else is not "valid". */
export const EXIT = { ok: 0, invalid: 1, indeterminate: 2, usage: 3, failed: 4 } as const;

export class UsageError extends Error {}

export function requireString(values: OptionValues, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function optionalString(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Reads a password from the named environment variable and removes it from the environment. */
export function passwordFromEnv(values: OptionValues, io: CliIo): string {
  const name = requireString(values, 'password-env');
  const pw = io.env[name];
  if (pw === undefined) throw new UsageError(`environment variable ${name} is not set`);
  delete io.env[name];
  return pw;
}
