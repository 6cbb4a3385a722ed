/**
 * npm run build:python — writes src/generated/python-files.ts, the text of python/predict.py (with
 * the python/gtzan_lab modules it imports, schemas/limits.json and schemas/metadata.json inlined,
 * so it runs alone) and python/README.txt, so the model zip
 * can carry them from the page and from Node alike (no asset fetch; the same way the MFCC
 * kernel's bytes are embedded). A unit test fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PYTHON_DIR = fileURLToPath(new URL('../python/', import.meta.url));
export const PYTHON_MODULE = fileURLToPath(new URL('../src/generated/python-files.ts', import.meta.url));

export const SHARED_LIMITS = fileURLToPath(new URL('../schemas/limits.json', import.meta.url));
export const METADATA_SCHEMA = fileURLToPath(new URL('../schemas/metadata.json', import.meta.url));

/** The lines of the shipped predict.py that `shippedPredictPy` fills, and the schemas/ file each gets. */
const INLINED: [line: RegExp, name: string, file: string][] = [
  [/^SHARED_LIMITS_JSON = None .*$/m, 'SHARED_LIMITS_JSON', SHARED_LIMITS],
  [/^SHARED_METADATA_SCHEMA_JSON = None .*$/m, 'SHARED_METADATA_SCHEMA_JSON', METADATA_SCHEMA],
];

/** An import of the package: `from gtzan_lab.x import …`, `from .x import …` or `import gtzan_lab…`, parenthesised lists included. */
const PACKAGE_IMPORT = /^(?:from (?:gtzan_lab(?:\.(\w+))?|\.(\w*)) import (?:\([^)]*\)|[^\n]*)|import gtzan_lab\S*[^\n]*)\n/gm;

/** The gtzan_lab modules a source imports, in the order it names them. */
function packageImports(source: string, where: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(PACKAGE_IMPORT)) {
    const name = m[1] ?? m[2];
    if (!name) throw new Error(`${where}: "${m[0].trim()}" imports the package itself; the shipped predict.py inlines modules only`);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The package modules predict.py needs, each after the modules it imports (dependency order). */
export function predictModules(): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, from: string) => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new Error(`gtzan_lab/${name}.py imports itself through ${from}: no order inlines it`);
    visiting.add(name);
    const source = readFileSync(`${PYTHON_DIR}gtzan_lab/${name}.py`, 'utf8');
    for (const dep of packageImports(source, `gtzan_lab/${name}.py`)) visit(dep, `gtzan_lab/${name}.py`);
    order.push(name);
  };
  for (const name of packageImports(readFileSync(`${PYTHON_DIR}predict.py`, 'utf8'), 'predict.py')) visit(name, 'predict.py');
  return order;
}

/** The modules beside the standard library that predict.py's users install: their imports go after the standard library's. */
const THIRD_PARTY = ['numpy', 'soundfile'];

/** A Python source split: its docstring, its top-of-file imports (package imports dropped) and the rest. */
interface Parts { doc: string; imports: string[]; rest: string }

function parts(source: string): Parts {
  const doc = /^(?:#![^\n]*\n)?"""[\s\S]*?"""\n/.exec(source)?.[0] ?? '';
  const lines = source.slice(doc.length).replace(PACKAGE_IMPORT, '').split('\n');
  let i = 0;
  while (i < lines.length && (lines[i].trim() === '' || /^(import \S|from \S+ import [^(]+$)/.test(lines[i]))) i++;
  return { doc, imports: lines.slice(0, i).filter((l) => l.trim()), rest: lines.slice(i).join('\n').trim() };
}

/**
 * python/predict.py as a model zip carries it: alone, with no package and no schemas/ folder
 * beside it. Its docstring stays first (the usage it prints), then every import once (the
 * standard library's, then numpy's), then the gtzan_lab modules it needs in dependency order
 * (their docstrings as they are, their imports hoisted), then the command line itself; the
 * shared limits and metadata.json's schema are written into it (each as a Python string holding
 * the JSON, compacted).
 */
export function shippedPredictPy(): string {
  const cli = parts(readFileSync(`${PYTHON_DIR}predict.py`, 'utf8'));
  if (!cli.doc) throw new Error('python/predict.py does not start with its docstring');
  const modules = predictModules().map((name) => ({ name, ...parts(readFileSync(`${PYTHON_DIR}gtzan_lab/${name}.py`, 'utf8')) }));
  const imports = [...new Set([...modules, cli].flatMap((m) => m.imports))].sort();
  const outside = (line: string) => THIRD_PARTY.includes(line.split(' ')[1].split('.')[0]);
  const groups = [imports.filter((l) => !outside(l)), imports.filter(outside)].filter((g) => g.length);
  const banner = (name: string) => `# ${'-'.repeat(56)} ${name}`;
  let source = [
    `${cli.doc}# Written by npm run build:python: python/predict.py with the python/gtzan_lab modules it imports.\n${groups.map((g) => g.join('\n')).join('\n\n')}`,
    ...modules.map((m) => `${banner(`gtzan_lab/${m.name}.py`)}\n\n${m.doc}\n\n${m.rest}`),
    `${banner('predict.py')}\n\n${cli.rest}\n`,
  ].join('\n\n\n');
  for (const [line, name, file] of INLINED) {
    const base = file.split(/[\\/]/).pop();
    if (!line.test(source)) throw new Error(`python/gtzan_lab has no "${name} = None" line to fill with schemas/${base}`);
    const json = JSON.stringify(JSON.parse(readFileSync(file, 'utf8')));
    // A JSON string literal of ASCII text is also a Python string literal.
    source = source.replace(line, () => `${name} = ${JSON.stringify(json)}  # schemas/${base}, inlined by npm run build:python`);
  }
  return source;
}

export function pythonFilesSource(): string {
  const text = (name: string) => JSON.stringify(name === 'predict.py' ? shippedPredictPy() : readFileSync(`${PYTHON_DIR}${name}`, 'utf8'));
  return `// Generated by scripts/python-files.ts (npm run build:python) from python/; do not edit.

/** python/predict.py with its gtzan_lab modules inlined: classifies audio with a lab model, with numpy and soundfile only. */
export const PREDICT_PY: string = ${text('predict.py')};

/** python/README.txt: how to run predict.py and convert the model for Keras. */
export const README_TXT: string = ${text('README.txt')};
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(PYTHON_MODULE, pythonFilesSource());
  console.log(`wrote ${PYTHON_MODULE}`);
}
