/** The message a page sends a waiting service worker to take over now (read by sw.js). */
export const SKIP_WAITING = 'gtzan-lab:skip-waiting';

/** The question sw.js asks every open tab before deleting an older version's cache; the answer is the tab's entry script. */
export const WHICH_SCRIPT = 'gtzan-lab:which-script';
