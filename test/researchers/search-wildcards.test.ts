import t from 'tap'
import { build } from '../helpers/build.js'
import { seedCatalogue } from '../helpers/identity.js'

t.test('LIKE wildcards in a name search match only themselves', async (t) => {
  const app = await build(t)
  await seedCatalogue(app)
  const search = async (q: string) =>
    (await app.inject({ url: `/v1/researchers?q=${encodeURIComponent(q)}` })).json().page.total as number
  t.ok((await search('an')) > 0, 'a plain query matches')
  for (const q of ['%%', '__', '%_', '\\%', '\\\\', 'a%n', 'b_b'])
    t.equal(await search(q), 0, `${q} is literal text, not a pattern`)
  const tooLong = await app.inject({ url: `/v1/researchers?q=${'a'.repeat(201)}` })
  t.equal(tooLong.statusCode, 400, 'queries are at most 200 characters')
  const deep = await app.inject({ url: '/v1/researchers?q=an&offset=100001' })
  t.equal(deep.statusCode, 400, 'and pages end at offset 100,000')
})
