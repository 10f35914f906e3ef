// The `ananke` command from the sources (tsx), for tests that need a real process and real signals.
import { run } from '../../src/cli/main.ts';

process.exitCode = await run(process.argv.slice(2));
