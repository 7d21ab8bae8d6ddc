/**
 * Seriktes CLI: `npm run cli -- <command> [options]`.
 * Global options: --lang kk|ru|en (default en), --json, --help.
 * Errors reach the user as translated messages of AppError codes; secrets
 * (passwords, key bytes) are never printed.
 */
import { parseArgs } from 'node:util';
import { isLanguage, translate, type Language } from '../../src-shared/i18n/index';
import { isErrorCode, toErrorShape } from '../../src-shared/rpc/errors';
import { COMMANDS } from './commands';
import { EXIT, UsageError, type CliIo } from './registry';

const GLOBAL_OPTIONS = { lang: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;

function helpText(): string {
  return ['Usage: npm run cli -- <command> [options]   (global: --lang kk|ru|en, --json, --help)', '', ...COMMANDS.map((c) => `  ${c.name.padEnd(Math.max(...COMMANDS.map((x) => x.name.length)) + 2)} ${c.summary}`)].join('\n');
}

export async function main(argv: string[], io: Omit<CliIo, 'lang' | 'json'> = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), env: process.env }): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(helpText());
    return name === undefined || name === '--help' || name === 'help' ? EXIT.ok : EXIT.usage;
  }
  let lang: Language = 'en';
  try {
    const { values } = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, strict: true, allowPositionals: false });
    if (typeof values.lang === 'string') {
      if (!isLanguage(values.lang)) throw new UsageError('--lang must be kk, ru or en');
      lang = values.lang;
    }
    if (values.help) {
      io.out(`Usage: npm run cli -- ${command.usage}`);
      return EXIT.ok;
    }
    return await command.run(values as Record<string, string | boolean | string[] | undefined>, { ...io, lang, json: values.json === true });
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      io.err(`${(e as Error).message}\nUsage: npm run cli -- ${command.usage}`);
      return EXIT.usage;
    }
    const shape = toErrorShape(e);
    if (isErrorCode((e as { code?: unknown }).code)) {
      io.err(`${translate(lang, `errors.${shape.code}`)} [${shape.code}]`);
    } else if ((e as { code?: string }).code === 'ENOENT') {
      io.err(`${translate(lang, 'errors.file_unreadable')} (${(e as { path?: string }).path ?? ''})`);
    } else {
      // A parser's or runtime's own words (TypeError, "Cannot read properties…") are not for users; SERIKTES_DEBUG shows them.
      io.err(`${translate(lang, 'errors.internal')} [internal]`);
      if (io.env.SERIKTES_DEBUG) io.err(String((e as Error)?.stack ?? e).slice(0, 2000));
    }
    return EXIT.failed;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    () => process.exit(EXIT.failed),
  );
}
