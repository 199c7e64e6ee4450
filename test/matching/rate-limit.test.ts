import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build } from '../helpers/build.js'
import { claimant, clock, officerToken, seed } from './fixtures.js'

const TEXT = 'Protein folding pathways and chaperones.'

const search = (app: FastifyInstance, token: string, payload: object = { text: TEXT, k: 5 }) =>
  app.inject({
    method: 'POST',
    url: '/v1/experts/search',
    headers: { authorization: `Bearer ${token}` },
    payload,
  })

t.test('matching routes are limited per account, each route on its own budget', async (t) => {
  const app = await build(t, { clock, config: { MATCHING_RATE_LIMIT_MAX: 2 } })
  const ids = await seed(app)
  const [first, second] = [await officerToken(app), await officerToken(app)]
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await search(app, first)).statusCode)
  t.same(statuses, [200, 200, 429])
  const refused = await search(app, first)
  t.equal(refused.statusCode, 429)
  t.equal(refused.json().error.code, 'RATE_LIMITED')
  t.match(refused.json().error.message, /retry in \d+ s/)

  t.equal((await search(app, second)).statusCode, 200, 'a colleague at the same address has their own budget')
  const affinity = await app.inject({
    method: 'POST',
    url: '/v1/experts/affinity',
    headers: { authorization: `Bearer ${first}` },
    payload: { text: TEXT, researcherIds: [ids.get('A1')] },
  })
  t.equal(affinity.statusCode, 200, 'affinity is counted apart from search')

  const owner = await claimant(app, ids.get('A1')!)
  const url = `/v1/researchers/${ids.get('A1')}/suggestions`
  const lists = []
  for (let i = 0; i < 3; i++) lists.push((await app.inject({ url, headers: owner })).statusCode)
  t.same(lists, [200, 200, 429], 'suggestions too')
})

t.test('a request refused as invalid does not use up the budget', async (t) => {
  const app = await build(t, { clock, config: { MATCHING_RATE_LIMIT_MAX: 2 } })
  await seed(app)
  const token = await officerToken(app)
  for (let i = 0; i < 3; i++) t.equal((await search(app, token, { text: '', k: 5 })).statusCode, 400)
  t.equal((await search(app, token)).statusCode, 200)
  t.equal((await search(app, token)).statusCode, 200)
  t.equal((await search(app, token)).statusCode, 429)
})
