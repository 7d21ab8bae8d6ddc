/**
 * The pieces of the stamp on their own: the Code 128 table and encoder (every printable character
 * decoded back by zbarimg from a rendered PDF), and dc:identifier editing of XMP packets.
 */
import { describe, expect, it } from 'vitest';
import { PDFDocument, PDFName } from 'pdf-lib';
import { CODE128_PATTERNS, code128Bars, code128Values } from '../../src-main/documents/stamp/code128';
import { newXmpPacket, setXmpIdentifier } from '../../src-main/documents/stamp/xmp';
import { decodePage, PDFA2B_XMP, tempDir, write } from './stamp-helpers';

describe('Code 128', () => {
  it('the table: 106 symbols of 11 modules (3 bars, 3 spaces), all distinct; stop of 13', () => {
    expect(CODE128_PATTERNS).toHaveLength(107);
    const symbols = CODE128_PATTERNS.slice(0, 106);
    for (const p of symbols) expect([...p].reduce((a, c) => a + Number(c), 0)).toBe(11);
    expect(new Set(symbols).size).toBe(106);
    expect([...CODE128_PATTERNS[106]!].reduce((a, c) => a + Number(c), 0)).toBe(13);
  });

  it('checksum as in ISO/IEC 15417 (start B = 104, weighted sum mod 103)', () => {
    // "PJJ123C" → 104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7 = 879; 879 mod 103 = 55.
    expect(code128Values('PJJ123C')).toEqual([104, 48, 42, 42, 17, 18, 19, 35, 55, 106]);
    expect(() => code128Values('Құжат')).toThrow(RangeError);
  });

  it('every printable ASCII character round-trips through a rendered PDF and zbarimg', async () => {
    const tmp = tempDir();
    try {
      const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
      // zbarimg prints a symbol per line: keep each chunk free of newlines, and split the 95 characters over 4 barcodes.
      const chunks = [printable.slice(0, 24), printable.slice(24, 48), printable.slice(48, 72), printable.slice(72)];
      const doc = await PDFDocument.create();
      const page = doc.addPage([842, 595]);
      const unit = 0.9;
      const ops: string[] = ['0 g'];
      chunks.forEach((text, row) => {
        const y = 480 - row * 130;
        for (const [x, w] of code128Bars(text).bars) ops.push(`${40 + (10 + x) * unit} ${y} ${w * unit} 60 re`);
      });
      ops.push('f');
      const stream = doc.context.register(doc.context.flateStream(ops.join('\n')));
      page.node.set(PDFName.of('Contents'), stream);
      const path = tmp.path('all.pdf');
      write(path, await doc.save());
      expect(decodePage(path)).toEqual(chunks.map((c) => `CODE-128:${c}`).sort());
    } finally {
      tmp.cleanup();
    }
  });
});

describe('XMP dc:identifier', () => {
  const S = 'SRK-ABCD-EFGH-JKMN-5';
  it('a new packet is well-formed XMP with the identifier', () => {
    const x = newXmpPacket(S);
    expect(x).toContain(`<dc:identifier>${S}</dc:identifier>`);
    expect(x.startsWith('<?xpacket begin="\uFEFF"')).toBe(true);
    expect(x.endsWith('<?xpacket end="w"?>')).toBe(true);
  });

  it('added to an existing packet as another description about the same resource; the rest byte for byte', () => {
    const u = setXmpIdentifier(PDFA2B_XMP, S)!;
    expect(u.replaced).toBeUndefined();
    const i = u.xmp.indexOf('<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">\n   <dc:identifier>');
    expect(i).toBeGreaterThan(0);
    expect(u.xmp.replace(/<rdf:Description rdf:about="" xmlns:dc="http:\/\/purl.org\/dc\/elements\/1.1\/">\n {3}<dc:identifier>[^<]*<\/dc:identifier>\n {2}<\/rdf:Description>\n /, '')).toBe(PDFA2B_XMP);
    const about = setXmpIdentifier(PDFA2B_XMP.replace(/rdf:about=""/g, 'rdf:about="uuid:1234"'), S)!;
    expect(about.xmp).toContain('<rdf:Description rdf:about="uuid:1234" xmlns:dc=');
  });

  it('an existing identifier (element or attribute) is replaced, and a foreign one reported', () => {
    const el = setXmpIdentifier(PDFA2B_XMP.replace('</dc:title>', '</dc:title><dc:identifier>INV-2024/17</dc:identifier>'), S)!;
    expect(el.xmp).toContain(`<dc:identifier>${S}</dc:identifier>`);
    expect(el.xmp).not.toContain('INV-2024/17');
    expect(el.replaced).toBe('INV-2024/17');
    const old = setXmpIdentifier(PDFA2B_XMP.replace('</dc:title>', '</dc:title><dc:identifier>SRK-0000-1111-2222-Q</dc:identifier>'), S)!;
    expect(old.replaced).toBeUndefined();
    expect(old.xmp.match(/<dc:identifier>/g)).toHaveLength(1);
    const attr = setXmpIdentifier(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:identifier="SRK-0000-1111-2222-Q"/></rdf:RDF></x:xmpmeta>`, S)!;
    expect(attr.xmp).toContain(`dc:identifier="${S}"`);
    expect(setXmpIdentifier('<not-xmp/>', S)).toBeNull();
  });
});
