/**
 * The text a user typed into a change, found in its arguments without
 * knowing the mutation: top-level string values that are not ids, codes or
 * field names. "Edit and retry" offers these for editing; "Copy text" copies them.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_TEXT = /(^id|Id|Ids|^field|^preferredLanguage|^language|^method|^status|^decision)$/;

export function textFields(args: unknown): [string, string][] {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return [];
  return Object.entries(args as Record<string, unknown>).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && !NOT_TEXT.test(e[0]) && !UUID.test(e[1]),
  );
}

/** Field labels the catalogs know (`rejected.field.*`); any other key is named as it is. */
export const KNOWN_FIELDS = new Set(['fullName', 'email', 'iin', 'phone', 'title', 'value']);
