/**
 * Every TypeScript example in the README compiles against the library as published
 * (`cdk-provisioned-product-properties` resolves to lib/index.ts). All examples are compiled in
 * one program, each as its own module; each test checks its own example's diagnostics.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const examples = new Map([...readme.matchAll(/```ts(?: nofixture)?\n([\s\S]*?)```/g)]
  .map((m, i) => [path.join(root, 'test', `readme-example-${i + 1}.ts`), m[1]]));

let program: ts.Program;
beforeAll(() => {
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10, skipLibCheck: true, types: ['node'], baseUrl: root,
    paths: { 'cdk-provisioned-product-properties': ['lib/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => examples.has(f) || fileExists(f);
  host.readFile = (f) => examples.get(f) ?? readFile(f);
  host.getSourceFile = (f, v, ...rest) => (examples.has(f) ? ts.createSourceFile(f, examples.get(f)!, v) : getSourceFile(f, v, ...rest));
  program = ts.createProgram([...examples.keys()], options, host);
});

test('the README has TypeScript examples', () => {
  expect(examples.size).toBeGreaterThanOrEqual(2);
});

test.each([...examples.keys()].map((file) => [path.basename(file, '.ts'), file]))('%s compiles', (_name, file) => {
  const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
});
