import { hash32, type Rng } from './random.js'

/**
 * A bijection on [0, 2^31): sequential indices become scattered, OpenAlex-looking numbers that are
 * still guaranteed unique, without remembering which numbers were handed out.
 */
export class IdPermutation {
  private readonly mul: number
  private readonly add: number

  constructor(seed: number, salt: number) {
    // Any odd multiplier is invertible modulo a power of two.
    this.mul = (hash32(seed, salt) | 1) >>> 0
    this.add = hash32(salt, seed) & 0x7fffffff
  }

  apply(i: number): number {
    return (Math.imul(i, this.mul) + this.add) & 0x7fffffff
  }
}

/** ISO 7064 mod 11-2, the check character ORCID uses (0–9 or X). */
export function orcidCheckChar(baseDigits: string): string {
  let total = 0
  for (let i = 0; i < baseDigits.length; i++) total = (total + (baseDigits.charCodeAt(i) - 48)) * 2
  const result = (12 - (total % 11)) % 11
  return result === 10 ? 'X' : String(result)
}

export function isValidOrcid(orcid: string): boolean {
  const m = /^(?:https:\/\/orcid\.org\/)?(\d{4})-(\d{4})-(\d{4})-(\d{3}[\dX])$/.exec(orcid)
  if (!m) return false
  const digits = m[1]! + m[2]! + m[3]! + m[4]!
  return orcidCheckChar(digits.slice(0, 15)) === digits[15]
}

/** A random ORCID in the blocks ORCID actually issues (0000-0001…0000-0003, 0009). */
export function randomOrcid(rng: Rng): string {
  const block = rng.pick(['0001', '0002', '0002', '0003', '0003', '0009'])
  const prefix = block === '0009' ? '0009' : '0000'
  const second = block === '0009' ? `000${rng.int(0, 9)}` : block
  let rest = ''
  for (let i = 0; i < 7; i++) rest += String(rng.int(0, 9))
  const base = prefix + second + rest
  const check = orcidCheckChar(base)
  return `https://orcid.org/${prefix}-${second}-${rest.slice(0, 4)}-${rest.slice(4)}${check}`
}

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz'

/** ROR IDs: "0", six Crockford base32 digits, then a two-digit ISO 7064 mod 97-10 checksum. */
export function rorFromNumber(n: number): string {
  let encoded = ''
  let v = n
  for (let i = 0; i < 6; i++) {
    encoded = CROCKFORD[v % 32] + encoded
    v = Math.floor(v / 32)
  }
  const checksum = String(98 - ((n * 100) % 97)).padStart(2, '0')
  return `https://ror.org/0${encoded}${checksum}`
}
