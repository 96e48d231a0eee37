/** `npm run sandbox`: the mail sandbox on PORT (8025) with demo mailboxes, until SIGINT/SIGTERM. */
import { z } from 'zod';
import { startSandbox } from './server';

const list = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().email()));

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8025),
  HOST: z.string().default('127.0.0.1'),
  SANDBOX_GMAIL: list.default(['rep@example.com']),
  SANDBOX_GRAPH: list.default(['rep@contoso.example']),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  for (const issue of parsed.error.issues)
    console.error(`Invalid environment: ${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const env = parsed.data;

const sandbox = await startSandbox({ port: env.PORT, host: env.HOST });
for (const address of env.SANDBOX_GMAIL) sandbox.addMailbox(address, 'gmail');
for (const address of env.SANDBOX_GRAPH) sandbox.addMailbox(address, 'graph');

console.log(`Mail sandbox listening on ${sandbox.url}`);
console.log(`  Gmail API base:  ${sandbox.gmailBase}`);
console.log(`  Graph API base:  ${sandbox.graphBase}`);
console.log(`  Control:         ${sandbox.url}/__sandbox/ (see tools/sandbox/README.md)`);
for (const m of sandbox.mailboxes()) console.log(`  ${m.provider.padEnd(5)} ${m.address}  token: ${m.token}`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the mail sandbox`);
  await sandbox.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
