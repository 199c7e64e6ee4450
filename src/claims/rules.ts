/**
 * The automatic rules, pure: approve only what is clear, send everything else to a person.
 * An ORCID is taken as typed here; a deployment with ORCID sign-in would prove it by OAuth.
 */
export type RuleOutcome =
  | { kind: 'approve'; proof: 'orcid' }
  | { kind: 'confirm_email' }
  | { kind: 'review'; reason: ReviewReason }

export type ReviewReason = 'conflict' | 'orcid_mismatch' | 'email_domain_mismatch' | 'no_proof'

export function firstRule(input: {
  /**
   * The record is claimed by, or has a live claim from, another account, or another account holds
   * a record of the same person (same ORCID).
   */
  contested: boolean
  orcidGiven: boolean
  orcidMatches: boolean
  emailGiven: boolean
  emailDomainMatches: boolean
}): RuleOutcome {
  if (input.contested) return { kind: 'review', reason: 'conflict' }
  if (input.orcidMatches) return { kind: 'approve', proof: 'orcid' }
  // A wrong ORCID is a red flag even if the email would match: a person looks at it.
  if (input.orcidGiven) return { kind: 'review', reason: 'orcid_mismatch' }
  if (input.emailDomainMatches) return { kind: 'confirm_email' }
  if (input.emailGiven) return { kind: 'review', reason: 'email_domain_mismatch' }
  return { kind: 'review', reason: 'no_proof' }
}

export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase()

/** `cs.uni.edu` is covered by a registered `uni.edu`; a bare top-level domain never is. */
export function domainCandidates(email: string): string[] {
  const labels = emailDomain(email).split('.')
  const out: string[] = []
  for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join('.'))
  return out
}
