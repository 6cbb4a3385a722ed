/**
 * What to tell a person when a worker fails. An error with no message, before the worker has
 * answered anything, is a script that did not load: in a tab left open while the lab was updated,
 * that is the old version's file, gone from the server. A reload brings the new version.
 */
export function workerFailure(what: string, e: ErrorEvent, answered: boolean): string {
  if (e.message) return `${what} failed: ${e.message}`;
  return answered
    ? `${what} stopped without a message (it crashed, or ran out of memory)`
    : `${what} could not start: its script did not load. If the lab was updated since this page was opened, reload the page`;
}
