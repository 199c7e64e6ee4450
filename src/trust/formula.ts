/**
 * The trust formula, pure so it can be read, tested and documented in one place (README "Trust").
 * Every signal is capped so no single one can carry a record, and reports can only pull down.
 */
export type VerificationLevel = 'L0' | 'L1' | 'L2' | 'L3'
export type TrustLabel = 'Unverified' | 'Basic' | 'Verified' | 'Trusted'

export interface TrustSignals {
  level: VerificationLevel
  claimed: boolean
  works: number
  /** Distinct co-authors whose own records are at L2 or L3. */
  verifiedCoauthors: number
  /** Age of the claimant's account in whole days; 0 when unclaimed. */
  accountAgeDays: number
  /** Distinct accounts that reported the record. */
  reports: number
}

export interface TrustSnapshot {
  score: number
  label: TrustLabel
  verificationLevel: VerificationLevel
}

export const LEVEL_POINTS: Record<VerificationLevel, number> = { L0: 0, L1: 15, L2: 40, L3: 55 }
export const CLAIMED_POINTS = 10
export const MAX_WORK_POINTS = 15 // 1 per work
export const POINTS_PER_VERIFIED_COAUTHOR = 4
export const MAX_COAUTHOR_POINTS = 12
export const MAX_ACCOUNT_AGE_POINTS = 8 // 1 per full 30 days
export const POINTS_PER_REPORT = 10
export const MAX_REPORT_PENALTY = 40

export function trustScore(signals: TrustSignals): number {
  const positive =
    LEVEL_POINTS[signals.level] +
    (signals.claimed ? CLAIMED_POINTS : 0) +
    Math.min(MAX_WORK_POINTS, Math.max(0, signals.works)) +
    Math.min(MAX_COAUTHOR_POINTS, POINTS_PER_VERIFIED_COAUTHOR * Math.max(0, signals.verifiedCoauthors)) +
    (signals.claimed
      ? Math.min(MAX_ACCOUNT_AGE_POINTS, Math.floor(Math.max(0, signals.accountAgeDays) / 30))
      : 0)
  const penalty = Math.min(MAX_REPORT_PENALTY, POINTS_PER_REPORT * Math.max(0, signals.reports))
  return Math.max(0, Math.min(100, positive - penalty))
}

export function trustLabel(score: number): TrustLabel {
  if (score >= 75) return 'Trusted'
  if (score >= 50) return 'Verified'
  if (score >= 25) return 'Basic'
  return 'Unverified'
}

/**
 * L3 an admin vouched; L2 an account claimed it with proof (matching ORCID, confirmed institutional
 * email, or an admin's review); L1 the import linked it to an ORCID or an OpenAlex author id; L0 a name.
 */
export function verificationLevel(input: {
  adminVerified: boolean
  provenClaim: boolean
  orcid: string | null
  externalId: string
}): VerificationLevel {
  if (input.adminVerified) return 'L3'
  if (input.provenClaim) return 'L2'
  if (input.orcid || OPENALEX_AUTHOR_ID.test(input.externalId)) return 'L1'
  return 'L0'
}

const OPENALEX_AUTHOR_ID = /^A\d+$/i

export function trustSnapshot(signals: TrustSignals): TrustSnapshot {
  const score = trustScore(signals)
  return { score, label: trustLabel(score), verificationLevel: signals.level }
}
