// Chart colours from the editor theme: the page reads the --vscode-* variables VS Code sets on <html>.

/** Colours the charts use, resolved from the current theme. */
export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  primary: string;
  secondary: string;
  accent: string;
  font: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Reads the theme now (call again after a theme change). */
export function readTheme(): ChartTheme {
  return {
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    muted: cssVar('--vscode-descriptionForeground', '#9d9d9d'),
    grid: cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'),
    primary: cssVar('--vscode-charts-blue', '#3794ff'),
    secondary: cssVar('--vscode-charts-orange', '#d18616'),
    accent: cssVar('--vscode-charts-red', '#f14c4c'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
  };
}
