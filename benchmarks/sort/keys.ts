import { pad } from '../shared/sizes';

/** Object keys of a sort job, shared by the generator, both phases and the check. */
export const sortKeys = {
  split: (prefix: string, m: number) => `${prefix}/input/split-${pad(m)}.bin`,
  run: (prefix: string, partition: number, m: number) => `${prefix}/runs/p-${pad(partition)}/m-${pad(m)}.bin`,
  output: (prefix: string, partition: number) => `${prefix}/output/part-${pad(partition)}.bin`,
  manifest: (prefix: string) => `${prefix}/manifest.json`,
};
