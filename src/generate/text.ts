import type { Rng } from './random.js'
import {
  ADJECTIVES,
  BACKGROUND,
  CONCLUSION,
  METHOD,
  METHODS,
  RESULT,
  TITLES,
  type Topic,
} from './vocabulary.js'

// Templates are parsed once into literal text and slot codes; filling them is then a loop of
// string concatenation, which matters at ~200 words × 500k works.
const SLOT_N = 0
const SLOT_A = 1
const SLOT_M = 2
const SLOT_K = 3
const SLOT_U = 4
const SLOT_L = 5
const SLOT_P = 6
const SLOT_S = 7
const SLOTS: Record<string, number> = {
  N: SLOT_N,
  A: SLOT_A,
  M: SLOT_M,
  K: SLOT_K,
  U: SLOT_U,
  L: SLOT_L,
  P: SLOT_P,
  S: SLOT_S,
}

type Template = { parts: (string | number)[]; words: number }

function compile(source: string): Template {
  const parts: (string | number)[] = []
  let last = 0
  for (const m of source.matchAll(/\{([A-Z])\}/g)) {
    const code = SLOTS[m[1]!]
    if (code === undefined) throw new Error(`unknown slot {${m[1]}} in "${source}"`)
    if (m.index > last) parts.push(source.slice(last, m.index))
    parts.push(code)
    last = m.index + m[0].length
  }
  if (last < source.length) parts.push(source.slice(last))
  return { parts, words: source.split(' ').length }
}

const background = BACKGROUND.map(compile)
const method = METHOD.map(compile)
const result = RESULT.map(compile)
const conclusion = CONCLUSION.map(compile)
const titles = TITLES.map(compile)

const ARTICLE_BEFORE_VOWEL = /\b([Aa]) ([aeiouAEIOU])/g
const TITLE_SMALL_WORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'for',
  'in',
  'on',
  'and',
  'with',
  'via',
  'to',
  'from',
  'through',
  'across',
  'by',
])

/** Fills templates with words drawn from the topics of one work. */
export class TextGenerator {
  private topics: Topic[] = []
  private primaryShare = 1
  /** Terms already in the current title; titles repeating a word read as machine-made. */
  private readonly titleTerms = new Set<string>()

  constructor(private readonly rng: Rng) {}

  /** Sets the topics the next title and abstract are about; the first is the primary one. */
  use(topics: Topic[]): this {
    this.topics = topics
    this.primaryShare = topics.length === 1 ? 1 : 0.75
    return this
  }

  title(): string {
    let text = ''
    // Re-draw until the length lands in the 8–14 word range that real titles mostly have.
    for (let attempt = 0; attempt < 8; attempt++) {
      this.titleTerms.clear()
      text = this.fill(this.rng.pick(titles), 3)
      const n = countWords(text)
      if (n >= 8 && n <= 14) break
    }
    return titleCase(text)
  }

  abstract(): string {
    const target = this.rng.int(120, 250)
    const out: string[] = []
    let words = 0
    const add = (pool: Template[]): void => {
      const s = this.fill(this.rng.pick(pool), 2)
      out.push(s.charAt(0).toUpperCase() + s.slice(1))
      words += countWords(s)
    }
    add(background)
    if (this.rng.chance(0.5)) add(background)
    add(method)
    if (this.rng.chance(0.6)) add(method)
    while (words < target - 20) add(this.rng.chance(0.75) ? result : method)
    add(conclusion)
    return out.join(' ')
  }

  private fill(t: Template, maxPhrase: number): string {
    let s = ''
    for (const p of t.parts) s += typeof p === 'string' ? p : this.slot(p, maxPhrase)
    // Templates say "a {A}"; fix the article once the adjective or term is known.
    return s.replace(ARTICLE_BEFORE_VOWEL, '$1n $2')
  }

  private slot(code: number, maxPhrase: number): string {
    const rng = this.rng
    switch (code) {
      case SLOT_N:
        return this.nounPhrase(maxPhrase)
      case SLOT_A:
        return rng.pick(ADJECTIVES)
      case SLOT_M:
        return rng.pick(METHODS)
      case SLOT_K:
        return String(rng.int(2, 12))
      case SLOT_U:
        return rng.pick(this.topics[0]!.field.units)
      case SLOT_L:
        return withThousands(rng.int(120, 60000))
      case SLOT_P:
        return rng.chance(0.5) ? `${rng.int(3, 48)}%` : `${rng.float(1, 40).toFixed(1)}%`
      default:
        return rng.chance(0.5) ? `r = 0.${rng.int(21, 89)}` : rng.pick(['p < 0.001', 'p < 0.01', 'p = 0.02'])
    }
  }

  private nounPhrase(maxWords: number): string {
    const rng = this.rng
    const size = maxWords >= 3 ? rng.pick([1, 2, 2, 2, 3]) : rng.chance(0.55) ? 1 : 2
    const title = maxWords >= 3
    const first = this.term(title)
    if (size === 1) return first
    let phrase = first
    for (let i = 1; i < size; i++) {
      let next = this.term(title)
      if (next === first) next = this.term(title)
      phrase = `${next} ${phrase}`
    }
    return phrase
  }

  private term(title: boolean): string {
    const topics = this.topics
    let term = ''
    for (let attempt = 0; attempt < 4; attempt++) {
      const topic =
        topics.length === 1 || this.rng.next() < this.primaryShare
          ? topics[0]!
          : topics[1 + Math.floor(this.rng.next() * (topics.length - 1))]!
      term = topic.terms[topic.termTable.sample(this.rng)]!
      if (!title || !this.titleTerms.has(term)) break
    }
    if (title) this.titleTerms.add(term)
    return term
  }
}

export function countWords(s: string): number {
  let n = 1
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 32) n++
  return n
}

function titleCase(s: string): string {
  const words = s.split(' ')
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    const afterColon = i > 0 && words[i - 1]!.endsWith(':')
    if (i > 0 && !afterColon && TITLE_SMALL_WORDS.has(w.toLowerCase())) words[i] = w.toLowerCase()
    else words[i] = w.charAt(0).toUpperCase() + w.slice(1)
  }
  return words.join(' ')
}

function withThousands(n: number): string {
  // Not toLocaleString: its output depends on the machine's locale and would break determinism.
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/

/**
 * OpenAlex's abstract_inverted_index (each word to the positions where it occurs), serialised
 * directly: building an object per abstract and JSON.stringify-ing it was the generator's hot spot.
 * A Map also keeps first-occurrence key order, where an object would hoist keys like "12".
 */
export function invertedIndexJson(text: string): string {
  const index = new Map<string, number[]>()
  const words = text.split(' ')
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    const positions = index.get(w)
    if (positions) positions.push(i)
    else index.set(w, [i])
  }
  let json = '{'
  for (const [w, positions] of index) {
    if (json.length > 1) json += ','
    json += NEEDS_ESCAPE.test(w) ? JSON.stringify(w) : `"${w}"`
    json += `:[${positions.join(',')}]`
  }
  return `${json}}`
}
