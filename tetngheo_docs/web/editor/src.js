// The YAML editor of `tetngheo xem-truc-tiep`: CodeMirror 6 with completion of keys and
// values from the directive's JSON Schema (served at /luoc-do.json, made by schema.py).
// Bundled by ../build-editor.sh into ../static/editor.js; exposes window.TetngheoEditor.
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { defaultHighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { Annotation, EditorSelection, EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";

// Marks the edits that load the file from disk (not the user's: the page stays "saved").
const fromDisk = Annotation.define();
const KEY_LINE = /^(\s*)(-\s+)?([A-Za-z_][\w]*)\s*:/;

// The path of mapping keys ("[]" for a list item) that holds a key written at column `col`
// of line `lineNo`, found from the indentation of the lines above it.
export function pathAt(doc, lineNo, col) {
  const path = [];
  let c = col;
  const here = doc.line(lineNo).text.match(/^(\s*)(-\s+)/);
  if (here && here[1].length + here[2].length === col) {
    path.unshift("[]");
    c = here[1].length + 1;
  }
  for (let n = lineNo - 1; n >= 1 && c > 0; n--) {
    const text = doc.line(n).text;
    if (!text.trim() || text.trim().startsWith("#")) continue;
    const dash = text.match(/^(\s*)(-\s+)/);
    const m = text.match(KEY_LINE);
    const indent = text.match(/^\s*/)[0].length;
    if (dash && dash[1].length < c) {
      const keyCol = dash[1].length + dash[2].length;
      if (m && keyCol >= c) continue;
      path.unshift("[]");
      if (m && keyCol < c) path.splice(1, 0, m[3]);
      c = dash[1].length + 1;
      continue;
    }
    if (m && indent < c) {
      path.unshift(m[3]);
      c = indent;
    }
  }
  return path;
}

function resolve(schema, node) {
  let out = node;
  for (let i = 0; out && out.$ref && i < 20; i++) {
    const name = out.$ref.replace(/^#\/(\$defs|definitions)\//, "");
    out = (schema.$defs || schema.definitions || {})[name];
  }
  return out;
}

// Every alternative of a node (anyOf/oneOf/allOf), resolved.
function alternatives(schema, node) {
  const n = resolve(schema, node);
  if (!n) return [];
  const parts = [...(n.anyOf || []), ...(n.oneOf || []), ...(n.allOf || [])];
  return [n, ...parts.flatMap((p) => alternatives(schema, p))];
}

export function nodeAt(schema, path) {
  let nodes = [schema];
  for (const step of path) {
    const next = [];
    for (const node of nodes) {
      for (const alt of alternatives(schema, node)) {
        if (step === "[]" && alt.items) next.push(alt.items);
        else if (alt.properties && alt.properties[step]) next.push(alt.properties[step]);
      }
    }
    nodes = next;
    if (!nodes.length) break;
  }
  return nodes.flatMap((n) => alternatives(schema, n));
}

function keyOptions(schema, nodes) {
  const seen = new Map();
  for (const node of nodes) {
    for (const [key, value] of Object.entries(node.properties || {})) {
      if (seen.has(key)) continue;
      const v = resolve(schema, value) || {};
      seen.set(key, {
        label: key,
        type: "property",
        detail: v.title || value.title || "",
        info: v.description || value.description || undefined,
        apply: key + ": ",
      });
    }
  }
  return [...seen.values()];
}

function valueOptions(schema, nodes) {
  const out = new Map();
  for (const node of nodes) {
    for (const value of node.enum || []) out.set(String(value), { label: String(value), type: "enum" });
    if (node.const !== undefined) out.set(String(node.const), { label: String(node.const), type: "enum" });
    for (const ex of node.examples || []) {
      if (typeof ex !== "object") out.set(String(ex), { label: String(ex), type: "text", detail: "ví dụ" });
    }
  }
  return [...out.values()];
}

function schemaCompletion(getSchema) {
  return (context) => {
    const schema = getSchema();
    if (!schema) return null;
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const value = before.match(/^(\s*)(-\s+)?([A-Za-z_][\w]*):\s+(\S*)$/);
    if (value) {
      const col = value[1].length + (value[2] ? value[2].length : 0);
      const path = [...pathAt(context.state.doc, line.number, col), value[3]];
      const options = valueOptions(schema, nodeAt(schema, path));
      if (!options.length) return null;
      return { from: context.pos - value[4].length, options };
    }
    const key = before.match(/^(\s*)(-\s+)?([A-Za-z_]\w*)?$/);
    if (!key || (!key[3] && !context.explicit && !key[2])) return null;
    const col = key[1].length + (key[2] ? key[2].length : 0);
    const path = pathAt(context.state.doc, line.number, col);
    const options = keyOptions(schema, nodeAt(schema, path));
    if (!options.length) return null;
    return { from: context.pos - (key[3] || "").length, options, validFor: /^\w*$/ };
  };
}

function create(parent, text, hooks) {
  let schema = null;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        EditorView.lineWrapping,
        history(),
        highlightActiveLine(),
        indentUnit.of("  "),
        yaml(),
        syntaxHighlighting(defaultHighlightStyle),
        autocompletion({ override: [schemaCompletion(() => schema)] }),
        keymap.of([
          { key: "Mod-s", preventDefault: true, run: () => { hooks.onSave(); return true; } },
          ...completionKeymap,
          ...defaultKeymap,
          ...historyKeymap,
          indentWithTab,
        ]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !u.transactions.some((t) => t.annotation(fromDisk))) hooks.onChange();
        }),
      ],
    }),
  });
  return {
    view,
    getText: () => view.state.doc.toString(),
    setText: (t) => {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: t },
        annotations: fromDisk.of(true),
      });
    },
    setSchema: (s) => { schema = s; },
    gotoLine: (n, col) => {
      const line = view.state.doc.line(Math.max(1, Math.min(n, view.state.doc.lines)));
      const at = Math.min(line.from + Math.max(0, (col || 1) - 1), line.to);
      view.dispatch({
        selection: EditorSelection.range(at, line.to),
        effects: EditorView.scrollIntoView(at, { y: "center" }),
      });
      view.focus();
    },
  };
}

window.TetngheoEditor = { create, pathAt, nodeAt };
