const t0 = performance.now();
await import('/work/main/dist/5b7f5ef8c8de4ee8/cli.mjs');
const t1 = performance.now();
const m = await import(process.argv[2]);
const t2 = performance.now();
console.log('cli', (t1-t0).toFixed(0), process.argv[2].split('/').pop(), (t2-t1).toFixed(0));
