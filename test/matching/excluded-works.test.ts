import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { EmbeddingRepository } from '../../src/embeddings/repository.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { testEmbedderOption } from '../helpers/model.js'
import {
  claimant,
  clock,
  GLACIER_QUERY,
  glacierExperts,
  officerToken,
  seed,
  suggestionsOf,
} from './fixtures.js'

const GLACIER_TEXT = GLACIER_QUERY

/** A glacier paper wrongly attributed to Ada Folder, who works on protein folding. */
const MISATTRIBUTED = {
  id: 'W30',
  title: 'Ice sheet melt in Greenland',
  abstract: `${GLACIER_TEXT} in polar regions, with glacier retreat`,
  publication_year: 2023,
  authorships: [
    {
      author: { id: 'A1', display_name: 'Ada Folder' },
      institutions: [{ id: 'I1', display_name: 'North University', country_code: 'GB' }],
    },
  ],
}

/** Sets the claimant's excluded works and waits for the profiles that follow from them. */
async function exclude(
  t: Test,
  app: FastifyInstance,
  researcherId: number,
  headers: Record<string, string>,
  workIds: number[],
) {
  const res = await app.inject({
    method: 'PATCH',
    url: `/v1/researchers/${researcherId}/settings`,
    headers,
    payload: { excludedWorkIds: workIds },
  })
  t.equal(res.statusCode, 200)
  await app.services.matchingProfiles.settled()
}

async function workId(app: FastifyInstance, researcherId: number, title: string): Promise<number> {
  const works = (await app.inject({ url: `/v1/researchers/${researcherId}/works?limit=100` })).json().items
  return works.find((w: { title: string }) => w.title === title).id
}

t.test('an excluded work leaves matching: profile, affinity, suggestions and their evidence', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  await seed(app, [MISATTRIBUTED])
  const [ada, eve] = [ids.get('A1')!, ids.get('A5')!]
  const owner = await claimant(app, ada)
  const officer = await officerToken(app)
  const misattributed = await workId(app, ada, MISATTRIBUTED.title)

  const affinity = async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/experts/affinity',
      headers: { authorization: `Bearer ${officer}` },
      payload: { text: GLACIER_TEXT, researcherIds: [ada] },
    })
    t.equal(res.statusCode, 200)
    return res.json().items[0] as { score: number; evidence: { id: number }[] }
  }
  const expertIds = () => glacierExperts(t, app, officer)
  type Listed = { researcher: { id: number }; explanation: { workPairs: { own: { id: number } }[] } }
  const suggested = async () => (await suggestionsOf(t, app, ada, owner)) as unknown as Listed[]

  const before = await affinity()
  t.ok(before.score > 0.3, `the glacier paper makes Ada a glacier expert (${before.score})`)
  t.ok((await expertIds()).includes(ada))
  const first = await suggested()
  t.ok(
    first.some((s) => s.researcher.id === eve),
    'and suggests the glacier researcher to her',
  )

  await exclude(t, app, ada, owner, [misattributed])
  const after = await affinity()
  t.ok(after.score < 0.05, `excluded, it no longer counts (${after.score})`)
  t.notOk(
    after.evidence.some((w) => w.id === misattributed),
    'nor is it evidence',
  )
  t.notOk((await expertIds()).includes(ada), 'Ada is no glacier expert')
  const list = await suggested()
  t.notOk(
    list.some((s) => s.researcher.id === eve),
    'the glacier researcher is no longer suggested',
  )
  t.ok(list.length > 0, 'her folding suggestions remain')
  for (const s of list)
    t.notOk(
      s.explanation.workPairs.some((p) => p.own.id === misattributed),
      'no explanation names the excluded work',
    )

  await exclude(t, app, ada, owner, [])
  t.ok((await affinity()).score > 0.3, 'restored, it counts again')
})

t.test('a researcher whose every work is excluded has no profile left', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seed(app)
  const eve = ids.get('A5')!
  const owner = await claimant(app, eve)
  const works = (await app.inject({ url: `/v1/researchers/${eve}/works` }))
    .json()
    .items.map((w: { id: number }) => w.id)
  const profiles = async () =>
    (
      await database.rows<{ n: number }>(
        sql`select count(*)::int as n from researcher_lexical where researcher_id = ${eve}`,
      )
    )[0]!.n
  t.equal(await profiles(), 1)
  await exclude(t, app, eve, owner, works)
  t.equal(await profiles(), 0, 'not the profile from before')

  // Releasing the record clears the exclusions, and the profile comes back.
  const [claim] = (await app.inject({ url: '/v1/me/claims', headers: owner })).json().items
  t.equal(
    (await app.inject({ method: 'POST', url: `/v1/claims/${claim.id}/release`, headers: owner })).statusCode,
    200,
  )
  await app.services.matchingProfiles.settled()
  t.equal(await profiles(), 1)
})

t.test('dense centroids are built from the counted works only', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database, embedder: await testEmbedderOption() })
  const ids = await seed(app)
  await seed(app, [MISATTRIBUTED])
  const ada = ids.get('A1')!
  const owner = await claimant(app, ada)
  const misattributed = await workId(app, ada, MISATTRIBUTED.title)
  const [model] = await database.rows<{ modelId: string }>(
    sql`select distinct model_id as "modelId" from work_embeddings`,
  )
  const repository = new EmbeddingRepository(database)
  const counted = async () => (await repository.workVectorsOf([ada], model!.modelId)).length
  const all = await counted()
  t.ok(all >= 2, `Ada's works have dense vectors (${all})`)
  await exclude(t, app, ada, owner, [misattributed])
  t.equal(await counted(), all - 1, 'the excluded work is not averaged in')
  const queued = await database.rows<{ id: number }>(
    sql`select researcher_id as id from researcher_refresh_queue where researcher_id = ${ada}`,
  )
  t.equal(queued.length, 1, 'and her centroid is queued for the worker')
})
