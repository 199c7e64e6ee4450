import t from 'tap'
import { build } from '../helpers/build.js'
import { movableClock, ORCID_ANN, seedCatalogue, signUp } from '../helpers/identity.js'

const DAY = 86_400_000

t.test(
  'the profile snapshot follows claims, co-authors, account age, reports and admin verification',
  async (t) => {
    const clock = movableClock()
    const app = await build(t, { clock })
    const { ann, bob } = await seedCatalogue(app)
    const trust = async (id: number) => (await app.inject({ url: `/v1/researchers/${id}` })).json().trust

    t.same(await trust(bob), { score: 17, label: 'Unverified', verificationLevel: 'L1' }, 'Bob: L1 + 2 works')
    const annUser = await signUp(app)
    await app.inject({
      method: 'POST',
      url: `/v1/researchers/${ann}/claims`,
      headers: annUser.headers,
      payload: { orcid: ORCID_ANN },
    })
    t.equal((await trust(bob)).score, 21, 'a verified co-author adds 4')
    t.equal((await trust(ann)).score, 54)

    clock.advance(95 * DAY)
    t.equal((await trust(ann)).score, 57, 'three full months of account age add 3')

    const reporters = [await signUp(app), await signUp(app)]
    for (const reporter of [...reporters, reporters[0]!]) {
      const res = await app.inject({
        method: 'POST',
        url: `/v1/researchers/${ann}/reports`,
        headers: reporter.headers,
        payload: { reason: 'This is not the real Ann Lee' },
      })
      t.equal(res.statusCode, 204)
    }
    t.same(
      await trust(ann),
      { score: 37, label: 'Basic', verificationLevel: 'L2' },
      'two distinct reporters, -10 each',
    )

    const admin = await signUp(app, 'admin')
    const vouch = await app.inject({
      method: 'PUT',
      url: `/v1/admin/researchers/${bob}/verification`,
      headers: admin.headers,
    })
    t.same(
      vouch.json(),
      { score: 61, label: 'Verified', verificationLevel: 'L3' },
      'L3 55 + 2 works + Ann verified',
    )
    const undo = await app.inject({
      method: 'DELETE',
      url: `/v1/admin/researchers/${bob}/verification`,
      headers: admin.headers,
    })
    t.equal(undo.json().verificationLevel, 'L1')
    const forbidden = await app.inject({
      method: 'PUT',
      url: `/v1/admin/researchers/${bob}/verification`,
      headers: reporters[1]!.headers,
    })
    t.equal(forbidden.statusCode, 403)
    const missing = await app.inject({
      method: 'PUT',
      url: '/v1/admin/researchers/999999/verification',
      headers: admin.headers,
    })
    t.equal(missing.statusCode, 404)
  },
)
