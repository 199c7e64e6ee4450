import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { loadTransformersEmbedder } from '../../src/infra/embedder/transformers-embedder.js'
import { TEST_MODEL_ID } from '../../src/models/cli.js'
import { DownloadError, downloadModel } from '../../src/models/download.js'
import { testModelsDir } from '../helpers/model.js'

/** A stand-in hub on loopback serving the generated model in the hub's URL layout. */
async function fakeHub(t: Test, source: string) {
  const requests: string[] = []
  const server = createServer((request, response) => {
    requests.push(request.url ?? '')
    const match = /^\/fake\/bert\/resolve\/main\/(.+)$/.exec(request.url ?? '')
    const file = match ? join(source, match[1]!) : null
    if (!file || !existsSync(file)) return void response.writeHead(404).end()
    const body = readFileSync(file)
    response.writeHead(200, { 'content-length': body.length }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}

t.test(
  'downloads a model into the transformers.js layout, loadable offline, and skips what is there',
  async (t) => {
    const source = join(await testModelsDir(), TEST_MODEL_ID)
    const hub = await fakeHub(t, source)
    const modelsDir = mkdtempSync(join(tmpdir(), 'collabmatch-download-'))
    t.teardown(() => rmSync(modelsDir, { recursive: true, force: true }))
    const progress: string[] = []
    const written = await downloadModel({
      modelId: 'fake/bert',
      modelsDir,
      dtypes: ['fp32'],
      hubUrl: hub.url,
      onProgress: (file) => progress.push(file),
    })
    t.same(written.map((p) => p.slice(modelsDir.length + 1)).sort(), [
      'fake/bert/config.json',
      'fake/bert/onnx/model.onnx',
      'fake/bert/special_tokens_map.json',
      'fake/bert/tokenizer.json',
      'fake/bert/tokenizer_config.json',
    ])
    t.ok(progress.includes('onnx/model.onnx'), 'progress is reported per file')
    const embedder = await loadTransformersEmbedder({
      modelsDir,
      modelId: 'fake/bert',
      dtype: 'fp32',
      threads: 1,
    })
    t.teardown(() => embedder.close())
    t.equal((await embedder.embed(['works offline']))[0]?.length, 384)

    const before = hub.requests.length
    t.same(await downloadModel({ modelId: 'fake/bert', modelsDir, dtypes: ['fp32'], hubUrl: hub.url }), [])
    t.equal(hub.requests.length, before, 'nothing fetched again')
  },
)

t.test('offline, a missing file or a bad id: a clear error and no half-written files', async (t) => {
  const modelsDir = mkdtempSync(join(tmpdir(), 'collabmatch-download-'))
  t.teardown(() => rmSync(modelsDir, { recursive: true, force: true }))
  const offline = (() =>
    Promise.reject(new TypeError('fetch failed', { cause: 'ENOTFOUND' }))) as typeof fetch
  const error = await downloadModel({ modelId: 'a/b', modelsDir, dtypes: ['q8'], fetchImpl: offline }).catch(
    (e) => e,
  )
  t.ok(error instanceof DownloadError)
  t.match(error.message, /Are you offline\?/)

  const hub = await fakeHub(t, join(modelsDir, 'nothing'))
  const missing = await downloadModel({
    modelId: 'fake/bert',
    modelsDir,
    dtypes: ['q8'],
    hubUrl: hub.url,
  }).catch((e) => e)
  t.match(missing.message, /answered 404/)
  t.notOk(existsSync(join(modelsDir, 'fake', 'bert', 'config.json.partial')))

  const bad = await downloadModel({ modelId: '../../etc', modelsDir, dtypes: ['q8'] }).catch((e) => e)
  t.match(bad.message, /not a model id/)
})
