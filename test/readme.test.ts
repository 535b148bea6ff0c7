/**
 * Every TypeScript example in the README compiles against the library as published
 * (`cdk-provisioned-product-properties` resolves to lib/index.ts).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has TypeScript examples', () => {
  expect(snippets.length).toBeGreaterThanOrEqual(2);
});

test.each(snippets.map((code, i) => [i + 1, code]))('README example %i compiles', (index, code) => {
  const fileName = path.join(root, 'test', `readme-example-${index}.ts`);
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10, skipLibCheck: true, types: ['node'], baseUrl: root,
    paths: { 'cdk-provisioned-product-properties': ['lib/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f === fileName || fileExists(f);
  host.readFile = (f) => (f === fileName ? code as string : readFile(f));
  host.getSourceFile = (f, v, ...rest) => (f === fileName
    ? ts.createSourceFile(f, code as string, v)
    : getSourceFile(f, v, ...rest));
  const program = ts.createProgram([fileName], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
});
