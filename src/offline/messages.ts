/** The message a page sends a waiting service worker to take over now (read by sw.js). */
export const SKIP_WAITING = 'gtzan-lab:skip-waiting';
