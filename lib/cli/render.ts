// The CLI's one way of printing an error: a red line naming the operation and the object
// (errno included), then a dimmed hint saying what to do next. chalk lives only in the CLI
// and the workbook, and is loaded only when there is something to colour: its import costs
// ~40 ms, which every successful `carton run` would otherwise pay.
import { CartonError } from '../sys/errors.js';

export async function renderError(error: unknown): Promise<string> {
  const { default: chalk } = await import('chalk');
  if (error instanceof CartonError) {
    const hint = error.hint ? `\n${chalk.dim(`hint: ${error.hint}`)}` : '';
    return `${chalk.red(`carton: ${error.message}`)}${hint}\n`;
  }
  if (error instanceof Error && error.name === 'NotImplemented') {
    // The learner's exercise is still a stub (CARTON_IMPL=exercises): not a bug, a next step.
    return `${chalk.yellow(`carton: ${error.message.replace(/; run `npm start`.*$/, '')}`)}\n${chalk.dim('hint: run `npm start` for the lesson and a hint, or CARTON_CHAPTER=N to stop at the chapter you are on')}\n`;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${chalk.red(`carton: internal error: ${text}`)}\n${chalk.dim('hint: this is a bug in carton; please report it with the command you ran')}\n`;
}
