/**
 * lexical.ts — dependency-free lexical representation for collabmatch.
 *
 * Pure functions only. Pipeline:
 *   text --tokenize--> terms --termCounts--> {term: tf} --workVector/queryVector--> L2-normalised sparse vector
 * Cosine similarity between two vectors = inner product (both are L2-normalised), so
 * the vectors can be stored as pgvector `sparsevec` and compared with `<#>` (negative inner product).
 *
 * Defaults (DEFAULT_LEXICAL) are the configuration chosen by measurement in FINDINGS.md.
 */

// ---------------------------------------------------------------------------------------------
// Stopwords: a standard English function-word list (close to NLTK/sklearn) — no domain words.
// ---------------------------------------------------------------------------------------------
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above across after afterwards again against all almost alone along already also although always am among ' +
    'amongst an and another any anyhow anyone anything anyway anywhere are around as at be became because become becomes ' +
    'becoming been before beforehand behind being below beside besides between beyond both but by can cannot could did do ' +
    'does doing done down due during each eg e.g either else elsewhere enough etc even ever every everyone everything ' +
    'everywhere except few for former formerly from further furthermore had has have having he hence her here hereafter ' +
    'hereby herein hereupon hers herself him himself his how however i ie i.e if in inc indeed into is it its itself just ' +
    'latter latterly least less many may me meanwhile might more moreover most mostly much must my myself namely neither ' +
    'never nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one only onto or other ' +
    'others otherwise our ours ourselves out over own per perhaps rather same several she should since so some somehow ' +
    'someone something sometime sometimes somewhere still such than that the their theirs them themselves then thence there ' +
    'thereafter thereby therefore therein thereupon these they this those though through throughout thru thus to together ' +
    'too toward towards under until up upon us very via was we well were what whatever when whence whenever where ' +
    'whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will ' +
    'with within without would yet you your yours yourself yourselves s t et al'
  ).split(/\s+/),
)

// ---------------------------------------------------------------------------------------------
// Porter (1980) stemmer — classic algorithm, as in M. Porter's reference JavaScript port.
// ---------------------------------------------------------------------------------------------
const STEP2: Record<string, string> = {
  ational: 'ate',
  tional: 'tion',
  enci: 'ence',
  anci: 'ance',
  izer: 'ize',
  bli: 'ble',
  alli: 'al',
  entli: 'ent',
  eli: 'e',
  ousli: 'ous',
  ization: 'ize',
  ation: 'ate',
  ator: 'ate',
  alism: 'al',
  iveness: 'ive',
  fulness: 'ful',
  ousness: 'ous',
  aliti: 'al',
  iviti: 'ive',
  biliti: 'ble',
  logi: 'log',
}
const STEP3: Record<string, string> = {
  icate: 'ic',
  ative: '',
  alize: 'al',
  iciti: 'ic',
  ical: 'ic',
  ful: '',
  ness: '',
}
const c = '[^aeiou]'
const v = '[aeiouy]'
const C = c + '[^aeiouy]*'
const V = v + '[aeiou]*'
const MGR0 = new RegExp('^(' + C + ')?' + V + C) // measure > 0
const MEQ1 = new RegExp('^(' + C + ')?' + V + C + '(' + V + ')?$') // measure == 1
const MGR1 = new RegExp('^(' + C + ')?' + V + C + V + C) // measure > 1
const S_V = new RegExp('^(' + C + ')?' + v) // contains vowel
const CVC = new RegExp('^' + C + v + '[^aeiouwxy]$')
const DOUBLE = /([^aeiouylsz])\1$/
const RE_1A1 = /^(.+?)(ss|i)es$/
const RE_1A2 = /^(.+?)([^s])s$/
const RE_1B1 = /^(.+?)eed$/
const RE_1B2 = /^(.+?)(ed|ing)$/
const RE_1C = /^(.+?)y$/
const RE_2 =
  /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/
const RE_3 = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/
const RE_4 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/
const RE_4B = /^(.+?)(s|t)(ion)$/
const RE_5 = /^(.+?)e$/

export function porterStem(word: string): string {
  if (word.length < 3) return word
  let w = word
  const firstY = w[0] === 'y'
  if (firstY) w = 'Y' + w.slice(1)
  let m: RegExpExecArray | null
  // Step 1a
  if (RE_1A1.test(w)) w = w.replace(RE_1A1, '$1$2')
  else if (RE_1A2.test(w)) w = w.replace(RE_1A2, '$1$2')
  // Step 1b
  if ((m = RE_1B1.exec(w))) {
    if (MGR0.test(m[1]!)) w = w.slice(0, -1)
  } else if ((m = RE_1B2.exec(w))) {
    const stem = m[1]!
    if (S_V.test(stem)) {
      w = stem
      if (/(at|bl|iz)$/.test(w)) w = w + 'e'
      else if (DOUBLE.test(w)) w = w.slice(0, -1)
      else if (CVC.test(w)) w = w + 'e'
    }
  }
  // Step 1c
  if ((m = RE_1C.exec(w))) {
    if (S_V.test(m[1]!)) w = m[1]! + 'i'
  }
  // Step 2
  if ((m = RE_2.exec(w))) {
    if (MGR0.test(m[1]!)) w = m[1]! + (STEP2[m[2]!] ?? '')
  }
  // Step 3
  if ((m = RE_3.exec(w))) {
    if (MGR0.test(m[1]!)) w = m[1]! + (STEP3[m[2]!] ?? '')
  }
  // Step 4
  if ((m = RE_4.exec(w))) {
    if (MGR1.test(m[1]!)) w = m[1]!
  } else if ((m = RE_4B.exec(w))) {
    const stem = m[1]! + m[2]!
    if (MGR1.test(stem)) w = stem
  }
  // Step 5
  if ((m = RE_5.exec(w))) {
    const stem = m[1]!
    if (MGR1.test(stem) || (MEQ1.test(stem) && !CVC.test(stem))) w = stem
  }
  if (/ll$/.test(w) && MGR1.test(w)) w = w.slice(0, -1)
  if (firstY) w = 'y' + w.slice(1)
  return w
}

/** "S-stemmer" (Harman 1991): plural removal only. Lighter alternative to Porter. */
export function sStem(w: string): string {
  if (w.length <= 3) return w
  if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) return w.slice(0, -3) + 'y'
  if (w.endsWith('es') && !w.endsWith('aes') && !w.endsWith('ees') && !w.endsWith('oes'))
    return w.slice(0, -1)
  if (w.endsWith('s') && !w.endsWith('us') && !w.endsWith('ss')) return w.slice(0, -1)
  return w
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------
export interface LexicalOptions {
  /** 'porter' | 's' (plural removal) | 'none' */
  stemmer: 'porter' | 's' | 'none'
  /** add adjacent-term bigrams ("a_b") that do not span a stopword/punctuation break */
  bigrams: boolean
  /** weight of a bigram occurrence relative to a unigram occurrence (tf multiplier) */
  bigramWeight: number
  /** title terms are counted titleWeight times (abstract once) */
  titleWeight: number
  /** term-frequency transform */
  tf: 'raw' | 'log' | 'bm25'
  /** BM25 k1 (only tf === 'bm25'); document length normalisation b is applied with avgLen */
  k1: number
  b: number
  /** idf variant: 'plain' = ln(N/df); 'smooth' = ln((N+1)/(df+1)) + 1 (sklearn); 'bm25' = ln(1 + (N-df+0.5)/(df+0.5)) */
  idf: 'plain' | 'smooth' | 'bm25'
  /** drop tokens shorter than this (after lowercasing, before stemming) */
  minLen: number
  /** drop purely numeric tokens */
  dropNumbers: boolean
}

export const DEFAULT_LEXICAL: LexicalOptions = {
  stemmer: 'porter',
  bigrams: false,
  bigramWeight: 1,
  titleWeight: 1,
  tf: 'log',
  k1: 1.2,
  b: 0.75,
  idf: 'smooth',
  minLen: 2,
  dropNumbers: true,
}

export type SparseVec = Map<string, number>

const stemCache = new Map<string, string>()
function stemWord(w: string, kind: LexicalOptions['stemmer']): string {
  if (kind === 'none') return w
  if (kind === 's') return sStem(w)
  let s = stemCache.get(w)
  if (s === undefined) {
    s = porterStem(w)
    if (stemCache.size < 500_000) stemCache.set(w, s)
  }
  return s
}

/**
 * Tokenise: NFKC-normalise (turns ligatures such as "ﬁ" into "fi"), lowercase, split on
 * non-alphanumerics (Unicode letters/digits; apostrophes and hyphens split too), drop stopwords,
 * short tokens and pure numbers, stem. Returns segments: runs of consecutive kept terms
 * (a stopword or punctuation ends a segment) so bigrams never span them.
 */
export function tokenizeSegments(text: string, opts: LexicalOptions = DEFAULT_LEXICAL): string[][] {
  const norm = text.normalize('NFKC').toLowerCase()
  // split into "sentence-ish" pieces at punctuation that breaks phrases
  const pieces = norm.split(/[.,;:!?()[\]{}"“”]+/u)
  const segs: string[][] = []
  for (const piece of pieces) {
    let cur: string[] = []
    for (const raw of piece.split(/[^\p{L}\p{N}]+/u)) {
      if (!raw) continue
      if (raw.length < opts.minLen || STOPWORDS.has(raw) || (opts.dropNumbers && /^\p{N}+$/u.test(raw))) {
        if (cur.length) segs.push(cur)
        cur = []
        continue
      }
      cur.push(stemWord(raw, opts.stemmer))
    }
    if (cur.length) segs.push(cur)
  }
  return segs
}

/** tokenize(text) → flat list of unigram terms (no bigrams). */
export function tokenize(text: string, opts: LexicalOptions = DEFAULT_LEXICAL): string[] {
  return tokenizeSegments(text, opts).flat()
}

/** Raw term counts of a work/query: title counted titleWeight times, bigrams (if enabled) weighted bigramWeight. */
export function termCounts(
  title: string,
  abstract: string,
  opts: LexicalOptions = DEFAULT_LEXICAL,
): SparseVec {
  const counts: SparseVec = new Map()
  const add = (text: string, w: number) => {
    for (const seg of tokenizeSegments(text, opts)) {
      for (let i = 0; i < seg.length; i++) {
        counts.set(seg[i]!, (counts.get(seg[i]!) ?? 0) + w)
        if (opts.bigrams && i + 1 < seg.length) {
          const bg = seg[i] + '_' + seg[i + 1]
          counts.set(bg, (counts.get(bg) ?? 0) + w * opts.bigramWeight)
        }
      }
    }
  }
  if (title) add(title, opts.titleWeight)
  if (abstract) add(abstract, 1)
  return counts
}

/** Document-frequency contribution of one work: the set of its distinct terms. */
export function distinctTerms(counts: SparseVec): string[] {
  return [...counts.keys()]
}

export function idfOf(df: number, N: number, kind: LexicalOptions['idf']): number {
  const d = Math.max(df, 0)
  switch (kind) {
    case 'plain':
      return Math.log(Math.max(N, 1) / Math.max(d, 1))
    case 'smooth':
      return Math.log((N + 1) / (d + 1)) + 1
    case 'bm25':
      return Math.log(1 + (N - d + 0.5) / (d + 0.5))
  }
}

function tfOf(tf: number, len: number, avgLen: number, opts: LexicalOptions): number {
  switch (opts.tf) {
    case 'raw':
      return tf
    case 'log':
      return tf > 0 ? 1 + Math.log(tf) : 0
    case 'bm25': {
      const norm = opts.k1 * (1 - opts.b + (opts.b * len) / Math.max(avgLen, 1e-9))
      return (tf * (opts.k1 + 1)) / (tf + norm)
    }
  }
}

export function l2normalize(vec: SparseVec): SparseVec {
  let s = 0
  for (const x of vec.values()) s += x * x
  if (s <= 0) return vec
  const inv = 1 / Math.sqrt(s)
  const out: SparseVec = new Map()
  for (const [k, x] of vec) out.set(k, x * inv)
  return out
}

export function docLength(counts: SparseVec): number {
  let s = 0
  for (const x of counts.values()) s += x
  return s
}

/**
 * Weighted, L2-normalised vector of a work.
 * df: term → number of works containing it; N: number of works; avgLen: mean docLength (BM25 only).
 * Terms with df = 0 (unseen in the corpus) get the maximum idf.
 */
export function workVector(
  counts: SparseVec,
  df: (term: string) => number,
  N: number,
  opts: LexicalOptions = DEFAULT_LEXICAL,
  avgLen = 0,
): SparseVec {
  const len = docLength(counts)
  const out: SparseVec = new Map()
  for (const [t, tf] of counts) {
    const w = tfOf(tf, len, avgLen, opts) * idfOf(df(t), N, opts.idf)
    if (w > 0) out.set(t, w)
  }
  return l2normalize(out)
}

/** Vector of a query text (e.g. a submitted paper). Same weighting as works; query text is not in df. */
export function queryVector(
  title: string,
  abstract: string,
  df: (term: string) => number,
  N: number,
  opts: LexicalOptions = DEFAULT_LEXICAL,
  avgLen = 0,
): SparseVec {
  return workVector(termCounts(title, abstract, opts), df, N, opts, avgLen)
}

export function dot(a: SparseVec, b: SparseVec): number {
  if (a.size > b.size) [a, b] = [b, a]
  let s = 0
  for (const [k, x] of a) {
    const y = b.get(k)
    if (y !== undefined) s += x * y
  }
  return s
}

/** Centroid of L2-normalised work vectors, re-normalised (researcher vector for candidate generation). */
export function centroid(vecs: SparseVec[], weights?: number[]): SparseVec {
  const out: SparseVec = new Map()
  vecs.forEach((v, i) => {
    const w = weights?.[i] ?? 1
    for (const [k, x] of v) out.set(k, (out.get(k) ?? 0) + w * x)
  })
  return l2normalize(out)
}

/** Keep the `k` largest-weight entries (for storage limits in sparsevec), re-normalised. */
export function prune(vec: SparseVec, k: number): SparseVec {
  if (vec.size <= k) return vec
  const top = [...vec].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k)
  return l2normalize(new Map(top))
}
