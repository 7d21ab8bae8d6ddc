/**
 * Portal settings: `<dataDir>/settings.json` (optional), overridden by CLI
 * flags. SMTP credentials live here, never in the database or the audit log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const SmtpSettingsSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** 'tls' = implicit TLS (port 465), 'starttls' = upgrade required, 'none' = plain (loopback/test relays only). */
  security: z.enum(['tls', 'starttls', 'none']).default('starttls'),
  user: z.string().optional(),
  pass: z.string().optional(),
  from: z.string().min(3),
  /** PEM file of a CA to trust besides the system ones (an organization's internal mail server). */
  caFile: z.string().optional(),
  /** First retry delay; doubles per attempt up to one hour. */
  retryBaseMs: z.number().int().min(10).default(30_000),
  maxAttempts: z.number().int().min(1).default(20),
});
export type SmtpSettings = z.infer<typeof SmtpSettingsSchema>;

export const SettingsFileSchema = z.object({
  smtp: SmtpSettingsSchema.optional(),
  maxFileBytes: z.number().int().min(1).optional(),
  /** Used only when no SMTP is configured: mails are written there as .eml files. */
  mailDir: z.string().optional(),
  publicName: z.string().optional(),
  /** PEM (PKCS#8) Ed25519 key that signs the audit head; default `<dataDir>/audit-signing-key.pem`, made at first start. */
  auditSigningKeyFile: z.string().optional(),
});
export type SettingsFile = z.infer<typeof SettingsFileSchema>;

export function readSettingsFile(dataDir: string): SettingsFile {
  const file = path.join(dataDir, 'settings.json');
  if (!fs.existsSync(file)) return {};
  return SettingsFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
