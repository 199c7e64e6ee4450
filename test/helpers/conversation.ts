import type { FastifyInstance } from 'fastify'
import type { InvitationView } from '../../src/realtime/contract.js'
import type { Member } from './members.js'

/** Invite over HTTP and accept: the conversation id of a fresh pair. */
export async function openConversation(app: FastifyInstance, from: Member, to: Member): Promise<number> {
  const sent = await app.inject({
    method: 'POST',
    url: '/v1/invitations',
    headers: { authorization: `Bearer ${from.token}` },
    payload: { inviteeResearcherId: to.researcherId, message: 'Let us talk' },
  })
  if (sent.statusCode !== 201) throw new Error(`invite failed: ${sent.body}`)
  const accepted = await app.inject({
    method: 'POST',
    url: `/v1/invitations/${(sent.json() as InvitationView).id}/accept`,
    headers: { authorization: `Bearer ${to.token}` },
  })
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.body}`)
  return (accepted.json() as InvitationView).conversationId!
}

/** The same, against a server in another process: `openConversation` over real HTTP. */
export function openConversationOverHttp(url: string, from: Member, to: Member): Promise<number> {
  const inject = async (options: {
    method: string
    url: string
    headers: Record<string, string>
    payload?: object
  }) => {
    const res = await fetch(`${url}${options.url}`, {
      method: options.method,
      headers: { ...options.headers, ...(options.payload ? { 'content-type': 'application/json' } : {}) },
      ...(options.payload ? { body: JSON.stringify(options.payload) } : {}),
    })
    const body = await res.text()
    return { statusCode: res.status, body, json: () => JSON.parse(body) }
  }
  return openConversation({ inject } as never, from, to)
}
