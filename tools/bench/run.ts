import { benchEngine } from './engine';

/** `npm run bench`: every Node benchmark; each prints a table and writes .bench/<name>.json. */
async function main() {
  const only = process.argv[2];
  if (!only || only === 'engine') await benchEngine();
  if (!only || only === 'mail') await (await import('./mail')).benchMail();
  if (!only || only === 'analytics') await (await import('./analytics')).benchAnalytics();
  if (!only || only === 'behavior') await (await import('./behavior')).benchBehavior();
  if (!only || only === 'crm') await (await import('./crm')).benchCrm();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
