/** The command table. To add a command (e.g. `stamp`, `check-package`), append it here. */
import { checkPackageCommand } from './check-package';
import { inspectCommand } from './inspect';
import type { CliCommand } from './registry';
import { signCommand } from './sign';
import { stampCommand } from './stamp';
import { verifyCommand } from './verify';

export const COMMANDS: CliCommand[] = [signCommand, verifyCommand, inspectCommand, stampCommand, checkPackageCommand];
