/**
 * Child process of the sync rows (P1–P3): a reference portal whose change feed holds N extra
 * employees of one organization. argv: N, data folder (created and removed by the parent).
 * Prints "portal url: … org: …" when ready; SIGTERM closes it.
 */
import { startPortal } from '../src-portal/server';
import { publishChange } from '../src-portal/sync/feed';
import { demoId } from '../src-portal/seed/seed';

async function main() {
  const n = Number(process.argv[2] ?? 100_000);
  const dataDir = process.argv[3];
  if (!dataDir) throw new Error('usage: portal-child N DATA_DIR');
  const portal = await startPortal({ dataDir, port: 0, demo: true, tickMs: 0, smtp: null, log: () => {} });
  const org = demoId('org', 'organizer');
  const at = portal.ctx.nowIso();
  for (let start = 0; start < n; start += 10_000) {
    await portal.db.transaction().execute(async (trx) => {
      for (let i = start; i < Math.min(n, start + 10_000); i++) {
        const id = `0190f0e2-${String(Math.floor(i / 1e8)).padStart(4, '0')}-7${String(i % 1000).padStart(3, '0')}-8000-${String(i).padStart(12, '0')}`;
        await publishChange(trx, at, {
          entityType: 'membership', entityId: id, scope: `org:${org}`, op: 'put', version: 1 + (i % 7),
          data: { membershipId: id, organizationId: org, userId: id, fullName: `${i % 2 ? 'Әлия' : 'Нұрлан'} Тестов ${i}`, email: `employee${i}@example.kz`, roles: i % 3 ? ['organizer'] : ['secretary', 'customer'] },
        });
      }
    });
  }
  process.stdout.write(`portal url: ${portal.url} org: ${org}\n`);
  process.on('SIGTERM', () => void portal.close().then(() => process.exit(0)));
}

void main();
