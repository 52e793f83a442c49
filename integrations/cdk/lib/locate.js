'use strict';
// Maps a position in a JSON template (zero-based line and UTF-16 character, as
// `apigw-lsp check --format json` reports it) to the path of keys and indexes that
// holds it: ['Resources', 'Api1234', 'Properties', 'RequestParameters', 'queueUrl'].
//
// CDK writes templates as JSON, so a small JSON reader that keeps where each key and
// value starts and ends is all that is needed. JavaScript strings count UTF-16 code
// units, as LSP columns do, so a column is an index into the line.

class JsonSyntaxError extends Error {}

/** Offsets of the first character of each line (LSP line breaks: \n, \r\n, \r). */
function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      starts.push(i + 1);
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The offset of an LSP position, clamped to its line (and to the text). */
function offsetOf(text, starts, position) {
  const line = Math.max(0, Math.min(position.line, starts.length - 1));
  const start = starts[line];
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  // The line's own text, without its line break.
  while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return start + Math.max(0, Math.min(position.character, end - start));
}

/**
 * Parses JSON text into nodes that know their offsets:
 *   { kind: 'object', start, end, members: [{ key, keyStart, keyEnd, value }] }
 *   { kind: 'array', start, end, items: [node] }
 *   { kind: 'scalar', start, end }
 * Throws JsonSyntaxError on text that is not JSON.
 */
function parse(text) {
  let i = 0;
  const fail = (what) => {
    throw new JsonSyntaxError(`${what} at offset ${i}`);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r\ufeff'.includes(text[i])) i++;
  };
  // A string from its opening quote; its text (escapes undone) only when asked for.
  const string = (decode) => {
    const start = i;
    i++; // the opening quote
    while (i < text.length && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++; // the closing quote
    let value;
    if (decode) {
      try {
        value = JSON.parse(text.slice(start, i));
      } catch (e) {
        fail(`bad string (${e.message})`);
      }
    }
    return { value, start, end: i };
  };
  const value = () => {
    space();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members = [];
      space();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', start, end: i, members };
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail('expected a key');
        const key = string(true);
        space();
        if (text[i] !== ':') fail('expected :');
        i++;
        const v = value();
        members.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value: v });
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', start, end: i, members };
        }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const items = [];
      space();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', start, end: i, items };
      }
      for (;;) {
        items.push(value());
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', start, end: i, items };
        }
        fail('expected , or ]');
      }
    }
    if (c === '"') {
      const s = string(false);
      return { kind: 'scalar', start: s.start, end: s.end };
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(i, i + 400));
    if (!m) fail('expected a value');
    i += m[0].length;
    return { kind: 'scalar', start, end: i };
  };
  const root = value();
  space();
  if (i !== text.length) fail('text after the value');
  return root;
}

/** `{"Ref": ...}` or `{"Fn::Join": ...}`: one value, whatever is inside it. */
function intrinsic(node) {
  if (node.kind !== 'object' || node.members.length !== 1) return false;
  const key = node.members[0].key;
  return key === 'Ref' || key.startsWith('Fn::');
}

/**
 * The keys and indexes from the root to the innermost key or value holding `offset`;
 * an intrinsic function is one value (the path ends at the key that holds it, as
 * apigw-lsp's own property paths do).
 */
function pathAt(root, offset) {
  const path = [];
  let node = root;
  for (;;) {
    if (intrinsic(node)) return path;
    if (node.kind === 'object') {
      // A member spans its key to the end of its value; the colon and spaces between
      // belong to it too. (An offset in the key or before the value descends into no
      // part of the value, so the path ends at the key.)
      const m = node.members.find((x) => x.keyStart <= offset && offset < x.value.end);
      if (!m) return path;
      path.push(m.key);
      node = m.value;
    } else if (node.kind === 'array') {
      const index = node.items.findIndex((x) => x.start <= offset && offset < x.end);
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

/**
 * A located template: `at({line, character})` gives the path there. Throws
 * JsonSyntaxError when the text is not JSON.
 */
function locator(text) {
  const root = parse(text);
  const starts = lineStarts(text);
  return {
    at(position) {
      return pathAt(root, offsetOf(text, starts, position));
    },
  };
}

module.exports = { locator, parse, pathAt, lineStarts, offsetOf, JsonSyntaxError };
