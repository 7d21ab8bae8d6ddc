/**
 * A guard for "the same queries run on PostgreSQL": a kysely plugin that
 * compiles every query the portal executes with the PostgreSQL compiler too
 * and records SQLite-only constructs. Tests switch it on while exercising
 * every route; production does not pay for it.
 */
import { PostgresQueryCompiler, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';

const SQLITE_ONLY: [RegExp, string][] = [
  [/\b(datetime|strftime|julianday|unixepoch|date|time)\s*\(/i, 'SQLite date function (use the portal clock and ISO strings)'],
  [/\b(ifnull|group_concat|instr|last_insert_rowid|json_extract|json_each|printf|total_changes|changes)\s*\(/i, 'SQLite-only function'],
  [/\bcurrent_timestamp\b|\bnow\s*\(/i, 'database-supplied time'],
  [/\bcollate\s+nocase\b/i, 'COLLATE NOCASE'],
  [/\binsert\s+or\s+(ignore|replace)\b/i, 'INSERT OR IGNORE/REPLACE (use onConflict)'],
  [/\bpragma\b/i, 'PRAGMA'],
  [/\browid\b/i, 'rowid'],
  [/\bautoincrement\b/i, 'AUTOINCREMENT'],
];

export class PortabilityRecorder implements KyselyPlugin {
  readonly violations: { reason: string; sql: string }[] = [];
  checked = 0;
  private readonly pg = new PostgresQueryCompiler();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    let sql: string;
    try {
      sql = this.pg.compileQuery(args.node, args.queryId).sql;
    } catch (e) {
      this.violations.push({ reason: `does not compile for PostgreSQL: ${(e as Error).message}`, sql: '' });
      return args.node;
    }
    this.checked++;
    for (const [re, reason] of SQLITE_ONLY) if (re.test(sql)) this.violations.push({ reason, sql });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
