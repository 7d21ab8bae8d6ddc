/** What the document handlers need from the back end (one object, so each part takes what it uses). */
import type { DocumentsProgress } from '../../src-shared/documents/rpc';
import type { AccountManager } from '../accounts/accounts';
import type { FileHandleRegistry } from '../files/handle-registry';
import type { NcaLayerClient } from '../ncalayer/client';

export interface DocumentHandlerDeps {
  accounts: AccountManager;
  files: FileHandleRegistry;
  portalUrl: string;
  /** The UI language (NCALayer's dialog, texts stamped into files). */
  language: () => string;
  progress: (p: DocumentsProgress) => void;
  /** The back end's one NCALayer client (shared with EDS sign-in: NCALayer answers one request at a time). */
  ncalayer?: () => NcaLayerClient;
  /** Document signing knobs for tests: key session idle time and the clock. */
  signing?: { keySessionTtlMs?: number; now?: () => Date };
}
