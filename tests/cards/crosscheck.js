'use strict';
// Expands card templates with the official adaptivecards-templating and validates the results with the
// official adaptivecards parser, for many cases in one run (the C# cross-check tests start Node once).
//
// Usage: node crosscheck.js <input.json> <output.json>
// input:  { "cases": [ { "id": "...", "template": {...}, "data": <any, omit for undefined>, "validate": true } ] }
// output: { "versions": {...}, "results": [ { "id", "expanded", "error", "warnings", "card" } ] }
//   card (when validate and expansion succeeded): { "version", "events": [ { "phase", "event", "message" } ],
//                                                  "textChanges": [ { "type", "text", "displayed" } ] }
// Parse events come from card.parse(json, new SerializationContext(1.5)); validation events from
// card.validateProperties(). textChanges lists every TextBlock/TextRun text that the official renderer's text
// formatter (DATE/TIME functions, applied before display) would change. None of this needs a DOM.
// Needs Node >= 20.19 (loads the renderer's ES module lib/text-formatters.js).

const fs = require('fs');
const path = require('path');
const { Template } = require('adaptivecards-templating');
const AC = require('adaptivecards/dist/adaptivecards.min.js');
let formatText;
try {
  ({ formatText } = require('adaptivecards/lib/text-formatters.js'));
} catch (e) {
  console.error(`Cannot load adaptivecards/lib/text-formatters.js (an ES module): Node >= 20.19 is needed, this is ${process.version}. ${e.message}`);
  process.exit(3);
}

function packageVersion(name) {
  const file = require.resolve(name + '/package.json', { paths: [__dirname] });
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

function validateCard(json) {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  const events = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    events.push({ phase: AC.ValidationPhase[e.phase], event: AC.ValidationEvent[e.event], message: e.message });
  }
  const results = card.validateProperties();
  for (const e of results.validationEvents) {
    events.push({ phase: AC.ValidationPhase[e.phase], event: AC.ValidationEvent[e.event], message: e.message });
  }
  return { version: card.version ? card.version.toString() : null, events, textChanges: textChanges(json) };
}

function textChanges(node, changes = []) {
  if (Array.isArray(node)) {
    node.forEach((item) => textChanges(item, changes));
  } else if (node && typeof node === 'object') {
    if ((node.type === 'TextBlock' || node.type === 'TextRun') && typeof node.text === 'string') {
      const displayed = formatText('en-US', node.text);
      if (displayed !== node.text) {
        changes.push({ type: node.type, text: node.text, displayed });
      }
    }
    Object.values(node).forEach((value) => textChanges(value, changes));
  }
  return changes;
}

function runCase(c) {
  const result = { id: c.id };
  let expanded;
  try {
    const template = new Template(c.template);
    expanded = template.expand({ $root: c.data });
    result.expanded = expanded === undefined ? null : expanded;
    result.warnings = template.getLastTemplateExpansionWarnings();
  } catch (e) {
    result.error = String(e && e.message ? e.message : e);
    return result;
  }
  if (c.validate) {
    try {
      result.card = validateCard(expanded);
    } catch (e) {
      result.card = { version: null, events: [{ phase: 'Parse', event: 'Exception', message: String(e && e.message ? e.message : e) }] };
    }
  }
  return result;
}

function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node crosscheck.js <input.json> <output.json>');
    process.exit(2);
  }
  const batch = JSON.parse(fs.readFileSync(path.resolve(input), 'utf8'));
  const results = batch.cases.map(runCase);
  const versions = {
    node: process.version,
    'adaptivecards-templating': packageVersion('adaptivecards-templating'),
    adaptivecards: packageVersion('adaptivecards'),
    'adaptive-expressions': packageVersion('adaptive-expressions'),
  };
  fs.writeFileSync(path.resolve(output), JSON.stringify({ versions, results }));
}

main();
