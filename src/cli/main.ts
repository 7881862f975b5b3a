import { Command, CommanderError } from 'commander';
import { CliError, EXIT_OK, EXIT_USAGE } from './exit.js';
import { registerScan } from './scan.js';
import { registerEvents } from './events.js';
import { registerAttack } from './attack.js';
import { registerVault } from './vault.js';
import { registerCatalog } from './catalog.js';
import { registerGuide } from './guide.js';
import { registerRule } from './rule.js';

/** Every verb lives in its own file and registers itself here. */
const VERBS: Array<(program: Command) => void> = [
  registerScan,
  registerEvents,
  registerAttack,
  registerVault,
  registerCatalog,
  registerGuide,
  registerRule,
];

export async function main(argv: string[]): Promise<number> {
  const program = new Command('detectory')
    .description('Detection-engineering workbench: Sigma, Elastic and Splunk rules on one model, run on Windows event logs')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of VERBS) register(program);
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
      process.stderr.write(`detectory: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`detectory: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 1;
  }
}
