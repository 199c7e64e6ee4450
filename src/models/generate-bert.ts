/**
 * generate-bert.ts — writes a randomly initialised (seeded, deterministic) BERT
 * sentence-embedding model in the folder layout that @xenova/transformers
 * (transformers.js v2) loads from `env.localModelPath`:
 *
 *   <dir>/config.json
 *   <dir>/tokenizer.json             (HF `tokenizers` WordPiece JSON)
 *   <dir>/tokenizer_config.json
 *   <dir>/special_tokens_map.json
 *   <dir>/vocab.txt                  (same vocab, one token a line, for HF Python)
 *   <dir>/onnx/model.onnx            (float32 BERT encoder, opset 13)
 *   <dir>/onnx/model_quantized.onnx  (same weights, uint8 dynamic-quantized
 *                                     MatMulInteger linears; skip with
 *                                     { quantized: false })
 *
 * The weights are random, so the vectors carry no meaning beyond token identity:
 * the word-embedding table dominates the embedding sum (position and token-type
 * tables are drawn 10x smaller), so texts that share tokens come out more similar
 * than unrelated texts. The files are byte-identical for the same spec.
 *
 * Dependencies: `onnx-proto` (which brings protobufjs 6) and Node builtins only.
 * CLI:  npx tsx generate-bert.ts <outDir> [tiny|minilm] [--no-quantized]
 */
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
// onnx-proto is CommonJS (`module.exports = $root`), so a named ESM import
// fails under plain Node; take the default export instead.
import onnxProto from 'onnx-proto'

const { onnx } = onnxProto

export interface BertSpec {
  hiddenSize: number
  layers: number
  heads: number
  intermediateSize: number
  maxPositions: number
  /** extra words besides special tokens and single characters (and their ## forms) */
  vocabWords: string[]
  seed: number
}

export interface GenerateOptions {
  /** also write onnx/model_quantized.onnx (default true) */
  quantized?: boolean
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'
const DIGITS = '0123456789'
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
// Only lowercase letters: the BertNormalizer lowercases everything, so
// uppercase entries could never be produced by the tokenizer.
const SINGLE_CHARS = [...PUNCTUATION, ...DIGITS, ...LETTERS]

/** Special tokens + single characters + their "##" forms. */
export function baseVocab(): string[] {
  return [...SPECIAL_TOKENS, ...SINGLE_CHARS, ...SINGLE_CHARS.map((c) => `##${c}`)]
}

export const BASE_VOCAB_SIZE = SPECIAL_TOKENS.length + 2 * SINGLE_CHARS.length // 141

// Common English and research-abstract words, kept whole so that typical
// abstracts tokenize into word-level tokens.
const COMMON_WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were her all she there would their we him been has when who will more no if out so said what up its about ' +
  'into than them can only other new some could time these two may then do first any my now such like our over man ' +
  'me even most made after also did many before must through back years where much your way well down should ' +
  'because each just those people how too little state good very make world still own see men work long get here ' +
  'between both life being under never day same another know while last might us great old year off come since ' +
  'against go came right used take three however use using based show shows shown results result method methods ' +
  'approach approaches paper study studies data model models analysis system systems learning neural network ' +
  'networks deep machine algorithm algorithms performance propose proposed novel problem problems training ' +
  'research task tasks information different large high low set number function functions framework evaluation ' +
  'experiments experimental significant significantly effect effects cell cells protein proteins gene genes ' +
  'expression patients clinical treatment disease cancer health human brain molecular structure structures ' +
  'energy quantum physics chemical materials material temperature surface dynamics theory theoretical ' +
  'language text semantic graph graphs image images vision robot robots control optimization linear nonlinear ' +
  'statistical probability distribution estimation inference bayesian regression classification prediction ' +
  'accuracy efficient efficiency computational computation simulation simulations design process processes ' +
  'field fields signal signals frequency wave waves particle particles climate ocean water soil plant plants ' +
  'species population social economic policy market financial education students survey review literature ' +
  'collaboration researchers university laboratory embedding embeddings transformer attention representation ' +
  'representations feature features dataset datasets benchmark benchmarks state art existing recent recently ' +
  'present presents demonstrate demonstrates evidence observed observations measurements measurement ' +
  'increase increased decrease decreased higher lower level levels rate rates response factors factor role ' +
  'important key potential applications application develop developed development provide provides'
)
  .split(/\s+/)
  .filter(Boolean)

// Approximate English letter frequencies (percent).
const LETTER_FREQ: Record<string, number> = {
  e: 12.7,
  t: 9.1,
  a: 8.2,
  o: 7.5,
  i: 7.0,
  n: 6.7,
  s: 6.3,
  h: 6.1,
  r: 6.0,
  d: 4.3,
  l: 4.0,
  c: 2.8,
  u: 2.8,
  m: 2.4,
  w: 2.4,
  f: 2.2,
  g: 2.0,
  y: 2.0,
  p: 1.9,
  b: 1.5,
  v: 1.0,
  k: 0.8,
  j: 0.15,
  x: 0.15,
  q: 0.1,
  z: 0.07,
}
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y'])

function plausibleNgram(s: string): boolean {
  if (s.length >= 3 && ![...s].some((c) => VOWELS.has(c))) return false
  let run = 0
  for (const c of s) {
    run = VOWELS.has(c) ? 0 : run + 1
    if (run >= 3) return false // no three consonants in a row
  }
  for (let i = 2; i < s.length; i++) if (s[i] === s[i - 1] && s[i] === s[i - 2]) return false
  return true
}

function ngramsByScore(n: number): string[] {
  const out: { s: string; score: number }[] = []
  const rec = (prefix: string, score: number): void => {
    if (prefix.length === n) {
      if (plausibleNgram(prefix)) out.push({ s: prefix, score })
      return
    }
    for (const c of LETTERS) rec(prefix + c, score * LETTER_FREQ[c]!)
  }
  rec('', 1)
  out.sort((a, b) => b.score - a.score || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0))
  return out.map((x) => x.s)
}

/**
 * Deterministically produces `count` distinct extra vocabulary words: common
 * English/research words, then letter n-grams (2..4 letters) ranked by English
 * letter frequency, each as a word-start piece and a "##" continuation piece.
 */
export function makeVocabWords(count: number): string[] {
  const taken = new Set<string>(baseVocab())
  const words: string[] = []
  const push = (w: string): void => {
    if (words.length < count && !taken.has(w)) {
      taken.add(w)
      words.push(w)
    }
  }
  for (const w of COMMON_WORDS) push(w)
  for (const w of COMMON_WORDS) push(`##${w}`)
  for (const n of [2, 3, 4]) {
    if (words.length >= count) break
    for (const g of ngramsByScore(n)) {
      push(g)
      push(`##${g}`)
      if (words.length >= count) break
    }
  }
  if (words.length < count)
    throw new Error(`makeVocabWords: cannot make ${count} words (got ${words.length})`)
  return words
}

export const TINY_SPEC: BertSpec = {
  hiddenSize: 384,
  layers: 1,
  heads: 4,
  intermediateSize: 512,
  maxPositions: 128,
  vocabWords: makeVocabWords(4096 - BASE_VOCAB_SIZE),
  seed: 1234,
}

export const MINILM_SPEC: BertSpec = {
  hiddenSize: 384,
  layers: 6,
  heads: 12,
  intermediateSize: 1536,
  maxPositions: 512,
  vocabWords: makeVocabWords(30522 - BASE_VOCAB_SIZE),
  seed: 42,
}

function buildVocab(spec: BertSpec): string[] {
  const vocab = baseVocab()
  const seen = new Set(vocab)
  for (const w of spec.vocabWords) {
    if (!w || /\s/.test(w)) throw new Error(`invalid vocab word ${JSON.stringify(w)}`)
    if (!seen.has(w)) {
      seen.add(w)
      vocab.push(w)
    }
  }
  return vocab
}

// ---------------------------------------------------------------------------
// Seeded random weights
// ---------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a of the tensor name mixed with the spec seed: each tensor has its own stream. */
function tensorSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

function randomNormal(seed: number, name: string, size: number, std: number): Float32Array {
  const rand = mulberry32(tensorSeed(seed, name))
  const out = new Float32Array(size)
  for (let i = 0; i < size; i += 2) {
    const u1 = 1 - rand() // (0, 1]
    const u2 = rand()
    const r = Math.sqrt(-2 * Math.log(u1)) * std
    out[i] = r * Math.cos(2 * Math.PI * u2)
    if (i + 1 < size) out[i + 1] = r * Math.sin(2 * Math.PI * u2)
  }
  return out
}

// ---------------------------------------------------------------------------
// ONNX graph construction
// ---------------------------------------------------------------------------

const DT = onnx.TensorProto.DataType
const AT = onnx.AttributeProto.AttributeType
const LITTLE_ENDIAN = os.endianness() === 'LE'

function rawBytes(arr: Float32Array | BigInt64Array | Uint8Array): Uint8Array {
  const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength)
  if (LITTLE_ENDIAN || arr.BYTES_PER_ELEMENT === 1) return bytes
  const swapped = new Uint8Array(bytes.length) // ONNX raw_data is little-endian
  const w = arr.BYTES_PER_ELEMENT
  for (let i = 0; i < bytes.length; i += w) for (let j = 0; j < w; j++) swapped[i + j] = bytes[i + w - 1 - j]!
  return swapped
}

type AttrValue = number | number[] | { float: number }

class GraphBuilder {
  readonly nodes: InstanceType<typeof onnx.NodeProto>[] = []
  readonly initializers: InstanceType<typeof onnx.TensorProto>[] = []
  private counter = 0
  private readonly constCache = new Map<string, string>()

  op(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    outputs = 1,
    hint = opType,
  ): string[] {
    const id = this.counter++
    const outNames = Array.from({ length: outputs }, (_, i) => `/${hint}_${id}/out${i}`)
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: AT.INTS, ints: v })
      if (typeof v === 'object') return onnx.AttributeProto.create({ name, type: AT.FLOAT, f: v.float })
      return onnx.AttributeProto.create({ name, type: AT.INT, i: v })
    })
    this.nodes.push(
      onnx.NodeProto.create({ name: `/${hint}_${id}`, opType, input: inputs, output: outNames, attribute }),
    )
    return outNames
  }

  op1(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, hint = opType): string {
    return this.op(opType, inputs, attrs, 1, hint)[0]!
  }

  /** Renames the output of the last node (used for graph outputs). */
  renameLastOutput(name: string): void {
    this.nodes[this.nodes.length - 1]!.output[0] = name
  }

  tensor(
    name: string,
    dataType: number,
    dims: number[],
    data: Float32Array | BigInt64Array | Uint8Array,
  ): string {
    this.initializers.push(onnx.TensorProto.create({ name, dataType, dims, rawData: rawBytes(data) }))
    return name
  }

  floatConst(value: number): string {
    const key = `f:${value}`
    let name = this.constCache.get(key)
    if (!name) {
      name = this.tensor(`const_f_${this.constCache.size}`, DT.FLOAT, [], Float32Array.of(value))
      this.constCache.set(key, name)
    }
    return name
  }

  int64Const(values: number[]): string {
    const key = `i:${values.join(',')}`
    let name = this.constCache.get(key)
    if (!name) {
      name = this.tensor(
        `const_i64_${this.constCache.size}`,
        DT.INT64,
        [values.length],
        BigInt64Array.from(values.map(BigInt)),
      )
      this.constCache.set(key, name)
    }
    return name
  }
}

interface Weights {
  get(name: string): Float32Array
}

function quantizeUint8(w: Float32Array): { q: Uint8Array; scale: number; zeroPoint: number } {
  let min = 0
  let max = 0
  for (const v of w) {
    if (v < min) min = v
    if (v > max) max = v
  }
  const scale = (max - min) / 255 || 1
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-min / scale)))
  const q = new Uint8Array(w.length)
  for (let i = 0; i < w.length; i++) q[i] = Math.min(255, Math.max(0, Math.round(w[i]! / scale) + zeroPoint))
  return { q, scale, zeroPoint }
}

function buildModel(spec: BertSpec, vocabSize: number, weights: Weights, quantized: boolean): Uint8Array {
  const H = spec.hiddenSize
  const I = spec.intermediateSize
  const nh = spec.heads
  const hd = H / nh
  const eps = 1e-12
  const g = new GraphBuilder()

  /** float initializer, or (quantized) uint8 initializer + scale + zero point */
  const param = (name: string, dims: number[]): string => g.tensor(name, DT.FLOAT, dims, weights.get(name))
  const qparam = (name: string, dims: number[]): { q: string; scale: string; zp: string } => {
    const { q, scale, zeroPoint } = quantizeUint8(weights.get(name))
    return {
      q: g.tensor(`${name}_quantized`, DT.UINT8, dims, q),
      scale: g.tensor(`${name}_scale`, DT.FLOAT, [], Float32Array.of(scale)),
      zp: g.tensor(`${name}_zero_point`, DT.UINT8, [], Uint8Array.of(zeroPoint)),
    }
  }

  /** rows of an embedding table: Gather on the float table, or Gather on uint8 then DequantizeLinear */
  const embedding = (name: string, rows: number, indices: string): string => {
    if (!quantized) return g.op1('Gather', [param(name, [rows, H]), indices], { axis: 0 }, name)
    const t = qparam(name, [rows, H])
    const gathered = g.op1('Gather', [t.q, indices], { axis: 0 }, name)
    return g.op1('DequantizeLinear', [gathered, t.scale, t.zp], {}, name)
  }

  /** x @ W + b with W stored [in, out] */
  const linear = (x: string, prefix: string, inDim: number, outDim: number): string => {
    let y: string
    if (!quantized) {
      y = g.op1('MatMul', [x, param(`${prefix}.weight`, [inDim, outDim])], {}, prefix)
    } else {
      const w = qparam(`${prefix}.weight`, [inDim, outDim])
      const [xq, xScale, xZp] = g.op('DynamicQuantizeLinear', [x], {}, 3, prefix) as [string, string, string]
      const acc = g.op1('MatMulInteger', [xq, w.q, xZp, w.zp], {}, prefix)
      const accF = g.op1('Cast', [acc], { to: DT.FLOAT }, prefix)
      const scale = g.op1('Mul', [xScale, w.scale], {}, prefix)
      y = g.op1('Mul', [accF, scale], {}, prefix)
    }
    return g.op1('Add', [y, param(`${prefix}.bias`, [outDim])], {}, prefix)
  }

  const layerNorm = (x: string, prefix: string): string => {
    const mean = g.op1('ReduceMean', [x], { axes: [-1], keepdims: 1 }, prefix)
    const d = g.op1('Sub', [x, mean], {}, prefix)
    const sq = g.op1('Pow', [d, g.floatConst(2)], {}, prefix)
    const variance = g.op1('ReduceMean', [sq], { axes: [-1], keepdims: 1 }, prefix)
    const std = g.op1('Sqrt', [g.op1('Add', [variance, g.floatConst(eps)], {}, prefix)], {}, prefix)
    const norm = g.op1('Div', [d, std], {}, prefix)
    const scaled = g.op1('Mul', [norm, param(`${prefix}.weight`, [H])], {}, prefix)
    return g.op1('Add', [scaled, param(`${prefix}.bias`, [H])], {}, prefix)
  }

  // --- embeddings ---------------------------------------------------------
  const inputShape = g.op1('Shape', ['input_ids'], {}, 'embeddings')
  const seqLen = g.op1('Gather', [inputShape, g.int64Const([1])], { axis: 0 }, 'embeddings') // [1]
  const seqScalar = g.op1('Squeeze', [seqLen, g.int64Const([0])], {}, 'embeddings')
  const zero = g.tensor('const_i64_scalar_0', DT.INT64, [], BigInt64Array.of(0n))
  const one = g.tensor('const_i64_scalar_1', DT.INT64, [], BigInt64Array.of(1n))
  const positions = g.op1('Range', [zero, seqScalar, one], {}, 'embeddings') // position ids [seq]

  const wordEmb = embedding('embeddings.word_embeddings.weight', vocabSize, 'input_ids')
  const posEmb = embedding('embeddings.position_embeddings.weight', spec.maxPositions, positions) // [seq, H]
  const typeEmb = embedding('embeddings.token_type_embeddings.weight', 2, 'token_type_ids')
  const embSum = g.op1('Add', [g.op1('Add', [wordEmb, typeEmb], {}, 'embeddings'), posEmb], {}, 'embeddings')
  let hidden = layerNorm(embSum, 'embeddings.LayerNorm')

  // --- extended attention mask: (1 - mask) * -10000, shape [B, 1, 1, S] -------
  const maskF = g.op1('Cast', ['attention_mask'], { to: DT.FLOAT }, 'mask')
  const inverted = g.op1('Sub', [g.floatConst(1), maskF], {}, 'mask')
  const additive = g.op1('Mul', [inverted, g.floatConst(-10000)], {}, 'mask')
  const extMask = g.op1('Unsqueeze', [additive, g.int64Const([1, 2])], {}, 'mask')

  const headsShape = g.int64Const([0, 0, nh, hd])
  const mergedShape = g.int64Const([0, 0, H])
  const invSqrtHd = g.floatConst(1 / Math.sqrt(hd))

  // --- encoder layers -------------------------------------------------------
  for (let l = 0; l < spec.layers; l++) {
    const p = `encoder.layer.${l}`
    const split = (x: string, perm: number[], name: string): string =>
      g.op1('Transpose', [g.op1('Reshape', [x, headsShape], {}, name)], { perm }, name)
    const q = split(
      linear(hidden, `${p}.attention.self.query`, H, H),
      [0, 2, 1, 3],
      `${p}.attention.self.query`,
    )
    const k = split(linear(hidden, `${p}.attention.self.key`, H, H), [0, 2, 3, 1], `${p}.attention.self.key`)
    const v = split(
      linear(hidden, `${p}.attention.self.value`, H, H),
      [0, 2, 1, 3],
      `${p}.attention.self.value`,
    )
    const scores = g.op1(
      'Mul',
      [g.op1('MatMul', [q, k], {}, `${p}.attention.self`), invSqrtHd],
      {},
      `${p}.attention.self`,
    )
    const probs = g.op1(
      'Softmax',
      [g.op1('Add', [scores, extMask], {}, `${p}.attention.self`)],
      { axis: -1 },
      `${p}.attention.self`,
    )
    const ctx = g.op1('MatMul', [probs, v], {}, `${p}.attention.self`) // [B, nh, S, hd]
    const merged = g.op1(
      'Reshape',
      [g.op1('Transpose', [ctx], { perm: [0, 2, 1, 3] }, `${p}.attention.self`), mergedShape],
      {},
      `${p}.attention.self`,
    )
    const attnOut = linear(merged, `${p}.attention.output.dense`, H, H)
    hidden = layerNorm(
      g.op1('Add', [attnOut, hidden], {}, `${p}.attention.output`),
      `${p}.attention.output.LayerNorm`,
    )

    const inter = linear(hidden, `${p}.intermediate.dense`, H, I)
    // exact GELU: x * 0.5 * (1 + erf(x / sqrt(2)))
    const erf = g.op1(
      'Erf',
      [g.op1('Div', [inter, g.floatConst(Math.SQRT2)], {}, `${p}.intermediate`)],
      {},
      `${p}.intermediate`,
    )
    const gelu = g.op1(
      'Mul',
      [
        g.op1(
          'Mul',
          [inter, g.op1('Add', [erf, g.floatConst(1)], {}, `${p}.intermediate`)],
          {},
          `${p}.intermediate`,
        ),
        g.floatConst(0.5),
      ],
      {},
      `${p}.intermediate`,
    )
    const out = linear(gelu, `${p}.output.dense`, I, H)
    hidden = layerNorm(g.op1('Add', [out, hidden], {}, `${p}.output`), `${p}.output.LayerNorm`)
  }
  g.renameLastOutput('last_hidden_state')

  const dynamic2 = [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }]
  const int64Input = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: DT.INT64, shape: { dim: dynamic2 } } },
    })
  const graph = onnx.GraphProto.create({
    name: 'bert_encoder',
    node: g.nodes,
    initializer: g.initializers,
    input: [int64Input('input_ids'), int64Input('attention_mask'), int64Input('token_type_ids')],
    output: [
      onnx.ValueInfoProto.create({
        name: 'last_hidden_state',
        type: { tensorType: { elemType: DT.FLOAT, shape: { dim: [...dynamic2, { dimValue: H }] } } },
      }),
    ],
  })
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'collabmatch-generate-bert',
    producerVersion: '1',
    graph,
  })
  return onnx.ModelProto.encode(model).finish()
}

// ---------------------------------------------------------------------------
// Parameters (HF BertModel names, linear weights stored [in, out])
// ---------------------------------------------------------------------------

function parameterShapes(spec: BertSpec, vocabSize: number): Map<string, number[]> {
  const H = spec.hiddenSize
  const I = spec.intermediateSize
  const shapes = new Map<string, number[]>([
    ['embeddings.word_embeddings.weight', [vocabSize, H]],
    ['embeddings.position_embeddings.weight', [spec.maxPositions, H]],
    ['embeddings.token_type_embeddings.weight', [2, H]],
    ['embeddings.LayerNorm.weight', [H]],
    ['embeddings.LayerNorm.bias', [H]],
  ])
  for (let l = 0; l < spec.layers; l++) {
    const p = `encoder.layer.${l}`
    for (const n of [
      'attention.self.query',
      'attention.self.key',
      'attention.self.value',
      'attention.output.dense',
    ]) {
      shapes.set(`${p}.${n}.weight`, [H, H])
      shapes.set(`${p}.${n}.bias`, [H])
    }
    shapes.set(`${p}.intermediate.dense.weight`, [H, I])
    shapes.set(`${p}.intermediate.dense.bias`, [I])
    shapes.set(`${p}.output.dense.weight`, [I, H])
    shapes.set(`${p}.output.dense.bias`, [H])
    for (const n of ['attention.output.LayerNorm', 'output.LayerNorm']) {
      shapes.set(`${p}.${n}.weight`, [H])
      shapes.set(`${p}.${n}.bias`, [H])
    }
  }
  return shapes
}

const INIT_STD = 0.02

function makeWeights(spec: BertSpec, vocabSize: number): Weights {
  const shapes = parameterShapes(spec, vocabSize)
  const cache = new Map<string, Float32Array>()
  return {
    get(name: string): Float32Array {
      const cached = cache.get(name)
      if (cached) return cached
      const dims = shapes.get(name)
      if (!dims) throw new Error(`unknown parameter ${name}`)
      const size = dims.reduce((a, b) => a * b, 1)
      let data: Float32Array
      if (name.includes('LayerNorm')) {
        data = new Float32Array(size).fill(name.endsWith('.weight') ? 1 : 0) // gamma 1, beta 0
      } else if (name.endsWith('.bias')) {
        data = new Float32Array(size) // zeros, as in BERT's init
      } else if (
        name === 'embeddings.position_embeddings.weight' ||
        name === 'embeddings.token_type_embeddings.weight'
      ) {
        // 10x smaller than the word table, so pooled vectors follow token identity
        data = randomNormal(spec.seed, name, size, INIT_STD / 10)
      } else {
        data = randomNormal(spec.seed, name, size, INIT_STD)
        if (name === 'embeddings.word_embeddings.weight') data.fill(0, 0, spec.hiddenSize) // [PAD] row (padding_idx)
      }
      cache.set(name, data)
      return data
    },
  }
}

// ---------------------------------------------------------------------------
// Tokenizer / config files
// ---------------------------------------------------------------------------

function tokenizerJson(vocab: string[]): unknown {
  const id = (t: string): number => vocab.indexOf(t)
  const vocabObj: Record<string, number> = {}
  vocab.forEach((t, i) => {
    vocabObj[t] = i
  })
  const special = (t: string) => ({ id: t, ids: [id(t)], tokens: [t] })
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((t) => ({
      id: id(t),
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: vocabObj,
    },
  }
}

function configJson(spec: BertSpec, vocabSize: number): unknown {
  return {
    _name_or_path: 'collabmatch/random-bert',
    architectures: ['BertModel'],
    model_type: 'bert',
    attention_probs_dropout_prob: 0.1,
    classifier_dropout: null,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: spec.hiddenSize,
    initializer_range: INIT_STD,
    intermediate_size: spec.intermediateSize,
    layer_norm_eps: 1e-12,
    max_position_embeddings: spec.maxPositions,
    num_attention_heads: spec.heads,
    num_hidden_layers: spec.layers,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
    transformers_version: '4.36.0',
    type_vocab_size: 2,
    use_cache: true,
    vocab_size: vocabSize,
    collabmatch_random_seed: spec.seed,
  }
}

const SPECIAL_TOKENS_MAP = {
  cls_token: '[CLS]',
  mask_token: '[MASK]',
  pad_token: '[PAD]',
  sep_token: '[SEP]',
  unk_token: '[UNK]',
}

function tokenizerConfigJson(spec: BertSpec): unknown {
  return {
    ...SPECIAL_TOKENS_MAP,
    clean_up_tokenization_spaces: true,
    do_basic_tokenize: true,
    do_lower_case: true,
    model_max_length: spec.maxPositions,
    never_split: null,
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: 'BertTokenizer',
  }
}

function validateSpec(spec: BertSpec): void {
  const ints: (keyof BertSpec)[] = ['hiddenSize', 'layers', 'heads', 'intermediateSize', 'maxPositions']
  for (const k of ints) {
    const v = spec[k]
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw new Error(`BertSpec.${k} must be a positive integer`)
  }
  if (spec.hiddenSize % spec.heads !== 0) throw new Error('BertSpec.hiddenSize must be divisible by heads')
  if (!Number.isInteger(spec.seed)) throw new Error('BertSpec.seed must be an integer')
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

export async function generateBertModel(
  dir: string,
  spec: BertSpec,
  options: GenerateOptions = {},
): Promise<void> {
  validateSpec(spec)
  const vocab = buildVocab(spec)
  const weights = makeWeights(spec, vocab.length)
  const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`

  await mkdir(path.join(dir, 'onnx'), { recursive: true })
  await writeFile(path.join(dir, 'config.json'), json(configJson(spec, vocab.length)))
  await writeFile(path.join(dir, 'tokenizer.json'), json(tokenizerJson(vocab)))
  await writeFile(path.join(dir, 'tokenizer_config.json'), json(tokenizerConfigJson(spec)))
  await writeFile(path.join(dir, 'special_tokens_map.json'), json(SPECIAL_TOKENS_MAP))
  await writeFile(path.join(dir, 'vocab.txt'), `${vocab.join('\n')}\n`)
  await writeFile(path.join(dir, 'onnx', 'model.onnx'), buildModel(spec, vocab.length, weights, false))
  if (options.quantized ?? true) {
    await writeFile(
      path.join(dir, 'onnx', 'model_quantized.onnx'),
      buildModel(spec, vocab.length, weights, true),
    )
  }
}
