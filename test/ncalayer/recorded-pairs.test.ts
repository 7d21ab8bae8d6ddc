/**
 * The request/response pairs that ncalayer-js-client recorded against a real
 * NCALayer-compatible app (KAZTOKEN desktop), replayed two ways:
 *  - client: a replay server answers each recorded request with the recorded
 *    response; our client must send exactly that request and turn the response
 *    into the recorded outcome (value, cancel, or error with code and message);
 *  - simulator: the recorded request goes to our simulator, whose answer must
 *    have the recorded shape (exactly, for errors, cancels, token lists and the
 *    greeting; for signatures — stripped in the recording — the same envelope
 *    with a real CMS in it).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NcaLayerClient } from '../../src-main/ncalayer/client';
import { cmsFromText } from '../../src-main/ncalayer/protocol';
import { parseSignedData } from '../../src-shared/signing/cms-build';
import type { AppError } from '../../src-shared/rpc/errors';
import { simulatorTls, startNcaLayerSimulator, type RunningSimulator, type SimKey } from './simulator';
import { ncaTestKeys, type NcaTestKeys } from './helpers';

interface Pair {
  task: string;
  initMessage?: string;
  request: string;
  response: string;
  result?: string;
}
const pairs = JSON.parse(readFileSync(resolve(__dirname, '../../node_modules/ncalayer-js-client/test/test-data.json'), 'utf8')) as Pair[];
const execOf = (p: Pair) => (JSON.parse(p.task) as { exec: string }).exec;
const isXmlSuccess = (p: Pair) => /signXml|basicsSignXML/.test(execOf(p)) && !p.response.includes('argument type mismatch');

describe('recorded pairs: the fixture itself', () => {
  it('has the cases this suite relies on', () => {
    expect(pairs.length).toBe(50);
    expect(pairs[0]!.initMessage).toBe('{"result":{"version":"1.2"}}');
    expect(pairs.some((p) => p.response === '{"body":{},"status":true}')).toBe(true);
    expect(pairs.some((p) => p.response === '{"code":"500","message":"action.canceled"}')).toBe(true);
    expect(pairs.some((p) => p.response.includes('-----BEGIN CMS-----'))).toBe(true);
    expect(pairs.some((p) => p.response.includes('"details"'))).toBe(true);
  });
});

// ---------- the client against the recorded responses ----------

let replay: { server: Server; url: string; expected: Pair | null; seen: string[]; greeting: string };

beforeAll(async () => {
  const tls = simulatorTls();
  const server = createServer({ key: tls.keyPem, cert: tls.certPem });
  const wss = new WebSocketServer({ server });
  replay = { server, url: '', expected: null, seen: [], greeting: '{"result":{"version":"1.2"}}' };
  wss.on('connection', (ws) => {
    ws.send(replay.greeting);
    ws.on('message', (d) => {
      const text = d.toString();
      replay.seen.push(text);
      if (text === '--heartbeat--') return ws.send(text);
      const p = replay.expected;
      ws.send(p ? p.response : '{"code":"500","message":"unexpected"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  replay.url = `wss://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => replay.server.close(() => r()));
});

/** Calls the client the way an app would for this recorded task. */
async function callClient(c: NcaLayerClient, p: Pair): Promise<unknown> {
  const req = JSON.parse(p.request) as { module: string; method: string; args?: unknown };
  const args = req.args as unknown[];
  const exec = execOf(p);
  if (exec === 'connect') return c.product();
  if (req.module === 'kz.gov.pki.knca.basics') return c.basicsSign(req.args as never);
  const allStrings = (n: number) => Array.isArray(args) && args.slice(0, n).every((a) => typeof a === 'string');
  switch (req.method) {
    case 'getActiveTokens':
      return c.getActiveTokens();
    case 'getKeyInfo':
      return allStrings(1) ? c.getKeyInfo(args[0] as string) : c.commonUtils('getKeyInfo', args);
    case 'createCAdESFromBase64':
      return allStrings(3) && typeof args[3] === 'boolean' ? c.createCAdESFromBase64(args[0] as string, args[1] as string, args[2] as string, args[3]) : c.commonUtils(req.method, args);
    case 'createCAdESFromBase64Hash':
      return allStrings(3) ? c.createCAdESFromBase64Hash(args[0] as string, args[1] as string, args[2] as string) : c.commonUtils(req.method, args);
    case 'changeLocale':
      return allStrings(1) ? c.changeLocale(args[0] as string) : c.commonUtils(req.method, args);
    default:
      return c.commonUtils(req.method, args);
  }
}

describe('recorded pairs replayed against the client', () => {
  for (const [i, p] of pairs.entries()) {
    it(`#${i} ${execOf(p)} → ${(p.result ?? p.response).slice(0, 60)}`, async () => {
      replay.expected = p;
      replay.greeting = p.initMessage ?? '{"result":{"version":"1.2"}}';
      replay.seen = [];
      const c = new NcaLayerClient({ url: replay.url, ca: simulatorTls().caPem });
      try {
        const outcome = await callClient(c, p).then(
          (value) => ({ value }),
          (e: AppError) => ({ error: e }),
        );
        // 1. The client sent exactly the recorded request.
        expect(replay.seen.map((s) => JSON.parse(s) as unknown)).toEqual([JSON.parse(p.request)]);
        // 2. The outcome matches what the recording says.
        const r = p.result;
        if (r === 'NCALayerError: cancelled by user' || r === 'NCALayerError: 500: action.canceled') {
          expect('error' in outcome && outcome.error.code).toBe('ncalayer_cancelled');
        } else if (r?.startsWith('NCALayerError: ')) {
          expect('error' in outcome && outcome.error.code).toBe('ncalayer_error');
          const m = /^NCALayerError: ([^:]+): (.*)$/s.exec(r)!;
          const e = (outcome as { error: AppError }).error;
          expect(e.details?.ncaCode).toBe(m[1]);
          const text = m[2]!;
          if (text !== 'undefined') expect(text.startsWith(String(e.details?.ncaMessage))).toBe(true);
          if (e.details?.ncaDetails) expect(text).toContain(String(e.details.ncaDetails));
        } else if (execOf(p) === 'connect') {
          expect(outcome).toEqual({ value: { name: 'KAZTOKEN desktop', version: '1.2.758.648' } });
          expect(JSON.parse(p.initMessage!).result.version).toBe(r);
        } else {
          expect('value' in outcome).toBe(true);
          const v = (outcome as { value: unknown }).value;
          if (r === undefined) expect(v).toBeUndefined(); // changeLocale: "200" and nothing else
          else if (typeof v === 'string') expect(v).toBe(r);
          else expect(v).toEqual(JSON.parse(r));
          // PEM-armored CMS comes out as bytes (the recording stripped the signature: zero bytes here).
          if (typeof v === 'string' && v.startsWith('-----BEGIN CMS-----')) expect(cmsFromText(v)).toEqual(new Uint8Array());
          if (Array.isArray(v) && String(v[0]).startsWith('-----BEGIN CMS-----')) expect(v.map((x) => cmsFromText(x as string).length)).toEqual(v.map(() => 0));
        }
      } finally {
        c.close();
      }
    });
  }
});

// ---------- the simulator answers the recorded requests ----------

let keys: NcaTestKeys;
let sim: RunningSimulator;

beforeAll(async () => {
  keys = ncaTestKeys();
  const onToken = (c: { der: Uint8Array; keyPem: string }): SimKey => ({ storage: 'AKKaztokenStore', certDer: c.der, keyPem: c.keyPem, chainDer: [keys.pki.root.der] });
  sim = await startNcaLayerSimulator({ keys: [onToken(keys.sign), onToken(keys.auth), ...keys.simKeys], kaztoken: true, activeTokens: ['AKKaztokenStore'] });
});
afterAll(async () => {
  await sim.close();
  keys.pki.cleanup();
});

function rawSession(): Promise<{ greeting: string; ask(text: string): Promise<string>; close(): void }> {
  return new Promise((resolveSession, reject) => {
    const ws = new WebSocket(sim.url, { ca: sim.caPem });
    const waiting: ((t: string) => void)[] = [];
    let greeting: string | null = null;
    ws.on('error', reject);
    ws.on('message', (d) => {
      if (greeting === null) {
        greeting = d.toString();
        resolveSession({
          greeting,
          ask: (text) =>
            new Promise((r) => {
              waiting.push(r);
              ws.send(text);
            }),
          close: () => ws.close(),
        });
      } else waiting.shift()?.(d.toString());
    });
  });
}

describe('recorded pairs replayed against the simulator', () => {
  it('greets like the recording and echoes the heartbeat', async () => {
    const s = await rawSession();
    try {
      expect(Object.keys(JSON.parse(s.greeting))).toEqual(['result']);
      expect(JSON.parse(s.greeting)).toEqual({ result: { version: expect.stringMatching(/^[0-9.]+$/) } });
      expect(await s.ask('--heartbeat--')).toBe('--heartbeat--');
    } finally {
      s.close();
    }
  });

  it('XML signing is outside the app (it signs CMS only): the simulator refuses it with an error envelope, never a crash', async () => {
    const xml = pairs.filter(isXmlSuccess);
    expect(xml.length).toBeGreaterThan(0);
    const s = await rawSession();
    try {
      for (const p of xml) {
        const answer = JSON.parse(await s.ask(p.request)) as Record<string, unknown>;
        const failed = answer.status === false || (typeof answer.code === 'string' && answer.code !== '200');
        expect(failed, p.request.slice(0, 120)).toBe(true);
      }
    } finally {
      s.close();
    }
  });

  for (const [i, p] of pairs.entries()) {
    if (isXmlSuccess(p)) continue; // covered by the test above
    it(`#${i} ${execOf(p)}`, async () => {
      const recorded = JSON.parse(p.response) as Record<string, unknown>;
      const cancelled = p.response === '{"body":{},"status":true}' || recorded.message === 'action.canceled';
      if (cancelled) sim.script({ kind: 'cancel' });
      const exec = execOf(p);
      sim.options.activeTokens = exec === 'getActiveTokens' ? (recorded.responseObject as string[]) : ['AKKaztokenStore'];
      const s = await rawSession();
      try {
        const answer = JSON.parse(await s.ask(p.request)) as Record<string, unknown>;
        const stripped = p.response.includes('Actual signature stripped') || p.response.includes('-----BEGIN CMS-----\\n-----END CMS-----');
        if (exec === 'getKeyInfo' && recorded.code === '200') {
          expect(answer.code).toBe('200');
          expect((answer.responseObject as Record<string, unknown>).certNotBefore).toMatch(/^\d+$/);
        } else if (!stripped) {
          // Errors, cancels, token lists, locale changes, the KAZTOKEN version: exactly as recorded.
          expect(answer).toEqual(recorded);
        } else if ('responseObject' in recorded) {
          expect(Object.keys(answer).sort()).toEqual(Object.keys(recorded).sort());
          expect(answer.code).toBe('200');
          expect(parseSignedData(cmsFromText(answer.responseObject as string)).signerInfos.length).toBe(1);
        } else {
          expect(answer.status).toBe(true);
          const want = (recorded.body as { result: string | string[] }).result;
          const got = (answer.body as { result: string | string[] }).result;
          const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]);
          expect(Array.isArray(got)).toBe(Array.isArray(want));
          expect(list(got).length).toBe(list(want).length);
          for (const pem of list(got)) {
            expect(pem).toMatch(/^-----BEGIN CMS-----\n[A-Za-z0-9+/=\n]+\n-----END CMS-----\n$/);
            expect(parseSignedData(cmsFromText(pem)).signerInfos.length).toBe(1);
          }
        }
      } finally {
        s.close();
      }
    });
  }
});
