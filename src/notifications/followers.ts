/**
 * Who follows a researcher. Follows belong to the accounts capability; the realtime fan-out only
 * needs this question answered, so it is injected (the app's composition root wires the real one).
 */
export interface FollowersLookup {
  /** Follower accounts per researcher; researchers nobody follows may be absent. */
  followersOf(researcherIds: readonly number[]): Promise<Map<number, number[]>>
}

/** Until follows exist there is nobody to tell. */
export const noFollowers: FollowersLookup = {
  async followersOf() {
    return new Map()
  },
}
