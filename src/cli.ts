// `bom` entry point: subcommands live in src/commands/; every failure leaves as one line with a stable code.
import { stripVTControlCharacters } from 'node:util';
import { defineCommand, runCommand, showUsage } from 'citty';
import { commands } from './commands/index.ts';
import { BomError } from './errors.ts';

const main = defineCommand({
  meta: {
    name: 'bom',
    description:
      'Inference-scaling selection: majority voting, Best-of-N and Best-of-Majority over N samples',
  },
  subCommands: commands,
});

async function run(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    await showUsage(main);
    return 0;
  }
  try {
    await runCommand(main, { rawArgs: argv });
    return 0;
  } catch (err) {
    // citty reports bad usage (unknown command, missing argument) as CLIError with an E_* code.
    const usage = err instanceof Error && err.name === 'CLIError';
    const code = err instanceof BomError ? err.code : usage ? 'usage' : 'unexpected';
    const message = stripVTControlCharacters(err instanceof Error ? err.message : String(err));
    process.stderr.write(`bom: error [${code}]: ${message.split('\n')[0]}\n`);
    if (process.env['BOM_DEBUG'] && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return usage || (err instanceof BomError && err.type === 'invalid_request_error') ? 2 : 1;
  }
}

process.exitCode = await run(process.argv.slice(2));
