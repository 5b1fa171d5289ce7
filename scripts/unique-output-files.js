// @ts-check
'use strict';
/**
 * A webpack plugin for multi-compiler builds: fails the build when two configurations would write the same
 * output file. One instance is shared by every configuration (`plugins: [check]` in each); it remembers which
 * configuration claimed each absolute output path and turns a second claim into a compilation error, and the
 * configuration that lost the race emits nothing, so it cannot overwrite the first one's file.
 *
 * Why: webpack only checks collisions inside one compilation. Two node configurations that both emitted lazy
 * chunks named `[id].js` into dist/ overwrote each other's chunks, and the extension then loaded the CLI's
 * modules under its own ids (issue 12: "fromIni is not a function").
 */
const path = require('path');
const webpack = require('webpack');

const PLUGIN = 'UniqueOutputFiles';

class UniqueOutputFiles {
  constructor() {
    /** @type {Map<string, string>} absolute output path -> the configuration that writes it */
    this.claims = new Map();
    this.configurations = 0;
  }

  /** @param {import('webpack').Compiler} compiler */
  apply(compiler) {
    const index = this.configurations++;
    const entries = typeof compiler.options.entry === 'object' ? Object.keys(compiler.options.entry) : [];
    const owner = `configuration ${compiler.options.name ? `"${compiler.options.name}"` : `#${index + 1}`}${entries.length ? ` (entries ${entries.join(', ')})` : ''}`;
    let collided = false;
    compiler.hooks.thisCompilation.tap(PLUGIN, (compilation) => {
      collided = false;
      // REPORT is the last stage: every asset (source maps, licence files, copied files) exists by then.
      compilation.hooks.processAssets.tap({ name: PLUGIN, stage: webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        // A rebuild (watch mode) claims afresh: files this configuration no longer writes are free again.
        for (const [file, who] of this.claims) if (who === owner) this.claims.delete(file);
        const outDir = compilation.outputOptions.path ?? compiler.outputPath;
        /** @type {Map<string, string[]>} the other configuration -> the files both would write */
        const clashes = new Map();
        for (const asset of compilation.getAssets()) {
          const file = path.resolve(outDir, asset.name);
          const other = this.claims.get(file);
          if (other !== undefined && other !== owner)
            clashes.set(other, [...(clashes.get(other) ?? []), path.relative(process.cwd(), file) || file]);
          else this.claims.set(file, owner);
        }
        collided = clashes.size > 0;
        for (const [other, files] of clashes) {
          const shown = files.slice(0, 4).join(', ') + (files.length > 4 ? ` and ${files.length - 4} more` : '');
          const error = new webpack.WebpackError(
            `${PLUGIN}: ${owner} and ${other} both write ${shown}; one would overwrite the other. ` +
              "Give each configuration its own file names (output.filename, output.chunkFilename) or no lazy chunks (module.parser.javascript.dynamicImportMode: 'eager').",
          );
          error.name = 'OutputFileCollisionError';
          compilation.errors.push(error);
        }
      });
    });
    // Whatever the mode (development emits on errors), a configuration that collided writes nothing.
    compiler.hooks.shouldEmit.tap(PLUGIN, () => (collided ? false : undefined));
  }
}

module.exports = { UniqueOutputFiles };
