/**
 * Which language a document's text layer is in: Kazakh, Russian, something else, or not enough text
 * to say (seed 002 §4: supplier documents are in Russian or Kazakh, and the supplier declares which).
 *
 * Both languages use Cyrillic, and Kazakh uses every Russian letter too, so letters alone do not
 * decide. The rule counts *words*: a word with a Kazakh-only letter (ә ғ қ ң ө ұ ү һ і) or a
 * frequent Kazakh function word is Kazakh; a frequent Russian function word or a typical Russian
 * inflection is Russian. Words that are neither (names, numbers, loanwords) do not vote. Official
 * papers in Kazakhstan are often bilingual, so the result also lists every language that holds a
 * real share of the text.
 */

export type TextLanguage = 'kk' | 'ru' | 'other' | 'unknown';

export interface LanguageGuess {
  language: TextLanguage;
  /** Languages holding at least MIN_SHARE of the voting words (both for a bilingual paper). */
  present: ('kk' | 'ru')[];
  /** Words that voted for each language, and letters seen (for tests and diagnostics). */
  votes: { kk: number; ru: number };
  letters: number;
}

/** Below this many letters, or this many voting words, there is not enough text to judge. */
export const MIN_LETTERS = 60;
export const MIN_VOTES = 6;
/** A language counts as present in a bilingual paper from this share of the voting words. */
export const MIN_SHARE = 0.2;

const KAZAKH_LETTERS = /[әғқңөұүһі]/;

const KK_WORDS = new Set([
  'мен', 'бен', 'пен', 'және', 'немесе', 'туралы', 'бойынша', 'үшін', 'арқылы', 'сәйкес', 'жылғы', 'жылы', 'осы', 'бұл', 'сол', 'бар',
  'жоқ', 'деп', 'емес', 'болып', 'табылады', 'берілді', 'берілген', 'тұлға', 'тұлғаның', 'заңды', 'жеке', 'куәлік', 'анықтама',
  'республикасы', 'республикасының', 'министрлігі', 'мемлекеттік', 'тіркеу', 'тіркелген', 'атауы', 'мекенжайы', 'күні', 'нөмірі',
]);

const RU_WORDS = new Set([
  'и', 'в', 'во', 'не', 'на', 'что', 'с', 'со', 'по', 'к', 'ко', 'от', 'для', 'из', 'за', 'о', 'об', 'при', 'или', 'как', 'это', 'так',
  'до', 'же', 'то', 'все', 'его', 'ее', 'её', 'их', 'был', 'была', 'было', 'были', 'является', 'являются', 'который', 'которая',
  'которые', 'также', 'если', 'между', 'после', 'без', 'под', 'над', 'через', 'только', 'свидетельство', 'справка', 'лица', 'лицо',
  'юридического', 'юридических', 'государственной', 'регистрации', 'выдана', 'выдано', 'дата', 'адрес', 'наименование', 'номер',
]);

/** Russian inflections that Kazakh words do not end in (Kazakh has no grammatical gender or these case endings). */
const RU_ENDINGS = /(ого|его|ому|ему|ыми|ими|ая|яя|ой|ей|ый|ий|ое|ее|ые|ие|ых|их|ание|ение|ости|ость|ться|ется|ются|ует|уют|ство|ства|ции|ция)$/;

export function detectLanguage(text: string): LanguageGuess {
  const lower = text.toLowerCase();
  const letters = (lower.match(/\p{L}/gu) ?? []).length;
  const cyrillic = (lower.match(/\p{Script=Cyrillic}/gu) ?? []).length;
  const votes = { kk: 0, ru: 0 };
  for (const word of lower.match(/[\p{Script=Cyrillic}]+/gu) ?? []) {
    if (KAZAKH_LETTERS.test(word) || KK_WORDS.has(word)) votes.kk++;
    else if (RU_WORDS.has(word) || (word.length >= 4 && RU_ENDINGS.test(word)) || /[ёэъщ]/.test(word)) votes.ru++;
  }
  const guess = (language: TextLanguage, present: ('kk' | 'ru')[] = []): LanguageGuess => ({ language, present, votes, letters });
  if (letters < MIN_LETTERS) return guess('unknown');
  // Mostly Latin (or another script): neither of the two languages a supplier may declare.
  if (cyrillic / letters < 0.5) return guess('other');
  const total = votes.kk + votes.ru;
  if (total < MIN_VOTES) return guess('unknown');
  const present = (['kk', 'ru'] as const).filter((l) => votes[l] / total >= MIN_SHARE);
  return guess(votes.kk >= votes.ru ? 'kk' : 'ru', present);
}
