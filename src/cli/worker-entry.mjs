// Plain-JS entry for worker threads started under tsx: registers the TypeScript loader, then loads
// the worker module named in workerData.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.module);
