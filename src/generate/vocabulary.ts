import { FIELDS, type FieldSpec } from './fields.js'
import { packed } from './lists.js'
import { type Rng, WeightedTable, zipfWeights } from './random.js'

export interface Topic {
  index: number
  id: string
  name: string
  field: FieldSpec
  /** Most characteristic first; drawn with Zipf weights so a few terms dominate, as in real text. */
  terms: string[]
  termTable: WeightedTable
  journals: string[]
}

const ONSETS = packed('b c d f g k l m n p r s t v z th ch tr pr cr st gl fl ph x')
const VOWELS = packed('a e i o u ae io y ea ou')
const SUFFIXES = packed('ase ine ome ite ation ics osis ide ene ium ogen ant al on ar ic ism oid')

/** Plausible-looking jargon ("trelomase", "cryonide") so each topic owns words no other topic uses. */
export function pseudoWord(rng: Rng): string {
  let w = ''
  const syllables = rng.int(1, 2)
  for (let i = 0; i < syllables; i++) w += rng.pick(ONSETS) + rng.pick(VOWELS)
  return w + rng.pick(ONSETS) + rng.pick(SUFFIXES)
}

const TOPIC_MODIFIERS = packed(
  'Computational Applied Statistical Molecular Quantum Adaptive Integrative Experimental',
)
const TOPIC_HEADS = packed('Dynamics Systems Modeling Networks Processes Mechanisms Analysis Engineering')
const NAME_STOPWORDS = new Set(['and', 'of', 'the', 'in', 'for'])

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/**
 * Builds `count` topics. The hand-written topics come first in a seed-dependent order; beyond
 * them, extra topics are invented inside a random field so any requested count works.
 */
export function buildTopics(rng: Rng, count: number): Topic[] {
  const written = FIELDS.flatMap((field) => field.topics.map((spec) => ({ field, spec })))
  rng.shuffle(written)
  const used = new Set<string>()
  const topics: Topic[] = []
  for (let i = 0; i < count; i++) {
    let field: FieldSpec
    let name: string
    let own: string[]
    const w = written[i]
    if (w) {
      field = w.field
      name = w.spec.name
      own = [...w.spec.terms]
    } else {
      field = rng.pick(FIELDS)
      const coined = pseudoWord(rng)
      name = `${rng.pick(TOPIC_MODIFIERS)} ${capitalize(coined)} ${rng.pick(TOPIC_HEADS)}`
      if (used.has(name)) name = `${name} ${i}`
      own = [coined]
    }
    used.add(name)
    const nameWords = name
      .split(/\s+/)
      .map((s) => s.toLowerCase())
      .filter((s) => !NAME_STOPWORDS.has(s))
    const pseudo: string[] = []
    for (let k = 0; k < 6; k++) pseudo.push(pseudoWord(rng))
    // Real topic words rank first, so two works on one topic share more vocabulary than two works
    // that merely share a field; the coined words sit in the tail, flavouring without dominating.
    const specific = rng.shuffle([...new Set([...own, ...nameWords])])
    const tail = rng.shuffle([...new Set([...pseudo, ...field.words])].filter((x) => !specific.includes(x)))
    const terms = [...specific, ...tail]
    topics.push({
      index: i,
      id: `https://openalex.org/T${10001 + i}`,
      name,
      field,
      terms,
      termTable: new WeightedTable(zipfWeights(terms.length, 0.8)),
      journals: topicJournals(rng, name, field),
    })
  }
  return topics
}

function topicJournals(rng: Rng, name: string, field: FieldSpec): string[] {
  const named = [
    `Journal of ${name}`,
    `${name} Letters`,
    `Advances in ${name}`,
    `International Journal of ${field.name}`,
    `Frontiers in ${name}`,
  ]
  return [...rng.shuffle(named).slice(0, 3), ...rng.shuffle([...field.journals]).slice(0, 3)]
}

// --- general academic vocabulary -----------------------------------------------------------
// Placeholders: {N} topic noun phrase, {A} evaluative adjective, {M} method noun, {K} small count,
// {U} the field's unit of study, {L} large count, {P} percentage, {S} statistic.

export const ADJECTIVES = packed(
  'novel robust scalable efficient comprehensive systematic unified principled data-driven interpretable large-scale multi-scale integrated adaptive quantitative consistent simple general',
)
export const METHODS = packed(
  'framework approach method model strategy pipeline analysis technique methodology protocol',
)

export const BACKGROUND = [
  '{N} has emerged as a central problem in {N}.',
  'Despite recent progress in {N}, understanding {N} remains challenging.',
  'Existing approaches to {N} often rely on {N}, which limits their applicability to {N}.',
  'However, little is known about how {N} affects {N}.',
  'Recent advances in {N} have renewed interest in {N}.',
  '{N} is a key determinant of {N} and {N}.',
  'A long-standing question is whether {N} can explain {N}.',
]
export const METHOD = [
  'In this paper, we propose a {A} {M} for {N}.',
  'In this work, we present a {A} {M} that combines {N} with {N}.',
  'Here, we investigate the role of {N} in {N}.',
  'To address this gap, we develop a {A} {M} based on {N}.',
  'Our {M} leverages {N} to capture {N}.',
  'We study {N} under {N} and characterize {N}.',
  'Using data from {L} {N} observations across {K} {U}, we quantify {N}.',
  'We conducted a {A} analysis of {N} across {K} {U}.',
  'The relationship between {N} and {N} was examined using {N}.',
]
export const RESULT = [
  'Results show that {N} significantly improves {N} compared with {N}.',
  'Our results indicate that {N} is strongly associated with {N} ({S}).',
  'The proposed {M} achieves a {P} improvement in {N} over {N}.',
  'We find that {N} accounts for {P} of the variation in {N}.',
  'Furthermore, we demonstrate that {N} is robust to {N}.',
  'In addition, {N} and {N} exhibit {A} patterns across {K} {U}.',
  'We also observe a trade-off between {N} and {N}.',
  'Overall, {N} outperforms existing {N} methods in terms of {N}.',
  'Extensive experiments on {K} {U} confirm the effectiveness of {N} for {N}.',
  'Notably, {N} reduced {N} by {P} relative to {N}.',
  'These effects were consistent across {N} and {N}.',
]
export const CONCLUSION = [
  'These findings suggest that {N} plays an important role in {N}.',
  'Our findings provide new insights into {N} and {N}.',
  'Taken together, these results highlight the potential of {N} for {N}.',
  'This study contributes to a better understanding of {N}.',
  'We discuss implications for {N} and outline directions for future research on {N}.',
  'Finally, we release our code and data to facilitate further work on {N}.',
]
export const TITLES = [
  '{A} {N} for {N} in {N}',
  '{N}: A {A} {M} for {N}',
  'Towards {A} {N} via {N}',
  'On the Role of {N} in {N} and {N}',
  '{N} Enables {A} {N} of {N}',
  'Understanding {N} through {N}',
  'Learning {N} from {N} with {N}',
  '{N} and {N}: Evidence from {N}',
  'Effects of {N} on {N} in {N}',
  'A {A} Study of {N} Using {N}',
  'Mapping {N} across {N} and {N}',
  'Revisiting {N} in the Context of {N}',
]
