import { z } from 'zod';
import { method } from './define';
import { LANGUAGES } from '../i18n/languages';

export const LanguageSchema = z.enum(LANGUAGES);

export const HostKindSchema = z.enum(['electron', 'browser']);

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  hostKind: HostKindSchema,
  platform: z.string(),
  portalUrl: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const SettingsSchema = z.object({
  language: LanguageSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SyncStatusSchema = z.object({
  state: z.enum(['online', 'offline', 'syncing', 'signed_out', 'session_expired', 'upgrade_required']),
  pending: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  lastSyncAt: z.string().nullable(),
  progress: z.object({ done: z.number(), total: z.number().nullable() }).nullable(),
  /** Portal clock minus the local clock, learned at the last sync: every "now" the app shows adds it. */
  portalOffsetMs: z.number().optional(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const NotificationEventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
});

export const RejectedMutationSchema = z.object({
  mutationId: z.string(),
  name: z.string(),
  args: z.unknown(),
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
  at: z.string(),
});

export const appMethods = {
  'app.info': method(z.object({}).strict(), AppInfoSchema),
  'settings.get': method(z.object({}).strict(), SettingsSchema),
  'settings.setLanguage': method(z.object({ language: LanguageSchema }).strict(), SettingsSchema),
  'sync.status': method(z.object({}).strict(), SyncStatusSchema),
  /** Sync now (the "retry" button); resolves after one full cycle. */
  'sync.now': method(z.object({}).strict(), SyncStatusSchema),
  /** Mutations the portal refused, with its reasons, until the user dismisses them. */
  'sync.rejected': method(z.object({}).strict(), z.object({ items: z.array(RejectedMutationSchema) })),
  /** `mutationId` is a mutation's id, or a refused file's SHA-256 (listed as `files.upload`). */
  'sync.dismiss': method(
    z.object({ mutationId: z.union([z.string().uuid(), z.string().regex(/^[0-9a-f]{64}$/)]) }).strict(),
    z.object({ dismissed: z.boolean() }),
  ),
};

export const appEvents = {
  'sync.status': SyncStatusSchema,
  notification: NotificationEventSchema,
};
