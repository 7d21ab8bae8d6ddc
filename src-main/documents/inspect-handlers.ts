/** documents.inspect / documents.checkPackage (issue 9 §2, §3, §5). */
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import type { DocumentHandlerDeps } from './deps';

export type InspectHandlers<Ctx> = Pick<Handlers<Ctx>, 'documents.inspect' | 'documents.checkPackage'>;

export function inspectHandlers<Ctx>(_deps: DocumentHandlerDeps): InspectHandlers<Ctx> {
  const notYet = () => {
    throw new AppError('not_supported', 'Not built yet');
  };
  return { 'documents.inspect': notYet, 'documents.checkPackage': notYet };
}
