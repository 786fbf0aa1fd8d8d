#!/usr/bin/env node
// Validates an OpenAPI document (2.0, 3.0 or 3.1) with @readme/openapi-parser:
// parsing, resolution of every $ref (a dangling one is an error), JSON Schema validation
// against the official OpenAPI schema, and the parser's own spec checks (unique operationIds,
// path parameters declared, ...). Nothing is switched off.
//   node validate.mjs PATH/openapi.json
// Prints "valid: <title> <version>, N paths" and exits 0, or prints the errors and exits 1.
// Its packages come from `npm ci --prefix tests/api/openapi` (deploy/setup.sh --test).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

if (process.argv.length !== 3) {
  console.error('usage: node validate.mjs OPENAPI_DOCUMENT');
  process.exit(2);
}
const file = resolve(process.argv[2]);

let OpenAPIParser;
try {
  ({ default: OpenAPIParser } = await import('@readme/openapi-parser'));
} catch (err) {
  console.error(`cannot load @readme/openapi-parser (${err.message});`);
  console.error('run deploy/setup.sh --test, or npm ci --prefix tests/api/openapi');
  process.exit(2);
}

// Read it once ourselves so that a JSON syntax error names the file plainly.
let text;
try {
  text = readFileSync(file, 'utf8');
  JSON.parse(text);
} catch (err) {
  console.error(`invalid: ${file}: ${err.message}`);
  process.exit(1);
}

try {
  // Given the path, so that relative $refs resolve against the document's own location.
  // validate() dereferences the document and throws on any $ref or validation error.
  const api = await OpenAPIParser.validate(file);
  const paths = Object.keys(api.paths ?? {}).length;
  console.log(`valid: ${api.info.title} ${api.info.version}, ${paths} paths`);
} catch (err) {
  console.error(`invalid: ${file}`);
  // $ref errors (MissingPointerError, ResolverError) say which; schema errors show where.
  console.error(err.name && err.name !== 'SyntaxError' ? `${err.name}: ${err.message}` : err.message);
  process.exit(1);
}
