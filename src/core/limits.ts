/** Input limits every front end applies alike, so what one accepts and saves the others restore. */

/**
 * Largest concurrency C accepted anywhere: the CLI's flags, the extension's settings, its input boxes and
 * the report panel's messages. Lambda accounts go far lower; this only stops typos.
 */
export const MAX_CONCURRENCY = 1_000_000;
