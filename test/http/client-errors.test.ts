import { connect } from 'node:net'
import t from 'tap'
import { buildListening } from '../helpers/realtime.js'

/** Sends raw bytes and reads the whole answer until the server closes the connection. */
function raw(url: string, request: Buffer): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request))
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', body = ''] = text.split('\r\n\r\n')
      resolve({
        status: Number(head.split(' ')[1]),
        type: /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '',
        body,
      })
    })
  })
}

t.test('requests the HTTP parser refuses are answered in the error shape', async (t) => {
  const { url } = await buildListening(t)
  const malformed = await raw(
    url,
    Buffer.concat([
      Buffer.from('GET /v1/researchers?q='),
      Buffer.from([0xc3, 0xa9]),
      Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
    ]),
  )
  t.equal(malformed.status, 400)
  t.match(malformed.type, /application\/json/)
  t.equal(JSON.parse(malformed.body).error.code, 'MALFORMED_REQUEST')

  const huge = await raw(
    url,
    Buffer.from(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
  )
  t.equal(huge.status, 431)
  t.equal(JSON.parse(huge.body).error.code, 'HEADERS_TOO_LARGE')

  const fine = await raw(url, Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
  t.equal(fine.status, 200, 'the server still answers')
})
