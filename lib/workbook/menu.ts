// The interactive workbook (`npm start`): a main menu of chapters with their progress, and
// a menu per chapter to read the lesson, run its container with your code, check, get a
// hint, compare with the solution once it passes, and reset. Every menu has the same entries
// in the same places each time (an entry that does not apply is shown greyed out), so that the
// same keys always land on the same item.
import chalk from 'chalk';
import prompts from 'prompts';
import { chapters, exercises, type Chapter, type Exercise } from '../exercises/index.js';
import { check, hint, reset, resumeChapterCommand, skipChapterCommand, solution } from './commands.js';
import { runContainer } from './container.js';
import { lessonText, page } from './lesson.js';
import { statePath, workbookRoot } from './paths.js';
import { taskText } from './report.js';
import { chapterStatus, loadProgress, nextExercise, skip } from './state.js';

const print = (line: string) => console.log(line);
let cancelled = false;
const options = { onCancel: () => { cancelled = true; } };

interface Choice {
  title: string;
  value: string;
  disabled?: boolean;
}

async function choose(message: string, choices: Choice[]): Promise<string | undefined> {
  // prompts pages a select at 10 choices; the main menu has more (every chapter, then Quit),
  // and a Quit hidden below the fold is a Quit nobody finds.
  const question = { type: 'select', name: 'value', message, choices, initial: 0, optionsPerPage: 20, warn: 'not now' } as prompts.PromptObject; // @types/prompts lacks optionsPerPage
  const { value } = await prompts(question, options);
  return cancelled ? undefined : (value as string | undefined);
}

async function pause(): Promise<void> {
  await prompts({ type: 'text', name: 'ok', message: chalk.dim('press Enter to go back') }, options);
}

async function confirm(message: string): Promise<boolean> {
  const { ok } = await prompts({ type: 'confirm', name: 'ok', message, initial: false }, options);
  return ok === true;
}

export async function mainMenu(): Promise<void> {
  while (!cancelled) {
    const p = loadProgress(statePath());
    const next = nextExercise(p, exercises);
    const choices = [
      next ? { title: `Continue with the next exercise: ${chalk.cyan(next.name)} ${chalk.dim(`(${next.chapter})`)}`, value: 'next' }
        : { title: chalk.green('Every exercise passes!'), value: 'none' },
      ...chapters.map((c) => {
        const s = chapterStatus(p, c.dir, exercises);
        const colour = s.status === 'done' ? chalk.green : s.status === 'not started' || s.status === 'skipped' ? chalk.dim : chalk.yellow;
        const mark = s.total === 0 ? chalk.dim('lesson only') : colour(s.status);
        return { title: `${c.dir}  ${c.title}  ${s.total ? chalk.dim(`${s.done}/${s.total} `) : ''}${mark}`, value: `chapter:${c.dir}` };
      }),
      { title: 'Reset all progress', value: 'reset' },
      { title: 'Quit', value: 'quit' },
    ];
    const choice = await choose(`carton workbook — ${p.done.length}/${exercises.length} exercises done`, choices);
    if (!choice || choice === 'quit') return;
    if (choice === 'next' && next) {
      print(taskText(next));
      await chapterMenu(chapters.find((c) => c.dir === next.chapter)!);
    } else if (choice.startsWith('chapter:')) {
      await chapterMenu(chapters.find((c) => `chapter:${c.dir}` === choice)!);
    } else if (choice === 'reset' && (await confirm('Restore every exercise file and forget all progress?'))) {
      print(reset('all'));
    }
  }
}

async function chapterMenu(chapter: Chapter): Promise<void> {
  const mine = exercises.filter((e) => e.chapter === chapter.dir);
  while (!cancelled) {
    const p = loadProgress(statePath());
    const open = mine.find((e) => !p.done.includes(e.name) && !p.skipped.includes(e.name)) ?? mine.find((e) => !p.done.includes(e.name));
    const skipped = p.skippedChapters.includes(chapter.dir);
    const none = mine.length === 0;
    const choice = await choose(`${chapter.dir}: ${chapter.title} (${mine.filter((e) => p.done.includes(e.name)).length}/${mine.length} done, ${chapterStatus(p, chapter.dir, exercises).status})`, [
      { title: 'Read the lesson', value: 'read' },
      { title: 'Run this chapter\'s container with your code', value: 'run', disabled: none },
      { title: 'Check the exercises (and the container, once they pass)', value: 'check', disabled: none },
      { title: open ? `Show the next hint for ${open.name}` : 'Show the next hint (every exercise passes)', value: 'hint', disabled: !open },
      { title: open ? `Skip ${open.name} for now` : 'Skip an exercise (every exercise passes)', value: 'skip', disabled: !open },
      { title: skipped ? 'Take this chapter back: run your own code in it again' : 'Skip this chapter: later containers use the reference code for it', value: skipped ? 'resume' : 'skip-chapter', disabled: none },
      { title: 'Compare a passing exercise with the solution', value: 'solution', disabled: none },
      { title: 'Reset one exercise (its functions only; a backup is kept)', value: 'reset-one', disabled: none },
      { title: 'Reset the whole chapter (a backup is kept)', value: 'reset-chapter', disabled: none },
      { title: 'Back', value: 'back' },
    ]);
    if (!choice || choice === 'back') return;
    try {
      await act(choice, chapter, mine, open);
    } catch (error) {
      print(chalk.red((error as Error).message));
      await pause();
    }
  }
}

async function act(choice: string, chapter: Chapter, mine: Exercise[], open: Exercise | undefined): Promise<void> {
  const pick = async (list: Exercise[], message: string) => {
    const name = await choose(message, list.map((e) => ({ title: e.name, value: e.name })));
    return list.find((e) => e.name === name);
  };
  if (choice === 'read') return page(lessonText(workbookRoot(), chapter.dir, Math.min(process.stdout.columns || 80, 100) - 2, loadProgress(statePath())));
  if (choice === 'skip-chapter') print(skipChapterCommand(chapter.dir));
  if (choice === 'resume') print(resumeChapterCommand(chapter.dir));
  if (choice === 'run') runContainer(chapter.dir, print);
  if (choice === 'check') await check(mine, print);
  if (choice === 'hint' && open) print(hint(open));
  if (choice === 'skip' && open) print(`skipped ${open.name}; next: ${skip(statePath(), open.name, exercises).current ?? 'none'}`);
  if (choice === 'solution') {
    const passed = mine.filter((e) => loadProgress(statePath()).done.includes(e.name));
    if (!passed.length) print(chalk.yellow('No exercise of this chapter passes yet: the solutions open once yours pass.'));
    const e = passed.length ? await pick(passed, 'Which exercise?') : undefined;
    if (e) page(solution(e));
    if (e) return;
  }
  if (choice === 'reset-one') {
    const e = await pick(mine, 'Restore which exercise?');
    if (e && (await confirm(`Put ${e.functions.join(', ')} in exercises/${e.file} back as committed? Your version is kept as a backup.`))) print(reset(e.name));
  }
  if (choice === 'reset-chapter' && (await confirm(`Restore every exercise file of ${chapter.dir}? Your versions are kept as backups.`))) print(reset(chapter.dir));
  if (choice !== 'read') await pause();
}
