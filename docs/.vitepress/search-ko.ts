/**
 * Korean-aware terms for the site's local search (MiniSearch, through VitePress's
 * `search.options.miniSearch.options.processTerm`).
 *
 * Korean attaches particles and endings to the word they follow: a page says "서비스의" where a
 * learner searches "서비스를" or "서비스에서". MiniSearch splits on spaces and punctuation only, so
 * without help those are different words (its fuzzy match forgives one edit, not a two-syllable
 * particle). This strips one common particle or ending from the end of a Hangul word:
 *
 * - when indexing (MiniSearch passes the field name), it keeps the word as written and adds its
 *   stem, so exact matches still rank first;
 * - when searching (no field name), it searches for the stem only; with prefix search on (VitePress's
 *   default) the stem also finds every form that begins with it.
 *
 * Korean spellings of English terms (카나리, 블루그린, 젠킨스, 아르고 …) are searched as the English
 * word the pages write, so a learner who types the Hangul finds the page.
 *
 * VitePress sends this function to the browser as source text (`serializeFunctions` in
 * vitepress/dist/node: `fn.toString()`, revived with `new Function`), so it must not use anything
 * outside its own body: the suffix list lives inside it.
 */
export function koreanProcessTerm(term: string, fieldName?: string): string | string[] | null {
  // Longest first, so that "에서는" wins over "는" (only one whole suffix is removed).
  const suffixes = [
    '하였습니다', '되었습니다',
    '했습니다', '됐습니다', '하십시오',
    '입니다', '합니다', '됩니다', '습니다', '하세요', '하려면', '이라는', '에서는', '에서도', '으로는', '으로도',
    '해야', '하는', '하고', '하면', '하며', '하여', '해서', '하기', '하지', '한다', '했다', '된다', '되는', '되고', '되면', '되어',
    '에서', '에게', '으로', '로는', '로도', '까지', '부터', '처럼', '보다', '마다', '만큼', '이나', '이란', '이라', '이며', '이고',
    '이면', '이다', '에는', '에도',
    '와', '과', '도', '만', '은', '는', '이', '가', '을', '를', '의', '에', '로', '나', '란',
  ];
  const word = term.toLowerCase();
  let stem = word;
  if (/[\uac00-\ud7a3]$/.test(word)) {
    for (const suffix of suffixes) {
      // A one-syllable particle must leave at least two characters ("앱을" stays), longer ones one.
      const keep = suffix.length === 1 ? 2 : 1;
      if (word.endsWith(suffix) && word.length - suffix.length >= keep) {
        stem = word.slice(0, -suffix.length);
        break;
      }
    }
  }
  if (fieldName === undefined) {
    // Learners type the Korean spelling of terms the pages write in English ("카나리" for Canary):
    // a query for one of them searches the English term(s) too.
    const english: Record<string, string[]> = {
      카나리: ['canary'], 카나리아: ['canary'], 캐너리: ['canary'],
      블루그린: ['blue', 'green'], 블루: ['blue'], 그린: ['green'],
      롤링: ['rolling'], 롤링업데이트: ['rolling', 'rollingupdate'],
      리크리에이트: ['recreate'], 레크리에이트: ['recreate'],
      젠킨스: ['jenkins'], 아르고: ['argo'], 아르고cd: ['argo'], 롤아웃: ['rollout', '롤아웃'],
      롤백: ['rollback', '롤백'], 언두: ['undo'], 애널리시스: ['analysis'], 어낼리시스: ['analysis'],
      쿠버네티스: ['kubernetes', '쿠버네티스'], 헬름: ['helm'], 커스터마이즈: ['kustomize'], 깃허브: ['github'],
    };
    return english[stem] ?? english[word] ?? stem;
  }
  return stem === word ? word : [word, stem];
}
