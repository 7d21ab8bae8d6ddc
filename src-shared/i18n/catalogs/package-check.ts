/**
 * Package-check items (issue 9 §5): one text per item code, saying what is wrong and what to do.
 * kk is the reference shape (ru and en are typed against it).
 */
export const packageCheckKk = {
  title: 'Құжаттар топтамасын тексеру',
};

export const packageCheckRu: typeof packageCheckKk = {
  title: 'Проверка пакета документов',
};

export const packageCheckEn: typeof packageCheckKk = {
  title: 'Document package check',
};
