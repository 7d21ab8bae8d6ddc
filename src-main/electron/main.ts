/**
 * The Electron shell, kept thin: window, app:// protocol, IPC relay to the
 * back-end utility process, native dialogs, updater. Security choices follow
 * Electron's checklist; the decisions themselves live in policy.ts (tested).
 */
import { app, BrowserWindow, dialog, net, protocol, safeStorage, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { securityHeaders } from '../../src-shared/security/csp';
import type { Envelope } from '../../src-shared/rpc/define';
import { rpcMethods } from '../../src-shared/rpc/contract';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, isAllowedExternalUrl, isAllowedNavigation, isAllowedPermission, resolveAppUrl } from './policy';
import { pushEvent, serveRpc } from './ipc';
import { startAutoUpdate } from './updater';

// Must happen before 'ready': app:// behaves like https (secure context, fetch, CSP).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

const rendererRoot = join(__dirname, '..', 'renderer');
let mainWindow: BrowserWindow | null = null;
let backend: UtilityProcess | null = null;
let nextId = 1;
const waiting = new Map<number, (reply: Envelope<unknown>) => void>();

/** A file shipped beside the packaged app (electron-builder extraResources), or '' when absent. */
function packagedFile(...parts: string[]): string {
  if (!app.isPackaged) return '';
  const path = join(process.resourcesPath, ...parts);
  return existsSync(path) ? path : '';
}

function startBackend() {
  const env = {
    ...process.env,
    SERIKTES_DATA_DIR: app.getPath('userData'),
    // better-sqlite3 built for Electron by the start/packaging scripts, separate from the Node build tests use.
    SERIKTES_SQLITE_BINDING: process.env.SERIKTES_SQLITE_BINDING || packagedFile('native', 'better_sqlite3.node'),
    // NCALayer's TLS is checked against the NCA roots shipped beside the app (resources/ncalayer).
    SERIKTES_NCALAYER_CA: process.env.SERIKTES_NCALAYER_CA || packagedFile('ncalayer', 'nca-roots.pem'),
    // The portal token is encrypted with the OS keychain where Electron can reach one.
    SERIKTES_SAFE_STORAGE: safeStorage.isEncryptionAvailable() ? '1' : '0',
  };
  backend = utilityProcess.fork(join(__dirname, 'backend-process.cjs'), [], { env, serviceName: 'Seriktes back end' });
  backend.on('message', (msg: { type: string; id?: number; reply?: Envelope<unknown>; event?: string; payload?: unknown; op?: string; value?: string }) => {
    if (msg.type === 'secret' && msg.id !== undefined) {
      try {
        const value =
          msg.op === 'encrypt'
            ? safeStorage.encryptString(String(msg.value)).toString('base64')
            : safeStorage.decryptString(Buffer.from(String(msg.value), 'base64'));
        backend?.postMessage({ type: 'secretReply', id: msg.id, ok: true, value });
      } catch {
        backend?.postMessage({ type: 'secretReply', id: msg.id, ok: false });
      }
    } else if (msg.type === 'reply' && msg.id !== undefined) {
      waiting.get(msg.id)?.(msg.reply as Envelope<unknown>);
      waiting.delete(msg.id);
    } else if (msg.type === 'event' && mainWindow && msg.event) {
      pushEvent(mainWindow.webContents, msg.event, msg.payload);
    }
  });
  backend.on('exit', () => {
    for (const resolve of waiting.values()) resolve({ ok: false, error: { code: 'internal', message: 'Back end stopped' } });
    waiting.clear();
    if (!quitting) startBackend();
  });
}

function toBackend(message: Record<string, unknown>): Promise<Envelope<unknown>> {
  return new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    backend?.postMessage({ ...message, id });
  });
}

const FILTERS: Record<'pdf' | 'p12' | 'any', Electron.FileFilter[]> = {
  pdf: [{ name: 'PDF', extensions: ['pdf'] }],
  p12: [{ name: 'PKCS#12', extensions: ['p12', 'pfx'] }],
  any: [],
};

async function openDialog(input: unknown): Promise<Envelope<unknown>> {
  // Same zod schema as every other method: main-handled methods are validated like the rest.
  const parsed = rpcMethods['files.openDialog'].input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: 'Invalid input' } };
  const options: Electron.OpenDialogOptions = {
    properties: parsed.data.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
    filters: FILTERS[parsed.data.filter],
  };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  if (result.canceled) return { ok: true, value: { files: [] } };
  return toBackend({ type: 'registerFiles', paths: result.filePaths });
}

let quitting = false;

function createWindow() {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 680,
    title: 'Seriktes',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  mainWindow.webContents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  mainWindow.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.whenReady().then(() => {
  // Deny by default; the app's own pages may show desktop notifications (new messages, status changes).
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback) => callback(isAllowedPermission(permission, wc.getURL())));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin) => isAllowedPermission(permission, origin));
  protocol.handle(APP_SCHEME, async (request) => {
    // The account's own files for the built-in viewer: the back end maps a hash to a path only if the account holds it.
    const fileMatch = /^app:\/\/seriktes\/files\/([0-9a-f]{64})$/.exec(request.url);
    if (fileMatch) {
      const reply = await toBackend({ type: 'filePath', sha256: fileMatch[1] });
      const path = reply.ok ? (reply.value as string | null) : null;
      if (!path) return new Response('Not found', { status: 404 });
      const res = await net.fetch(pathToFileURL(path).toString());
      const headers = new Headers({ 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' });
      for (const [k, v] of Object.entries(securityHeaders())) headers.set(k, v);
      return new Response(res.body, { status: 200, headers });
    }
    const file = resolveAppUrl(request.url, rendererRoot);
    if (!file) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    for (const [k, v] of Object.entries(securityHeaders())) headers.set(k, v);
    return new Response(res.body, { status: res.status, headers });
  });
  startBackend();
  serveRpc(async (method, input) => {
    if (method === 'files.openDialog') return openDialog(input);
    return toBackend({ type: 'call', method, input });
  });
  createWindow();
  void startAutoUpdate((m) => console.log(m));
});

app.on('before-quit', () => {
  quitting = true;
  backend?.kill();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) createWindow();
});

void APP_HOST;
