'use strict';
// Reading Adaptive Cards as a user would: the visible strings and the buttons.

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** Adaptive Card contents of a normalised message. */
function adaptiveCards(message) {
  return (message.attachments || []).filter((a) => a.contentType === ADAPTIVE && a.content).map((a) => a.content);
}

const VISIBLE_KEYS = new Set(['text', 'title', 'value', 'altText', 'placeholder', 'label', 'fallbackText', 'speak']);

/** All user-visible strings of a card, joined by newlines (TextBlock/RichText/FactSet/actions/...). */
function cardText(card) {
  const out = [];
  const walk = (node, key) => {
    if (node == null) return;
    if (typeof node === 'string') { if (VISIBLE_KEYS.has(key)) out.push(node); return; }
    if (Array.isArray(node)) { for (const n of node) walk(n, key); return; }
    if (typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'data' || k === 'refresh' || k === 'msteams' || k === '$schema') continue; // not shown
        walk(v, Array.isArray(v) ? k : k);
      }
    }
  };
  walk(card, '');
  // FactSet facts are {title, value}; inlines {text}; choices {title, value}; all covered by VISIBLE_KEYS
  return out.join('\n');
}

/** Every action (top-level, in ActionSets, selectActions, inline) of a card. */
function cardActions(card) {
  const found = [];
  const walk = (node) => {
    if (node == null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (typeof node.type === 'string' && node.type.startsWith('Action.')) found.push(node);
    for (const [k, v] of Object.entries(node)) if (k !== 'data') walk(v);
  };
  walk(card);
  return found;
}

/** Everything a user sees in a message: its text plus the visible text of its cards. */
function messageText(message) {
  return [message.text || '', ...adaptiveCards(message).map(cardText)].join('\n').trim();
}

/** Every input (Input.Text, Input.ChoiceSet, …) of a card, also those inside ShowCard cards and containers. */
function cardInputs(card) {
  const found = [];
  const walk = (node) => {
    if (node == null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (typeof node.type === 'string' && node.type.startsWith('Input.') && node.id) found.push(node);
    for (const [k, v] of Object.entries(node)) if (k !== 'data') walk(v);
  };
  walk(card);
  return found;
}

/**
 * The data an Action.Execute/Submit carries when a user fills in the card's inputs and clicks, as the
 * Adaptive Cards renderer of Teams and the Playground UI build it: the action's own data, then every
 * input that has a value (its preset value, or what the user typed: `values`) under its id, as a string
 * (a multi-select ChoiceSet gives "a,b"; a number "1200"). Empty inputs are left out, as the renderer does.
 * Throws when `values` names an input the card does not have, so that a test cannot type into a
 * field that is not there.
 */
function uiActionData(message, action, values = {}) {
  const inputs = adaptiveCards(message).flatMap(cardInputs);
  const ids = new Set(inputs.map((i) => i.id));
  const unknown = Object.keys(values).filter((k) => !ids.has(k));
  if (unknown.length) throw new Error(`the card has no input ${unknown.join(', ')} (inputs: ${[...ids].join(', ') || 'none'})`);
  const data = { ...(action.data || {}) };
  for (const input of inputs) {
    const v = Object.prototype.hasOwnProperty.call(values, input.id) ? values[input.id] : input.value;
    if (v === undefined || v === null || v === '') continue;
    data[input.id] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return data;
}

function findExecuteAction(message, verb) {
  for (const card of adaptiveCards(message)) {
    const action = cardActions(card).find((a) => a.type === 'Action.Execute' && a.verb === verb);
    if (action) return action;
  }
  return undefined;
}

module.exports = { ADAPTIVE, adaptiveCards, cardText, cardActions, cardInputs, uiActionData, messageText, findExecuteAction };
