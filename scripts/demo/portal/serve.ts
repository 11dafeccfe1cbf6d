// Serves the demo portal alone until Ctrl+C: npx tsx scripts/demo/portal/serve.ts [port]
import { startDemoPortal } from './server.ts';

const portal = await startDemoPortal({ port: Number(process.argv[2] ?? 0) });
console.log(`Cổng thử nghiệm: ${portal.url}/  (Ctrl+C để dừng)`);
const stop = () => void portal.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
