import { describe, expect, it } from 'vitest';
import { datasetProblem, genreNameNotes, scanPaths } from '../../../src/dataset/scan';

const scan = (paths: string[], browserDecoding = true) => scanPaths(paths.map((path) => ({ path, item: path })), { browserDecoding });

describe('scanning a dropped folder', () => {
  it('labels a clip by the folder that holds it, genres sorted', () => {
    const r = scan([
      'genres_original/rock/rock.00000.wav',
      'genres_original/blues/blues.00001.wav',
      'genres_original/blues/blues.00000.wav',
    ]);
    expect(r.genres).toEqual(['blues', 'rock']);
    expect(r.clips.map((c) => [c.path, c.genre])).toEqual([
      ['genres_original/blues/blues.00000.wav', 'blues'],
      ['genres_original/blues/blues.00001.wav', 'blues'],
      ['genres_original/rock/rock.00000.wav', 'rock'],
    ]);
    expect(r.setAside).toEqual([]);
  });

  it('reads the old .au layout and any <label>/<clip> tree', () => {
    expect(scan(['genres/jazz/jazz.00000.au', 'genres/pop/pop.00000.au']).genres).toEqual(['jazz', 'pop']);
    expect(scan(['a/b.wav', 'c/d.wav']).genres).toEqual(['a', 'c']);
  });

  it('sets aside hidden, non-audio and top-level files with the reason', () => {
    const r = scan([
      'Data/genres_original/blues/blues.00000.wav',
      'Data/genres_original/blues/.DS_Store',
      'Data/genres_original/.hidden/x.wav',
      'Data/genres_original/readme.wav',
      'Data/features_30_sec.csv',
      'Data/images_original/blues/blues00000.png',
      'loose.wav',
      'Makefile',
    ]);
    const reasons = Object.fromEntries(r.setAside.map((s) => [s.path, s.reason]));
    expect(reasons['Data/genres_original/blues/.DS_Store']).toBe('hidden file');
    expect(reasons['Data/genres_original/.hidden/x.wav']).toBe('hidden file');
    expect(reasons['Data/genres_original/readme.wav']).toMatch(/not inside a genre folder/);
    expect(reasons['Data/features_30_sec.csv']).toBe('not an audio file (.csv)');
    expect(reasons['Data/images_original/blues/blues00000.png']).toBe('not an audio file (.png)');
    expect(reasons['loose.wav']).toBe('not inside a genre folder');
    expect(reasons.Makefile).toMatch(/no extension/);
    expect(r.clips.map((c) => c.path)).toEqual(['Data/genres_original/blues/blues.00000.wav']);
  });

  it('routes other formats to the browser decoder, or sets them aside where there is none', () => {
    const r = scan(['x/rock/a.mp3', 'x/rock/b.wav']);
    expect(r.clips.map((c) => c.decoder)).toEqual(['browser', 'native']);
    const cli = scan(['x/rock/a.mp3', 'x/rock/b.wav'], false);
    expect(cli.clips).toHaveLength(1);
    expect(cli.setAside[0].reason).toMatch(/browser's audio decoder/);
  });

  it('handles names with spaces and non-ASCII characters', () => {
    const r = scan(['Müsik/hip hop/Ça va.wav', '/Müsik/jazz/x y.au']);
    expect(r.genres).toEqual(['hip hop', 'jazz']);
  });

  it('reads a backslash as part of a name, not as a separator', () => {
    const r = scan(['ds/rock/live\\encore.wav', 'ds/rock/a.wav', 'ds/rock/b.wav', 'ds/blues/c.wav']);
    expect(r.genres).toEqual(['blues', 'rock']);
    expect(r.clips.filter((c) => c.genre === 'rock').map((c) => c.path)).toEqual(['ds/rock/a.wav', 'ds/rock/b.wav', 'ds/rock/live\\encore.wav']);
    expect(r.setAside).toEqual([]);
  });

  it('flags genre names a person cannot tell apart', () => {
    const notes = genreNameNotes(['électronique', 'e\u0301lectronique', 'jazz', 'jazz\u200b', 'rock\u202eevil.exe', 'pop']);
    expect(notes).toHaveLength(4);
    expect(notes[0]).toContain('“électronique”, “e\u0301lectronique” look alike');
    expect(notes[0]).toContain('decomposed Unicode');
    expect(notes[1]).toMatch(/“jazz”, “jazz⟨U\+200B⟩” look alike/);
    expect(notes[2]).toMatch(/“jazz⟨U\+200B⟩” holds invisible/);
    expect(notes[3]).toMatch(/“rock⟨U\+202E⟩evil.exe” holds invisible or direction-changing characters/);
    expect(genreNameNotes(['blues', 'rock', 'hip hop'])).toEqual([]);
  });

  it('explains datasets that cannot be trained on', () => {
    expect(datasetProblem(scan([]))).toMatch(/No audio clips/);
    expect(datasetProblem(scan(['a/rock/x.wav']))).toMatch(/Only one genre found \(rock\)/);
    expect(datasetProblem(scan(['a/rock/x.wav', 'a/pop/y.wav']))).toBeUndefined();
  });
});
