// npm run test:python: pytest over python/gtzan_lab with Debian's Python (numpy, soundfile, torch),
// or says what to install instead of skipping the tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
if (spawnSync(python, ['-c', 'import pytest, numpy, soundfile'], { stdio: 'ignore' }).status !== 0) {
  console.error(`${python} lacks pytest, numpy or soundfile: install them with \`apt-get install -y python3-pytest python3-numpy python3-soundfile\`.`);
  process.exit(1);
}
const run = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'python/tests', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
