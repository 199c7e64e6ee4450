import { parseArgs } from 'node:util'
import { createServices } from '../app.js'
import { UsageError } from '../cli/import.js'
import { loadConfig } from '../config/config.js'
import type { Database } from '../infra/db/database.js'
import { AppError } from '../infra/http/errors.js'
import { schemaCheck } from '../infra/http/validation.js'
import { Email } from './schemas.js'

const USAGE = `usage:
  collabmatch admin create --email EMAIL [--name NAME] --password-stdin
  collabmatch admin promote --email EMAIL      make an existing account an admin`

/** What the HTTP routes accept as an email: the same schema, compiled the same way. */
const isEmail = schemaCheck(Email)

export interface AdminCliDeps {
  openDatabase?: () => Promise<Database>
  stdin?: AsyncIterable<string | Buffer>
  stdout?: { write(text: string): unknown }
  authSecret?: string
}

/** The first admin cannot be made over HTTP (nobody could authorize it), so it is made here. */
export async function runAdmin(argv: string[], deps: AdminCliDeps = {}): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  })
  const [action] = positionals
  const email = values.email?.trim()
  if (positionals.length !== 1 || !email) throw new UsageError(USAGE)
  if (!isEmail(email)) throw new UsageError(`not an email address: ${email}`)
  if (action === 'create' && !values['password-stdin']) {
    // A password on the command line would end up in shell history and the process list.
    throw new UsageError(`the password is read from stdin only\n${USAGE}`)
  }
  if (action !== 'create' && action !== 'promote') throw new UsageError(USAGE)
  const password = action === 'create' ? await readPassword(deps.stdin ?? process.stdin) : ''
  if (action === 'create' && (password.length < 10 || password.length > 200)) {
    throw new UsageError('the password must be 10 to 200 characters')
  }

  const database = await (deps.openDatabase ?? (await import('../cli/database.js')).openConfiguredDatabase)()
  const stdout = deps.stdout ?? process.stdout
  const perform = async () => {
    const services = createServices(database, { AUTH_SECRET: deps.authSecret ?? loadConfig().AUTH_SECRET })
    if (action === 'create') {
      const account = await services.accounts.create({
        email,
        password,
        displayName: values.name?.trim() || 'Administrator',
        role: 'admin',
      })
      stdout.write(`created admin account ${account.id} (${account.email})\n`)
    } else {
      const account = await services.accounts.promoteByEmail(email)
      stdout.write(`account ${account.id} (${account.email}) is now an admin\n`)
    }
  }
  try {
    await perform()
  } catch (error) {
    // An existing email or unknown account is the operator's mistake: one line, no stack.
    if (error instanceof AppError) throw new UsageError(error.message)
    throw error
  } finally {
    await database.close()
  }
}

async function readPassword(stdin: AsyncIterable<string | Buffer>): Promise<string> {
  let text = ''
  for await (const chunk of stdin) text += chunk.toString()
  return text.replace(/\r?\n$/, '')
}
