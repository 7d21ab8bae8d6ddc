/**
 * documents.stamp (issue 9 §6): stamps a PDF of the signed-in account's store and stages the result
 * under the file name with the serial. The engine is ./stamp.ts.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileNameWithSerial } from '../../src-shared/documents/serial';
import { isValidIinBin } from '../../src-shared/domain/identity';
import { isLanguage } from '../../src-shared/i18n/languages';
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import type { DocumentHandlerDeps } from './deps';
import { MAX_STAMP_PDF_BYTES, stampPdf } from './stamp';

export type StampHandlers<Ctx> = Pick<Handlers<Ctx>, 'documents.stamp'>;

/** A logo is a picture, not a document: anything bigger is a mistake (and would bloat every page). */
const MAX_LOGO_BYTES = 10 * 1024 * 1024;

export function stampHandlers<Ctx>(deps: DocumentHandlerDeps): StampHandlers<Ctx> {
  return {
    'documents.stamp': async ({ file, bin, qr, logo, watermarkOpacity, restamp }) => {
      const acc = deps.accounts.require();
      if (!isValidIinBin(bin)) throw new AppError('invalid_input', 'Not a valid BIN', { field: 'bin' });
      const path = acc.files.existingPath(file.sha256);
      if (!path) throw new AppError('not_found', 'No such file in this account');
      if ((await stat(path)).size > MAX_STAMP_PDF_BYTES) throw new AppError('pdf_too_large', 'The PDF is too large to stamp', { max: MAX_STAMP_PDF_BYTES });
      let logoBytes: Uint8Array | undefined;
      if (logo) {
        const logoPath = 'handle' in logo ? deps.files.pathOf(logo.handle) : acc.files.existingPath(logo.sha256);
        if (!logoPath) throw new AppError('not_found', 'No such logo file in this account');
        if ((await stat(logoPath)).size > MAX_LOGO_BYTES) throw new AppError('logo_invalid', 'The logo is too large', { max: MAX_LOGO_BYTES });
        logoBytes = new Uint8Array(await readFile(logoPath));
      }
      const lang = deps.language();
      const result = await stampPdf(new Uint8Array(await readFile(path)), {
        bin,
        qr,
        portalUrl: deps.portalUrl,
        ...(process.env.SERIKTES_EGOV_REGISTRY_URL ? { egovTemplate: process.env.SERIKTES_EGOV_REGISTRY_URL } : {}),
        ...(logoBytes ? { logo: logoBytes } : {}),
        opacity: watermarkOpacity,
        language: isLanguage(lang) ? lang : 'kk',
        ...(restamp ? { restamp } : {}),
      });
      if (deps.accounts.current !== acc) throw new AppError('unauthorized', 'Signed out during stamping');
      const dir = await mkdtemp(join(tmpdir(), 'seriktes-stamp-'));
      try {
        const tmp = join(dir, 'stamped.pdf');
        await writeFile(tmp, result.pdf);
        const ref = await acc.files.stage(tmp, fileNameWithSerial(file.name, result.serial));
        acc.engine.poke();
        return { ref, serial: result.serial, ...(result.notes.length ? { notes: result.notes } : {}) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
