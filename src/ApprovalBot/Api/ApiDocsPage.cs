namespace ApprovalBot.Api;

/// <summary>
/// <c>/api/docs</c>: a small self-contained API explorer (no CDN, no package). It holds no data: it loads
/// <c>/openapi/v1.json</c> with the key the reader types (kept in the page's memory only), lists the operations, and
/// sends GET requests with their query parameters.
/// </summary>
internal static class ApiDocsPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ApprovalBot API</title>
<style>
 body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#222}
 code,pre{font-family:ui-monospace,monospace}
 pre{background:#f4f4f4;padding:.75rem;overflow:auto;max-height:24rem}
 .op{border:1px solid #ddd;border-radius:6px;padding:.75rem;margin:.75rem 0}
 .m{font-weight:bold;text-transform:uppercase;margin-right:.5rem}
 input{font:inherit;padding:.2rem .4rem} label{margin-right:.75rem}
 .err{color:#a00}
</style>
</head>
<body>
<h1>ApprovalBot API</h1>
<p>The OpenAPI document is at <a href="/openapi/v1.json"><code>/openapi/v1.json</code></a>.
Calls need an API key, sent as <code>X-Api-Key</code>. The key stays in this page and is sent only to this server.</p>
<p><label>API key <input id="key" type="password" autocomplete="off" size="48"></label>
<button id="load">Load operations</button> <span id="status"></span></p>
<div id="ops"></div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
function headers() { const k = $("key").value.trim(); return k ? { "X-Api-Key": k } : {}; }
async function load() {
  $("status").textContent = "Loading…"; $("status").className = "";
  const ops = $("ops"); ops.replaceChildren();
  let doc;
  try {
    const r = await fetch("/openapi/v1.json", { headers: headers() });
    if (!r.ok) throw new Error(r.status + " " + (await r.text()));
    doc = await r.json();
  } catch (e) { $("status").textContent = String(e); $("status").className = "err"; return; }
  $("status").textContent = (doc.info && doc.info.title ? doc.info.title : "") + " " + (doc.info && doc.info.version ? doc.info.version : "");
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const box = el("div"); box.className = "op";
      const head = el("div"); const m = el("span", method); m.className = "m"; head.append(m, el("code", path));
      box.append(head);
      if (op.summary) box.append(el("p", op.summary));
      if (op.description) box.append(el("p", op.description));
      const inputs = {};
      const params = (op.parameters || []).filter(p => p.in === "query" || p.in === "path");
      for (const p of params) {
        const l = el("label", p.name + " "); const i = el("input"); i.placeholder = p.in; inputs[p.name] = { input: i, where: p.in };
        l.append(i); box.append(l);
      }
      if (method === "get") {
        const out = el("pre"); out.hidden = true;
        const send = el("button", "Send");
        send.addEventListener("click", async () => {
          let url = path; const q = new URLSearchParams();
          for (const [name, { input, where }] of Object.entries(inputs)) {
            if (!input.value) continue;
            if (where === "path") url = url.replace("{" + name + "}", encodeURIComponent(input.value)); else q.set(name, input.value);
          }
          const qs = q.toString();
          const r = await fetch(url + (qs ? "?" + qs : ""), { headers: headers() });
          const text = await r.text();
          let body = text; try { body = JSON.stringify(JSON.parse(text), null, 2); } catch { }
          out.textContent = r.status + " " + r.statusText + "\n\n" + body; out.hidden = false;
        });
        box.append(el("br"), send, out);
      }
      ops.append(box);
    }
  }
}
$("load").addEventListener("click", load);
$("key").addEventListener("keydown", (e) => { if (e.key === "Enter") load(); });
load();
</script>
</body>
</html>
""";
}
