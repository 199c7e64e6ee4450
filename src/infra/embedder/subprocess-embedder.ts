import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type EmbedReply, type EmbedRequest, fromWire } from './embed-protocol.js'
import type { Embedder, EmbeddingDtype } from './embedder.js'
import { assertModelFilesPresent, type TransformersEmbedderOptions } from './pipeline-embedder.js'

/** The embedding process stopped (crashed, or was closed) before answering. */
export class EmbedderStoppedError extends Error {
  override name = 'EmbedderStoppedError'
}

/**
 * Forks the entry next to this file: `embed-process.js` in the build, `embed-process.ts` from
 * source, where the child inherits tsx's loader through the parent's execArgv.
 */
function forkEmbedProcess(options: TransformersEmbedderOptions): ChildProcess {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js'
  const entry = fileURLToPath(new URL(`./embed-process.${extension}`, import.meta.url))
  // 'advanced' serialisation carries Float32Arrays as they are instead of as JSON objects.
  return fork(entry, [JSON.stringify(options)], { serialization: 'advanced' })
}

interface Pending<T> {
  resolve: (value: T) => void
  reject: (error: Error) => void
}

/** One child process holding one loaded model, and the requests it has not answered yet. */
class EmbedProcess {
  readonly ready: Promise<number>
  private readonly child: ChildProcess
  private readonly pending = new Map<number, Pending<Float32Array[]>>()
  private nextId = 0
  private loading = true
  private closing = false
  private settleLoad: Pending<number> | undefined

  constructor(options: TransformersEmbedderOptions, onExit: () => void) {
    this.child = forkEmbedProcess(options)
    this.ready = new Promise<number>((resolve, reject) => {
      this.settleLoad = { resolve, reject }
    })
    this.ready.catch(() => {}) // reported to whoever awaits `ready`
    this.child.on('message', (message: EmbedReply) => {
      if (this.closing) return
      if (message.kind === 'ready') {
        this.loading = false
        this.settleLoad?.resolve(message.dimensions)
      } else if (message.kind === 'failed') {
        this.settleLoad?.reject(fromWire(message.error))
        this.child.kill()
      } else {
        const call = this.pending.get(message.id)
        this.pending.delete(message.id)
        if (message.kind === 'vectors') call?.resolve(message.vectors)
        else call?.reject(fromWire(message.error))
      }
      this.holdParent()
    })
    let spawnError: Error | undefined
    this.child.on('error', (error) => {
      spawnError = error
    })
    this.child.on('exit', (code, signal) => {
      this.abandon(
        new EmbedderStoppedError(
          `the embedding process stopped (${signal ?? `exit code ${code}`})` +
            `${spawnError ? `: ${spawnError.message}` : ''}; the next call starts a new one`,
        ),
      )
      onExit()
    })
    this.holdParent()
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    if (this.closing) return Promise.reject(new EmbedderStoppedError('the embedder was closed'))
    const id = this.nextId++
    const result = new Promise<Float32Array[]>((resolve, reject) => this.pending.set(id, { resolve, reject }))
    this.child.send({ id, texts } satisfies EmbedRequest)
    this.holdParent()
    return result
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    // Whatever the process still answers is dropped: a closed embedder owes nothing.
    this.abandon(new EmbedderStoppedError('the embedder was closed'))
    this.closing = true
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.ref() // an unreferenced child would let this process end before 'exit' arrives
    this.child.kill()
    await exited
  }

  private abandon(error: Error): void {
    this.settleLoad?.reject(error)
    for (const call of this.pending.values()) call.reject(error)
    this.pending.clear()
  }

  /** An idle embedding process must not keep the service's process alive; one that owes an answer must. */
  private holdParent(): void {
    const busy = this.loading || this.pending.size > 0
    for (const handle of [this.child, this.child.channel]) {
      if (busy) handle?.ref()
      else handle?.unref()
    }
  }
}

/**
 * Runs the transformers.js model in a child process, so inference (hundreds of milliseconds per
 * batch on a CPU) never blocks the event loop that serves HTTP and Socket.IO. Calls are queued and
 * answered in order.
 *
 * A process rather than a worker thread: onnxruntime-node 1.14's native binding cannot be loaded
 * again in a new worker once one has exited (it aborts or corrupts the heap), so a worker could
 * be neither restarted after a crash nor closed and reopened, and two embedders in one process
 * (tests, bench:embed) would share that binding. A process also keeps a crash in native code away
 * from the service.
 *
 * If the process dies, the calls it owed fail with EmbedderStoppedError and the next call starts
 * a new one (loading the model again). `close()` stops the process; the embedder stays usable and
 * starts a new one on its next call. The child exits by itself when its parent does.
 */
export class SubprocessEmbedder implements Embedder {
  private current: EmbedProcess | null = null

  private constructor(
    private readonly options: TransformersEmbedderOptions,
    readonly dimensions: number,
  ) {}

  get modelId(): string {
    return this.options.modelId
  }

  get dtype(): EmbeddingDtype {
    return this.options.dtype
  }

  /** The operating-system process running the model now, if one is running. */
  get pid(): number | undefined {
    return this.current?.pid
  }

  /** Loads the model in a new process; fails as the in-process loader would (missing files, dimensions). */
  static async start(options: TransformersEmbedderOptions): Promise<SubprocessEmbedder> {
    assertModelFilesPresent(options)
    let embedder: SubprocessEmbedder | undefined
    const first = new EmbedProcess(options, () => embedder?.forget(first))
    embedder = new SubprocessEmbedder(options, await first.ready)
    embedder.current = first
    return embedder
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return []
    const process = this.current ?? this.restart()
    await process.ready
    return process.embed(texts)
  }

  async close(): Promise<void> {
    const process = this.current
    this.current = null
    await process?.stop()
  }

  private restart(): EmbedProcess {
    const process = new EmbedProcess(this.options, () => this.forget(process))
    this.current = process
    return process
  }

  private forget(process: EmbedProcess): void {
    if (this.current === process) this.current = null
  }
}
