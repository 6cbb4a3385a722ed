/**
 * npm run bench:accuracy — with BENCH_MUSIC=<folder of <genre>/ audio>, every preset on real music
 * (bench/accuracy-music.ts); without it, the architectures at equal training time on generated
 * genres (bench/accuracy-synthetic.ts).
 */
if (process.env.BENCH_MUSIC) await import('./accuracy-music');
else await import('./accuracy-synthetic');

export {};
