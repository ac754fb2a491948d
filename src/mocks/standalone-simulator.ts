// `npm run simulator`: the NovaPulse simulator on its own origin, for a console served from another one.
import { parseSimulatorArgs } from './cors';
import { createDemoSimulator, DEMO_API_KEY } from './core/demo';
import { createStandaloneServer } from './standalone-server';

let options: ReturnType<typeof parseSimulatorArgs>;
try {
  options = parseSimulatorArgs(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

const server = createStandaloneServer(createDemoSimulator(), options);
server.listen(options.port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  console.log(`NovaPulse simulator on http://localhost:${port} (API under /v1, control API under /__sim)`);
  console.log(`  allowed console origins: ${options.allowedOrigins.length ? options.allowedOrigins.join(', ') : 'none (add --origin <url> or NOVAPULSE_SIM_ORIGINS)'}`);
  console.log(`  Access-Control-Expose-Headers: ${options.exposeHeaders ? 'sent' : 'left out (--hide-expose-headers)'}`);
  console.log(`  Date: ${options.sendDate ? 'sent' : 'left out (--no-date)'}; X-Request-Id: ${options.sendRequestId ? 'sent' : 'left out (--no-request-id)'}`);
  console.log(`  demo key: ${DEMO_API_KEY}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
