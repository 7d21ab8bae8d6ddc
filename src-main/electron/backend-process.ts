/**
 * Entry of the Electron utility process that owns the back end (database,
 * sync, files, signing), so a long pull or a big hash never freezes a window.
 * Messages: {type:'call'|'registerFiles', id, ...} in; {type:'reply'|'event'} out.
 */
import { createBackend } from '../backend/backend';

declare const __APP_VERSION__: string;

interface InMessage {
  type: 'call' | 'registerFiles';
  id: number;
  method?: unknown;
  input?: unknown;
  paths?: string[];
}

async function main() {
  const port = process.parentPort;
  const backend = await createBackend({
    dataDir: process.env.SERIKTES_DATA_DIR ?? '.',
    hostKind: 'electron',
    portalUrl: process.env.SERIKTES_PORTAL_URL ?? 'http://127.0.0.1:8787',
    version: __APP_VERSION__,
  });
  backend.onEvent((event, payload) => port.postMessage({ type: 'event', event, payload }));
  port.on('message', (e: { data: InMessage }) => {
    const msg = e.data;
    if (msg.type === 'call') {
      void backend.call(msg.method, msg.input).then((reply) => port.postMessage({ type: 'reply', id: msg.id, reply }));
    } else if (msg.type === 'registerFiles') {
      void Promise.all((msg.paths ?? []).map((p) => backend.files.register(p))).then(
        (files) => port.postMessage({ type: 'reply', id: msg.id, reply: { ok: true, value: { files } } }),
        () => port.postMessage({ type: 'reply', id: msg.id, reply: { ok: false, error: { code: 'file_unreadable', message: 'File could not be read' } } }),
      );
    }
  });
  port.postMessage({ type: 'ready' });
}

void main();
