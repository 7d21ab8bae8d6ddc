/**
 * The inspection worker's entry (a worker_threads Worker started by inspect-isolated.ts): bundled
 * as dist/main/inspect-worker.cjs (scripts/build.mjs), or run from source through tsx.
 */
import { parentPort } from 'node:worker_threads';
import { serveChecks } from '../../src-shared/documents/check-pool';
import { inspectPdfHere, type InspectRequest } from './pdf-inspection';

if (!parentPort) throw new Error('inspect-worker runs as a worker thread only');
serveChecks(parentPort, (r: InspectRequest) => inspectPdfHere(r));
