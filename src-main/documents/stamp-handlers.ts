/** documents.stamp (issue 9 §6). */
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import type { DocumentHandlerDeps } from './deps';

export type StampHandlers<Ctx> = Pick<Handlers<Ctx>, 'documents.stamp'>;

export function stampHandlers<Ctx>(_deps: DocumentHandlerDeps): StampHandlers<Ctx> {
  return {
    'documents.stamp': () => {
      throw new AppError('not_supported', 'Not built yet');
    },
  };
}
