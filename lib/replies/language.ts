export type Lang = 'en' | 'de' | 'fr' | 'es' | 'pt' | 'nl';

const STOPWORDS: Record<Lang, string[]> = {
  en: [
    'the',
    'and',
    'i',
    'will',
    'be',
    'am',
    'my',
    'until',
    'back',
    'office',
    'please',
    'you',
    'with',
    'for',
  ],
  de: ['ich', 'und', 'bin', 'bis', 'der', 'die', 'das', 'nicht', 'im', 'wieder', 'ihre', 'sie', 'mit', 'zum'],
  fr: [
    'je',
    'le',
    'la',
    'et',
    'suis',
    'serai',
    'retour',
    'vous',
    'les',
    'des',
    'du',
    'pour',
    'votre',
    'avec',
  ],
  es: [
    'el',
    'la',
    'y',
    'estoy',
    'hasta',
    'fuera',
    'los',
    'su',
    'con',
    'por',
    'usted',
    'para',
    'gracias',
    'estare',
  ],
  pt: [
    'o',
    'e',
    'estou',
    'ate',
    'volta',
    'estarei',
    'com',
    'voce',
    'para',
    'os',
    'seu',
    'obrigado',
    'nao',
    'em',
  ],
  nl: ['ik', 'ben', 'en', 'het', 'tot', 'op', 'terug', 'niet', 'van', 'met', 'u', 'uw', 'een', 'wij'],
};

const INDEX = new Map<string, Lang[]>();
for (const [lang, words] of Object.entries(STOPWORDS) as [Lang, string[]][]) {
  for (const w of words) INDEX.set(w, [...(INDEX.get(w) ?? []), lang]);
}

/** The most likely of the six supported languages for already folded text (English when nothing matches). */
export function detectLanguage(folded: string): Lang {
  const score: Record<Lang, number> = { en: 0, de: 0, fr: 0, es: 0, pt: 0, nl: 0 };
  for (const w of folded.slice(0, 4000).split(/[^a-z']+/)) {
    for (const l of INDEX.get(w) ?? []) score[l] += 1;
  }
  let best: Lang = 'en';
  for (const l of Object.keys(score) as Lang[]) if (score[l] > score[best]) best = l;
  return best;
}
