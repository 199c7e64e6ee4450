import { createHash } from 'node:crypto'

/** A work as the service stores it, whatever shape it arrived in. */
export interface NormalizedWork {
  externalId: string
  doi: string | null
  title: string
  abstract: string | null
  year: number | null
  type: string | null
  venue: string | null
  authorships: NormalizedAuthorship[]
  topics: NormalizedTopic[]
  contentHash: string
}

export interface NormalizedInstitution {
  externalId: string
  ror: string | null
  name: string
  countryCode: string | null
}

export interface NormalizedAuthorship {
  position: number
  author: { externalId: string; name: string; orcid: string | null }
  institutions: NormalizedInstitution[]
}

export interface NormalizedTopic {
  externalId: string
  name: string
  score: number
}

export type ParseResult = { ok: true; work: NormalizedWork } | { ok: false; reason: string }

const MAX_TITLE = 2_000
const MAX_ABSTRACT = 50_000
const MAX_AUTHORS = 5_000

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
/** Lone UTF-16 surrogates: the database stores them as U+FFFD, so a key holding one never matched itself. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
/** Text as PostgreSQL can store it: no NUL characters (it refuses them), no lone surrogates. */
const text = (value: unknown): string | null => {
  if (typeof value !== 'string') return null
  const clean = value.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\ufffd').replace(/\s+/g, ' ').trim()
  return clean === '' ? null : clean
}

/** Longer identifiers are not identifiers, and would not fit in a unique index entry. */
const MAX_IDENTIFIER = 500
const identifier = (value: unknown): string | null => {
  const id = text(value)
  return id && id.length <= MAX_IDENTIFIER ? id : null
}

/** OpenAlex ids arrive as URLs or bare keys; the bare key is what identifies a record across imports. */
export function shortOpenAlexId(value: unknown): string | null {
  const id = identifier(value)
  if (!id) return null
  return id.replace(/^https?:\/\/openalex\.org\//i, '')
}

export function normalizeDoi(value: unknown): string | null {
  const doi = identifier(value)
  if (!doi) return null
  const bare = doi
    .replace(/^https?:\/\/(dx\.)?doi\.org\//i, '')
    .replace(/^doi:/i, '')
    .toLowerCase()
  return /^10\.\d{4,9}\/\S+$/.test(bare) ? bare : null
}

export function normalizeOrcid(value: unknown): string | null {
  const orcid = text(value)
  if (!orcid) return null
  const bare = orcid.replace(/^https?:\/\/orcid\.org\//i, '').toUpperCase()
  return /^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/.test(bare) && orcidChecksumValid(bare) ? bare : null
}

/** ISO 7064 mod 11-2, so a typo in an ORCID never links two people. */
export function orcidChecksumValid(orcid: string): boolean {
  const digits = orcid.replace(/-/g, '')
  let total = 0
  for (const char of digits.slice(0, -1)) total = (total + Number(char)) * 2
  const check = (12 - (total % 11)) % 11
  return digits.at(-1) === (check === 10 ? 'X' : String(check))
}

/** OpenAlex ships abstracts as word → positions; rebuild the running text. */
export function abstractFromInvertedIndex(index: unknown): string | null {
  if (!isObject(index)) return null
  const words: string[] = []
  for (const [word, positions] of Object.entries(index)) {
    if (!Array.isArray(positions)) return null
    for (const position of positions) {
      if (!Number.isInteger(position) || position < 0 || position > MAX_ABSTRACT) return null
      words[position] = word
    }
  }
  return text(words.filter((word) => word !== undefined).join(' '))
}

function parseInstitution(raw: unknown): NormalizedInstitution | null {
  if (!isObject(raw)) return null
  const ror = identifier(raw['ror'])
  const externalId = shortOpenAlexId(raw['id']) ?? ror
  const name = text(raw['display_name'])
  if (!externalId || !name) return null
  const country = text(raw['country_code'])
  return {
    externalId,
    ror,
    name,
    countryCode: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
  }
}

function parseAuthorship(raw: unknown, index: number): NormalizedAuthorship | string {
  if (!isObject(raw) || !isObject(raw['author'])) return `authorships[${index}] has no author object`
  const author = raw['author']
  const name = text(author['display_name'])
  const orcid = normalizeOrcid(author['orcid'])
  const externalId = shortOpenAlexId(author['id']) ?? (orcid ? `orcid:${orcid}` : null)
  if (!name) return `authorships[${index}].author has no display_name`
  if (!externalId) return `authorships[${index}].author has neither id nor a valid orcid`
  const institutions = Array.isArray(raw['institutions'])
    ? raw['institutions'].map(parseInstitution).filter((i): i is NormalizedInstitution => i !== null)
    : []
  // Catalogues mark only first/middle/last; the list order is the byline order.
  return {
    position: index,
    author: { externalId, name: name.slice(0, 500), orcid },
    institutions,
  }
}

function parseTopics(raw: unknown): NormalizedTopic[] {
  if (!Array.isArray(raw)) return []
  const topics = new Map<string, NormalizedTopic>()
  for (const item of raw) {
    if (!isObject(item)) continue
    const externalId = shortOpenAlexId(item['id'])
    const name = text(item['display_name'])
    const score = typeof item['score'] === 'number' && Number.isFinite(item['score']) ? item['score'] : 0
    if (externalId && name)
      topics.set(externalId, { externalId, name, score: Math.min(1, Math.max(0, score)) })
  }
  return [...topics.values()]
}

function hashOf(work: Omit<NormalizedWork, 'contentHash'>): string {
  return createHash('sha256').update(JSON.stringify(work)).digest('base64url').slice(0, 32)
}

/** Accepts OpenAlex's work JSON (and the plain `abstract` many platforms send instead of the index). */
export function parseOpenAlexWork(raw: unknown): ParseResult {
  if (!isObject(raw)) return { ok: false, reason: 'not a JSON object' }
  const doi = normalizeDoi(raw['doi'])
  const externalId = shortOpenAlexId(raw['id']) ?? (doi ? `doi:${doi}` : null)
  if (!externalId) return { ok: false, reason: 'neither id nor a valid doi' }
  const title = text(raw['title']) ?? text(raw['display_name'])
  if (!title) return { ok: false, reason: 'no title or display_name' }
  if (title.length > MAX_TITLE) return { ok: false, reason: `title longer than ${MAX_TITLE} characters` }
  const abstract = text(raw['abstract']) ?? abstractFromInvertedIndex(raw['abstract_inverted_index'])
  if (abstract && abstract.length > MAX_ABSTRACT) {
    return { ok: false, reason: `abstract longer than ${MAX_ABSTRACT} characters` }
  }
  const yearRaw = raw['publication_year']
  if (
    yearRaw !== undefined &&
    yearRaw !== null &&
    (!Number.isInteger(yearRaw) || (yearRaw as number) < 1000 || (yearRaw as number) > 2200)
  ) {
    return { ok: false, reason: 'publication_year is not a year' }
  }
  const authorshipsRaw = raw['authorships'] ?? []
  if (!Array.isArray(authorshipsRaw)) return { ok: false, reason: 'authorships is not a list' }
  if (authorshipsRaw.length > MAX_AUTHORS)
    return { ok: false, reason: `more than ${MAX_AUTHORS} authorships` }
  const authorships: NormalizedAuthorship[] = []
  const seenAuthors = new Set<string>()
  for (const [index, item] of authorshipsRaw.entries()) {
    const parsed = parseAuthorship(item, index)
    if (typeof parsed === 'string') return { ok: false, reason: parsed }
    // The same author listed twice (affiliation splits) is one authorship.
    if (seenAuthors.has(parsed.author.externalId)) continue
    seenAuthors.add(parsed.author.externalId)
    authorships.push(parsed)
  }
  const location = isObject(raw['primary_location']) ? raw['primary_location'] : {}
  const source = isObject(location['source']) ? location['source'] : {}
  const work = {
    externalId,
    doi,
    title,
    abstract,
    year: (yearRaw as number | null | undefined) ?? null,
    type: text(raw['type']),
    venue: text(source['display_name']) ?? text(raw['venue']),
    authorships,
    topics: parseTopics(raw['topics']),
  }
  return { ok: true, work: { ...work, contentHash: hashOf(work) } }
}
