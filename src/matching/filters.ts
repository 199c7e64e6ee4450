import type { ResearcherMeta } from './candidates-repository.js'

export interface MetaFilters {
  openToCollaborate?: boolean
  institutionIds?: number[]
  excludeInstitutionIds?: number[]
  /** ISO 3166-1 alpha-2, upper case. */
  countries?: string[]
  excludeCountries?: string[]
  minWorks?: number
  /** Last work in this year or later. */
  activeSince?: number
}

export function passesFilters(m: ResearcherMeta, f: MetaFilters): boolean {
  if (f.openToCollaborate && !m.openToCollaborate) return false
  if (f.institutionIds?.length && (m.institutionId === null || !f.institutionIds.includes(m.institutionId)))
    return false
  if (
    f.excludeInstitutionIds?.length &&
    m.institutionId !== null &&
    f.excludeInstitutionIds.includes(m.institutionId)
  )
    return false
  if (f.countries?.length && (m.countryCode === null || !f.countries.includes(m.countryCode))) return false
  if (f.excludeCountries?.length && m.countryCode !== null && f.excludeCountries.includes(m.countryCode))
    return false
  if (f.minWorks !== undefined && m.works < f.minWorks) return false
  if (f.activeSince !== undefined && (m.lastActiveYear === null || m.lastActiveYear < f.activeSince))
    return false
  return true
}

/** Whether any filter is set: an empty list or `openToCollaborate: false` filters nothing. */
export function hasMetaFilters(f: MetaFilters): boolean {
  return Boolean(
    f.openToCollaborate ||
      f.institutionIds?.length ||
      f.excludeInstitutionIds?.length ||
      f.countries?.length ||
      f.excludeCountries?.length ||
      f.minWorks !== undefined ||
      f.activeSince !== undefined,
  )
}
