// jsii-pacmak in CI (npm run package:ci, run by .ci/run): the npm package fully built, and the
// Python, Java, .NET and Go packages as generated code only (`--code-only`): building them needs
// pip and PyPI, Maven and Maven Central, the .NET SDK and NuGet, Go and its module proxy, which
// this machine does not reach. What is checked per language:
//
// - JavaScript: the tarball jsii-pacmak packs holds the compiled library, the bundled handler and .jsii;
// - Python, Java, .NET, Go: the generated sources exist for every public type, and the construct's
//   example is translated into the language (jsii-rosetta, from `npm run rosetta`), not left in
//   TypeScript; the Python sources are byte-compiled with python3 where it is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pacmak = join(root, 'node_modules', '.bin', 'jsii-pacmak');
const failures = [];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(result.stdout);
    console.error(`package-ci: ${command} ${args.join(' ')} failed (exit code ${result.status ?? result.signal})`);
    process.exit(1);
  }
  return result.stdout;
}

const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };

rmSync(dist, { recursive: true, force: true });
// jsii-pacmak writes an .npmignore where there is none; package.json's "files" decides what ships.
const npmignore = join(root, '.npmignore');
const hadNpmignore = existsSync(npmignore);
run(pacmak, ['--target', 'js']);
run(pacmak, ['--code-only', '--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go']);
if (!hadNpmignore) rmSync(npmignore, { force: true });

const [tarball] = readdirSync(join(dist, 'js'));
const listing = run('tar', ['-tzf', join(dist, 'js', tarball)]).split('\n');
for (const file of ['package/lib/index.js', 'package/lib/index.d.ts', 'package/assets/handler/index.js', 'package/.jsii']) {
  check(listing.includes(file), `js: ${tarball} holds ${file.replace(/^package\//, '')}`);
}

// Every public type of the assembly.
const TYPES = Object.values(JSON.parse(readFileSync(join(root, '.jsii'), 'utf8')).types).map((t) => t.name);
const LANGUAGES = {
  python: { dir: 'python', example: 'ProvisionedProductProperties(self, "Ownership",', hasType: (text, t) => text.includes(`class ${t}`) },
  java: { dir: 'java', example: 'ProvisionedProductProperties.Builder.create(this, "Ownership")', hasType: (_text, t, all) => all.some((f) => f.endsWith(`/${t}.java`)) },
  dotnet: { dir: 'dotnet', example: 'new ProvisionedProductProperties(this, "Ownership", new ProvisionedProductPropertiesProps {', hasType: (_text, t, all) => all.some((f) => f.endsWith(`/${t}.cs`)) },
  go: { dir: 'go', example: 'NewProvisionedProductProperties(this, jsii.String("Ownership"), &ProvisionedProductPropertiesProps{', hasType: (_text, t, all) => all.some((f) => f.endsWith(`/${t}.go`)) },
};
for (const [language, { dir, example, hasType }] of Object.entries(LANGUAGES)) {
  const all = files(join(dist, dir));
  const text = all.filter((f) => /\.(py|java|cs|go)$/.test(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
  check(TYPES.every((t) => hasType(text, t, all)), `${language}: sources for ${TYPES.join(', ')}`);
  check(text.includes(example), `${language}: the construct's example, translated (${example.slice(0, 40)}…)`);
  check(!text.includes('non-compiling source'), `${language}: no example left untranslated ("non-compiling source")`);
}

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
if (python.status === 0) {
  const sources = files(join(dist, 'python')).filter((f) => f.endsWith('.py'));
  const compiled = spawnSync('python3', ['-m', 'py_compile', ...sources], { encoding: 'utf8' });
  check(compiled.status === 0, `python: ${sources.length} generated modules byte-compile with ${python.stdout.trim()}${compiled.stderr ? `: ${compiled.stderr}` : ''}`);
} else {
  console.log('skip python: no python3 on this machine to byte-compile the generated modules');
}
check(existsSync(join(dist, 'java', 'pom.xml')) && existsSync(join(dist, 'go', 'cdkprovisionedproductproperties', 'go.mod')),
  'java, go: pom.xml and go.mod generated');

if (failures.length) {
  console.error(`\npackage-ci: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\npackage-ci: js built and packed; python, java, dotnet, go generated (code only) and checked');
