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
  /** `portal_error`: the portal answers but failed the whole request (never `offline` while it answers).
   *  `untrusted`: the portal's audit head is signed by another key than the pinned one, or forged (issue 15). */
  state: z.enum(['online', 'offline', 'portal_error', 'syncing', 'signed_out', 'session_expired', 'upgrade_required', 'untrusted']),
  pending: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  lastSyncAt: z.string().nullable(),
  progress: z.object({ done: z.number(), total: z.number().nullable() }).nullable(),
  /** The portal diverged from what this app saw (restored from a backup): `sync.divergence` tells what changed. */
  diverged: z.boolean().optional(),
  /** Why the state is `untrusted`: audit_key_changed or audit_signature_invalid. */
  trustError: z.string().nullable().optional(),
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
  /** Attempts the portal answered with a failure before the app gave up (0 for a plain refusal). */
  attempts: z.number().int().nonnegative().default(0),
  /** "Could not be sent" (the app gave up retrying) rather than "refused by the portal". */
  couldNotSend: z.boolean().default(false),
});

const DivergedRecordSchema = z.object({ entityType: z.string(), entityId: z.string(), label: z.string() });
/** What a re-sync after a divergence changed, compared with the view before it (lists capped, counts whole). */
export const DivergenceReportSchema = z.object({
  detectedAt: z.string(),
  /** False while the re-sync from zero is still running. */
  complete: z.boolean(),
  counts: z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int() }),
  added: z.array(DivergedRecordSchema),
  removed: z.array(DivergedRecordSchema),
  changed: z.array(DivergedRecordSchema),
  /** The user's acknowledged changes the portal no longer holds: offered to be sent again. */
  lost: z.array(z.object({ mutationId: z.string(), name: z.string(), args: z.unknown(), at: z.string() })),
});
export type DivergenceReport = z.infer<typeof DivergenceReportSchema>;

export const appMethods = {
  'app.info': method(z.object({}).strict(), AppInfoSchema),
  'settings.get': method(z.object({}).strict(), SettingsSchema),
  'settings.setLanguage': method(z.object({ language: LanguageSchema }).strict(), SettingsSchema),
  'sync.status': method(z.object({}).strict(), SyncStatusSchema),
  /** Sync now (the "retry" button); resolves after one full cycle. */
  'sync.now': method(z.object({}).strict(), SyncStatusSchema),
  /** Mutations the portal refused, with its reasons, until the user dismisses them. */
  'sync.rejected': method(z.object({}).strict(), z.object({ items: z.array(RejectedMutationSchema) })),
  /** "Edit and retry": the listed mutation again with corrected arguments, as a new change (the listed one is dismissed). */
  'sync.retry': method(z.object({ mutationId: z.string().uuid(), args: z.unknown() }).strict(), z.object({ mutationId: z.string() })),
  /** The last divergence (portal restored from a backup) until dismissed. */
  'sync.divergence': method(z.object({}).strict(), z.object({ report: DivergenceReportSchema.nullable() })),
  /** Queues the lost acknowledged changes again (same ids: the portal applies each at most once). */
  'sync.resendLost': method(z.object({}).strict(), z.object({ resent: z.number().int() })),
  'sync.dismissDivergence': method(z.object({}).strict(), z.object({ dismissed: z.boolean() })),
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
