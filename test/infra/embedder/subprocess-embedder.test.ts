import { existsSync, readdirSync } from 'node:fs'
import t, { type Test } from 'tap'
import { EmbedProcessError } from '../../../src/infra/embedder/embed-protocol.js'
import { EmbedderStoppedError, SubprocessEmbedder } from '../../../src/infra/embedder/subprocess-embedder.js'
import { TEST_MODEL_ID } from '../../../src/models/cli.js'
import { testModelsDir } from '../../helpers/model.js'
import { isAlive } from '../../helpers/processes.js'

const start = async (t: Test, threads = 1) => {
  const embedder = await SubprocessEmbedder.start({
    modelsDir: await testModelsDir(),
    modelId: TEST_MODEL_ID,
    dtype: 'fp32',
    threads,
  })
  t.teardown(() => embedder.close())
  return embedder
}

/** Texts near the tiny model's 128-token maximum: a batch of them takes the model a while. */
const longTexts = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    Array.from({ length: 110 }, (_, j) => `word${(i * 7 + j) % 50} protein`).join(' '),
  )

const noProc = !existsSync('/proc/self/task') && 'needs /proc to count threads'

t.test(
  'EMBEDDING_THREADS reaches onnxruntime: each extra intra-op thread is an OS thread',
  { skip: noProc },
  async (t) => {
    const osThreads = (pid: number) => readdirSync(`/proc/${pid}/task`).length
    const one = await start(t, 1)
    const three = await start(t, 3)
    // onnxruntime's intra-op pool runs threads - 1 workers beside the caller; everything else in the
    // two processes is the same code doing the same work.
    t.equal(osThreads(three.pid!) - osThreads(one.pid!), 2)
  },
)

t.test('the caller’s event loop keeps turning while a batch embeds', async (t) => {
  const embedder = await start(t)
  let ticks = 0
  let done = false
  const spin = () => {
    ticks++
    if (!done) setImmediate(spin)
  }
  setImmediate(spin)
  const vectors = await embedder.embed(longTexts(48))
  done = true
  t.equal(vectors.length, 48)
  // Inference in this thread would finish with no turn of the loop at all (onnxruntime-node runs
  // the session synchronously inside process.nextTick).
  t.ok(ticks > 20, `${ticks} turns of the event loop while embedding`)
})

t.test('an error inside the embedding process rejects that call only', async (t) => {
  const embedder = await start(t)
  const error = await embedder.embed([42 as unknown as string]).catch((e: unknown) => e)
  t.ok(error instanceof EmbedProcessError, String(error))
  t.equal((await embedder.embed(['still working']))[0]?.length, 384)
})

t.test('a crashed embedding process fails the calls it owed; the next call starts a new one', async (t) => {
  const embedder = await start(t)
  const before = embedder.pid!
  const owed = [embedder.embed(longTexts(48)), embedder.embed(['queued behind it'])].map((call) =>
    call.catch((e: unknown) => e),
  )
  process.kill(before, 'SIGKILL')
  for (const call of owed) {
    const error = await call
    t.ok(error instanceof EmbedderStoppedError)
    t.match((error as Error).message, /SIGKILL.*next call starts a new one/)
  }
  const [vector] = await embedder.embed(['after the crash'])
  t.equal(vector?.length, 384)
  t.not(embedder.pid, before)
})

t.test('close() stops the process and fails what it owed; a later call starts a new one', async (t) => {
  const embedder = await start(t)
  const pid = embedder.pid!
  const owed = embedder.embed(longTexts(48)).catch((e: unknown) => e)
  await embedder.close()
  t.match(await owed, { name: 'EmbedderStoppedError', message: /closed/ })
  t.equal(embedder.pid, undefined)
  t.notOk(isAlive(pid), 'the process is gone')
  t.equal((await embedder.embed(['again']))[0]?.length, 384)
})
