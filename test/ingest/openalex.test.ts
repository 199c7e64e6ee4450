import t from 'tap'
import {
  abstractFromInvertedIndex,
  normalizeDoi,
  normalizeOrcid,
  parseOpenAlexWork,
} from '../../src/ingest/openalex.js'

t.test('rebuilds abstracts from the inverted index in word order', async (t) => {
  t.equal(abstractFromInvertedIndex({ world: [1], hello: [0, 2] }), 'hello world hello')
  t.equal(abstractFromInvertedIndex({ bad: ['x'] }), null)
  t.equal(abstractFromInvertedIndex(null), null)
})

t.test('normalises DOIs and ORCIDs, rejecting bad checksums', async (t) => {
  t.equal(normalizeDoi('https://doi.org/10.1234/ABC.5'), '10.1234/abc.5')
  t.equal(normalizeDoi('not a doi'), null)
  t.equal(normalizeOrcid('https://orcid.org/0000-0002-1825-0097'), '0000-0002-1825-0097')
  t.equal(normalizeOrcid('0000-0002-1825-0098'), null, 'checksum digit wrong')
})

t.test('parses an OpenAlex work and explains rejections', async (t) => {
  const parsed = parseOpenAlexWork({
    id: 'https://openalex.org/W9',
    display_name: '  A  title ',
    publication_year: 2020,
    authorships: [
      { author: { id: 'https://openalex.org/A1', display_name: 'Ann' }, institutions: [] },
      { author: { id: 'https://openalex.org/A1', display_name: 'Ann' }, institutions: [] },
    ],
    topics: [{ id: 'T1', display_name: 'X', score: 1.7 }],
  })
  t.ok(parsed.ok)
  if (!parsed.ok) return
  t.equal(parsed.work.externalId, 'W9')
  t.equal(parsed.work.title, 'A title')
  t.equal(parsed.work.authorships.length, 1, 'a repeated author counts once')
  t.equal(parsed.work.topics[0]?.score, 1, 'scores are clamped to [0, 1]')

  t.same(parseOpenAlexWork({ title: 'x' }), { ok: false, reason: 'neither id nor a valid doi' })
  t.same(parseOpenAlexWork({ id: 'W1' }), { ok: false, reason: 'no title or display_name' })
  t.match(parseOpenAlexWork({ id: 'W1', title: 't', publication_year: 'soon' }), {
    ok: false,
    reason: /year/,
  })
  t.match(parseOpenAlexWork({ id: 'W1', title: 't', authorships: [{ author: {} }] }), { ok: false })
})

t.test('the content hash changes with content and only with content', async (t) => {
  const base = { id: 'W1', title: 'T', authorships: [] }
  const a = parseOpenAlexWork(base)
  const b = parseOpenAlexWork({ ...base })
  const c = parseOpenAlexWork({ ...base, title: 'T2' })
  t.ok(a.ok && b.ok && c.ok)
  if (!a.ok || !b.ok || !c.ok) return
  t.equal(a.work.contentHash, b.work.contentHash)
  t.not(a.work.contentHash, c.work.contentHash)
})

t.test('text is made storable: no NUL, no lone surrogates, no over-long ids', async (t) => {
  const author = { id: 'A1\ud800', display_name: 'Ann\u0000 Lee' }
  const parsed = parseOpenAlexWork({
    id: 'W1\udc00',
    title: 'A\u0000 title',
    authorships: [{ author, institutions: [{ id: 'I1', display_name: 'U', ror: 'r'.repeat(501) }] }],
    topics: [{ id: 'T'.repeat(501), display_name: 'Too long' }],
  })
  t.ok(parsed.ok)
  if (!parsed.ok) return
  // PostgreSQL refuses U+0000 and stores a lone surrogate as U+FFFD, so a key that kept one never
  // matched its own row again.
  t.equal(parsed.work.externalId, 'W1\ufffd')
  t.equal(parsed.work.title, 'A title')
  t.same(parsed.work.authorships[0]?.author, { externalId: 'A1\ufffd', name: 'Ann Lee', orcid: null })
  t.equal(parsed.work.authorships[0]?.institutions[0]?.ror, null, 'an over-long ROR is dropped')
  t.same(parsed.work.topics, [], 'a topic without a usable id is dropped, as before')
  t.same(parseOpenAlexWork({ id: 'W'.repeat(501), title: 't' }), {
    ok: false,
    reason: 'neither id nor a valid doi',
  })
  t.equal(normalizeDoi(`10.1234/${'x'.repeat(500)}`), null, 'an over-long DOI')
})
