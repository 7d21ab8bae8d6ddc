/**
 * Streebog (GOST R 34.11-2012, RFC 6986; Kazakh GOST 34.11-2015) — 256- and 512-bit hash.
 *
 * Byte convention: like every interoperable implementation (OpenSSL gost-engine, libgcrypt, Kalkan),
 * the input is processed in memory order and the digest is returned in memory order, i.e. the RFC's
 * big-endian integers appear byte-reversed (RFC 6986 M1 → digest bytes 1b54d01a…).
 *
 * The 512-bit state is kept as 16 little-endian 32-bit halves (word w = lo[2w], hi[2w+1]). The
 * S, P and L steps are merged into 8 lookup tables of 256 64-bit entries, computed once from Pi and A.
 */

// Nonlinear bijection π (RFC 6986 §6.2).
const PI = new Uint8Array([
  252, 238, 221, 17, 207, 110, 49, 22, 251, 196, 250, 218, 35, 197, 4, 77,
  233, 119, 240, 219, 147, 46, 153, 186, 23, 54, 241, 187, 20, 205, 95, 193,
  249, 24, 101, 90, 226, 92, 239, 33, 129, 28, 60, 66, 139, 1, 142, 79,
  5, 132, 2, 174, 227, 106, 143, 160, 6, 11, 237, 152, 127, 212, 211, 31,
  235, 52, 44, 81, 234, 200, 72, 171, 242, 42, 104, 162, 253, 58, 206, 204,
  181, 112, 14, 86, 8, 12, 118, 18, 191, 114, 19, 71, 156, 183, 93, 135,
  21, 161, 150, 41, 16, 123, 154, 199, 243, 145, 120, 111, 157, 158, 178, 177,
  50, 117, 25, 61, 255, 53, 138, 126, 109, 84, 198, 128, 195, 189, 13, 87,
  223, 245, 36, 169, 62, 168, 67, 201, 215, 121, 214, 246, 124, 34, 185, 3,
  224, 15, 236, 222, 122, 148, 176, 188, 220, 232, 40, 80, 78, 51, 10, 74,
  167, 151, 96, 115, 30, 0, 98, 68, 26, 184, 56, 130, 100, 159, 38, 65,
  173, 69, 70, 146, 39, 94, 85, 47, 140, 163, 165, 125, 105, 213, 149, 59,
  7, 88, 179, 64, 134, 172, 29, 247, 48, 55, 107, 228, 136, 217, 231, 137,
  225, 27, 131, 73, 76, 63, 248, 254, 141, 83, 170, 144, 202, 216, 133, 97,
  32, 113, 103, 164, 45, 43, 9, 91, 203, 155, 37, 208, 190, 229, 108, 82,
  89, 166, 116, 210, 230, 244, 180, 192, 209, 102, 175, 194, 57, 75, 99, 182,
]);

// Matrix A of the linear transformation l (RFC 6986 §6.4), A[0] multiplies the most significant bit.
const A_HEX = [
  '8e20faa72ba0b470', '47107ddd9b505a38', 'ad08b0e0c3282d1c', 'd8045870ef14980e',
  '6c022c38f90a4c07', '3601161cf205268d', '1b8e0b0e798c13c8', '83478b07b2468764',
  'a011d380818e8f40', '5086e740ce47c920', '2843fd2067adea10', '14aff010bdd87508',
  '0ad97808d06cb404', '05e23c0468365a02', '8c711e02341b2d01', '46b60f011a83988e',
  '90dab52a387ae76f', '486dd4151c3dfdb9', '24b86a840e90f0d2', '125c354207487869',
  '092e94218d243cba', '8a174a9ec8121e5d', '4585254f64090fa0', 'accc9ca9328a8950',
  '9d4df05d5f661451', 'c0a878a0a1330aa6', '60543c50de970553', '302a1e286fc58ca7',
  '18150f14b9ec46dd', '0c84890ad27623e0', '0642ca05693b9f70', '0321658cba93c138',
  '86275df09ce8aaa8', '439da0784e745554', 'afc0503c273aa42a', 'd960281e9d1d5215',
  'e230140fc0802984', '71180a8960409a42', 'b60c05ca30204d21', '5b068c651810a89e',
  '456c34887a3805b9', 'ac361a443d1c8cd2', '561b0d22900e4669', '2b838811480723ba',
  '9bcf4486248d9f5d', 'c3e9224312c8c1a0', 'effa11af0964ee50', 'f97d86d98a327728',
  'e4fa2054a80b329c', '727d102a548b194e', '39b008152acb8227', '9258048415eb419d',
  '492c024284fbaec0', 'aa16012142f35760', '550b8e9e21f7a530', 'a48b474f9ef5dc18',
  '70a6a56e2440598e', '3853dc371220a247', '1ca76e95091051ad', '0edd37c48a08a6d8',
  '07e095624504536c', '8d70c431ac02a736', 'c83862965601dd1b', '641c314b2b8ee083',
];

// Iteration constants C1..C12 (RFC 6986 §6.6), each as 8 little-endian 64-bit words, word 0 first.
const C_HEX = [
  ['dd806559f2a64507', '05767436cc744d23', 'a2422a08a460d315', '4b7ce09192676901',
    '714eb88d7585c4fc', '2f6a76432e45d016', 'ebcb2f81c0657c1f', 'b1085bda1ecadae9'],
  ['e679047021b19bb7', '55dda21bd7cbcd56', '5cb561c2db0aa7ca', '9ab5176b12d69958',
    '61d55e0f16b50131', 'f3feea720a232b98', '4fe39d460f70b5d7', '6fa3b58aa99d2f1a'],
  ['991e96f50aba0ab2', 'c2b6f443867adb31', 'c1c93a376062db09', 'd3e20fe490359eb1',
    'f2ea7514b1297b7b', '06f15e5f529c1f8b', '0a39fc286a3d8435', 'f574dcac2bce2fc7'],
  ['220cbebc84e3d12e', '3453eaa193e837f1', 'd8b71333935203be', 'a9d72c82ed03d675',
    '9d721cad685e353f', '488e857e335c3c7d', 'f948e1a05d71e4dd', 'ef1fdfb3e81566d2'],
  ['601758fd7c6cfe57', '7a56a27ea9ea63f5', 'dfff00b723271a16', 'bfcd1747253af5a3',
    '359e35d7800fffbd', '7f151c1f1686104a', '9a3f410c6ca92363', '4bea6bacad474799'],
  ['fa68407a46647d6e', 'bf71c57236904f35', '0af21f66c2bec6b6', 'cffaa6b71c9ab7b4',
    '187f9ab49af08ec6', '2d66c4f95142a46c', '6fa4c33b7a3039c0', 'ae4faeae1d3ad3d9'],
  ['8886564d3a14d493', '3517454ca23c4af3', '06476983284a0504', '0992abc52d822c37',
    'd3473e33197a93c9', '399ec6c7e6bf87c9', '51ac86febf240954', 'f4c70e16eeaac5ec'],
  ['a47f0dd4bf02e71e', '36acc2355951a8d9', '69d18d2bd1a5c42f', 'f4892bcb929b0690',
    '89b4443b4ddbc49a', '4eb7f8719c36de1e', '03e7aa020c6e4141', '9b1f5b424d93c9a7'],
  ['7261445183235adb', '0e38dc92cb1f2a60', '7b2b8a9aa6079c54', '800a440bdbb2ceb1',
    '3cd955b7e00d0984', '3a7d3a1b25894224', '944c9ad8ec165fde', '378f5a541631229b'],
  ['74b4c7fb98459ced', '3698fad1153bb6c3', '7a1e6c303b7652f4', '9fe76702af69334b',
    '1fffe18a1b336103', '8941e71cff8a78db', '382ae548b2e4f3f3', 'abbedea680056f52'],
  ['6bcaa4cd81f32d1b', 'dea2594ac06fd85d', 'efbacd1d7d476e98', '8a1d71efea48b9ca',
    '2001802114846679', 'd8fa6bbbebab0761', '3002c6cd635afe94', '7bcd9ed0efc889fb'],
  ['48bc924af11bd720', 'faf417d5d9b21b99', 'e71da4aa88e12852', '5d80ef9d1891cc86',
    'f82012d430219f9b', 'cda43c32bcdf1d77', 'd21380b00449b17a', '378ee767f11631ba'],
];

/** Merged S∘P∘L tables: T[(j*256 + b)*2] = lo, +1 = hi of l(π(b) << 8j). */
const T = new Uint32Array(8 * 256 * 2);
const C = C_HEX.map((words) => {
  const out = new Uint32Array(16);
  words.forEach((w, i) => {
    out[2 * i] = parseInt(w.slice(8), 16) >>> 0;
    out[2 * i + 1] = parseInt(w.slice(0, 8), 16) >>> 0;
  });
  return out;
});

(function buildTables() {
  const aLo = A_HEX.map((h) => parseInt(h.slice(8), 16) >>> 0);
  const aHi = A_HEX.map((h) => parseInt(h.slice(0, 8), 16) >>> 0);
  for (let j = 0; j < 8; j++) {
    for (let b = 0; b < 256; b++) {
      const v = PI[b]!;
      let lo = 0;
      let hi = 0;
      for (let k = 0; k < 8; k++) {
        if ((v >>> k) & 1) {
          // bit position p = 8j+k (0 = least significant) is multiplied by A[63 - p]
          const idx = 63 - (8 * j + k);
          lo ^= aLo[idx]!;
          hi ^= aHi[idx]!;
        }
      }
      T[(j * 256 + b) * 2] = lo >>> 0;
      T[(j * 256 + b) * 2 + 1] = hi >>> 0;
    }
  }
})();

// Per-column views of T (lo and hi halves split) so the hot loop reads plain Uint32Arrays.
const TL: Uint32Array[] = [];
const TH: Uint32Array[] = [];
for (let j = 0; j < 8; j++) {
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let b = 0; b < 256; b++) {
    lo[b] = T[(j * 256 + b) * 2]!;
    hi[b] = T[(j * 256 + b) * 2 + 1]!;
  }
  TL.push(lo);
  TH.push(hi);
}
const [L0, L1, L2, L3, L4, L5, L6, L7] = TL as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
const [H0, H1, H2, H3, H4, H5, H6, H7] = TH as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];

/**
 * out = LPS(x ⊕ y); out must differ from x and y. Output word i gathers byte i of every input word j
 * (the transposition P), each byte through π (S) and the linear map l (L), all folded into L0..L7/H0..H7.
 */
function lps(x: Uint32Array, y: Uint32Array, out: Uint32Array): void {
  for (let half = 0; half < 2; half++) {
    const a0 = x[half]! ^ y[half]!;
    const a1 = x[2 + half]! ^ y[2 + half]!;
    const a2 = x[4 + half]! ^ y[4 + half]!;
    const a3 = x[6 + half]! ^ y[6 + half]!;
    const a4 = x[8 + half]! ^ y[8 + half]!;
    const a5 = x[10 + half]! ^ y[10 + half]!;
    const a6 = x[12 + half]! ^ y[12 + half]!;
    const a7 = x[14 + half]! ^ y[14 + half]!;
    for (let k = 0; k < 4; k++) {
      const sh = k * 8;
      const i0 = (a0 >>> sh) & 0xff;
      const i1 = (a1 >>> sh) & 0xff;
      const i2 = (a2 >>> sh) & 0xff;
      const i3 = (a3 >>> sh) & 0xff;
      const i4 = (a4 >>> sh) & 0xff;
      const i5 = (a5 >>> sh) & 0xff;
      const i6 = (a6 >>> sh) & 0xff;
      const i7 = (a7 >>> sh) & 0xff;
      const o = 2 * (half * 4 + k);
      out[o] = L0[i0]! ^ L1[i1]! ^ L2[i2]! ^ L3[i3]! ^ L4[i4]! ^ L5[i5]! ^ L6[i6]! ^ L7[i7]!;
      out[o + 1] = H0[i0]! ^ H1[i1]! ^ H2[i2]! ^ H3[i3]! ^ H4[i4]! ^ H5[i5]! ^ H6[i6]! ^ H7[i7]!;
    }
  }
}

/** a += b mod 2^512 (little-endian 32-bit words). */
function add512(a: Uint32Array, b: Uint32Array): void {
  let carry = 0;
  for (let i = 0; i < 16; i++) {
    const s = a[i]! + b[i]! + carry;
    a[i] = s >>> 0;
    carry = s > 0xffffffff ? 1 : 0;
  }
}

/** Scratch buffers shared by all instances (compression never re-enters). */
const K = new Uint32Array(16);
const S = new Uint32Array(16);
const TMP = new Uint32Array(16);

/** h = g_N(h, m) = E(LPS(h ⊕ N), m) ⊕ h ⊕ m */
function compress(h: Uint32Array, n: Uint32Array, m: Uint32Array): void {
  lps(h, n, K); // K1
  lps(K, m, S); // LPS(K1 ⊕ m): first round of E
  for (let r = 0; r < 12; r++) {
    lps(K, C[r]!, TMP); // K_{r+2} = LPS(K_{r+1} ⊕ C_{r+1})
    K.set(TMP);
    if (r < 11) {
      lps(S, K, TMP);
      S.set(TMP);
    } else {
      for (let i = 0; i < 16; i++) S[i] = S[i]! ^ K[i]!;
    }
  }
  for (let i = 0; i < 16; i++) h[i] = h[i]! ^ S[i]! ^ m[i]!;
}

function readBlock(data: Uint8Array, off: number, out: Uint32Array): void {
  for (let i = 0; i < 16; i++) {
    const p = off + 4 * i;
    out[i] = (data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24)) >>> 0;
  }
}

export interface IncrementalHash {
  update(data: Uint8Array): IncrementalHash;
  digest(): Uint8Array;
}

/** Incremental Streebog (feed chunks with update(), then digest() once). */
export class Streebog implements IncrementalHash {
  private readonly h = new Uint32Array(16);
  private readonly n = new Uint32Array(16);
  private readonly sigma = new Uint32Array(16);
  private readonly m = new Uint32Array(16);
  private readonly buf = new Uint8Array(64);
  private bufLen = 0;
  private done = false;

  constructor(private readonly bits: 256 | 512) {
    if (bits === 256) this.h.fill(0x01010101);
  }

  update(data: Uint8Array): this {
    if (this.done) throw new Error('Streebog: digest() already called');
    let off = 0;
    if (this.bufLen > 0) {
      const take = Math.min(64 - this.bufLen, data.length);
      this.buf.set(data.subarray(0, take), this.bufLen);
      this.bufLen += take;
      off = take;
      if (this.bufLen < 64) return this;
      this.block(this.buf, 0);
      this.bufLen = 0;
    }
    while (data.length - off >= 64) {
      this.block(data, off);
      off += 64;
    }
    if (off < data.length) {
      this.buf.set(data.subarray(off), 0);
      this.bufLen = data.length - off;
    }
    return this;
  }

  digest(): Uint8Array {
    if (this.done) throw new Error('Streebog: digest() already called');
    this.done = true;
    const last = new Uint8Array(64);
    last.set(this.buf.subarray(0, this.bufLen));
    last[this.bufLen] = 0x01;
    readBlock(last, 0, this.m);
    compress(this.h, this.n, this.m);
    const len = new Uint32Array(16);
    len[0] = this.bufLen * 8;
    add512(this.n, len);
    add512(this.sigma, this.m);
    const zero = new Uint32Array(16);
    compress(this.h, zero, this.n);
    compress(this.h, zero, this.sigma);
    const out = new Uint8Array(64);
    for (let i = 0; i < 16; i++) {
      const w = this.h[i]!;
      out[4 * i] = w & 0xff;
      out[4 * i + 1] = (w >>> 8) & 0xff;
      out[4 * i + 2] = (w >>> 16) & 0xff;
      out[4 * i + 3] = w >>> 24;
    }
    return this.bits === 512 ? out : out.slice(32);
  }

  private block(data: Uint8Array, off: number): void {
    readBlock(data, off, this.m);
    compress(this.h, this.n, this.m);
    // N += 512
    const lo = this.n[0]! + 512;
    this.n[0] = lo >>> 0;
    if (lo > 0xffffffff) {
      for (let i = 1; i < 16; i++) {
        this.n[i] = (this.n[i]! + 1) >>> 0;
        if (this.n[i] !== 0) break;
      }
    }
    add512(this.sigma, this.m);
  }
}

export function streebog512(data: Uint8Array): Uint8Array {
  return new Streebog(512).update(data).digest();
}

export function streebog256(data: Uint8Array): Uint8Array {
  return new Streebog(256).update(data).digest();
}
