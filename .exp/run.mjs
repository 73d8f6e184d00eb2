const { main } = await import('./dist/cli.mjs');
process.exitCode = await main(process.argv.slice(2));
