/** The human form of the bench rows: one table, notes under it. */
import type { BenchRow, Timing } from './harness';

const ms = (t: Timing | null) => (t ? `${fmt(t.minMs)} / ${fmt(t.medianMs)} ms` : '—');
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const verdict = (r: BenchRow) => (r.pass === null ? '—' : r.pass ? 'PASS' : 'MISS');

export function formatTable(rows: BenchRow[]): string {
  const head = ['id', 'goal', 'measured min / median', 'baseline min / median', 'ratio', 'load', 'result'];
  const body = rows.map((r) => [r.id, r.goal === null ? '—' : `≤ ${r.goal}×`, ms(r.measured), ms(r.baseline), r.ratio === null ? '—' : `${r.ratio}×`, r.load.toFixed(2), verdict(r)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line), ''];
  for (const r of rows) {
    out.push(`${r.id} ${r.title}: goal ${r.goalText}${r.baseline ? `; baseline: ${r.baseline.label}` : ''}`);
    for (const n of r.notes) out.push(`    ${n}`);
  }
  return `${out.join('\n')}\n`;
}
