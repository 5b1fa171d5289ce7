/** Input limits every front end applies alike, so what one accepts and saves the others restore. */

/**
 * Largest concurrency C accepted anywhere: the CLI's flags, the extension's settings, its input boxes and
 * the report panel's messages. Lambda accounts go far lower; this only stops typos.
 */
export const MAX_CONCURRENCY = 1_000_000;

/**
 * Lambda's default account concurrency (environments busy at once): every model assumes it when a profile
 * records no limit, and says the limit was assumed.
 */
export const DEFAULT_ACCOUNT_LIMIT = 1000;

/** The account concurrency a profile runs under (instances at once), and whether Lambda's default was assumed. */
export function accountLimitOf(profile: { concurrencyLimit?: number }): { limit: number; assumed: boolean } {
  return profile.concurrencyLimit === undefined
    ? { limit: DEFAULT_ACCOUNT_LIMIT, assumed: true }
    : { limit: profile.concurrencyLimit, assumed: false };
}
