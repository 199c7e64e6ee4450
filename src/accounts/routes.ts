import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal, requireRole } from '../infra/auth/plugin.js'
import type { RouteRateLimit } from '../infra/http/rate-limit.js'
import { commonErrors, IdParams } from '../shared/schemas.js'
import {
  Account,
  AccountDeletionBody,
  AccountPatchBody,
  LoginBody,
  Me,
  PasswordChangeBody,
  PasswordResetAccepted,
  PasswordResetBody,
  PasswordResetRequestBody,
  RefreshBody,
  RegisterBody,
  RoleBody,
  Session,
} from './schemas.js'
import { type AccountsService, PASSWORD_RESET_TTL_MS } from './service.js'

const err = Type.Ref('ErrorResponse')

export const accountsRoutes: FastifyPluginAsyncTypebox<{
  accounts: AccountsService
  rateLimit: RouteRateLimit
}> = async (app, { accounts, rateLimit }) => {
  const limited = { rateLimit }

  app.post(
    '/v1/auth/register',
    {
      config: limited,
      schema: {
        tags: ['accounts'],
        summary: 'Create a researcher account and log in',
        body: RegisterBody,
        response: { 201: Session, 409: err, 429: err, ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.register(request.body)),
  )

  app.post(
    '/v1/auth/login',
    {
      config: limited,
      schema: {
        tags: ['accounts'],
        summary: 'Exchange email and password for an access and a refresh token',
        body: LoginBody,
        response: { 200: Session, 401: err, 429: err, ...commonErrors },
      },
    },
    async (request) => accounts.login(request.body.email, request.body.password),
  )

  app.post(
    '/v1/auth/refresh',
    {
      config: limited,
      schema: {
        tags: ['accounts'],
        summary: 'Trade a refresh token (once) for a new pair',
        body: RefreshBody,
        response: { 200: Session, 401: err, 429: err, ...commonErrors },
      },
    },
    async (request) => accounts.refresh(request.body.refreshToken),
  )

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke a refresh token; access tokens expire on their own',
        body: RefreshBody,
        response: { 204: Type.Null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      await accounts.logout(request.body.refreshToken)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The calling account',
        response: { 200: Me, 401: err, ...commonErrors },
      },
    },
    async (request) => accounts.me(requirePrincipal(request)),
  )

  app.patch(
    '/v1/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change the display name (what followers lists show)',
        body: AccountPatchBody,
        response: { 200: Me, 401: err, ...commonErrors },
      },
    },
    async (request) => accounts.rename(requirePrincipal(request), request.body.displayName),
  )

  app.delete(
    '/v1/me',
    {
      // Limited like login: the password is checked again, and must not be guessable through it.
      config: limited,
      schema: {
        tags: ['accounts'],
        summary:
          'Delete the calling account: its claim is let go, its sessions end; messages it sent stay without a sender',
        body: AccountDeletionBody,
        response: { 204: Type.Null(), 401: err, 403: err, 429: err, ...commonErrors },
      },
    },
    async (request, reply) => {
      await accounts.deleteAccount(requirePrincipal(request), request.body.password)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/v1/auth/password-reset',
    {
      config: limited,
      schema: {
        tags: ['accounts'],
        summary:
          'Mail a one-use password reset token (the same answer whether or not the address has an account)',
        body: PasswordResetRequestBody,
        response: { 202: PasswordResetAccepted, 429: err, ...commonErrors },
      },
    },
    async (request, reply) => {
      await accounts.requestPasswordReset(request.body.email)
      return reply.status(202).send({
        message: `If an account has this address, a reset token is on its way; it works once, for ${PASSWORD_RESET_TTL_MS / 60_000} minutes`,
      })
    },
  )

  app.post(
    '/v1/auth/password-reset/confirm',
    {
      config: limited,
      schema: {
        tags: ['accounts'],
        summary: 'Set a new password with a mailed token; every session ends and a new one is returned',
        body: PasswordResetBody,
        response: { 200: Session, 429: err, ...commonErrors },
      },
    },
    async (request) => accounts.resetPassword(request.body.token, request.body.newPassword),
  )

  app.post(
    '/v1/me/password',
    {
      // Limited like login: a stolen access token must not become a password oracle.
      config: limited,
      schema: {
        tags: ['accounts'],
        summary: 'Change the password; every session ends and a new one is returned',
        body: PasswordChangeBody,
        response: { 200: Session, 401: err, 403: err, 429: err, ...commonErrors },
      },
    },
    async (request) =>
      accounts.changePassword(
        requirePrincipal(request),
        request.body.currentPassword,
        request.body.newPassword,
      ),
  )

  app.put(
    '/v1/admin/accounts/:id/role',
    {
      schema: {
        tags: ['admin'],
        summary: 'Give an account a role (e.g. programme_officer)',
        params: IdParams,
        body: RoleBody,
        response: { 200: Account, 401: err, 403: err, 404: err, 409: err, ...commonErrors },
      },
    },
    async (request) =>
      accounts.changeRole(requireRole(request, 'admin'), request.params.id, request.body.role),
  )
}
