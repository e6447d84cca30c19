#!/usr/bin/env node
// Validates a Teams app manifest against the official JSON schema bundled in
// @microsoft/app-manifest, without network access.
//
// Usage: node validate-manifest.js <path/to/manifest.json>
// Prints one JSON object on stdout: { "valid": bool, "schema": "<$schema>", "errors": [ "..." ] }
// Exit code: 0 valid, 1 schema errors, 2 could not validate (bad input or setup; see "errors").
"use strict";

const fs = require("fs");
const path = require("path");

const SCHEMA_PREFIX = "https://developer.microsoft.com/json-schemas/teams/";

function finish(code, schema, errors) {
  process.stdout.write(JSON.stringify({ valid: code === 0, schema, errors }) + "\n");
  process.exitCode = code;
}

async function main() {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    return finish(2, null, ["usage: node validate-manifest.js <path/to/manifest.json>"]);
  }

  let manifest;
  try {
    const text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    manifest = JSON.parse(text);
  } catch (e) {
    return finish(2, null, [`cannot read ${file} as JSON: ${e.message}`]);
  }

  const schemaUrl = typeof manifest.$schema === "string" ? manifest.$schema : null;
  if (!schemaUrl || !schemaUrl.startsWith(SCHEMA_PREFIX)) {
    return finish(2, schemaUrl, [`$schema must start with ${SCHEMA_PREFIX}`]);
  }

  let packageDir;
  try {
    packageDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
  } catch {
    return finish(2, schemaUrl, ["@microsoft/app-manifest is not installed: run `npm ci` in tests/manifest"]);
  }

  // The package looks for the schema under build/json-schemas/... and otherwise downloads it.
  // Refuse anything that is not bundled, and make any download attempt fail loudly.
  const bundled = path.join(packageDir, "build", schemaUrl.substring("https://developer.microsoft.com/".length));
  if (!fs.existsSync(bundled)) {
    return finish(2, schemaUrl, [`schema is not bundled in @microsoft/app-manifest (looked for ${bundled})`]);
  }
  globalThis.fetch = async (url) => {
    throw new Error(`network access is disabled in offline validation (tried ${url})`);
  };

  const { AppManifestUtils } = require("@microsoft/app-manifest");
  try {
    const errors = await AppManifestUtils.validateAgainstSchema(manifest);
    return finish(errors.length === 0 ? 0 : 1, schemaUrl, errors);
  } catch (e) {
    return finish(2, schemaUrl, [`validation failed to run: ${e.message}`]);
  }
}

main();
