/**
 * Collects every file of a drop, walking dropped folders recursively. Paths keep the dropped
 * folder's name first ("genres_original/blues/blues.00000.wav"), like a folder picker's
 * webkitRelativePath, so both routes give the scanner the same input.
 */
export interface ChosenFile {
  path: string;
  file: File;
}

/** The slice of the FileSystem entry API a drop gives (webkitGetAsEntry). */
interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
  file?(ok: (f: File) => void, fail: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: EntryLike[]) => void, fail: (e: unknown) => void): void };
}

export interface DropResult {
  files: ChosenFile[];
  /** Entries that could not be read, with the reason. */
  unreadable: { path: string; reason: string }[];
}

/** A child's path from its parent's and its own name: real names, whatever characters they hold. */
function childPath(parent: string, entry: EntryLike): string {
  return parent ? `${parent}/${entry.name}` : entry.name;
}

function readAll(dir: EntryLike): Promise<EntryLike[]> {
  // readEntries returns at most 100 entries per call (Chrome): call until it returns none.
  const reader = dir.createReader!();
  const all: EntryLike[] = [];
  return new Promise((resolve, reject) => {
    const next = () => reader.readEntries((batch) => {
      if (batch.length === 0) resolve(all);
      else {
        all.push(...batch);
        next();
      }
    }, reject);
    next();
  });
}

async function walk(entry: EntryLike, out: DropResult, path = entry.name): Promise<void> {
  if (entry.isFile && entry.file) {
    try {
      const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail));
      out.files.push({ path, file });
    } catch (e) {
      out.unreadable.push({ path, reason: `could not be read (${e instanceof Error ? e.message : String(e)})` });
    }
  } else if (entry.isDirectory && entry.createReader) {
    let children: EntryLike[];
    try {
      children = await readAll(entry);
    } catch (e) {
      out.unreadable.push({ path, reason: `folder could not be listed (${e instanceof Error ? e.message : String(e)})` });
      return;
    }
    for (const child of children) await walk(child, out, childPath(path, child));
  }
}

/** Everything in a drop: folders walked, loose files kept by name. */
export async function filesFromDrop(dt: DataTransfer): Promise<DropResult> {
  const out: DropResult = { files: [], unreadable: [] };
  const entries: EntryLike[] = [];
  const loose: File[] = [];
  // Entries must be taken synchronously, before the first await: the DataTransfer empties after.
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = (item.webkitGetAsEntry?.() ?? null) as EntryLike | null;
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (entries.length === 0 && loose.length === 0) loose.push(...Array.from(dt.files ?? []));
  for (const e of entries) await walk(e, out);
  for (const f of loose) out.files.push({ path: relativePathOf(f), file: f });
  return out;
}

/**
 * A picked file's path: webkitRelativePath ("picked-folder/…/name"), with the file's real name as
 * its last part. Chromium writes a backslash inside a name as "/" in webkitRelativePath (a file
 * "live\encore.wav" comes out as ".../live/encore.wav"), which would invent a folder; `name` keeps
 * the real characters. A backslash in a folder's name cannot be told apart there.
 */
export function relativePathOf(file: { name: string; webkitRelativePath: string }): string {
  const rel = file.webkitRelativePath;
  if (!rel) return file.name;
  const asWritten = file.name.replace(/\\/g, '/');
  return rel.endsWith(`/${asWritten}`) ? `${rel.slice(0, rel.length - asWritten.length)}${file.name}` : rel;
}

/** Files from an <input type=file webkitdirectory>. */
export function filesFromInput(list: FileList | null): ChosenFile[] {
  return Array.from(list ?? [], (file) => ({ path: relativePathOf(file), file }));
}
