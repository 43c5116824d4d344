import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';

/**
 * A module of the console (apps/web is an ES-module package jest does not load), compiled to CommonJS and run here,
 * with the modules it imports by relative path (e.g. labels.ts → libs/domain/src/board.ts, which the console bundles
 * from source) loaded the same way. Type imports are dropped; a package import is not supported.
 */
export function loadWebModule<T>(file: string): T {
  return loadTypeScript(path.resolve(__dirname, '../../apps/web/src', file), new Map()) as T;
}

function loadTypeScript(file: string, loaded: Map<string, unknown>): unknown {
  const cached = loaded.get(file);
  if (cached) return cached;
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as Record<string, unknown> };
  loaded.set(file, module.exports);
  const require = (specifier: string) => {
    if (!specifier.startsWith('.')) throw new Error(`loadWebModule: ${file} imports the package ${specifier}`);
    const base = path.resolve(path.dirname(file), specifier);
    const found = [base, `${base}.ts`, `${base}.tsx`].find((candidate) =>
      statSync(candidate, { throwIfNoEntry: false })?.isFile(),
    );
    if (!found) throw new Error(`loadWebModule: cannot find ${specifier} from ${file}`);
    return loadTypeScript(found, loaded);
  };
  runInNewContext(outputText, { module, exports: module.exports, require });
  return module.exports;
}
