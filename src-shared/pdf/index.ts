/**
 * The bounded PDF reader (issue 13): the object model now; `openPdf` and `inflateCapped` join it
 * from reader.ts and inflate.ts.
 */
export * from './model';
