// `node scripts/wait-for-url.mjs <url> [timeout seconds]`: exits 0 once <url> answers 2xx, 1 after the timeout.
// Lets one e2e web server start after another has built what both serve.
const [url, seconds = '120'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node scripts/wait-for-url.mjs <url> [timeout seconds]');
  process.exit(2);
}
const deadline = Date.now() + Number(seconds) * 1000;
while (Date.now() < deadline) {
  try {
    if ((await fetch(url)).ok) process.exit(0);
  } catch {
    // not up yet
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
}
console.error(`wait-for-url: ${url} did not answer within ${seconds} s`);
process.exit(1);
