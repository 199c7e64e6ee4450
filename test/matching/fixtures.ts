import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { signUp } from '../helpers/identity.js'

export const clock = { now: () => new Date('2024-06-01T00:00:00Z') }

const inst = {
  north: { id: 'I1', display_name: 'North University', country_code: 'GB' },
  south: { id: 'I2', display_name: 'South Institute', country_code: 'FR' },
  east: { id: 'I3', display_name: 'East College', country_code: 'DE' },
}

const FOLDING =
  'Protein folding kinetics and molecular dynamics simulations of chaperone assisted folding pathways in proteins'
const GLACIER =
  'Glacier mass balance, ice sheet melt and sea level rise observed by satellite altimetry in polar regions'

type Author = [id: string, name: string, institution: keyof typeof inst]
const work = (
  id: string,
  title: string,
  abstract: string,
  year: number,
  authors: Author[],
  topic?: string,
) => ({
  id,
  title,
  abstract,
  publication_year: year,
  authorships: authors.map(([aid, name, i]) => ({
    author: { id: aid, display_name: name },
    institutions: [inst[i]],
  })),
  ...(topic ? { topics: [{ id: `T-${topic}`, display_name: topic, score: 0.9 }] } : {}),
})

export const A: Author = ['A1', 'Ada Folder', 'north']
export const B: Author = ['A2', 'Ben Bridge', 'south']
export const C: Author = ['A3', 'Cara Chaperone', 'east']
export const D: Author = ['A4', 'Dan Distant', 'east']
export const E: Author = ['A5', 'Eve Glacier', 'south']
export const G: Author = ['A6', 'Gus Northerner', 'north']
export const H: Author = ['A8', 'Hal Helix', 'south']

export const WORKS = [
  work(
    'W1',
    'Folding pathways of small proteins',
    `${FOLDING} with Markov state models`,
    2023,
    [A, B],
    'Protein folding',
  ),
  work(
    'W2',
    'Chaperone assisted protein folding',
    `${FOLDING} and chaperonin cages`,
    2022,
    [A, B],
    'Protein folding',
  ),
  work(
    'W3',
    'Molecular dynamics of chaperones',
    `${FOLDING} under heat shock`,
    2023,
    [B, C],
    'Protein folding',
  ),
  work(
    'W4',
    'Folding kinetics measured by single molecule force',
    `${FOLDING} and force spectroscopy`,
    2021,
    [C],
  ),
  work('W5', 'Protein folding simulations at scale', `${FOLDING} on GPUs`, 2023, [D], 'Protein folding'),
  work('W6', 'Ice sheet melt from altimetry', GLACIER, 2023, [E]),
  work('W7', 'Sea level rise and glacier retreat', `${GLACIER} since 1990`, 2022, [E, G]),
  work('W8', 'Folding pathways and chaperones in yeast', `${FOLDING} in yeast cells`, 2020, [A]),
  work('W12', 'Helix formation in folding proteins', `${FOLDING} and helix propensity`, 2021, [H]),
]

export const NEW_LINK_WORKS = [
  work('W9', 'Chaperone networks one', `${FOLDING} network one`, 2024, [B, ['A7', 'Fay Newcomer', 'east']]),
  work('W10', 'Chaperone networks two', `${FOLDING} network two`, 2024, [B, ['A7', 'Fay Newcomer', 'east']]),
  work('W11', 'Chaperone networks three', `${FOLDING} network three`, 2024, [
    B,
    ['A7', 'Fay Newcomer', 'east'],
  ]),
]

export async function seed(app: FastifyInstance, works: unknown[] = WORKS): Promise<Map<string, number>> {
  await app.services.ingest.importBatch(works)
  await app.services.embeddingWorker.drain()
  await app.services.matchingProfiles.settled()
  return app.services.experts.researcherIdsByExternalId(['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8'])
}

/** WORKS and then `more`: the ids of WORKS' authors and of `authors` among the new ones. */
export async function seedWith(app: FastifyInstance, more: unknown[], authors: string[]) {
  const ids = await seed(app)
  await seed(app, more)
  for (const [key, id] of await app.services.experts.researcherIdsByExternalId(authors)) ids.set(key, id)
  return ids
}

export async function officerToken(
  app: FastifyInstance,
  role: 'programme_officer' | 'researcher' = 'programme_officer',
) {
  return (await signUp(app, role, role === 'researcher' ? 'Researcher' : 'Officer')).token
}

export async function institutionOf(app: FastifyInstance, name: string): Promise<number> {
  const ids = await app.services.experts.researcherIdsByExternalId(['A2'])
  const res = await app.inject({ method: 'GET', url: `/v1/researchers/${ids.get('A2')}` })
  const institution = res.json().institution
  if (institution.name !== name) throw new Error(`fixture: A2 is not at ${name}`)
  return institution.id
}

/** An account that claimed the record through the admin-reviewed path, as suggestions are the claimant's. */
export async function claimant(app: FastifyInstance, researcherId: number) {
  const user = await signUp(app, 'researcher', 'Claimant')
  const admin = await signUp(app, 'admin')
  const claim = await app.services.claims.create(
    { accountId: user.accountId, role: 'researcher' },
    researcherId,
    { text: 'this is me' },
  )
  await app.services.claims.decide(
    { accountId: admin.accountId, role: 'admin' },
    claim.id,
    'approve',
    undefined,
  )
  return user.headers
}

/** The suggestions of `researcherId` as `headers` see them, asserting the request succeeded. */
export async function suggestionsOf(
  t: Test,
  app: FastifyInstance,
  researcherId: number,
  headers: Record<string, string>,
  query = '',
) {
  const res = await app.inject({
    method: 'GET',
    url: `/v1/researchers/${researcherId}/suggestions?${query}`,
    headers,
  })
  t.equal(res.statusCode, 200)
  return res.json().items as { researcher: { id: number }; explanation: unknown }[]
}

export const GLACIER_QUERY =
  'Glacier mass balance, ice sheet melt and sea level rise observed by satellite altimetry'

/** The ids an expert search finds, best first, asserting it succeeded. */
export async function expertIds(
  t: Test,
  app: FastifyInstance,
  officer: string,
  search: { text: string; k: number; conflicts?: object },
): Promise<number[]> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/experts/search',
    headers: { authorization: `Bearer ${officer}` },
    payload: search,
  })
  t.equal(res.statusCode, 200)
  return res.json().items.map((e: { researcher: { id: number } }) => e.researcher.id) as number[]
}

/** The ids an expert search for `GLACIER_QUERY` finds, best first, asserting it succeeded. */
export function glacierExperts(t: Test, app: FastifyInstance, officer: string): Promise<number[]> {
  return expertIds(t, app, officer, { text: GLACIER_QUERY, k: 10 })
}

const FAY = {
  id: 'W20',
  title: 'Ice cores',
  abstract: 'Glacier ice cores and polar climate records',
  publication_year: 2019,
  authorships: [{ author: { id: 'A7', display_name: 'Fay Newcomer' }, institutions: [] }],
}

/**
 * Fay exists before NEW_LINK_WORKS link her to Ada's group. `before` runs once Ada's list is
 * claimed, before it is first computed; then the links arrive. Which new suggestions were
 * announced for Ada, and whether Fay is in her list afterwards.
 */
export async function announcedAfterNewLinks(
  t: Test,
  build: () => Promise<FastifyInstance>,
  before: (app: FastifyInstance, owner: Record<string, string>, ada: number, fay: number) => Promise<void>,
) {
  const app = await build()
  const ids = await seed(app)
  const fayId = (await seed(app, [FAY])).get('A7')!
  const a = ids.get('A1')!
  const owner = await claimant(app, a)
  await before(app, owner, a, fayId)
  await suggestionsOf(t, app, a, owner)
  const events: number[] = []
  app.services.events.on('suggestion:created', (e) => {
    if (e.researcherId === a) events.push(e.suggestedResearcherId)
  })
  await seed(app, NEW_LINK_WORKS)
  const list = (await suggestionsOf(t, app, a, owner)).map((s) => s.researcher.id)
  return { events, listed: list.includes(fayId), fayId }
}
