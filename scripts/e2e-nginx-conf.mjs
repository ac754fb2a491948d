// Writes an nginx configuration for the e2e suite from the README's snippet (docs/deploy/nginx.conf), pointed at a
// local console folder and the local API, running in the foreground as the current user:
//   node scripts/e2e-nginx-conf.mjs --port <n> --root <built console> --api <http://host:port> --out <folder>
//   nginx -p <folder> -c nginx.conf -e stderr
// Each value the snippet names is replaced exactly once, or this fails: the suite runs the snippet as documented.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split(/\s*--/)
    .filter(Boolean)
    .map((pair) => pair.split(/\s+/)),
);
for (const name of ['port', 'root', 'api', 'out']) {
  if (!args[name]) {
    console.error(`e2e-nginx-conf: --${name} is missing`);
    process.exit(2);
  }
}
const api = new URL(args.api);
let server = readFileSync('docs/deploy/nginx.conf', 'utf8');
for (const [from, to] of [
  ['listen 8080;', `listen ${Number(args.port)};`],
  ['root /srv/novapulse-console;', `root ${resolve(args.root)};`],
  ['proxy_pass https://api.novapulse.example;', `proxy_pass ${api.origin};`],
  ['proxy_set_header Host api.novapulse.example;', `proxy_set_header Host ${api.host};`],
]) {
  const count = server.split(from).length - 1;
  if (count !== 1) {
    console.error(`e2e-nginx-conf: docs/deploy/nginx.conf has "${from}" ${count} times, expected once`);
    process.exit(1);
  }
  server = server.replace(from, to);
}
const out = resolve(args.out);
mkdirSync(out, { recursive: true });
writeFileSync(
  `${out}/nginx.conf`,
  `daemon off;
master_process off;
pid ${out}/nginx.pid;
error_log stderr warn;
events {}
http {
  types {
    text/html html;
    application/javascript js mjs;
    text/css css;
    application/json json;
    image/svg+xml svg;
    image/png png;
    application/wasm wasm;
    application/manifest+json webmanifest;
  }
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${out}/client_body;
  proxy_temp_path ${out}/proxy;
  fastcgi_temp_path ${out}/fastcgi;
  uwsgi_temp_path ${out}/uwsgi;
  scgi_temp_path ${out}/scgi;
${server}
}
`,
);
console.log(`nginx configuration in ${out}/nginx.conf`);
