// Names the built files browsers load after their content, and compresses them once.
//
//   node scripts/fingerprint.mjs target/site/pkg
//
// Reads trustshare.css and, when the islands were built, trustshare.js and trustshare_bg.wasm;
// writes copies named after a hash of all three (trustshare-<hash>.css, .js, _bg.wasm), each
// with a Brotli (.br) and a gzip (.gz) version beside it, and site.json, which tells the
// server the names. A changed file gets a new name, so browsers may keep these for a year
// without asking again; the server sends the compressed version a browser accepts without
// compressing anything per request. Older fingerprinted files are removed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.argv[2];
if (!dir) {
  console.error('fingerprint: give the pkg folder, like target/site/pkg');
  process.exit(2);
}

const css = join(dir, 'trustshare.css');
if (!existsSync(css)) {
  console.error(`fingerprint: ${css} is missing (build the stylesheet first)`);
  process.exit(1);
}
const islands = existsSync(join(dir, 'trustshare.js')) && existsSync(join(dir, 'trustshare_bg.wasm'));
// [built file, suffix of its fingerprinted name]
const files = [['trustshare.css', '.css']];
if (islands) {
  files.push(['trustshare.js', '.js'], ['trustshare_bg.wasm', '_bg.wasm']);
}

const hash = createHash('sha256');
for (const [file] of files) {
  hash.update(file);
  hash.update(readFileSync(join(dir, file)));
}
const name = `trustshare-${hash.digest('hex').slice(0, 16)}`;

// Files of earlier builds: trustshare-<16 hex digits> with any suffix.
const stale = /^trustshare-[0-9a-f]{16}[._]/;
for (const old of readdirSync(dir)) {
  if (stale.test(old) && !old.startsWith(name)) {
    rmSync(join(dir, old));
  }
}

const sizes = [];
for (const [file, suffix] of files) {
  const bytes = readFileSync(join(dir, file));
  const out = join(dir, name + suffix);
  writeFileSync(out, bytes);
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  const gz = gzipSync(bytes, { level: 9 });
  writeFileSync(`${out}.br`, br);
  writeFileSync(`${out}.gz`, gz);
  sizes.push(`${name + suffix}: ${bytes.length} bytes, ${br.length} br, ${gz.length} gzip`);
}

writeFileSync(
  join(dir, 'site.json'),
  `${JSON.stringify({ name, stylesheet: `${name}.css`, islands }, null, 2)}\n`,
);
console.error(`fingerprint: ${sizes.join('; ')}`);
