// CLI entry; filled in with the core.
process.stdout.write('propack\n');
