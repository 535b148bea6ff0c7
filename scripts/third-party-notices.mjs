// The third-party notices of a bundle (assets/handler/index.js, assets/cli/index.js): every package
// esbuild's metafile says it bundled, with its version, its license and the LICENSE and NOTICE files it
// ships. Deterministic: packages sorted by name and version, each license text written once with
// the packages under it, so the same lockfile gives the same bytes (and the same asset hash).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;
const NOTICE_FILE = /^notice(\.(md|txt))?$/i;

/** The package directories (relative to the root) of the metafile's inputs under node_modules. */
export function bundledPackageDirs(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) dirs.add(match[1]);
  }
  return [...dirs];
}

function readPackage(root, dir) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const files = readdirSync(join(root, dir)).sort();
  const read = (pattern) => files.filter((f) => pattern.test(f)).map((f) => readFileSync(join(root, dir, f), 'utf8').replace(/^(\s*\n)+/, '').trimEnd());
  let licenses = read(LICENSE_FILE);
  if (licenses.length === 0 && manifest.license === 'Apache-2.0') {
    // A few SDK packages declare Apache-2.0 but ship no LICENSE file: the standard text, as in this repository's LICENSE.
    licenses = [readFileSync(join(root, 'LICENSE'), 'utf8').replace(/^(\s*\n)+/, '').trimEnd()];
  } else if (licenses.length === 0) {
    throw new Error(`${dir} is bundled but ships no LICENSE file: add its license text to the notices by hand.`);
  }
  const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  return { name: manifest.name, version: manifest.version, license: manifest.license ?? '(see its license text)', repository,
    licenses, notices: read(NOTICE_FILE) };
}

/** Writes the notices of the bundled packages to `outfile`; returns the packages as `name@version`. */
export function writeThirdPartyNotices(metafile, root, outfile) {
  const packages = bundledPackageDirs(metafile).map((dir) => readPackage(root, dir))
    .sort((a, b) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1));
  // One section per license text; texts that differ only in white space (indentation, wrapping) are one.
  const byText = new Map();
  for (const p of packages) {
    for (const text of p.licenses) {
      const key = text.replace(/\s+/g, ' ').trim();
      const section = byText.get(key) ?? { text, names: [] };
      section.names.push(`${p.name}@${p.version}`);
      byText.set(key, section);
    }
  }
  const rule = '-'.repeat(78);
  const sections = [
    'THIRD-PARTY SOFTWARE NOTICES AND INFORMATION',
    '',
    'index.js in this folder bundles the following packages (listed from esbuild\'s metafile by',
    'scripts/bundle.mjs). Each is used under its license, whose text follows.',
    '',
    ...packages.map((p) => `${p.name}@${p.version} (${p.license})${p.repository ? ` ${p.repository}` : ''}`),
    ...packages.filter((p) => p.notices.length > 0).flatMap((p) => [rule, `NOTICE of ${p.name}@${p.version}:`, '', ...p.notices]),
    ...[...byText.values()].flatMap(({ text, names }) => [rule, `License text of ${names.join(', ')}:`, '', text]),
  ];
  writeFileSync(outfile, `${sections.join('\n')}\n`);
  return packages.map((p) => `${p.name}@${p.version}`);
}
