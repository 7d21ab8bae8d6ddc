/**
 * Entry of the Electron utility process that owns the back end (database,
 * sync, files, signing), so a long pull or a big hash never freezes a window.
 * Messages: {type:'call'|'registerFiles', id, ...} in; {type:'reply'|'event'} out.
 */
import { createBackend } from '../backend/backend';
import type { SecretCodec } from '../accounts/token-vault';

declare const __APP_VERSION__: string;

interface InMessage {
  type: 'call' | 'registerFiles' | 'secretReply' | 'filePath';
  sha256?: string;
  id: number;
  method?: unknown;
  input?: unknown;
  paths?: string[];
  ok?: boolean;
  value?: string;
}

/**
 * The OS keychain (Electron safeStorage) lives in the main process; the back
 * end asks it to encrypt and decrypt the portal token, so the token is never
 * stored in plain text where the OS offers encryption.
 */
function keychainCodec(port: Electron.ParentPort): SecretCodec | undefined {
  if (process.env.SERIKTES_SAFE_STORAGE !== '1') return undefined;
  let next = 1;
  const waiting = new Map<number, (m: InMessage) => void>();
  port.on('message', (e: { data: InMessage }) => {
    if (e.data.type === 'secretReply') {
      waiting.get(e.data.id)?.(e.data);
      waiting.delete(e.data.id);
    }
  });
  const ask = (op: 'encrypt' | 'decrypt', value: string) =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      waiting.set(id, (m) => (m.ok && typeof m.value === 'string' ? resolve(m.value) : reject(new Error('keychain unavailable'))));
      port.postMessage({ type: 'secret', id, op, value });
    });
  return { kind: 'os-keychain', encrypt: (v) => ask('encrypt', v), decrypt: (v) => ask('decrypt', v) };
}

async function main() {
  const port = process.parentPort;
  const backend = await createBackend({
    dataDir: process.env.SERIKTES_DATA_DIR ?? '.',
    hostKind: 'electron',
    portalUrl: process.env.SERIKTES_PORTAL_URL ?? 'http://127.0.0.1:8787',
    version: __APP_VERSION__,
    secretCodec: keychainCodec(port),
  });
  backend.onEvent((event, payload) => port.postMessage({ type: 'event', event, payload }));
  port.on('message', (e: { data: InMessage }) => {
    const msg = e.data;
    if (msg.type === 'call') {
      void backend.call(msg.method, msg.input).then((reply) => port.postMessage({ type: 'reply', id: msg.id, reply }));
    } else if (msg.type === 'filePath') {
      port.postMessage({ type: 'reply', id: msg.id, reply: { ok: true, value: backend.filePath(String(msg.sha256)) } });
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
