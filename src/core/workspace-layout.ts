/** Where ProPack keeps its files in a workspace, relative to its root ('/'-separated, as globs want them). */

/** ProPack's folder in a workspace. */
export const PROPACK_FOLDER = '.propack';
/** Profiles: `<function>.json`, plain JSON meant to be committed. */
export const PROFILES_FOLDER = `${PROPACK_FOLDER}/profiles`;
/** Runs: `<id>.json` records and `<id>/` journals. */
export const RUNS_FOLDER = `${PROPACK_FOLDER}/runs`;
/** The embedded local platform's data (deployed functions, S3 objects). */
export const LOCAL_PLATFORM_FOLDER = `${PROPACK_FOLDER}/local`;
/** pip's vendored requirements of Python packages, one folder per requirements.txt and target (a cache, safe to delete). */
export const PIP_CACHE_FOLDER = `${PROPACK_FOLDER}/cache/pip`;
