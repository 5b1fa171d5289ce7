/**
 * The charts of the HTML report as plain data: the engine builds them (it has the models), the page script
 * (`webview/report-page.ts`) only draws them. Types only, so the browser bundle imports nothing from here.
 */

/** Which colour (a CSS custom property `--c-<role>`) and style a series gets, so both sides agree. */
export type SeriesRole = 'model' | 'measured' | 'measured-alt' | 'measured-alt2' | 'noPacking' | 'pywren' | 'propack' | 'oracle';

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
