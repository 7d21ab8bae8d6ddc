import { createRpcClient, type RpcClient, type RpcTransport } from '../../src-shared/rpc/client';
import type { FileInfo } from '../../src-shared/rpc/file-methods';
import { browserTransport, uploadFile } from '../transport/browser';
import { electronTransport } from '../transport/electron';

export let rpc: RpcClient;
export let transport: RpcTransport;
export let hostKind: 'electron' | 'browser' = 'browser';

export async function connectRpc(): Promise<RpcClient> {
  if (window.seriktes) {
    hostKind = 'electron';
    transport = electronTransport(window.seriktes);
  } else {
    transport = await browserTransport();
  }
  rpc = createRpcClient(transport);
  return rpc;
}

export type FileFilter = 'pdf' | 'any' | 'p12';
const ACCEPT: Record<FileFilter, string> = { pdf: 'application/pdf,.pdf', any: '', p12: '.p12,.pfx' };

/**
 * Picks files the way the host can: a native dialog in Electron (main keeps
 * the path and returns a handle), a file input plus upload in the browser host.
 */
export async function pickFiles(
  filter: FileFilter,
  multiple = false,
  onProgress?: (sent: number, total: number) => void,
): Promise<FileInfo[]> {
  if (hostKind === 'electron') return (await rpc.call('files.openDialog', { filter, multiple })).files;
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = multiple;
  if (ACCEPT[filter]) input.accept = ACCEPT[filter];
  const files = await new Promise<File[]>((resolve) => {
    input.onchange = () => resolve([...(input.files ?? [])]);
    input.oncancel = () => resolve([]);
    input.click();
  });
  const out: FileInfo[] = [];
  for (const f of files) out.push(await uploadFile(f, onProgress));
  return out;
}
