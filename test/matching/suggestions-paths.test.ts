import { sql } from 'drizzle-orm'
import t from 'tap'
import { DomainEvents } from '../../src/infra/events.js'
import { SuggestionCacheRepository } from '../../src/matching/cache-repository.js'
import { CandidatesRepository } from '../../src/matching/candidates-repository.js'
import { DismissalsRepository } from '../../src/matching/dismissals-repository.js'
import { GraphRepository } from '../../src/matching/graph-repository.js'
import { edgeStrength } from '../../src/matching/scoring.js'
import { DEFAULT_SUGGESTIONS_SETTINGS, SuggestionsService } from '../../src/matching/suggestions.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { claimant, clock, seed, suggestionsOf } from './fixtures.js'

t.test('edgesAround: own edges plus those of the strongest co-authors, as edgesOf gives them', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seed(app)
  const graph = new GraphRepository(database)
  const b = ids.get('A2')!
  const own = (await graph.edgesOf([b])).get(b)!
  t.ok(own.size >= 2, 'B has several co-authors to choose from')
  for (const year of [2024, 2030, 5000]) {
    // Ties (every edge is 0 far in the future) go to the lower id, as in the walk's frontier.
    const strongest = [...own]
      .sort((x, y) => edgeStrength(y[1], year) - edgeStrength(x[1], year) || x[0] - y[0])
      .slice(0, 1)
      .map(([id]) => id)
    const around = await graph.edgesAround(b, 1, year)
    t.same([...around.keys()].sort(), [b, ...strongest].sort(), `frontier at ${year}`)
    t.same(around, await graph.edgesOf([b, ...strongest]), `edges at ${year}`)
  }
  const loner = ids.get('A4')!
  t.same(await graph.edgesAround(loner, 5, 2024), new Map([[loner, new Map()]]), 'no co-authors: no edges')
})

t.test('explanations of candidates past the first ones are fetched when filters skip ahead', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  const owner = await claimant(app, ids.get('A1')!)
  const get = (query: string) => suggestionsOf(t, app, ids.get('A1')!, owner, query)
  const all = await get('')
  const last = all.at(-1)!
  t.ok(all.length >= 2 && last.researcher.id === ids.get('A8'), 'the French candidate ranks last')
  const filtered = await get('limit=1&countries=FR')
  t.same(
    filtered.map((s) => s.researcher.id),
    [ids.get('A8')],
  )
  t.same(filtered[0]!.explanation, last.explanation, 'the same explanation as in the full list')
})

t.test('an approved claim computes the default list in the background', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seed(app)
  const cached = async () =>
    (
      await database.rows<{ id: number }>(
        sql`select researcher_id as id from suggestion_cache order by researcher_id`,
      )
    ).map((r) => r.id)
  t.same(await cached(), [], 'nothing is computed before a claim')
  const owner = await claimant(app, ids.get('A1')!)
  await app.services.suggestions.idle()
  t.same(await cached(), [ids.get('A1')], 'the claimed record only')
  const url = `/v1/researchers/${ids.get('A1')}/suggestions`
  const warmed = (await app.inject({ url, headers: owner })).json()
  t.equal(warmed.cached, true, 'the first request is served from the list the claim started')
  // Filters pick from the stored ranking; weights change the ranking and compute another.
  const filtered = (await app.inject({ url: `${url}?minWorks=1&limit=1`, headers: owner })).json()
  t.equal(filtered.cached, true, 'a filtered request is served from the stored ranking')
  t.same(filtered.items, warmed.items.slice(0, 1))
  const reweighted = (await app.inject({ url: `${url}?wText=1.4001`, headers: owner })).json()
  t.equal(reweighted.cached, false, 'other weights are another ranking')
  t.same(
    reweighted.items.map((s: { researcher: { id: number } }) => s.researcher.id),
    warmed.items.map((s: { researcher: { id: number } }) => s.researcher.id),
    'the background list is the one a request computes',
  )
  t.equal(
    (await app.inject({ url: `${url}?wText=1.4001&limit=2`, headers: owner })).json().cached,
    true,
    'and is stored in turn',
  )
})

t.test('a record keeps its default rankings and only the newest few with other weights', async (t) => {
  const database = await freshDatabase()
  // Time moves, as it does between requests: which ranking is newest must not hang on a tie.
  let tick = 0
  const moving = { now: () => new Date(clock.now().getTime() + 1000 * tick++) }
  const app = await build(t, { clock: moving, database })
  const ids = await seed(app)
  const owner = await claimant(app, ids.get('A1')!)
  await app.services.suggestions.idle()
  const url = `/v1/researchers/${ids.get('A1')}/suggestions`
  const stored = async () =>
    (
      await database.rows<{ n: number }>(
        sql`select count(*)::int as n from suggestion_cache where researcher_id = ${ids.get('A1')!}`,
      )
    )[0]!.n
  const get = async (query: string) => (await app.inject({ url: `${url}?${query}`, headers: owner })).json()
  t.equal((await get('includeCoauthors=true')).cached, false)
  const kept = DEFAULT_SUGGESTIONS_SETTINGS.customRankings
  for (let i = 1; i <= kept + 3; i++) t.equal((await get(`wText=${1 + i / 100}`)).cached, false)
  t.equal(await stored(), 2 + kept, 'both default rankings and the newest custom ones, no more')
  t.equal((await get('limit=3')).cached, true, 'the default ranking survived every custom one')
  t.equal((await get('includeCoauthors=true&limit=3')).cached, true, 'so did the one with co-authors')
  t.equal((await get(`wText=${1 + (kept + 3) / 100}`)).cached, true, 'the newest custom ranking is kept')
  t.equal((await get('wText=1.01')).cached, false, 'the oldest one was dropped')
  t.equal(await stored(), 2 + kept)
})

t.test('the stored pool does not depend on the list length of the request that computed it', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seed(app)
  const owner = ids.get('A1')!
  const service = (candidatePool: number) =>
    new SuggestionsService(
      new GraphRepository(database),
      new CandidatesRepository(database),
      new SuggestionCacheRepository(database),
      new DismissalsRepository(database),
      app.services.matchingProfiles,
      new DomainEvents(),
      clock,
      null,
      { ...DEFAULT_SUGGESTIONS_SETTINGS, candidatePool },
    )
  const listed = async (s: SuggestionsService, limit: number) =>
    (await s.suggest(owner, { limit })).items.map((i) => i.researcher.id)
  const uncached = () => database.db.execute(sql`delete from suggestion_cache`)

  t.ok((await listed(service(10), 10)).length >= 2, 'a wider kNN would find more candidates')
  await uncached()
  // A pool of one per kNN source: a list of ten must not widen it when it computes the pool.
  const first = service(1)
  t.equal((await listed(first, 1)).length, 1, 'a list of one computes and stores the pool')
  const servedFromStore = await listed(first, 10)
  await uncached()
  const computedForTen = await listed(service(1), 10)
  t.same(servedFromStore, computedForTen, 'the same list, whichever request computed the pool')
})
