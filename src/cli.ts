// `bom` entry point: subcommands live in src/commands/; every failure leaves as one line with a stable code.
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { type CommandDef, defineCommand, runCommand, showUsage } from 'citty';
import { commands, summaries } from './commands/index.ts';
import { BomError } from './core/index.ts';

const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const main = defineCommand({
  meta: {
    name: 'bom',
    version,
    description:
      'Inference-scaling selection: majority voting, Best-of-N and Best-of-Majority over N samples',
  },
  subCommands: commands,
});

/** The (sub)command a help request names: `bom eval --help` → eval, `bom answers check -h` → check. */
// biome-ignore lint/suspicious/noExplicitAny: citty's command types are generic over their args
async function helpTarget(argv: string[]): Promise<[CommandDef<any>, CommandDef<any> | undefined]> {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let cmd: CommandDef<any> = main;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let parent: CommandDef<any> | undefined;
  for (const word of argv) {
    if (word.startsWith('-')) break;
    const subs = typeof cmd.subCommands === 'function' ? await cmd.subCommands() : await cmd.subCommands;
    const next = subs?.[word];
    if (!next) break;
    parent = cmd;
    cmd = typeof next === 'function' ? await next() : await next;
  }
  return [cmd, parent];
}

/**
 * citty ignores flags a command does not define, so `bom serve --prot 9000` would start on the
 * default port. Every `--flag` (before a bare `--`) must be one the (sub)command declares.
 */
async function checkFlags(argv: string[]): Promise<void> {
  const [cmd] = await helpTarget(argv);
  const args = (typeof cmd.args === 'function' ? await cmd.args() : await cmd.args) ?? {};
  const known = new Set<string>();
  for (const [name, def] of Object.entries(args as Record<string, { type?: string }>)) {
    known.add(name);
    known.add(name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
    if (def.type === 'boolean') known.add(`no-${name}`);
  }
  for (const word of argv) {
    if (word === '--') break;
    if (!word.startsWith('--')) continue;
    const name = word.slice(2).split('=')[0]!;
    if (!known.has(name)) {
      const flags = Object.keys(args)
        .map((n) => `--${n}`)
        .join(', ');
      throw new BomError(`Unknown option --${name}; this command takes: ${flags || 'no options'}`, {
        code: 'unknown_option',
        param: name,
      });
    }
  }
}

async function run(argv: string[]): Promise<number> {
  // runCommand (unlike runMain) does not answer --help itself; subcommands must not run instead.
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    const [cmd, parent] = await helpTarget(argv);
    // The top-level list comes from the summaries: loading every command just to list them is slow.
    const listed = Object.fromEntries(Object.entries(summaries).map(([name, meta]) => [name, { meta }]));
    await showUsage(cmd === main ? { ...main, subCommands: listed } : cmd, parent);
    return 0;
  }
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  try {
    await checkFlags(argv);
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
