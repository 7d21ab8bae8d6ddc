/** documents.openKey / documents.sign / documents.closeKey (issue 9 §1). */
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import type { DocumentHandlerDeps } from './deps';

export type SignHandlers<Ctx> = Pick<Handlers<Ctx>, 'documents.openKey' | 'documents.sign' | 'documents.closeKey'> & { close(): void };

export function signHandlers<Ctx>(_deps: DocumentHandlerDeps): SignHandlers<Ctx> {
  const notYet = () => {
    throw new AppError('not_supported', 'Not built yet');
  };
  return { 'documents.openKey': notYet, 'documents.sign': notYet, 'documents.closeKey': notYet, close: () => undefined };
}
