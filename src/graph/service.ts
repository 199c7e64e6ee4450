import { NotFoundError } from '../infra/http/errors.js'
import { CLOSE_COLLABORATOR_MIN_JOINT_WORKS } from '../researchers/repository.js'
import type { GraphRepository, PersonRow } from './repository.js'

export type NodeKind = 'researcher' | 'work' | 'topic' | 'institution'
export type EdgeKind = 'coauthor' | 'authored' | 'about' | 'studies' | 'affiliated'

export interface GraphNode {
  key: string
  kind: NodeKind
  id: number
  label: string
  distance: number
  closeCollaborator?: boolean
  year?: number | null
}

export interface GraphEdge {
  source: string
  target: string
  kind: EdgeKind
  weight: number
}

/** Bounds keep a prolific author's graph drawable and the queries cheap. */
export const GRAPH_LIMITS = {
  coauthors: 25,
  works: 15,
  topics: 8,
  coauthorsPerCoauthor: 5,
  nodes: 150,
  edges: 600,
}

const key = (kind: NodeKind, id: number) => `${kind}:${id}`

class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>()
  readonly edges = new Map<string, GraphEdge>()
  truncated = false

  addNode(node: GraphNode): boolean {
    if (this.nodes.has(node.key)) return true
    if (this.nodes.size >= GRAPH_LIMITS.nodes) {
      this.truncated = true
      return false
    }
    this.nodes.set(node.key, node)
    return true
  }

  /** Undirected kinds are stored once whichever way round they arrive. */
  addEdge(edge: GraphEdge): void {
    if (!this.nodes.has(edge.source) || !this.nodes.has(edge.target)) return
    const [a, b] = edge.kind === 'coauthor' ? [edge.source, edge.target].sort() : [edge.source, edge.target]
    const id = `${edge.kind}|${a}|${b}`
    if (this.edges.has(id)) return
    if (this.edges.size >= GRAPH_LIMITS.edges) {
      this.truncated = true
      return
    }
    this.edges.set(id, { ...edge, source: a!, target: b! })
  }

  person(row: PersonRow, distance: number, jointWorks?: number): boolean {
    return this.addNode({
      key: key('researcher', row.id),
      kind: 'researcher',
      id: row.id,
      label: row.name,
      distance,
      ...(jointWorks === undefined
        ? {}
        : { closeCollaborator: jointWorks >= CLOSE_COLLABORATOR_MIN_JOINT_WORKS }),
    })
  }
}

export class GraphService {
  constructor(private readonly repository: GraphRepository) {}

  async neighbourhood(researcherId: number, depth: 1 | 2) {
    const centre = await this.repository.person(researcherId)
    if (!centre) throw new NotFoundError('Researcher', researcherId)
    const graph = new GraphBuilder()
    graph.person(centre, 0)
    const centreKey = key('researcher', centre.id)

    // Close collaborators come first because the query ranks by joint works.
    const direct = await this.repository.coauthors([centre.id], GRAPH_LIMITS.coauthors)
    for (const co of direct) {
      if (graph.person(co, 1, co.jointWorks)) {
        graph.addEdge({
          source: centreKey,
          target: key('researcher', co.id),
          kind: 'coauthor',
          weight: co.jointWorks,
        })
      }
    }

    const [recent, topics] = await Promise.all([
      this.repository.recentWorks(centre.id, GRAPH_LIMITS.works),
      this.repository.topTopics(centre.id, GRAPH_LIMITS.topics),
    ])
    for (const w of recent)
      graph.addNode({
        key: key('work', w.id),
        kind: 'work',
        id: w.id,
        label: w.title,
        distance: 1,
        year: w.year,
      })
    for (const t of topics) {
      graph.addNode({ key: key('topic', t.id), kind: 'topic', id: t.id, label: t.name, distance: 1 })
      graph.addEdge({ source: centreKey, target: key('topic', t.id), kind: 'studies', weight: t.works })
    }

    const second =
      depth === 2
        ? await this.repository.coauthors(
            direct.map((c) => c.id),
            GRAPH_LIMITS.coauthorsPerCoauthor,
          )
        : []
    const people: PersonRow[] = [centre, ...direct]
    for (const co of second) {
      if (co.id === centre.id) continue
      const isNew = !graph.nodes.has(key('researcher', co.id))
      if (graph.person(co, 2) && isNew) people.push(co)
      graph.addEdge({
        source: key('researcher', co.sourceId),
        target: key('researcher', co.id),
        kind: 'coauthor',
        weight: co.jointWorks,
      })
    }

    const workIds = recent.map((w) => w.id)
    const [authored, about, places] = await Promise.all([
      this.repository.authorshipsAmong(
        workIds,
        people.map((p) => p.id),
      ),
      this.repository.workTopicsAmong(
        workIds,
        topics.map((t) => t.id),
      ),
      this.repository.institutionsByIds([
        ...new Set(people.flatMap((p) => (p.institutionId === null ? [] : [p.institutionId]))),
      ]),
    ])
    for (const a of authored) {
      graph.addEdge({
        source: key('researcher', a.researcherId),
        target: key('work', a.workId),
        kind: 'authored',
        weight: 1,
      })
    }
    for (const a of about)
      graph.addEdge({
        source: key('work', a.workId),
        target: key('topic', a.topicId),
        kind: 'about',
        weight: 1,
      })
    const placeDistance = new Map<number, number>()
    for (const p of people) {
      if (p.institutionId === null) continue
      const d = graph.nodes.get(key('researcher', p.id))?.distance ?? 2
      placeDistance.set(p.institutionId, Math.min(placeDistance.get(p.institutionId) ?? d, d))
    }
    for (const place of [...places].sort(
      (a, b) => placeDistance.get(a.id)! - placeDistance.get(b.id)! || a.id - b.id,
    )) {
      graph.addNode({
        key: key('institution', place.id),
        kind: 'institution',
        id: place.id,
        label: place.name,
        distance: placeDistance.get(place.id)!,
      })
    }
    for (const p of people) {
      if (p.institutionId !== null) {
        graph.addEdge({
          source: key('researcher', p.id),
          target: key('institution', p.institutionId),
          kind: 'affiliated',
          weight: 1,
        })
      }
    }
    return {
      centre: centreKey,
      depth,
      nodes: [...graph.nodes.values()],
      edges: [...graph.edges.values()],
      truncated: graph.truncated,
    }
  }
}
