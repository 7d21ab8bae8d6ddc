/** P6 has no bench yet: «Small on the wire, quick to start…» adds it. The row says so instead of a number. */
import { reportRow, type BenchDef } from '../harness';

export const bench: BenchDef = {
  id: 'P6',
  title: 'small on the wire',
  run: () => Promise.resolve(reportRow(bench, 'not measured yet', null, null, ['no bench: «Small on the wire, quick to start…» adds it'])),
};
