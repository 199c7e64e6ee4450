import { sql } from 'drizzle-orm'
import t from 'tap'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { ORCID_ANN, seedCatalogue, signUp } from '../helpers/identity.js'

t.test(
  'only the claimant edits openness, emphasised topics and excluded works; the profile honours them',
  async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { ann } = await seedCatalogue(app)
    const owner = await signUp(app)
    await app.inject({
      method: 'POST',
      url: `/v1/researchers/${ann}/claims`,
      headers: owner.headers,
      payload: { orcid: ORCID_ANN },
    })
    const works = (await app.inject({ url: `/v1/researchers/${ann}/works` })).json().items as {
      id: number
      title: string
    }[]
    const before = (await app.inject({ url: `/v1/researchers/${ann}` })).json()
    t.same(
      before.topTopics.map((x: { name: string; works: number }) => [x.name, x.works]),
      [
        ['Topic 1', 3],
        ['Topic 2', 2],
      ],
    )
    const topic2 = before.topTopics[1].id
    const w8 = works.find((w) => w.title.length > 0 && w.id === Math.max(...works.map((x) => x.id)))!.id

    const patch = (headers: Record<string, string>, payload: unknown) =>
      app.inject({
        method: 'PATCH',
        url: `/v1/researchers/${ann}/settings`,
        headers,
        payload: payload as object,
      })
    const res = await patch(owner.headers, {
      openToCollaborate: true,
      emphasisedTopicIds: [topic2],
      excludedWorkIds: [w8],
    })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { openToCollaborate: true, emphasisedTopicIds: [topic2], excludedWorkIds: [w8] })

    const after = (await app.inject({ url: `/v1/researchers/${ann}` })).json()
    t.equal(after.openToCollaborate, true)
    t.same(after.emphasisedTopics, [{ id: topic2, name: 'Topic 2' }])
    t.same(
      after.topTopics.map((x: { name: string; works: number }) => [x.name, x.works]),
      [
        ['Topic 1', 2],
        ['Topic 2', 2],
      ],
      'the excluded 2015 work no longer counts for Topic 1',
    )
    t.same(await app.services.researcherSettings.excludedWorkIds(ann), [w8], 'matching reads the exclusions')
    t.same(await app.services.researcherSettings.emphasisedTopicIds(ann), [topic2])

    const snapshot = async () => database.rows(sql`select * from researcher_excluded_works order by work_id`)
    const kept = await snapshot()
    for (const [payload, status] of [
      [{ excludedWorkIds: [w8, 999_999] }, 400],
      [{ emphasisedTopicIds: [999_999] }, 400],
      [{}, 400],
      [{ openToCollaborate: 'yes' }, 400],
      [{ excludedWorkIds: [0] }, 400],
      [{ claimedBy: 1 }, 400],
    ] as const) {
      const bad = await patch(owner.headers, payload)
      t.equal(bad.statusCode, status, JSON.stringify(payload))
    }
    t.same(await snapshot(), kept, 'rejected edits change nothing')

    const other = await signUp(app)
    const admin = await signUp(app, 'admin')
    t.equal((await patch(other.headers, { openToCollaborate: false })).statusCode, 403)
    t.equal((await patch(admin.headers, { openToCollaborate: false })).statusCode, 403, 'not even an admin')
    t.equal((await patch({}, { openToCollaborate: false })).statusCode, 401)
    const read = await app.inject({ url: `/v1/researchers/${ann}/settings`, headers: owner.headers })
    t.same(read.json().excludedWorkIds, [w8])
    t.equal(
      (await app.inject({ url: `/v1/researchers/${ann}/settings`, headers: other.headers })).statusCode,
      403,
    )
  },
)
