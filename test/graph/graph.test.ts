import t from 'tap'
import { GRAPH_LIMITS } from '../../src/graph/service.js'
import { build } from '../helpers/build.js'
import { seedCatalogue, signUp } from '../helpers/identity.js'

interface Node {
  key: string
  kind: string
  distance: number
  closeCollaborator?: boolean
}
interface Edge {
  source: string
  target: string
  kind: string
  weight: number
}

t.test(
  'depth 1: people, works, topics and institutions around the centre, close collaborators first',
  async (t) => {
    const app = await build(t)
    const { ann, bob, cai, dana } = await seedCatalogue(app)
    const res = await app.inject({ url: `/v1/researchers/${ann}/graph` })
    t.equal(res.statusCode, 200)
    const graph = res.json() as {
      centre: string
      depth: number
      nodes: Node[]
      edges: Edge[]
      truncated: boolean
    }
    t.equal(graph.centre, `researcher:${ann}`)
    t.equal(graph.depth, 1)
    t.equal(graph.truncated, false)
    const people = graph.nodes.filter((n) => n.kind === 'researcher').map((n) => n.key)
    t.same(
      people,
      [`researcher:${ann}`, `researcher:${bob}`, `researcher:${cai}`],
      'Bob (2 joint works) before Cai (1)',
    )
    t.equal(graph.nodes[1]!.closeCollaborator, true)
    t.equal(graph.nodes[2]!.closeCollaborator, false)
    t.notOk(people.includes(`researcher:${dana}`))
    t.same(new Set(graph.nodes.map((n) => n.kind)), new Set(['researcher', 'work', 'topic', 'institution']))

    const keys = new Set(graph.nodes.map((n) => n.key))
    t.equal(keys.size, graph.nodes.length, 'node keys are unique')
    for (const e of graph.edges)
      t.ok(keys.has(e.source) && keys.has(e.target), `${e.kind} edge ends on nodes`)
    const bobEdge = graph.edges.find(
      (e) => e.kind === 'coauthor' && [e.source, e.target].includes(`researcher:${bob}`),
    )
    t.equal(bobEdge?.weight, 2)
    t.ok(graph.edges.some((e) => e.kind === 'authored' && e.source === `researcher:${bob}`))
    t.ok(graph.edges.some((e) => e.kind === 'about'))
    t.ok(graph.edges.some((e) => e.kind === 'studies'))
    t.ok(graph.edges.some((e) => e.kind === 'affiliated' && e.source === `researcher:${cai}`))
  },
)

t.test('depth 2 adds co-authors of co-authors', async (t) => {
  const app = await build(t)
  const { ann, cai, dana } = await seedCatalogue(app)
  const graph = (await app.inject({ url: `/v1/researchers/${ann}/graph?depth=2` })).json() as {
    nodes: Node[]
    edges: Edge[]
  }
  const danaNode = graph.nodes.find((n) => n.key === `researcher:${dana}`)
  t.equal(danaNode?.distance, 2)
  t.ok(
    graph.edges.some(
      (e) =>
        e.kind === 'coauthor' &&
        new Set([e.source, e.target]).has(`researcher:${cai}`) &&
        [e.source, e.target].includes(`researcher:${dana}`),
    ),
  )
  t.equal(graph.nodes.filter((n) => n.key === `researcher:${ann}`).length, 1, 'the centre appears once')
})

t.test('a prolific author: the graph stays within its bounds', async (t) => {
  const app = await build(t)
  const admin = await signUp(app, 'admin')
  const authors = Array.from({ length: 60 }, (_, i) => ({
    author: { id: `A${900 + i}`, display_name: `Person ${i}` },
  }))
  const works = Array.from({ length: 30 }, (_, w) => ({
    id: `W${900 + w}`,
    title: `Paper ${w}`,
    publication_year: 2000 + (w % 20),
    authorships: [{ author: { id: 'A1000', display_name: 'Hub Author' } }, ...authors.slice(w, w + 30)],
    topics: [{ id: `T${w}`, display_name: `Topic ${w}`, score: 0.5 }],
  }))
  const pushed = await app.inject({
    method: 'POST',
    url: '/v1/works',
    headers: admin.headers,
    payload: { works },
  })
  t.equal(pushed.statusCode, 200)
  const hub = (await app.inject({ url: '/v1/researchers?q=Hub' })).json().items[0].id
  const graph = (await app.inject({ url: `/v1/researchers/${hub}/graph?depth=2` })).json()
  const byKind = (kind: string) => graph.nodes.filter((n: Node) => n.kind === kind && n.distance === 1).length
  t.equal(byKind('researcher'), GRAPH_LIMITS.coauthors)
  t.equal(byKind('work'), GRAPH_LIMITS.works)
  t.equal(byKind('topic'), GRAPH_LIMITS.topics)
  t.ok(graph.nodes.length <= GRAPH_LIMITS.nodes)
  t.ok(graph.edges.length <= GRAPH_LIMITS.edges)
  const weights = graph.edges
    .filter(
      (e: Edge) =>
        (e.kind === 'coauthor' && e.source === `researcher:${hub}`) || e.target === `researcher:${hub}`,
    )
    .map((e: Edge) => e.weight)
  t.ok(weights.length > 0)
})

t.test('bad input', async (t) => {
  const app = await build(t)
  t.equal((await app.inject({ url: '/v1/researchers/999999/graph' })).statusCode, 404)
  for (const q of ['depth=3', 'depth=0', 'depth=x']) {
    const res = await app.inject({ url: `/v1/researchers/1/graph?${q}` })
    t.equal(res.statusCode, 400, q)
    t.type(res.json().error.code, 'string')
  }
})
