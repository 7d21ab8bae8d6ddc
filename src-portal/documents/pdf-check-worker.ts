/** The upload check's worker entry (a worker_threads Worker started by inspect.ts, from source through tsx). */
import { parentPort } from 'node:worker_threads';
import { serveChecks } from '../../src-shared/documents/check-pool';
import { checkPdfHere, type PdfCheckRequest } from './pdf-check';

if (!parentPort) throw new Error('pdf-check-worker runs as a worker thread only');
serveChecks(parentPort, (r: PdfCheckRequest) => checkPdfHere(r));
