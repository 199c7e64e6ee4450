import t from 'tap'
import { build } from '../helpers/build.js'
import { signUp } from '../helpers/identity.js'
import { testEmbedderOption } from '../helpers/model.js'
import { claimant, clock, institutionOf, NEW_LINK_WORKS, seed, suggestionsOf } from './fixtures.js'

t.test('suggestions: hop-2 topical neighbour first, co-authors left out, real explanations', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  const owner = await claimant(app, ids.get('A1')!)
  const res = await app.inject({
    method: 'GET',
    url: `/v1/researchers/${ids.get('A1')}/suggestions`,
    headers: owner,
  })
  t.equal(res.statusCode, 200)
  const body = res.json()
  const ranked = body.items.map((s: { researcher: { id: number } }) => s.researcher.id)
  t.equal(ranked[0], ids.get('A3'), 'the co-author of a co-author on the same topic comes first')
  t.ok(ranked.includes(ids.get('A4')), 'an unreachable researcher on the topic is still suggested')
  t.notOk(ranked.includes(ids.get('A5')), 'no link and no shared topic: not suggested')
  t.notOk(ranked.includes(ids.get('A2')), 'existing co-authors are left out by default')
  t.notOk(ranked.includes(ids.get('A1')), 'never oneself')
  const first = body.items[0]
  t.equal(first.hops, 2)
  t.same(
    first.explanation.path.map((p: { name: string }) => p.name),
    ['Ada Folder', 'Ben Bridge', 'Cara Chaperone'],
  )
  t.ok(first.components.graph > 0 && first.components.text > 0)
  t.equal(first.components.dense, null, 'no model, no dense component')
  t.same(first.explanation.signals, { graph: true, lexical: true, dense: false })
  const titles = new Set([
    'Folding pathways of small proteins',
    'Chaperone assisted protein folding',
    'Folding pathways and chaperones in yeast',
  ])
  t.ok(first.explanation.workPairs.length > 0)
  for (const pair of first.explanation.workPairs) {
    t.ok(titles.has(pair.own.title), `own work ${pair.own.title} is A's`)
    t.ok(pair.similarity > 0)
  }
  t.same(first.explanation.sharedTopics, [
    { id: first.explanation.sharedTopics[0].id, name: 'Protein folding' },
  ])
  t.notOk(JSON.stringify(body).includes('sparsevec'), 'no vectors in responses')

  const again = await app.inject({
    method: 'GET',
    url: `/v1/researchers/${ids.get('A1')}/suggestions`,
    headers: owner,
  })
  t.equal(again.json().cached, true, 'a repeat call is served from the cache')
  t.same(again.json().items, body.items)
})

t.test('suggestions: filters and options exclude exactly what they should', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  const owner = await claimant(app, ids.get('A1')!)
  const get = async (query: string) =>
    (await suggestionsOf(t, app, ids.get('A1')!, owner, query)).map((s) => s.researcher.id)
  const all = await get('')
  t.same(new Set(all), new Set([ids.get('A3'), ids.get('A4'), ids.get('A8')]))
  t.same(
    await get(`excludeIds=${ids.get('A3')}`),
    all.filter((id) => id !== ids.get('A3')),
  )
  t.same(new Set(await get('countries=DE')), new Set([ids.get('A3'), ids.get('A4')]))
  t.same(await get('excludeCountries=DE'), [ids.get('A8')])
  t.same(await get(`institutionIds=${ids.get('A8') ? await institutionOf(app, 'South Institute') : 0}`), [
    ids.get('A8'),
  ])
  t.same(await get('minWorks=2'), [ids.get('A3')])
  t.same(
    await get('activeSince=2023'),
    all.filter((id) => id !== ids.get('A8')),
  )
  t.same(await get('openToCollaborate=true'), [])
  const south = await institutionOf(app, 'South Institute')
  t.same(
    await get(`excludeInstitutionIds=${south}`),
    all.filter((id) => id !== ids.get('A8')),
  )
  // A4 opens up: only A4 passes, and combined filters must all hold.
  const a4 = await claimant(app, ids.get('A4')!)
  const opened = await app.inject({
    method: 'PATCH',
    url: `/v1/researchers/${ids.get('A4')}/settings`,
    headers: a4,
    payload: { openToCollaborate: true },
  })
  t.equal(opened.statusCode, 200)
  t.same(await get('openToCollaborate=true'), [ids.get('A4')])
  t.same(await get('openToCollaborate=true&countries=DE&activeSince=2023'), [ids.get('A4')])
  t.same(await get('openToCollaborate=true&minWorks=2'), [], 'A4 has fewer works')
  t.same(await get('countries=DE&limit=1'), [all.find((id) => id !== ids.get('A8'))], 'the best that passes')
  const withCoauthors = await app.inject({
    method: 'GET',
    url: `/v1/researchers/${ids.get('A1')}/suggestions?includeCoauthors=true`,
    headers: owner,
  })
  const b = withCoauthors
    .json()
    .items.find((s: { researcher: { id: number } }) => s.researcher.id === ids.get('A2'))
  t.equal(b?.hops, 1, 'co-authors can be asked for, at one hop')
  const weighted = await app.inject({
    method: 'GET',
    url: `/v1/researchers/${ids.get('A1')}/suggestions?wGraph=0&wWalk=0&wText=0&wAdamicAdar=1&wLastAuthor=0`,
    headers: owner,
  })
  t.same(weighted.json().weights, {
    graph: 0,
    walk: 0,
    text: 0,
    dense: 0.7,
    adamicAdar: 1,
    // A share of the text weight: nothing with wText = 0.
    hubness: 0.25,
    lastAuthor: 0,
  })
  const items = weighted.json().items as { score: number; components: { adamicAdar: number } }[]
  t.ok(items.length > 0, 'Adamic-Adar alone still finds the two-hop candidates')
  for (const item of items)
    t.equal(item.score, item.components.adamicAdar, 'only the asked-for weight counts')
})

t.test('suggestions: bad input is a 400, unknown researcher a 404', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  const owner = await claimant(app, ids.get('A1')!)
  for (const query of ['limit=0', 'limit=101', 'countries=germany', 'wGraph=-1']) {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/researchers/${ids.get('A1')}/suggestions?${query}`,
      headers: owner,
    })
    t.equal(res.statusCode, 400, query)
    t.ok(res.json().error.code)
  }
  const missing = await app.inject({
    method: 'GET',
    url: '/v1/researchers/999999/suggestions',
    headers: owner,
  })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error.code, 'NOT_FOUND')
  const url = `/v1/researchers/${ids.get('A1')}/suggestions`
  t.equal((await app.inject({ url })).statusCode, 401, 'anonymous')
  const stranger = await signUp(app, 'researcher', 'Stranger')
  t.equal((await app.inject({ url, headers: stranger.headers })).statusCode, 403, "someone else's list")
  const unclaimed = `/v1/researchers/${ids.get('A2')}/suggestions`
  t.equal(
    (await app.inject({ url: unclaimed, headers: owner })).statusCode,
    403,
    'an unclaimed record has no audience',
  )
})

t.test('a new strong suggestion after new works raises suggestion:created', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  const owner = await claimant(app, ids.get('A1')!)
  const first = await app.inject({
    method: 'GET',
    url: `/v1/researchers/${ids.get('A1')}/suggestions`,
    headers: owner,
  })
  t.equal(first.statusCode, 200)
  const events: { researcherId: number; suggestedResearcherId: number; score: number }[] = []
  app.services.events.on('suggestion:created', (e) => events.push(e))
  const after = await seed(app, NEW_LINK_WORKS)
  const forA = events.filter((e) => e.researcherId === ids.get('A1'))
  t.same(
    forA.map((e) => e.suggestedResearcherId),
    [after.get('A7')],
    'the newcomer linked through a co-author is announced',
  )
  const list = await app.inject({
    method: 'GET',
    url: `/v1/researchers/${ids.get('A1')}/suggestions`,
    headers: owner,
  })
  t.equal(list.json().items[0].researcher.id, after.get('A7'))
  t.equal(list.json().cached, true, 'the recomputed list was stored')
})

t.test('with a dense model the dense signal is used and reported', async (t) => {
  const app = await build(t, { clock, embedder: await testEmbedderOption() })
  const ids = await seed(app)
  const owner = await claimant(app, ids.get('A1')!)
  const res = await app.inject({
    method: 'GET',
    url: `/v1/researchers/${ids.get('A1')}/suggestions`,
    headers: owner,
  })
  t.equal(res.statusCode, 200)
  const first = res.json().items[0]
  t.type(first.components.dense, 'number')
  t.equal(first.explanation.signals.dense, true)
})
