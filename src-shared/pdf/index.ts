/**
 * The bounded PDF reader (issue 13): the object model, `openPdf` (reader.ts) and the capped
 * inflater (inflate.ts).
 */
export * from './model';
export { openPdf, openPdfSource } from './reader';
export { memorySource, type ByteSource } from './source';
export { inflateCapped } from './inflate';
