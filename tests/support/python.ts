/** The Python that has numpy and soundfile (Debian's, which .ci/run installs), for the Python tests. */
import { execFileSync } from 'node:child_process';

let found: string | undefined;

export function pythonWithNumpy(): string {
  if (found) return found;
  for (const candidate of [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean) as string[]) {
    try {
      execFileSync(candidate, ['-c', 'import numpy, soundfile'], { stdio: 'ignore' });
      return (found = candidate);
    } catch {
      // try the next
    }
  }
  throw new Error('No python3 with numpy and soundfile: apt-get install -y python3-numpy python3-soundfile (or set PYTHON=/path/to/python3)');
}
