import t from 'tap'
import {
  type TrustSignals,
  trustLabel,
  trustScore,
  trustSnapshot,
  verificationLevel,
} from '../../src/trust/formula.js'

const base: TrustSignals = {
  level: 'L1',
  claimed: false,
  works: 0,
  verifiedCoauthors: 0,
  accountAgeDays: 0,
  reports: 0,
}

t.test("the seed's profile: an unclaimed L1 record with 4 works is 19, Unverified", async (t) => {
  t.same(trustSnapshot({ ...base, works: 4 }), { score: 19, label: 'Unverified', verificationLevel: 'L1' })
})

t.test('each signal adds what the README says, up to its cap', async (t) => {
  t.equal(trustScore({ ...base, level: 'L0' }), 0)
  t.equal(trustScore(base), 15)
  t.equal(trustScore({ ...base, level: 'L2', claimed: true }), 50)
  t.equal(trustScore({ ...base, level: 'L3', claimed: true }), 65)
  t.equal(trustScore({ ...base, works: 40 }), 30, 'works cap at 15 points')
  t.equal(trustScore({ ...base, verifiedCoauthors: 2 }), 23)
  t.equal(trustScore({ ...base, verifiedCoauthors: 9 }), 27, 'co-authors cap at 12')
  t.equal(trustScore({ ...base, accountAgeDays: 365 }), 15, 'account age counts only for a claimed record')
  t.equal(trustScore({ ...base, level: 'L2', claimed: true, accountAgeDays: 89 }), 52)
  t.equal(trustScore({ ...base, level: 'L2', claimed: true, accountAgeDays: 3650 }), 58, 'age caps at 8')
})

t.test('the best record scores exactly 100 and reports pull down, never below 0', async (t) => {
  const best: TrustSignals = {
    level: 'L3',
    claimed: true,
    works: 100,
    verifiedCoauthors: 10,
    accountAgeDays: 1000,
    reports: 0,
  }
  t.equal(trustScore(best), 100)
  t.equal(trustScore({ ...best, reports: 1 }), 90)
  t.equal(trustScore({ ...best, reports: 10 }), 60, 'the penalty caps at 40')
  t.equal(trustScore({ ...base, reports: 3 }), 0)
  t.equal(
    trustScore({ ...base, works: -5, verifiedCoauthors: -1, reports: -2 }),
    15,
    'negative inputs count as zero',
  )
})

t.test('labels by score band', async (t) => {
  t.same([0, 24, 25, 49, 50, 74, 75, 100].map(trustLabel), [
    'Unverified',
    'Unverified',
    'Basic',
    'Basic',
    'Verified',
    'Verified',
    'Trusted',
    'Trusted',
  ])
})

t.test('verification levels', async (t) => {
  const record = { adminVerified: false, provenClaim: false, orcid: null, externalId: 'orcid-less-local-7' }
  t.equal(verificationLevel(record), 'L0', 'a name and a local id only')
  t.equal(verificationLevel({ ...record, externalId: 'A5023888391' }), 'L1', 'an OpenAlex author id')
  t.equal(verificationLevel({ ...record, orcid: '0000-0002-1825-0097' }), 'L1', 'an ORCID from the import')
  t.equal(verificationLevel({ ...record, provenClaim: true }), 'L2')
  t.equal(verificationLevel({ ...record, provenClaim: true, adminVerified: true }), 'L3')
  t.equal(
    verificationLevel({ ...record, adminVerified: true }),
    'L3',
    'an admin can vouch for an unclaimed record',
  )
})
