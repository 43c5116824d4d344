import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';

/**
 * A module of the console (apps/web is an ES-module package jest does not load), compiled to CommonJS and run here:
 * only for modules without runtime imports (type imports are dropped), such as labels.ts or problem-messages.ts.
 */
export function loadWebModule<T>(file: string): T {
  const source = readFileSync(path.resolve(__dirname, '../../apps/web/src', file), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as T };
  runInNewContext(outputText, { module, exports: module.exports });
  return module.exports;
}
