/**
 * Lambda's resource limits, defined once. This file imports nothing, so the packed runtime (which ships
 * inside every function bundle and may import nothing else of ProPack) can use it too.
 */

/** Smallest memory size (MB). */
export const MIN_MEMORY_MB = 128;
/** Largest memory size (MB). */
export const MAX_MEMORY_MB = 10240;
/** Lambda allocates one vCPU per 1,769 MB (MB per vCPU), up to six. */
export const MB_PER_VCPU = 1769;
/** vCPUs at the largest memory size. */
export const MAX_VCPUS = 6;
