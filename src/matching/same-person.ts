import type { RecordIdentity } from './candidates-repository.js'

/**
 * One entry per person in a ranking. Records that share an ORCID are one person's split profile:
 * of those, the claimed record stays (the person answers there; invitations reach claimed records)
 * or else the best-ranked one, each where it ranks. Records whose ORCID is in `leaveOut` (the
 * researcher asking, their co-authors) leave entirely.
 */
export function onePerPerson<T extends { id: number }>(
  ranked: readonly T[],
  identities: ReadonlyMap<number, RecordIdentity>,
  leaveOut: ReadonlySet<string> = new Set(),
): T[] {
  const kept = new Map<string, RecordIdentity & { id: number }>()
  for (const { id } of ranked) {
    const identity = identities.get(id)
    if (!identity) continue
    const keeper = kept.get(identity.orcid)
    if (!keeper || (identity.claimed && !keeper.claimed)) kept.set(identity.orcid, { id, ...identity })
  }
  return ranked.filter(({ id }) => {
    const identity = identities.get(id)
    return !identity || (!leaveOut.has(identity.orcid) && kept.get(identity.orcid)!.id === id)
  })
}

/** The ORCIDs of `ids`, for `onePerPerson`'s `leaveOut`. */
export function orcidsOf(
  ids: Iterable<number>,
  identities: ReadonlyMap<number, RecordIdentity>,
): Set<string> {
  const out = new Set<string>()
  for (const id of ids) {
    const orcid = identities.get(id)?.orcid
    if (orcid) out.add(orcid)
  }
  return out
}
