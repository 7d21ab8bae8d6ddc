/**
 * A heuristic lint for tests that time things (issue 14): speed belongs to `npm run bench`, tests
 * wait for events with generous deadlines. It flags, per file:
 *  - an assertion that compares a clock reading or a measured duration (`Date.now() - t0`,
 *    `performance.now() - t`, a variable or array filled from them) with an ordering matcher;
 *  - a wait helper (until, waitFor, waitForLine, next) or a Playwright `timeout:` whose deadline is a
 *    literal below MIN_DEADLINE_MS — a short deadline is a speed assertion in disguise.
 * Deadline loops (`while (Date.now() < end)`) compare the clock with a deadline, not a duration with
 * a constant, and are not flagged.
 */
export const MIN_DEADLINE_MS = 5000;

export interface TimingFinding {
  line: number;
  text: string;
  why: string;
}

/** The clock minus a start: a duration (the clock against a date or a deadline is not one). */
const CLOCK_DURATION = /\b(?:Date\.now|performance\.now|process\.hrtime(?:\.bigint)?)\(\)\s*-\s*[A-Za-z_$(]/;
const ORDERING = /\.(?:toBeLessThan|toBeLessThanOrEqual|toBeGreaterThan|toBeGreaterThanOrEqual|toBeCloseTo)\(/;
const WAIT_CALL = /\b(?:until|waitFor|waitForLine|next)\(/g;
const lineOf = (src: string, index: number) => src.slice(0, index).split('\n').length;
const num = (s: string) => Number(s.replace(/_/g, ''));

/** Names that hold durations: `x = <clock> - …`, `x.push(<clock> - …)`, and names assigned from those. */
function durationNames(src: string): Set<string> {
  const names = new Set<string>();
  for (const m of src.matchAll(/\b(?:const|let|var)?\s*([A-Za-z_$][\w$]*)\s*=\s*(?:Math\.\w+\()?\s*(?:Date\.now|performance\.now)\(\)\s*-/g)) names.add(m[1]!);
  for (const m of src.matchAll(/\b([A-Za-z_$][\w$]*)\.push\(\s*(?:Date\.now|performance\.now)\(\)\s*-/g)) names.add(m[1]!);
  for (const m of src.matchAll(/\b([A-Za-z_$][\w$]*)\.push\([^;\n]*\.at\s*-/g)) names.add(m[1]!);
  return names;
}

/** The statement that starts at `index` (up to the next `;` at depth 0, or the end of the line). */
function statementAt(src: string, index: number): string {
  let depth = 0;
  for (let i = index; i < src.length; i++) {
    const c = src[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if ((c === ';' && depth <= 0) || (c === '\n' && depth <= 0)) return src.slice(index, i);
    if (depth < 0) return src.slice(index, i);
  }
  return src.slice(index);
}

export function lintTiming(src: string): TimingFinding[] {
  const out: TimingFinding[] = [];
  const durations = durationNames(src);
  for (const m of src.matchAll(/\bexpect\(/g)) {
    const stmt = statementAt(src, m.index);
    if (!ORDERING.test(stmt)) continue;
    const usesClock = CLOCK_DURATION.test(stmt);
    const usesDuration = [...durations].some((n) => new RegExp(`\\b${n.replace(/\$/g, '\\$')}\\b`).test(stmt));
    if (usesClock || usesDuration) out.push({ line: lineOf(src, m.index), text: stmt.trim().slice(0, 160), why: 'a measured duration compared in an assertion' });
  }
  for (const m of src.matchAll(WAIT_CALL)) {
    const stmt = statementAt(src, m.index);
    // The deadline is the first numeric literal argument at the call's own depth.
    let depth = 0;
    let args = '';
    for (const c of stmt) {
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      else if (depth === 1) args += c;
      if (depth === 0 && args) break;
    }
    const literal = args.split(',').map((a) => a.trim()).find((a) => /^\d[\d_]*$/.test(a));
    if (literal && num(literal) < MIN_DEADLINE_MS) out.push({ line: lineOf(src, m.index), text: stmt.trim().slice(0, 160), why: `a wait with a ${num(literal)} ms deadline` });
  }
  for (const m of src.matchAll(/\btimeout:\s*(\d[\d_]*)/g)) {
    if (num(m[1]!) < MIN_DEADLINE_MS) out.push({ line: lineOf(src, m.index), text: m[0], why: `a ${num(m[1]!)} ms timeout` });
  }
  return out;
}
