/**
 * The documents namespace (viewer, signing dialog, verification panel, badges, stamping), one
 * object per language; kk is the reference shape (ru and en are typed against it).
 */
export const documentsKk = {
  previewTitle: 'Құжатты қарау',
  preview: '«{{name}}» құжатын қарау',
  toolbar: 'Құжат құралдары',
  prevPage: 'Алдыңғы бет',
  nextPage: 'Келесі бет',
  pageOf: '{{page}} / {{pages}} бет',
  zoomIn: 'Үлкейту',
  zoomOut: 'Кішірейту',
  search: 'Мәтіннен іздеу',
  foundOn: 'Табылды: {{pages}} бет',
  notFound: 'Мәтінде табылмады',
  pageImage: '{{page}}-бет',
};

export const documentsRu: typeof documentsKk = {
  previewTitle: 'Просмотр документа',
  preview: 'Просмотр документа «{{name}}»',
  toolbar: 'Инструменты документа',
  prevPage: 'Предыдущая страница',
  nextPage: 'Следующая страница',
  pageOf: 'Страница {{page}} из {{pages}}',
  zoomIn: 'Увеличить',
  zoomOut: 'Уменьшить',
  search: 'Поиск по тексту',
  foundOn: 'Найдено на страницах: {{pages}}',
  notFound: 'В тексте не найдено',
  pageImage: 'Страница {{page}}',
};

export const documentsEn: typeof documentsKk = {
  previewTitle: 'Document preview',
  preview: 'Preview of “{{name}}”',
  toolbar: 'Document tools',
  prevPage: 'Previous page',
  nextPage: 'Next page',
  pageOf: 'Page {{page}} of {{pages}}',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  search: 'Search the text',
  foundOn: 'Found on pages: {{pages}}',
  notFound: 'Not found in the text',
  pageImage: 'Page {{page}}',
};
