import { type SQL, type SQLWrapper, sql } from 'drizzle-orm'
import { researcherSuspensions } from '../../db/schema/index.js'

/**
 * The one definition of "this record is suspended", for the repositories that leave suspended
 * records out (matching, claims, invitations, profiles): a primary-key probe per record.
 */
export const isSuspended = (researcherId: SQLWrapper): SQL =>
  sql`exists (select 1 from ${researcherSuspensions} where ${researcherSuspensions.researcherId} = ${researcherId})`

export const notSuspended = (researcherId: SQLWrapper): SQL => sql`not ${isSuspended(researcherId)}`
