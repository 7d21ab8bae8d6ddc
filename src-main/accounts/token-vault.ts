import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeAtomically } from '../files/write-atomically';

/** Encrypts secrets at rest where the platform can (Electron safeStorage via main); identity otherwise. */
export interface SecretCodec {
  readonly kind: 'os-keychain' | 'file-permissions';
  encrypt(plain: string): Promise<string>;
  decrypt(stored: string): Promise<string>;
}

export const plainCodec: SecretCodec = {
  kind: 'file-permissions',
  encrypt: async (s) => s,
  decrypt: async (s) => s,
};

export interface StoredSession {
  token: string;
  expiresAt: string;
}

/**
 * The portal session token lives only here, in main: never in the
 * renderer's storage and never in logs. The file is readable by the user
 * alone (0600); under Electron its content is encrypted with the OS keychain.
 */
export class TokenVault {
  constructor(
    private readonly file: string,
    private readonly codec: SecretCodec = plainCodec,
  ) {}

  async save(session: StoredSession): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const value = await this.codec.encrypt(JSON.stringify(session));
    await writeAtomically(this.file, JSON.stringify({ codec: this.codec.kind, value }), { mode: 0o600 });
  }

  async load(): Promise<StoredSession | null> {
    try {
      const raw = JSON.parse(await readFile(this.file, 'utf8')) as { codec: string; value: string };
      if (raw.codec !== this.codec.kind) return null; // written under another codec: sign in again
      return JSON.parse(await this.codec.decrypt(raw.value)) as StoredSession;
    } catch {
      return null;
    }
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
