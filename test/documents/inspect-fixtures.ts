/**
 * Real PDFs for the inspection and package tests: pdf-lib with an embedded TrueType font (DejaVu
 * Sans, Cyrillic and Kazakh glyphs) and a text layer pdf.js can read, fillable forms, a PDF/A-2b
 * claim with an output intent, qpdf-encrypted files, and signatures made with the test PKI.
 */
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

export const RU_TEXT = [
  'СПРАВКА о государственной регистрации юридического лица',
  'Настоящая справка выдана для представления по месту требования и подтверждает,',
  'что товарищество с ограниченной ответственностью зарегистрировано в органах юстиции.',
  'Наименование: ТОО «Серіктес Тест». Дата первичной регистрации: 15 марта 2015 года.',
  'Вид деятельности: производство строительных металлических конструкций и изделий.',
  'Руководитель является первым руководителем и действует на основании устава.',
];

export const KK_TEXT = [
  'Заңды тұлғаны мемлекеттік тіркеу туралы АНЫҚТАМА',
  'Осы анықтама талап етілген жерге ұсыну үшін берілді және жауапкершілігі шектеулі',
  'серіктестіктің әділет органдарында тіркелгенін растайды. Атауы: «Серіктес Тест» ЖШС.',
  'Алғашқы тіркелген күні: 2015 жылғы 15 наурыз. Қызмет түрі: металл құрылымдарын өндіру.',
  'Басшы бірінші басшы болып табылады және жарғы негізінде әрекет етеді.',
];

export interface PdfSpec {
  lines?: string[];
  pages?: number;
  /** Add a fillable text field. */
  field?: boolean;
  /** XMP PDF/A identification (part, conformance) and whether to add an output intent. */
  pdfa?: { part: number; conformance: string; outputIntent: boolean };
  /** Draw with a standard (not embedded) font instead; only Latin text then. */
  standardFont?: boolean;
}

export async function makeTextPdf(spec: PdfSpec = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = spec.standardFont ? await doc.embedFont(StandardFonts.Helvetica) : await doc.embedFont(readFileSync(FONT), { subset: true });
  const lines = spec.lines ?? RU_TEXT;
  for (let p = 0; p < (spec.pages ?? 1); p++) {
    const page = doc.addPage([595, 842]);
    lines.forEach((l, i) => page.drawText(l, { x: 40, y: 790 - i * 18, size: 10, font }));
    page.drawText(`${p + 1}`, { x: 290, y: 30, size: 9, font });
  }
  if (spec.field) {
    const form = doc.getForm();
    const tf = form.createTextField('director_name');
    tf.addToPage(doc.getPage(0), { x: 40, y: 500, width: 200, height: 20, font });
  }
  if (spec.pdfa) {
    const xmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>${spec.pdfa.part}</pdfaid:part><pdfaid:conformance>${spec.pdfa.conformance}</pdfaid:conformance></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
    const meta = doc.context.stream(new TextEncoder().encode(xmp), { Type: 'Metadata', Subtype: 'XML' });
    doc.catalog.set(PDFName.of('Metadata'), doc.context.register(meta));
    if (spec.pdfa.outputIntent) {
      // The profile bytes are not validated here (no full PDF/A validator runs); a stream is what is checked.
      const icc = doc.context.register(doc.context.stream(new Uint8Array(128), { N: 3 }));
      const intent = doc.context.obj({ Type: 'OutputIntent', S: 'GTS_PDFA1', OutputConditionIdentifier: PDFString.of('sRGB'), DestOutputProfile: icc });
      doc.catalog.set(PDFName.of('OutputIntents'), doc.context.obj([intent]));
    }
  }
  return doc.save({ useObjectStreams: false });
}

/** An incremental update that changes page content after signing (a new object + xref section). */
export function appendEdit(pdf: Uint8Array): Uint8Array {
  const tail = Buffer.from('\n99 0 obj\n<< /Length 44 >>\nstream\nBT /F1 12 Tf 40 40 Td (edited later) Tj ET\nendstream\nendobj\n%%EOF\n', 'latin1');
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), tail]));
}
