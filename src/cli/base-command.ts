import { Command, Errors, Flags } from '@oclif/core';
import { ProjectNotFoundError } from '../model/load/load-project.js';
import { FORMATS } from '../diagnostics/formatters/index.js';
import { EXIT } from './exit-codes.js';

/** A mistake in how callplan was called: shown as one line, exit code 2. */
export class UsageError extends Error {}

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = false;

  static formatFlag = Flags.option({
    options: FORMATS,
    default: 'text' as const,
    description: 'How to print problems: text for people, json for tools, github for GitHub Actions annotations.',
  })();

  /** `--at`: an instant the user names with its offset, or now. */
  static atFlag(description: string) {
    return Flags.string({ description });
  }

  protected parseAt(text: string | undefined): Date {
    if (text === undefined) return new Date();
    const at = new Date(text);
    if (Number.isNaN(at.getTime()) || !/([+-]\d{2}:?\d{2}|Z)$/.test(text)) {
      throw new UsageError(`--at ${text}: give an ISO time with its offset, e.g. 2026-11-25T20:00+03:00`);
    }
    return at;
  }

  /** User mistakes end in one clear line and a documented exit code, never a stack trace. */
  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof UsageError || err instanceof ProjectNotFoundError) {
      this.logToStderr(`callplan: ${err.message}`);
      return this.exit(EXIT.usage);
    }
    if (err instanceof Errors.ExitError || err instanceof Errors.CLIError || err.oclif?.exit !== undefined) {
      // oclif's own parse errors already carry exit code 2.
      return super.catch(err);
    }
    this.logToStderr(`callplan: internal error: ${err.message}`);
    this.logToStderr('This is a bug in callplan, not in your project. Please report it; run with DEBUG=* to see the stack.');
    if (process.env.DEBUG) this.logToStderr(err.stack ?? '');
    return this.exit(EXIT.internal);
  }
}
