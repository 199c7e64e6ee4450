import { AsyncLocalStorage } from 'node:async_hooks'
import { statSync } from 'node:fs'

/** The session transformers.js should create: from this file, with this many intra-op threads. */
export interface SessionFromFile {
  path: string
  /** onnxruntime intra-op threads; 0 lets onnxruntime choose. */
  threads: number
}

type Create = (model: unknown, options?: object) => Promise<unknown>
type PatchedCreate = Create & { [contextKey]?: AsyncLocalStorage<SessionFromFile> }
const contextKey = Symbol.for('collabmatch.onnxSessionFromFile')
interface OnnxModule {
  InferenceSession: { create: PatchedCreate }
}

/**
 * Runs `load` (a transformers.js model load) so that the onnxruntime session it creates honours
 * `session.threads`.
 *
 * transformers.js 2.x reads the model file itself and passes the bytes to
 * `InferenceSession.create`, and onnxruntime-node 1.14 ignores every session option (threads
 * included) for a model given as bytes. transformers.js offers no hook for session creation, so
 * `InferenceSession.create` of the onnxruntime-node instance it imports has to be wrapped. The
 * wrapper is installed once per module instance (idempotent) and holds no settings of its own:
 * each load passes its file and thread count through an AsyncLocalStorage kept on the wrapper, so
 * two embedders in one thread never see each other's settings, and sessions created outside
 * `withSessionFromFile` go to onnxruntime untouched.
 */
export async function withSessionFromFile<T>(session: SessionFromFile, load: () => Promise<T>): Promise<T> {
  // The same expression transformers.js (src/backends/onnx.js) uses, so both reach the same object.
  const module = (await import('onnxruntime-node')) as unknown as { default?: OnnxModule } & OnnxModule
  const onnx = module.default ?? module
  return sessionContext(onnx.InferenceSession).run(session, load)
}

function sessionContext(sessions: { create: PatchedCreate }): AsyncLocalStorage<SessionFromFile> {
  const installed = sessions.create[contextKey]
  if (installed) return installed
  const context = new AsyncLocalStorage<SessionFromFile>()
  const original = sessions.create.bind(sessions)
  const create: Create = async (model, options) => {
    const wanted = context.getStore()
    if (!wanted || !(model instanceof Uint8Array)) return original(model, options)
    // Loading from the file rather than the bytes is what makes onnxruntime read the options.
    const size = statSync(wanted.path).size
    if (size !== model.byteLength) {
      throw new Error(
        `transformers.js loaded a ${model.byteLength}-byte ONNX model, not ${wanted.path} (${size} bytes); ` +
          'only single-file encoder models are supported',
      )
    }
    return original(wanted.path, {
      ...options,
      // transformers.js asks for ['cpu', 'wasm']; onnxruntime-node rejects 'wasm' once it reads options.
      executionProviders: ['cpu'],
      intraOpNumThreads: wanted.threads,
      interOpNumThreads: 1,
    })
  }
  sessions.create = Object.assign(create, { [contextKey]: context })
  return context
}
