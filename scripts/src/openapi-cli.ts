import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_TYPES_FILE, createApiDocument, lintApiDocument } from './openapi';
import { generateApiTypes } from './openapi-types';
import { ROOT } from './paths';

/**
 * `npm run openapi:lint`: redocly lint (recommended rules) of the document the API serves, built without
 * databases; exits 1 on any error. `npm run openapi:types`: regenerates apps/web/src/api-types.ts from it.
 */
async function main(command: string | undefined, option: string | undefined): Promise<number> {
  const document = await createApiDocument();
  if (command === 'lint') {
    const result = lintApiDocument(document);
    if (result.output) console.log(result.output);
    console.log(`redocly lint: ${result.errors} errors, ${result.warnings} warnings`);
    return result.errors === 0 ? 0 : 1;
  }
  if (command === 'types') {
    const types = await generateApiTypes(document);
    // --stdout: what the file should hold, for the drift test (prettier cannot load inside Jest).
    if (option === '--stdout') {
      // A pipe is written asynchronously: exiting before the write is flushed cuts the text (it passed 64 KB chunks
      // of api-types.ts once the document grew), so wait for it.
      await new Promise<void>((resolve, reject) =>
        process.stdout.write(types, (error) => (error ? reject(error) : resolve())),
      );
      return 0;
    }
    writeFileSync(API_TYPES_FILE, types);
    console.log(`wrote ${path.relative(ROOT, API_TYPES_FILE)}`);
    return 0;
  }
  if (command === 'document') {
    console.log(JSON.stringify(document, null, 2));
    return 0;
  }
  console.error('usage: node scripts/dist/openapi-cli.js lint | types [--stdout] | document');
  return 2;
}

main(process.argv[2], process.argv[3]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
