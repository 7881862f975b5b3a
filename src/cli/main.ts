import { Command, CommanderError } from 'commander';
import { CliError, EXIT_OK, EXIT_USAGE } from './exit.js';
import { safeLine } from '../util/safe-text.js';
type Register = (program: Command) => void;

/**
 * Every verb lives in its own file and registers itself. Only the verb being run is loaded (a
 * verb pulls in DuckDB, RE2, the parsers...), which keeps start-up short; --help loads them all.
 */
const VERBS: Record<string, () => Promise<Register>> = {
  scan: async () => (await import('./scan.js')).registerScan,
  events: async () => (await import('./events.js')).registerEvents,
  attack: async () => (await import('./attack.js')).registerAttack,
  vault: async () => (await import('./vault.js')).registerVault,
  catalog: async () => (await import('./catalog.js')).registerCatalog,
  guide: async () => (await import('./guide.js')).registerGuide,
  rule: async () => (await import('./rule.js')).registerRule,
  serve: async () => (await import('./serve.js')).registerServe,
  coverage: async () => (await import('./coverage.js')).registerCoverage,
  eql: async () => (await import('./eql.js')).registerEql,
  mcp: async () => (await import('./mcp.js')).registerMcp,
  sync: async () => (await import('./sync.js')).registerSync,
  ingest: async () => (await import('./ingest.js')).registerIngest,
  hunt: async () => (await import('./hunt.js')).registerHunt,
  convert: async () => (await import('./convert.js')).registerConvert,
  test: async () => (await import('./test.js')).registerTest,
  cluster: async () => (await import('./cluster.js')).registerCluster,
};

export async function main(argv: string[]): Promise<number> {
  const program = new Command('detectory')
    .description('Detection-engineering workbench: Sigma, Elastic and Splunk rules on one model, run on Windows event logs')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const verb = argv.find((a) => !a.startsWith('-'));
  const load = verb !== undefined && Object.hasOwn(VERBS, verb) ? [VERBS[verb]] : Object.values(VERBS);
  for (const register of await Promise.all(load.map((f) => f()))) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are "errors" to commander; they are successes to us.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof CliError) {
      process.stderr.write(`detectory: ${safeLine(e.message)}\n`);
      return e.exitCode;
    }
    process.stderr.write(`detectory: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 1;
  }
}
