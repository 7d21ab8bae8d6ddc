/**
 * Catalog keys whose Kazakh text is a label from the seeds (SPEC.md §4) and
 * must match it verbatim. Features add their keys here; a unit test compares
 * each against the table in SPEC.md.
 */
export const SEED_LABEL_KEYS: string[] = [
  'nav.workspace',
  'nav.myCompetitions',
  'nav.createCompetition',
  'nav.myAkiApplications',
  'workspace.title',
  'common.next',
  'common.back',
  'common.continue',
  'common.save',
  'common.cancel',
  'common.find',
  'common.view',
];
