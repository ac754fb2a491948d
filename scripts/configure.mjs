// `npm run configure -- --api-base https://api.novapulse.example [--dist dist]`: points a built console at an API
// without rebuilding. Writes <dist>/config.json (read by the console at start) and rewrites the
// Content-Security-Policy's connect-src in <dist>/index.html with the build's own rule, so the two always agree.
// `--same-origin` instead: the API is reached on the console's own origin (a reverse proxy in front of both).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSP_META, contentSecurityPolicyMeta, SAFE_BASE } from './content-security-policy-rule.mjs';

const USAGE = 'Usage: npm run configure -- --api-base https://api.novapulse.example [--dist dist]\n       npm run configure -- --same-origin [--dist dist]';

function fail(message) {
  console.error(`configure: ${message}\n${USAGE}`);
  process.exit(1);
}

let apiBase = null;
let dist = 'dist';
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split(/=(.*)/s, 2);
  const value = () => {
    const next = inline ?? args[++i];
    if (next === undefined) fail(`${flag} needs a value.`);
    return next;
  };
  if (flag === '--api-base') apiBase = value().trim().replace(/\/+$/, '');
  else if (flag === '--same-origin') apiBase = '';
  else if (flag === '--dist') dist = value();
  else if (flag === '--help' || flag === '-h') {
    console.log(USAGE);
    process.exit(0);
  } else fail(`unknown option ${flag}.`);
}

if (apiBase === null) fail('say where the API is: --api-base <url>, or --same-origin.');
if (apiBase !== '' && !SAFE_BASE.test(apiBase)) {
  fail(
    `--api-base ${JSON.stringify(apiBase)} is not usable: it must be an http(s) URL of letters, digits, dots, dashes and an optional port and path ` +
      '(no spaces, quotes, semicolons, query or fragment), e.g. https://api.novapulse.example',
  );
}

const pagePath = join(dist, 'index.html');
let page;
try {
  page = readFileSync(pagePath, 'utf8');
} catch {
  fail(`${pagePath} not found: run \`npm run build\` first, or name the built folder with --dist.`);
}
const metas = page.match(CSP_META) ?? [];
if (metas.length !== 1) fail(`${pagePath} has ${metas.length} Content-Security-Policy meta tags, expected exactly one: is it a page built by \`npm run build\`?`);

const configPath = join(dist, 'config.json');
writeFileSync(configPath, `${JSON.stringify({ apiBase }, null, 2)}\n`);
writeFileSync(pagePath, page.replace(CSP_META, contentSecurityPolicyMeta(apiBase)));
console.log(`Configured ${dist}: the console calls ${apiBase || 'its own origin'} (${configPath}; connect-src in ${pagePath} allows it).`);
