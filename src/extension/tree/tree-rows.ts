// What each row of the ProPack sidebar shows, as plain data: label, description, tooltip, icon, command.
// Pure (no `vscode`), so the tree's item building is unit-tested without the editor; propack-tree.ts turns
// rows into TreeItems (a row's `uri` is the editor's Uri, carried through untouched).
import type { DeclaredFunction } from '../../core/templates/declared';
import type { BenchmarkInfo } from '../../../benchmarks/types';
import { optimize } from '../../core/optimizer';
import { describeSource } from '../../core/profile';
import type { Profile } from '../../core/types';
import type { RunRecord } from '../../core/run-record';
import { declaredSettingsSummary, settingsSummary } from '../handlers/function-settings';
import { formatChange } from '../../report/format';
import { runDescription } from '../runs/run-files';
import type { ProPackSettings } from '../settings';

/** contextValue of each item kind; package.json menus key on these. */
export const ItemKind = {
  group: 'group',
  benchmark: 'benchmark',
  profile: 'profile',
  profileError: 'profileError',
  run: 'run',
  /** A workspace handler without a profile / with one. */
  handler: 'handler',
  handlerProfiled: 'handlerProfiled',
  deployedFunction: 'deployedFunction',
  info: 'info',
} as const;

/** A command a row runs on click, with its arguments. */
export interface RowCommand {
  command: string;
  title: string;
  arguments?: unknown[];
}

/** One row as data; `U` is the editor's Uri type. */
export interface Row<U = unknown> {
  id?: string;
  label: string;
  description?: string;
  /** Plain text; `markdown` rows are shown as (escaped) Markdown text. */
  tooltip?: { text: string; markdown: boolean };
  contextValue: string;
  /** A codicon id and optionally a theme color id. */
  icon: { id: string; color?: string };
  command?: RowCommand;
  resourceUri?: U;
  /** What a screen reader reads instead of the tooltip. */
  accessibilityLabel?: string;
}

/** A usable profile as the tree lists it. */
export interface ProfileRowEntry<U> {
  uri: U;
  key: string;
  profile: Profile;
}

/** The name the built-in benchmark's function (and profile) has once tried (see engine/demo.ts). */
export const benchmarkFunctionName = (benchmark: string): string => `propack-${benchmark}`;

/** The settings' question the rows answer. */
export type HintSettings = Pick<ProPackSettings, 'defaultConcurrency' | 'objective' | 'metric' | 'weights' | 'maxPackingDegree'>;

/** "p=12 at C=1000 · −63% time · −41% cost" from the settings' question, or undefined when the model cannot answer. */
export function recommendationHint(profile: Profile, s: HintSettings): string | undefined {
  try {
    const r = optimize(profile, {
      concurrency: s.defaultConcurrency,
      objective: s.objective,
      metric: s.metric,
      weights: s.weights,
      maxDegree: s.maxPackingDegree,
    });
    return `p=${r.packingDegree} at C=${s.defaultConcurrency} · ${formatChange(r.baseline.serviceTime, r.predicted.serviceTime)} time · ${formatChange(r.baseline.cost, r.predicted.cost)} cost`;
  } catch {
    return undefined;
  }
}

const markdown = (text: string): Row['tooltip'] => ({ text, markdown: true });
const fileOf = (key: string): string => key.split('/').pop() ?? key;

/** A built-in benchmark, tried (its profile opens on click) or not yet. */
export function benchmarkRow<U>(b: BenchmarkInfo, tried: ProfileRowEntry<U> | undefined, s: HintSettings): Row<U> {
  const hint = tried ? recommendationHint(tried.profile, s) : undefined;
  return {
    id: `propack.benchmark.${b.name}`,
    label: b.name,
    description: tried ? `${b.bound}-bound · ${hint ?? 'profiled'}` : `${b.bound}-bound · try it`,
    tooltip: markdown(
      `${b.title}\n${b.taskDescription}\n` +
        (tried
          ? `Profile: ${tried.key} (click to open its report). Try it again with the ▷ action.`
          : 'Try it (▷): deploys it on the embedded local platform, profiles it, runs it unpacked, PyWren-style and packed, and opens the report. No account needed; about a minute.'),
    ),
    contextValue: ItemKind.benchmark,
    icon: { id: 'beaker' },
    ...(tried ? { command: { command: 'propack.openReport', title: 'Open Report', arguments: [tried.uri] } } : {}),
  };
}

/** A usable profile: its file and the settings' recommendation. */
export function profileRow<U>(entry: ProfileRowEntry<U>, s: HintSettings): Row<U> {
  const { profile } = entry;
  const file = fileOf(entry.key);
  const hint = recommendationHint(profile, s);
  return {
    id: `propack.profile.${entry.key}`,
    label: profile.function.name,
    description: hint ? `${file} · ${hint}` : file,
    tooltip: markdown(
      `${entry.key}\nmeasured: ${describeSource(profile.source)}, ${profile.source.createdAt}\n` +
        `${profile.scaling.runs.length} scaling runs, packing degrees up to ${Math.max(...profile.packing.samples.map((x) => x.degree))}` +
        (hint ? `\nrecommended: ${hint} against no packing` : '') +
        settingsSummary(profile.function)
          .map((l) => `\n${l}`)
          .join(''),
    ),
    resourceUri: entry.uri,
    contextValue: ItemKind.profile,
    icon: { id: 'graph-line' },
    command: { command: 'propack.openReport', title: 'Open Report', arguments: [entry.uri] },
  };
}

/** A profile file that cannot be used, with the parser's reason. */
export function profileErrorRow<U>(entry: { uri: U; key: string; reason: string }): Row<U> {
  return {
    id: `propack.profileError.${entry.key}`,
    label: fileOf(entry.key),
    // The row already names the file: show the reason without the file prefix the parser adds.
    description: entry.reason.startsWith(`${entry.key}: `) ? entry.reason.slice(entry.key.length + 2) : entry.reason,
    tooltip: markdown(`${entry.key} cannot be used:\n${entry.reason}`),
    contextValue: ItemKind.profileError,
    icon: { id: 'error', color: 'list.errorForeground' },
    command: { command: 'propack.openProfileFile', title: 'Open Profile File', arguments: [entry.uri] },
  };
}

/** A workspace handler: profiled (with the recommendation), not yet, or refused by the bundler (why). */
export function handlerRow<U>(
  h: { functionName: string; exportName: string; declared?: DeclaredFunction },
  file: string,
  profiled: ProfileRowEntry<U> | undefined,
  refused: { reason: string; short: string } | undefined,
  s: HintSettings,
): Row<U> {
  const hint = profiled ? recommendationHint(profiled.profile, s) : undefined;
  return {
    id: `propack.handler.${file}#${h.exportName}`,
    label: h.functionName,
    // Say before the click that Profile would refuse the file (Python, TypeScript) and why.
    description: profiled ? (hint ?? 'profiled') : `${file} · ${refused ? refused.short : 'not profiled'}`,
    tooltip: markdown(
      `${file}, export ${h.exportName}\n` +
        (profiled
          ? `profile: ${profiled.key}`
          : refused
            ? `cannot be profiled as it is: ${refused.reason}`
            : 'no profile yet: profile it (the beaker action) to get a packing degree') +
        // Where each setting comes from (the template's path, or ProPack's default), before anyone profiles it.
        (h.declared
          ? declaredSettingsSummary(h.declared)
              .map((l) => `\n${l}`)
              .join('')
          : ''),
    ),
    contextValue: profiled ? ItemKind.handlerProfiled : ItemKind.handler,
    icon: { id: profiled ? 'symbol-function' : 'symbol-method' },
  };
}

/** A function deployed on the selected platform. */
export function deployedRow(functionName: string, platform: string): Row<never> {
  return {
    id: `propack.deployed.${functionName}`,
    label: functionName,
    description: `deployed on ${platform}`,
    tooltip: { text: `${functionName} is deployed on ${platform}`, markdown: false },
    contextValue: ItemKind.deployedFunction,
    icon: { id: 'cloud' },
  };
}

/** A row that explains (and, with `command`, offers) what would fill an empty group. */
export function infoRow(label: string, tooltip: string, options: { description?: string; command?: RowCommand } = {}): Row<never> {
  return {
    label,
    tooltip: { text: tooltip, markdown: false },
    ...(options.description ? { description: options.description } : {}),
    ...(options.command ? { command: options.command } : {}),
    // Read what the row shows (the tooltip, a paragraph, would otherwise be the row's accessible name).
    accessibilityLabel: options.description ? `${label}: ${options.description}` : label,
    contextValue: ItemKind.info,
    icon: { id: 'info' },
  };
}

/** A saved run (its record when it could be read, else its file name); opens the file on click. */
export function runRow<U>(entry: { uri: U; key: string }, record: RunRecord | undefined): Row<U> {
  return {
    id: `propack.run.${entry.key}`,
    label: record ? `${record.functionName} · ${record.label}` : fileOf(entry.key),
    ...(record
      ? {
          description: runDescription(record),
          tooltip: markdown(
            `${entry.key}\n${record.platform}, ${record.createdAt}` +
              (record.predicted
                ? `\npredicted ${record.predicted.serviceTime.toFixed(2)} s, $${record.predicted.cost.toPrecision(3)}`
                : ''),
          ),
        }
      : {}),
    resourceUri: entry.uri,
    contextValue: ItemKind.run,
    icon: { id: 'run-all' },
    command: { command: 'vscode.open', title: 'Open', arguments: [entry.uri] },
  };
}

/** The Profiles group's row when there is no profile. */
export function noProfileRow(): Row<never> {
  return infoRow(
    'no profile yet',
    "A profile holds a function's measured scaling and packing behaviour; ProPack picks the packing degree from it. Profile a function (the beaker on its row under Functions) or try a benchmark. Profiles are saved in .propack/profiles/*.json, plain JSON meant to be committed.",
    { description: 'profile a function', command: { command: 'propack.profileFunction', title: 'Profile Function' } },
  );
}

/** The Runs group's row when nothing has run: Run Packed needs a profile, so it offers profiling first when there is none. */
export function noRunRow(profiled: boolean): Row<never> {
  const tooltip =
    'Run Packed executes C invocations at the recommended packing degree and, for comparison, without packing; each run is saved in .propack/runs/ with its measured service time and cost.';
  return profiled
    ? infoRow('no run yet', tooltip, {
        description: 'Run Packed on a profile',
        command: { command: 'propack.runPacked', title: 'Run Packed' },
      })
    : infoRow('no run yet', tooltip, {
        description: 'profile a function first',
        command: { command: 'propack.profileFunction', title: 'Profile Function' },
      });
}

/** The Functions group's row when no handler was found. */
export function noHandlerRow(): Row<never> {
  return infoRow(
    'no handler found',
    'ProPack looks for exported "handler" / "lambda_handler" functions in .js, .ts and .py files, and for the handlers template.yaml or serverless.yml name.',
    {
      description: 'write one, or try a benchmark',
      command: { command: 'propack.tryBenchmarks', title: 'Try the Built-in Benchmarks' },
    },
  );
}
