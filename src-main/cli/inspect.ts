import { readFileSync } from 'node:fs';
import { AppError } from '../../src-shared/rpc/errors';
import { pemOrDerBlocks } from '../../src-shared/signing/bytes';
import { certificateFacts } from '../../src-shared/signing/cert-facts';
import { pdfFacts } from '../../src-shared/signing/pdf-facts';
import { openPkcs12 } from '../../src-shared/signing/pkcs12';
import { renderFacts, renderPdfFacts } from './render';
import { EXIT, UsageError, optionalString, passwordFromEnv, type CliCommand } from './registry';

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'show certificate facts of a key or certificate, or PDF facts (PDF/A claim, form fields, signatures)',
  usage: 'inspect (--key FILE.p12 --password-env NAME | --cert FILE | --in FILE.pdf) [--json]',
  options: { key: { type: 'string' }, 'password-env': { type: 'string' }, cert: { type: 'string' }, in: { type: 'string' } },
  async run(v, io) {
    const key = optionalString(v, 'key');
    const cert = optionalString(v, 'cert');
    const pdf = optionalString(v, 'in');
    if ([key, cert, pdf].filter(Boolean).length !== 1) throw new UsageError('give exactly one of --key, --cert, --in');
    if (key) {
      const store = openPkcs12(new Uint8Array(readFileSync(key)), passwordFromEnv(v, io));
      store.dispose(); // only the certificate is needed
      if (io.json) io.out(JSON.stringify({ facts: store.facts, keyKind: store.key.kind, chain: store.chain.map((c) => certificateFacts(c).subject.dn) }, null, 2));
      else for (const l of renderFacts(store.facts, io.lang)) io.out(l);
      return EXIT.ok;
    }
    if (cert) {
      const blocks = pemOrDerBlocks(new Uint8Array(readFileSync(cert)));
      const facts = blocks.map((b) => certificateFacts(b));
      if (io.json) io.out(JSON.stringify(facts.length === 1 ? facts[0] : facts, null, 2));
      else facts.forEach((f, i) => {
        if (facts.length > 1) io.out(`#${i + 1}`);
        for (const l of renderFacts(f, io.lang)) io.out(l);
      });
      return EXIT.ok;
    }
    const facts = await pdfFacts(new Uint8Array(readFileSync(pdf!))).catch((e: unknown) => {
      // pdf-lib fails on damaged files with its own TypeErrors and stack overflows: the file is the problem.
      if (e instanceof AppError) throw e;
      throw new AppError('pdf_invalid', 'The PDF cannot be read');
    });
    io.out(io.json ? JSON.stringify(facts, null, 2) : renderPdfFacts(facts, io.lang));
    return EXIT.ok;
  },
};
