/**
 * The text layer of a PDF's first pages, through pdf.js (its legacy build: the modern one needs
 * browser globals). Under Node pdf.js runs its "worker" on this thread, so it is time-boxed: a
 * pathological file gives up after `timeoutMs` with whatever text was read, never a hang.
 */
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { DocumentInitParameters, PDFDocumentLoadingTask } from 'pdfjs-dist/types/src/display/api';

type PdfJs = typeof PdfJsModule;
let pdfjs: Promise<PdfJs> | null = null;

/**
 * pdf.js's display layer builds a DOMMatrix when its module loads. Under plain Node it borrows one
 * from @napi-rs/canvas through `createRequire(import.meta.url)`, which does not exist once the back
 * end is bundled as CommonJS. Text extraction never renders (the matrix math it needs runs in the
 * worker code, on arrays), so an identity-matrix stand-in is enough; a real DOMMatrix is kept.
 */
function ensureDomMatrix(): void {
  const g = globalThis as { DOMMatrix?: unknown };
  if (g.DOMMatrix) return;
  g.DOMMatrix = class DOMMatrixForTextOnly {
    a = 1; b = 0; c = 0; d = 1; e = 0; f = 0;
    constructor(init?: number[]) {
      if (Array.isArray(init) && init.length === 6) [this.a, this.b, this.c, this.d, this.e, this.f] = init as [number, number, number, number, number, number];
    }
  };
}

function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= (async () => {
    ensureDomMatrix();
    // The worker module in this thread (pdf.js's "fake worker"), found through a global rather
    // than a file URL, so it also works inside the bundled back end.
    const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
    lib.GlobalWorkerOptions.workerSrc ||= 'pdf.worker.mjs';
    return lib;
  })();
  return pdfjs;
}

export interface PdfText {
  text: string;
  pagesRead: number;
  /** 'timeout' or 'unreadable' when pdf.js stopped early (text holds what was read). */
  problem?: 'timeout' | 'unreadable';
}

export interface PdfTextOptions {
  maxPages?: number;
  timeoutMs?: number;
  /** Stop collecting after this many characters (enough to judge a language). */
  maxChars?: number;
}

export async function pdfText(bytes: Uint8Array, o: PdfTextOptions = {}): Promise<PdfText> {
  const maxPages = o.maxPages ?? 5;
  const maxChars = o.maxChars ?? 20_000;
  const lib = await loadPdfJs();
  const out: PdfText = { text: '', pagesRead: 0 };
  const params: DocumentInitParameters = {
    // pdf.js may transfer (detach) the buffer it gets: give it a copy.
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  };
  const task: PDFDocumentLoadingTask = lib.getDocument(params);
  const work = (async () => {
    const doc = await task.promise;
    const pages = Math.min(doc.numPages, maxPages);
    for (let i = 1; i <= pages && out.text.length < maxChars; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if ('str' in item) out.text += item.str + (item.hasEOL ? '\n' : ' ');
      }
      out.text += '\n';
      out.pagesRead = i;
      page.cleanup();
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), o.timeoutMs ?? 10_000);
  });
  try {
    const r = await Promise.race([work.then(() => 'done' as const), timeout]);
    if (r === 'timeout') out.problem = 'timeout';
  } catch {
    out.problem = 'unreadable';
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
    await task.destroy().catch(() => undefined);
  }
  out.text = out.text.slice(0, maxChars);
  return out;
}
