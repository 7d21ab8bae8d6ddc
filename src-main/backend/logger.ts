import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const MAX_BYTES = 2 * 1024 * 1024;
/** Field names whose values are never written, whatever code passes them in. */
const SECRET_KEYS = /pass(word)?|secret|token|key|pin|cookie|authorization/i;

function redact(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : v]));
}

/**
 * A small rotating JSON-lines log in the data folder, the file a user
 * attaches to a support request. Secrets are redacted by field name.
 */
export function createLogger(dataDir: string, name = 'app'): Logger {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.log`);
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ t: new Date().toISOString(), level, message, ...redact(fields) }) + '\n';
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, `${file}.1`);
      appendFileSync(file, line);
    } catch {
      // Logging must never break the action being logged.
    }
    if (process.env.SERIKTES_LOG_STDERR) process.stderr.write(line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
