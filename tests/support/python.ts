/** The Python that has numpy and soundfile (Debian's, which .ci/run installs), for the Python tests. */
import { execFile, execFileSync } from 'node:child_process';

let found: string | undefined;

export function pythonWithNumpy(): string {
  if (found) return found;
  for (const candidate of [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean) as string[]) {
    try {
      execFileSync(candidate, ['-c', 'import numpy, soundfile'], { stdio: 'ignore' });
      found = candidate;
      return found;
    } catch {
      // try the next
    }
  }
  throw new Error('No python3 with numpy and soundfile: apt-get install -y python3-numpy python3-soundfile (or set PYTHON=/path/to/python3)');
}

let torchChecked = false;

/** The same Python, with PyTorch for python/train.py's tests; a clear instruction when it is missing. */
export function pythonWithTorch(): string {
  const python = pythonWithNumpy();
  if (!torchChecked) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${python} has no PyTorch: apt-get install -y python3-torch libopenblas0-pthread (python/train.py's tests train with it)`);
    }
    torchChecked = true;
  }
  return python;
}

/**
 * A Python script's standard output, run in the checkout without blocking the test worker (a
 * worker blocked for seconds misses vitest's calls under load); rejects with its stderr.
 */
export function runPythonScript(python: string, script: string, args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile(python, ['-c', script, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      if (error) fail(new Error(stderr || error.message));
      else done(stdout);
    });
  });
}
