/**
 * Looks at a PKCS#12 file's ASN.1 before any password-based key derivation runs. node-forge
 * derives keys in pure JavaScript: a file that asks for 3 000 000 iterations costs ~40 s of CPU
 * (the MAC key, each encrypted SafeContents, each shrouded key bag), so the counts are read first
 * and a file asking for more than PKCS12_MAX_ITERATIONS is refused without deriving anything.
 * Also caps what the file may make us parse: its size, ASN.1 nesting and element count, safe bags.
 *
 * The reader is deliberately small and strict (BER lengths, indefinite lengths, constructed
 * OCTET STRINGs as real key files use them); anything it cannot read is `key_corrupt`.
 */
import { AppError } from '../rpc/errors';

/** OWASP's 2023 PBKDF2-HMAC-SHA256 figure; NCA RK key files use a few thousand. */
export const PKCS12_MAX_ITERATIONS = 600_000;
/** Real key files are a few kilobytes (a key and a chain of 2–4 certificates). */
export const PKCS12_MAX_BYTES = 1024 * 1024;
export const PKCS12_MAX_BAGS = 64;
const MAX_DEPTH = 32;
const MAX_NODES = 20_000;

interface Node {
  tag: number;
  constructed: boolean;
  /** Content bytes (for a constructed OCTET STRING: the chunks joined). */
  content: Uint8Array;
  children: Node[];
}

const corrupt = (why: string) => new AppError('key_corrupt', 'The key file is damaged or is not PKCS#12', { reason: why });

class Reader {
  nodes = 0;
  constructor(private readonly b: Uint8Array) {}

  /** Parses the elements in [start, end) (or until end-of-contents when `indefinite`). */
  parseList(start: number, end: number, depth: number, indefinite: boolean): { nodes: Node[]; end: number } {
    const out: Node[] = [];
    let i = start;
    for (;;) {
      if (indefinite && this.b[i] === 0 && this.b[i + 1] === 0) return { nodes: out, end: i + 2 };
      if (i >= end) {
        if (indefinite) throw corrupt('unterminated');
        return { nodes: out, end: i };
      }
      const r = this.parseOne(i, end, depth);
      out.push(r.node);
      i = r.end;
    }
  }

  parseOne(at: number, limit: number, depth: number): { node: Node; end: number } {
    if (depth > MAX_DEPTH) throw corrupt('nesting');
    if (++this.nodes > MAX_NODES) throw corrupt('elements');
    const b = this.b;
    if (at + 2 > limit) throw corrupt('truncated');
    const id = b[at]!;
    // High tag numbers (0x1f) never occur in PKCS#12.
    if ((id & 0x1f) === 0x1f) throw corrupt('tag');
    const constructed = (id & 0x20) !== 0;
    let i = at + 1;
    const first = b[i++]!;
    let length = -1;
    if (first < 0x80) length = first;
    else if (first !== 0x80) {
      const n = first & 0x7f;
      if (n > 4 || i + n > limit) throw corrupt('length');
      length = 0;
      for (let k = 0; k < n; k++) length = length * 256 + b[i++]!;
    }
    if (length < 0) {
      if (!constructed) throw corrupt('length');
      const list = this.parseList(i, limit, depth + 1, true);
      return { node: this.node(id, constructed, list.nodes, b.subarray(i, list.end - 2)), end: list.end };
    }
    const end = i + length;
    if (end > limit) throw corrupt('length');
    if (!constructed) return { node: { tag: id, constructed, content: b.subarray(i, end), children: [] }, end };
    const list = this.parseList(i, end, depth + 1, false);
    return { node: this.node(id, constructed, list.nodes, b.subarray(i, end)), end };
  }

  private node(id: number, constructed: boolean, children: Node[], raw: Uint8Array): Node {
    // A constructed OCTET STRING (BER) is its primitive chunks in order.
    if ((id & 0x1f) === 0x04 && (id & 0xc0) === 0) {
      const parts = children.map((c) => c.content);
      const total = parts.reduce((n, p) => n + p.length, 0);
      const joined = new Uint8Array(total);
      let o = 0;
      for (const p of parts) {
        joined.set(p, o);
        o += p.length;
      }
      return { tag: id, constructed, content: joined, children };
    }
    return { tag: id, constructed, content: raw, children };
  }
}

function oidOf(n: Node | undefined): string | undefined {
  if (!n || n.tag !== 0x06 || n.content.length === 0 || n.content.length > 64) return undefined;
  const c = n.content;
  const arcs: number[] = [];
  let v = 0;
  for (const byte of c) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  const head = arcs.shift() ?? 0;
  return [Math.min(2, Math.floor(head / 40)), head - Math.min(2, Math.floor(head / 40)) * 40, ...arcs].join('.');
}

/** An INTEGER as a number; beyond 2^48 (or negative) it is simply "too many" / invalid. */
function intOf(n: Node | undefined): number | undefined {
  if (!n || n.tag !== 0x02 || n.content.length === 0) return undefined;
  if (n.content[0]! & 0x80) return -1;
  if (n.content.length > 7) return Number.POSITIVE_INFINITY;
  let v = 0;
  for (const byte of n.content) v = v * 256 + byte;
  return v;
}

const PKCS12_PBE = '1.2.840.113549.1.12.1.';
const PBES1 = /^1\.2\.840\.113549\.1\.5\.(1|3|4|6|10|11)$/;
const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const SAFE_BAG = '1.2.840.113549.1.12.10.1.';

/** The iteration count an AlgorithmIdentifier asks for, when it is a password-based scheme. */
function iterationsOfAlgorithm(seq: Node): number | undefined {
  const oid = oidOf(seq.children[0]);
  if (!oid) return undefined;
  const params = seq.children[1];
  if (oid.startsWith(PKCS12_PBE) || PBES1.test(oid) || oid === PBKDF2) return intOf(params?.children[1]) ?? -1;
  if (oid === PBES2) {
    const kdf = params?.children[0];
    return kdf && oidOf(kdf.children[0]) === PBKDF2 ? (intOf(kdf.children[1]?.children[1]) ?? -1) : -1;
  }
  return undefined;
}

/** Whether the bytes are exactly one DER element (used to look inside OCTET STRINGs). */
function tryParse(r: Reader, b: Uint8Array, depth: number): Node | undefined {
  if (b.length < 2 || (b[0] !== 0x30 && b[0] !== 0x31)) return undefined;
  try {
    const inner = new Reader(b);
    inner.nodes = r.nodes;
    const { node, end } = inner.parseOne(0, b.length, depth);
    r.nodes = inner.nodes;
    return end === b.length ? node : undefined;
  } catch (e) {
    if (e instanceof AppError && (e.details?.reason === 'elements' || e.details?.reason === 'nesting')) throw e;
    return undefined;
  }
}

export interface Pkcs12Shape {
  /** Every iteration count found (MAC and each visible password-based algorithm). */
  iterations: number[];
  /** Safe bags visible without decryption. */
  bags: number;
}

/**
 * Reads the file's structure and refuses it before any key derivation: `file_too_large`,
 * `key_corrupt` (not PKCS#12, nesting, element or bag count) or `pkcs12_iterations_too_high`.
 */
export function checkPkcs12Shape(file: Uint8Array, limit = PKCS12_MAX_ITERATIONS): Pkcs12Shape {
  if (file.length > PKCS12_MAX_BYTES) throw new AppError('file_too_large', 'The key file is too large', { size: file.length, max: PKCS12_MAX_BYTES });
  const r = new Reader(file);
  const { node: pfx, end } = r.parseOne(0, file.length, 0);
  if (pfx.tag !== 0x30 || end !== file.length) throw corrupt('not_pfx');
  const [version, authSafe, mac] = pfx.children;
  if (intOf(version) !== 3 || !authSafe || authSafe.tag !== 0x30) throw corrupt('not_pfx');
  // authSafe ContentInfo: `data` holds the AuthenticatedSafe (a SEQUENCE) DER-encoded in an OCTET STRING.
  const authSafeContent = authSafe.children[1]?.children[0];
  if (oidOf(authSafe.children[0]) === '1.2.840.113549.1.7.1' && (!authSafeContent || tryParse(r, authSafeContent.content, 3)?.tag !== 0x30)) throw corrupt('not_pfx');
  const shape: Pkcs12Shape = { iterations: [], bags: 0 };
  if (mac) {
    if (mac.tag !== 0x30) throw corrupt('mac');
    // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
    shape.iterations.push(mac.children[2] ? (intOf(mac.children[2]) ?? -1) : 1);
  }
  const walk = (n: Node, depth: number) => {
    if (n.tag === 0x30) {
      const it = iterationsOfAlgorithm(n);
      if (it !== undefined) shape.iterations.push(it);
      if (oidOf(n.children[0])?.startsWith(SAFE_BAG) && ++shape.bags > PKCS12_MAX_BAGS) {
        throw new AppError('key_corrupt', 'The key file holds too many entries', { reason: 'bags', bags: shape.bags, limit: PKCS12_MAX_BAGS });
      }
    }
    // ContentInfo data and SafeContents sit DER-encoded inside OCTET STRINGs; encrypted content does not parse.
    if ((n.tag & 0x1f) === 0x04 && (n.tag & 0xc0) === 0) {
      const inner = tryParse(r, n.content, depth + 1);
      if (inner) walk(inner, depth + 1);
      return;
    }
    for (const c of n.children) walk(c, depth + 1);
  };
  walk(authSafe, 1);
  const worst = Math.max(0, ...shape.iterations);
  if (worst > limit) {
    throw new AppError('pkcs12_iterations_too_high', 'The key file asks for more key-derivation iterations than allowed', { iterations: Number.isFinite(worst) ? worst : String(worst), limit });
  }
  if (shape.iterations.some((i) => i < 1)) throw corrupt('iterations');
  return shape;
}
