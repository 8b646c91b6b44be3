// The implementation switch is the only way from lib/ to an exercise. lib/ may import given
// code from solutions/ directly (a tar reader, the volume store, the cgroup layout: there is
// no learner's version of it, so both implementations run the same code), but never a name
// that is an exercise's function: CARTON_IMPL=exercises must reach every one of them, through
// lib/impl.ts (`chapter.overlayfs()` and the rest). A whole module taken around the switch
// (`import * as`, `await import(x)` kept whole) counts as taking all of its names.
//
// A line may say why it goes around the switch on purpose: `// around the switch: WHY`, on
// it or on the line above (images below chapter 07 are the reference's, as the learner has
// not reached that chapter).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ExerciseFunctions {
  /** Path under solutions/, e.g. "05-overlayfs/overlay.ts". */
  file: string;
  functions: string[];
}

export interface AroundTheSwitch {
  /** "lib/runtime/container-fs.ts:11". */
  where: string;
  /** "solutions/05-overlayfs/overlay.ts". */
  module: string;
  /** The exercise functions taken; ['*'] for a whole module. */
  names: string[];
}

export function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? tsFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

/** The names taken from a dynamic import(): by destructuring, a property access, or all of them. */
function namesOfDynamic(call: ts.CallExpression): string[] | '*' {
  let node: ts.Node = call;
  let index: number | undefined;
  // Promise.all([import(a), import(b)]): this one is element `index` of the array.
  if (ts.isArrayLiteralExpression(node.parent)) {
    index = node.parent.elements.indexOf(call as ts.Expression);
    node = node.parent.parent; // Promise.all(...)
  }
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) return [parent.name.text];
  if (!ts.isVariableDeclaration(parent)) return '*';
  let pattern: ts.BindingName = parent.name;
  if (index !== undefined) {
    if (!ts.isArrayBindingPattern(pattern)) return '*';
    const element = pattern.elements[index];
    if (!element || !ts.isBindingElement(element)) return [];
    pattern = element.name;
  }
  if (!ts.isObjectBindingPattern(pattern)) return '*';
  return pattern.elements.map((e) => (e.propertyName ?? e.name).getText());
}

/** One import (static or dynamic, not type-only) of a file: the module it names, resolved, and the names it takes. */
export interface ImportOf {
  /** The module's path, resolved against the importing file, `.ts` for `.js`. */
  module: string;
  names: string[] | '*';
  /** 0-based. */
  line: number;
  /** That line, and the one above (for a reason written beside the import). */
  said: string;
}

/** Every non-type import of `file`. */
export function importsOf(file: string): ImportOf[] {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: ImportOf[] = [];
  const take = (node: ts.Node, specifier: string, names: string[] | '*') => {
    if (!specifier.startsWith('.')) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line;
    found.push({ module: resolve(dirname(file), specifier).replace(/\.js$/, '.ts'), names, line, said: `${lines[line - 1] ?? ''}\n${lines[line]}` });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      const bindings = node.importClause?.namedBindings;
      const names = !bindings ? [] : ts.isNamespaceImport(bindings) ? '*' : bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
      take(node, node.moduleSpecifier.text, node.importClause?.name ? '*' : names);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      take(node, node.arguments[0].text, namesOfDynamic(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every place under `libDir` that takes an exercise function from solutions/ around the switch. */
export function importsAroundSwitch(repo: string, libDir: string, exercises: ExerciseFunctions[], skip: string[] = []): AroundTheSwitch[] {
  const byModule = new Map<string, Set<string>>();
  for (const e of exercises) {
    // The exercise's own file, and its chapter's index, which re-exports it.
    for (const key of [join(repo, 'solutions', e.file), join(repo, 'solutions', dirname(e.file), 'index.ts')]) {
      byModule.set(key, new Set([...(byModule.get(key) ?? []), ...e.functions]));
    }
  }
  const found: AroundTheSwitch[] = [];
  for (const file of tsFiles(libDir)) {
    if (skip.some((s) => resolve(s) === file)) continue;
    for (const { module, names, line, said } of importsOf(file)) {
      const exercised = byModule.get(module);
      if (!exercised || /around the switch:/.test(said)) continue;
      const taken = names === '*' ? ['*'] : names.filter((n) => exercised.has(n));
      if (taken.length) found.push({ where: `${relative(repo, file)}:${line + 1}`, module: relative(repo, module), names: taken });
    }
  }
  return found;
}
