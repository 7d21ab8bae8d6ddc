/**
 * Organization roles (SPEC §0). Kazakh labels are the seed's own; ru/en
 * labels live in the i18n catalogs. A user may hold several roles in one
 * organization and belong to several organizations.
 */
export const ROLES = ['head', 'organizer', 'secretary', 'customer', 'supplier'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

export const ROLE_LABELS_KK: Record<Role, string> = {
  head: 'Басшы',
  organizer: 'Ұйымдастырушы',
  secretary: 'хатшы',
  customer: 'Тапсырыс беруші',
  supplier: 'Пайдаланушы',
};

/** Kinds of organization the portal knows; they describe the organization, not what its people may do. */
export const ORGANIZATION_KINDS = ['state_partner', 'private_partner', 'customer', 'supplier', 'organizer'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
