/**
 * The charts of both report pages as plain data (JSON in the HTML report, a message to the editor's panel):
 * src/report builds them from the models' answers, webview/chart-draw.ts only draws them.
 */

/** Every series role; each page's stylesheet defines the colour `--c-<role>` of each. */
export const SERIES_ROLES = ['model', 'measured', 'measured-alt', 'measured-alt2', 'noPacking', 'pywren', 'propack', 'oracle'] as const;

/** Which colour (a CSS custom property `--c-<role>`) and style a series gets, so builders and pages agree. */
export type SeriesRole = (typeof SERIES_ROLES)[number];

/** Colours of measured series in order; later series share the last colour and differ by marker shape. */
export const MEASURED_ROLES: readonly SeriesRole[] = ['measured', 'measured-alt', 'measured-alt2'];

/** A chart's id in its page: `<prefix>-<name>` (the HTML report has one prefix per benchmark), or the name alone. */
export function chartId(prefix: string, name: string): string {
  return prefix ? `${prefix}-${name}` : name;
}

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  label: string;
  role: SeriesRole;
  /** `line`: a model curve or a CDF; `points`: measurements, drawn as markers only. */
  style: 'line' | 'points';
  /** Draw the line as steps (CDFs). */
  stepped?: boolean;
  points: ChartPoint[];
  /** A hover text per point (same order as `points`), said after the point's coordinates. */
  notes?: string[];
}

/** A vertical mark across the plot at x, for "ProPack's p" and "oracle p". */
export interface ChartMarker {
  x: number;
  label: string;
  role: SeriesRole;
}

export interface ChartAxis {
  label: string;
  /** Logarithmic when values span orders of magnitude. */
  log?: boolean;
  /** Start the axis at zero. */
  fromZero?: boolean;
}

/** One chart: the series to draw plus the caption and equivalent data table shown beside it. */
export interface ChartSpec {
  /** Unique in the page; the canvas id is `chart-<id>`. */
  id: string;
  title: string;
  /** One or two sentences saying what the chart shows and how to read it. */
  caption: string;
  x: ChartAxis;
  y: ChartAxis;
  series: ChartSeries[];
  markers: ChartMarker[];
  /** The same data as a table, for screen readers and for copying numbers. */
  table: { columns: string[]; rows: (string | number)[][] };
}
