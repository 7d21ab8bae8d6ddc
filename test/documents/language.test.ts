/** ru / kk / other / too little text, on realistic document wording. */
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src-shared/documents/language';
import { KK_TEXT, RU_TEXT } from './inspect-fixtures';

const RU_TAX = `Справка об отсутствии (наличии) налоговой задолженности, задолженности по обязательным пенсионным взносам,
обязательным профессиональным пенсионным взносам и социальным отчислениям. Налогоплательщик: ТОО «Қазақ Болат».
По состоянию на дату формирования справки задолженность отсутствует. Справка сформирована в электронном виде.`;

const KK_TAX = `Салық берешегінің, міндетті зейнетақы жарналары және әлеуметтік аударымдар бойынша берешектің жоқ (бар) екендігі туралы
мәліметтер. Салық төлеуші: «Қазақ Болат» ЖШС. Анықтаманы қалыптастыру күніне берешек жоқ. Анықтама электрондық түрде қалыптастырылды.`;

const EN = 'Certificate of state registration of the legal entity. This certificate confirms that the partnership is registered with the justice authorities.';

describe('detectLanguage', () => {
  it('Russian official wording → ru (a Kazakh company name inside does not flip it)', () => {
    expect(detectLanguage(RU_TEXT.join('\n')).language).toBe('ru');
    const g = detectLanguage(RU_TAX);
    expect(g.language).toBe('ru');
    expect(g.present).toEqual(['ru']);
    expect(g.votes.kk).toBeLessThan(g.votes.ru / 5);
  });

  it('Kazakh official wording → kk', () => {
    expect(detectLanguage(KK_TEXT.join('\n')).language).toBe('kk');
    const g = detectLanguage(KK_TAX);
    expect(g.language).toBe('kk');
    expect(g.present).toEqual(['kk']);
  });

  it('a bilingual paper lists both languages', () => {
    const g = detectLanguage(`${KK_TAX}\n${RU_TAX}`);
    expect(g.present.sort()).toEqual(['kk', 'ru']);
  });

  it('Latin text → other (a Cyrillic word or two does not change that)', () => {
    expect(detectLanguage(EN).language).toBe('other');
    expect(detectLanguage(`${EN} ${EN} Справка`).language).toBe('other');
  });

  it('too little text (a scan, a stamp, page numbers) → unknown', () => {
    expect(detectLanguage('').language).toBe('unknown');
    expect(detectLanguage('   1  2  3 ').language).toBe('unknown');
    expect(detectLanguage('Справка №123').language).toBe('unknown');
    expect(detectLanguage('АНЫҚТАМА 2026 ж.').language).toBe('unknown');
  });

  it('many letters but no voting words (a list of names and numbers) → unknown', () => {
    const names = 'ИВАНОВ ПЕТРОВ СИДОРОВ КУЗНЕЦОВ ПОПОВ ВАСИЛЬЕВ СМИРНОВ МИХАЙЛОВ ФЕДОРОВ МОРОЗОВ ВОЛКОВ АЛЕКСЕЕВ ЛЕБЕДЕВ СЕМЕНОВ ЕГОРОВ ПАВЛОВ';
    expect(detectLanguage(names).language).toBe('unknown');
  });
});
