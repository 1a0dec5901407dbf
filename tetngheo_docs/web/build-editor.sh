#!/usr/bin/env bash
# Bundle the browser editor (CodeMirror 6 from the npm registry) into static/editor.js.
# Run after changing editor/src.js or editor/package.json; commit static/editor.js. The
# server only serves that file: nothing is fetched from a CDN or from npm at run time.
set -euo pipefail
cd "$(dirname "$0")/editor"
npm ci --no-audit --no-fund
node_modules/.bin/esbuild src.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=eof --outfile=../static/editor.js
echo "wrote $(cd .. && pwd)/static/editor.js ($(wc -c < ../static/editor.js) bytes)"
