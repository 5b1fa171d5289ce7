// CLI entry; filled in with the core.
import { runLocalCommand } from './local-command';

const argv = process.argv.slice(2);
if (argv[0] === 'local') void runLocalCommand(argv.slice(1)).then((code) => process.exit(code));
else process.stdout.write('propack\n');
