import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GlobalWorkerOptions, getDocument, TextLayer, type PDFDocumentProxy } from 'pdfjs-dist';

// Worker and wasm decoders come from our own origin (strict CSP: no eval, no foreign scripts).
GlobalWorkerOptions.workerSrc = new URL('./pdfjs/pdf.worker.min.mjs', document.baseURI).toString();

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

interface Props {
  /** A same-origin URL from `files.contentUrl`. */
  url: string;
  title: string;
}

/**
 * The built-in PDF viewer (no external reader needed): one page at a time on
 * a canvas with a selectable text layer, zoom, and search across pages.
 */
export function PdfPreview({ url, title }: Props) {
  const { t } = useTranslation();
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pageNo, setPageNo] = useState(1);
  // 'fit': the page as wide as the viewer (what people expect when a document opens); numbers: fixed zoom.
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [effectiveZoom, setEffectiveZoom] = useState(1);
  const [boxWidth, setBoxWidth] = useState(0);
  const boxRef = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<number[] | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    setDoc(null);
    setError(null);
    const task = getDocument({
      url,
      isEvalSupported: false,
      wasmUrl: new URL('./pdfjs/wasm/', document.baseURI).toString(),
      useSystemFonts: false,
      withCredentials: true,
    });
    task.promise.then(
      (d) => {
        if (!cancelled) {
          setDoc(d);
          setPageNo(1);
        }
      },
      () => !cancelled && setError(t('errors.pdf_invalid')),
    );
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [url, t]);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver(() => setBoxWidth(box.clientWidth));
    observer.observe(box);
    setBoxWidth(box.clientWidth);
    return () => observer.disconnect();
  }, [doc]);

  useEffect(() => {
    if (!doc) return;
    if (zoom === 'fit' && boxWidth === 0) return;
    let cancelled = false;
    let textLayer: TextLayer | null = null;
    void (async () => {
      const page = await doc.getPage(pageNo);
      if (cancelled) return;
      const natural = page.getViewport({ scale: 1.25 }).width;
      const z = zoom === 'fit' ? Math.min(3, Math.max(0.25, (boxWidth - 32) / natural)) : zoom;
      setEffectiveZoom(z);
      const viewport = page.getViewport({ scale: z * 1.25 });
      const canvas = canvasRef.current;
      const textDiv = textRef.current;
      if (!canvas || !textDiv) return;
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${Math.floor(viewport.width)}px`;
      canvas.style.height = `${Math.floor(viewport.height)}px`;
      await page.render({ canvas, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined }).promise;
      if (cancelled) return;
      textDiv.replaceChildren();
      // pdf.js sizes the text layer from these variables (as its own viewer sets them on the page box).
      textDiv.parentElement?.style.setProperty('--scale-factor', String(viewport.scale));
      textLayer = new TextLayer({ textContentSource: page.streamTextContent(), container: textDiv, viewport });
      await textLayer.render();
      const q = query.trim().toLocaleLowerCase('ru');
      if (q) for (const span of Array.from(textDiv.querySelectorAll('span'))) if (span.textContent?.toLocaleLowerCase('ru').includes(q)) span.classList.add('pdf-hit');
    })();
    return () => {
      cancelled = true;
      textLayer?.cancel();
    };
  }, [doc, pageNo, zoom, boxWidth, query, hits]);

  async function search() {
    if (!doc) return;
    const q = query.trim().toLocaleLowerCase('ru');
    if (!q) {
      setHits(null);
      return;
    }
    const found: number[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      const text = content.items.map((i) => ('str' in i ? i.str : '')).join(' ').toLocaleLowerCase('ru');
      if (text.includes(q)) found.push(n);
    }
    setHits(found);
    if (found[0]) setPageNo(found[0]);
  }

  if (error) return <p className="notice notice-error" role="alert">{error}</p>;
  return (
    <section className="pdf-preview" aria-label={t('documents.preview', { name: title })}>
      <div className="pdf-toolbar" role="toolbar" aria-label={t('documents.toolbar')}>
        <button type="button" className="btn btn-small" disabled={!doc || pageNo <= 1} onClick={() => setPageNo((p) => p - 1)}>
          {t('documents.prevPage')}
        </button>
        <span aria-live="polite">{doc ? t('documents.pageOf', { page: pageNo, pages: doc.numPages }) : t('app.loading')}</span>
        <button type="button" className="btn btn-small" disabled={!doc || pageNo >= doc.numPages} onClick={() => setPageNo((p) => p + 1)}>
          {t('documents.nextPage')}
        </button>
        <button type="button" className="btn btn-small" aria-label={t('documents.zoomOut')} disabled={effectiveZoom <= ZOOMS[0]!} onClick={() => setZoom(ZOOMS.filter((x) => x < effectiveZoom - 0.001).at(-1) ?? ZOOMS[0]!)}>
          −
        </button>
        <span>{Math.round(effectiveZoom * 100)}%</span>
        <button type="button" className="btn btn-small" aria-label={t('documents.zoomIn')} disabled={effectiveZoom >= ZOOMS.at(-1)!} onClick={() => setZoom(ZOOMS.find((x) => x > effectiveZoom + 0.001) ?? ZOOMS.at(-1)!)}>
          +
        </button>
        <button type="button" className="btn btn-small" aria-pressed={zoom === 'fit'} onClick={() => setZoom('fit')}>
          {t('documents.fitWidth')}
        </button>
        <form
          className="pdf-search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void search();
          }}
        >
          <label className="visually-hidden" htmlFor="pdf-search-input">
            {t('documents.search')}
          </label>
          <input id="pdf-search-input" type="search" value={query} placeholder={t('documents.search')} onChange={(e) => setQuery(e.target.value)} />
          <button type="submit" className="btn btn-small">
            {t('common.find')}
          </button>
        </form>
        {hits && <span role="status">{hits.length ? t('documents.foundOn', { pages: hits.join(', ') }) : t('documents.notFound')}</span>}
      </div>
      {/* Focusable so the page can be scrolled from the keyboard. */}
      <div ref={boxRef} className="pdf-page" tabIndex={0} role="region" aria-label={doc ? t('documents.pageOf', { page: pageNo, pages: doc.numPages }) : t('app.loading')}>
        <div className="pdf-page-inner">
          <canvas ref={canvasRef} aria-label={t('documents.pageImage', { page: pageNo })} role="img" />
          <div ref={textRef} className="textLayer" />
        </div>
      </div>
    </section>
  );
}
