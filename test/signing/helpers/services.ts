/**
 * Local PKI services on 127.0.0.1 backed by the real OpenSSL tools:
 * a TSA (`openssl ts -reply`), an OCSP responder (`openssl ocsp -index`) and a
 * CRL (`openssl ca -gencrl`) built from an index of revoked serials.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestPki } from './test-pki';

export interface LocalServer {
  url: string;
  requests: number;
  close(): Promise<void>;
}

function listen(handler: (path: string, body: Buffer) => { body: Buffer; type: string } | undefined, onClose: () => void): Promise<LocalServer> {
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      try {
        const out = handler(req.url ?? '/', Buffer.concat(chunks));
        if (!out) {
          res.statusCode = 404;
          res.end();
          return;
        }
        res.setHeader('content-type', out.type);
        res.end(out.body);
      } catch (e) {
        res.statusCode = 500;
        res.end(String(e));
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        get requests() {
          return state.requests;
        },
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections?.();
            onClose();
          }),
      });
    });
  });
}

/** RFC 3161 TSA: every POST body is a TimeStampReq answered by `openssl ts -reply`. */
export async function startTsa(pki: TestPki, policy = '1.2.398.3.3.2.6.2', tsaCertPath = `${pki.dir}/tsa.pem`): Promise<LocalServer> {
  const dir = mkdtempSync(join(pki.dir, 'tsa-'));
  writeFileSync(join(dir, 'serial'), '01\n');
  const cnf = join(dir, 'tsa.cnf');
  writeFileSync(
    cnf,
    `[ tsa ]\ndefault_tsa = tsa_config1\n[ tsa_config1 ]\ndir = ${dir}\nserial = ${dir}/serial\ncrypto_device = builtin\nsigner_cert = ${tsaCertPath}\ncerts = ${pki.dir}/root.pem\nsigner_key = ${pki.dir}/tsa.key\nsigner_digest = sha256\ndefault_policy = ${policy}\nother_policies = 1.3.6.1.4.1.99999.1\ndigests = sha256, sha384, sha512\naccuracy = secs:1\nordering = no\ntsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n`,
  );
  let n = 0;
  return listen(
    (_path, body) => {
      const q = join(dir, `q${++n}.tsq`);
      const r = join(dir, `r${n}.tsr`);
      writeFileSync(q, body);
      execFileSync('openssl', ['ts', '-reply', '-config', cnf, '-queryfile', q, '-out', r], { stdio: 'pipe' });
      return { body: readFileSync(r), type: 'application/timestamp-reply' };
    },
    () => rmSync(dir, { recursive: true, force: true }),
  );
}

export interface RevokedEntry {
  serialHex: string;
  revokedAt: Date;
}

const opensslTime = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

/**
 * OCSP (POST /ocsp) and CRL (GET /crl) for certificates of `pki`. `revoked` can be
 * changed between requests (the index is rewritten on each request).
 */
export async function startRevocationServer(
  pki: TestPki,
): Promise<LocalServer & { revoked: RevokedEntry[]; issued: string[]; ocspUrl: string; crlUrl: string; options: { staleCrl: boolean } }> {
  const dir = mkdtempSync(join(pki.dir, 'rev-'));
  const revoked: RevokedEntry[] = [];
  /** Serials the CA knows as issued (OCSP says "unknown" for anything not in the index). */
  const issued: string[] = [];
  /** staleCrl: serve a CRL whose nextUpdate is long past. */
  const options = { staleCrl: false };
  const index = join(dir, 'index.txt');
  const writeIndex = () => {
    const far = opensslTime(new Date(Date.now() + 3650 * 24 * 3600_000));
    const lines = revoked.map((r) => `R\t${far}\t${opensslTime(r.revokedAt)}\t${r.serialHex.toUpperCase()}\tunknown\t/CN=revoked`);
    for (const serial of issued) {
      if (!revoked.some((r) => r.serialHex.toUpperCase() === serial.toUpperCase())) lines.push(`V\t${far}\t\t${serial.toUpperCase()}\tunknown\t/CN=valid`);
    }
    writeFileSync(index, lines.join('\n') + (lines.length ? '\n' : ''));
    writeFileSync(`${index}.attr`, 'unique_subject = no\n');
  };
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  const cnf = join(dir, 'ca.cnf');
  writeFileSync(
    cnf,
    `[ ca ]\ndefault_ca = test_ca\n[ test_ca ]\ndatabase = ${index}\ncrlnumber = ${dir}/crlnumber\ncertificate = ${pki.dir}/root.pem\nprivate_key = ${pki.dir}/root.key\ndefault_md = sha256\ndefault_crl_days = 1\n`,
  );
  let n = 0;
  const server = await listen(
    (path, body) => {
      writeIndex();
      if (path.startsWith('/ocsp')) {
        const q = join(dir, `q${++n}.der`);
        const r = join(dir, `r${n}.der`);
        writeFileSync(q, body);
        execFileSync(
          'openssl',
          ['ocsp', '-index', index, '-CA', `${pki.dir}/root.pem`, '-rsigner', `${pki.dir}/root.pem`, '-rkey', `${pki.dir}/root.key`, '-reqin', q, '-respout', r, '-ndays', '1'],
          { stdio: 'pipe' },
        );
        return { body: readFileSync(r), type: 'application/ocsp-response' };
      }
      if (path.startsWith('/crl')) {
        const pem = join(dir, `crl${++n}.pem`);
        const stale = options.staleCrl ? ['-crl_lastupdate', '20200101000000Z', '-crl_nextupdate', '20200102000000Z'] : [];
        execFileSync('openssl', ['ca', '-gencrl', '-config', cnf, '-out', pem, ...stale], { stdio: 'pipe' });
        return { body: execFileSync('openssl', ['crl', '-in', pem, '-outform', 'DER']), type: 'application/pkix-crl' };
      }
      return undefined;
    },
    () => rmSync(dir, { recursive: true, force: true }),
  );
  return Object.assign(server, { revoked, issued, options, ocspUrl: `${server.url}/ocsp`, crlUrl: `${server.url}/crl` });
}
