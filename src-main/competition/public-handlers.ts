/**
 * The signed-out view (SPEC §0: anonymous visitors read open competitions):
 * the portal's public competition API read through the back end. It needs no
 * account and keeps nothing — there is no anonymous offline copy, so without
 * the portal it says the portal cannot be reached. Every portal answer is
 * checked with zod before it reaches the window.
 */
import { z } from 'zod';
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import { CompetitionRecordSchema, type CompetitionRecord } from '../../src-shared/competition/model';
import type { PortalClock } from '../../src-shared/time/portal-clock';
import { competitionSearchText, foldForSearch } from '../sync/indexers';
import { PortalClient, isTransient } from '../sync/portal-client';
import { competitionRow } from './rows';

type PublicHandlers<Ctx> = Pick<Handlers<Ctx>, 'competition.public.list' | 'competition.public.get'>;

const ListAnswer = z.object({ competitions: z.array(z.object({ record: CompetitionRecordSchema })).max(1000), serverTime: z.string().datetime().optional() });
const OneAnswer = z.object({ record: CompetitionRecordSchema });

export function publicCompetitionHandlers<Ctx>(portalUrl: string, clock: PortalClock): PublicHandlers<Ctx> {
  // No token, ever: the visitor reads what anyone may read.
  const client = new PortalClient({ baseUrl: portalUrl, timeoutMs: 8000 });

  async function get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    let answer: unknown;
    try {
      answer = await client.request('GET', path, undefined, { auth: false });
    } catch (err) {
      throw isTransient(err) ? new AppError('portal_unreachable', 'The portal cannot be reached') : err;
    }
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw new AppError('internal', 'The portal answered something unexpected');
    return parsed.data;
  }

  return {
    'competition.public.list': async ({ query, status }) => {
      const sentAt = Date.now();
      const answer = await get(`/api/competitions${status ? `?status=${status}` : ''}`, ListAnswer);
      // The signed-out window's clock follows the portal's too.
      if (answer.serverTime) clock.learn(answer.serverTime, sentAt, Date.now());
      const needle = query?.trim() ? foldForSearch(query.trim()) : '';
      const records: CompetitionRecord[] = answer.competitions.map((c) => c.record).filter((c) => c.status !== 'draft' && (!needle || competitionSearchText(c).includes(needle)));
      return { items: records.map((c) => competitionRow(c, false, null)) };
    },
    'competition.public.get': async ({ competitionId }) => {
      const { record } = await get(`/api/competitions/${competitionId}`, OneAnswer);
      if (record.status === 'draft') throw new AppError('not_found', 'No such competition');
      return { record: record as unknown as Record<string, unknown> };
    },
  };
}
