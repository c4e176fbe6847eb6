"""The explorer's page: HTML, CSS and a small script that shows the numbers it is given.

The script computes nothing: every value, adjoint, tangent and message is in the embedded JSON.
"""

PAGE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>explore %TITLE%</title>
<style>
body{font-family:"DejaVu Sans","Liberation Sans",Helvetica,sans-serif;margin:12px;color:#111}
#bar{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:8px}
#bar button{font-size:14px;padding:3px 10px;border:1px solid #9ca3af;border-radius:4px;
 background:#f9fafb;cursor:pointer}
#bar button.on{background:#1d4ed8;color:#fff;border-color:#1d4ed8}
#step{width:220px}
#counter{font-variant-numeric:tabular-nums;min-width:7em}
#explain{background:#f3f4f6;border-left:4px solid #1d4ed8;padding:6px 10px;margin-bottom:8px;
 min-height:2.6em;font-size:14px}
#keys{color:#6b7280;font-size:12px}
#picture svg{max-width:100%;height:auto}
g.node.pending{opacity:.3}
g.node.partial polygon,g.node.partial path{fill:#fee2e2}
g.node.done polygon,g.node.done path{fill:#fde68a}
g.node.current polygon,g.node.current path{fill:#f59e0b;stroke:#b45309;stroke-width:2.5}
g.edge.fired path{stroke:#dc2626;stroke-width:2}
g.edge.fired polygon{stroke:#dc2626;fill:#dc2626}
g.edge.fired text{fill:#b91c1c;font-weight:bold}
g.edge.current path{stroke-width:3.5}
#tip{position:fixed;display:none;background:#111827;color:#f9fafb;padding:6px 8px;
 border-radius:4px;font-size:12px;white-space:pre;pointer-events:none;z-index:9;max-width:60em}
</style></head><body>
<div id="bar">
<button id="mode-forward" title="forward sweep (key f)">forward</button>
<button id="mode-reverse" title="reverse sweep (key r)">reverse</button>
<button id="reset" title="back to the start (key Home)">reset</button>
<button id="prev" title="one step back (key &#x2190;)">&#x25C0; prev</button>
<input id="step" type="range" min="0" max="0" value="0" aria-label="step">
<button id="next" title="one step on (key &#x2192;)">next &#x25B6;</button>
<span id="counter"></span>
<span id="keys">keys: &#x2190; &#x2192; Home End, f / r;
 hover a node or an edge for its numbers</span>
</div>
<div id="explain"></div>
<div id="picture">%SVG%</div>
<div id="tip"></div>
<script type="application/json" id="data">%DATA%</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const $ = (id) => document.getElementById(id);
let mode = D.modes.includes("reverse") ? "reverse" : D.modes[0], step = 0;
const nodeG = {}, edgeG = [];
for (const id of Object.keys(D.nodes)) {
  const g = $("n-" + id);
  if (!g) continue;
  nodeG[id] = g;
  g.setAttribute("data-name", D.nodes[id].name);
  g.setAttribute("data-value", D.nodes[id].value);
  if (D.nodes[id].full) g.setAttribute("data-value-full", JSON.stringify(D.nodes[id].full));
}
D.edges.forEach((e, i) => { edgeG[i] = $("e" + i); });
function setLines(g, lines) {
  g.querySelectorAll("text").forEach((t, i) => {
    t.textContent = i < lines.length ? lines[i] : "";
  });
}
function current(events) {
  let found = null;
  for (const ev of events || []) if (ev.step <= step) found = ev;
  return found;
}
function render() {
  const M = D[mode], n = M.steps.length;
  step = Math.max(0, Math.min(step, n));
  const word = mode === "reverse" ? "adjoint" : "tangent";
  for (const [id, g] of Object.entries(nodeG)) {
    const nd = D.nodes[id], ev = current((nd.events || {})[mode]), at = (nd.step || {})[mode];
    setLines(g, nd.lines.concat(ev ? ev.lines : nd.blank || []));
    for (const w of ["adjoint", "tangent"]) {
      g.removeAttribute("data-" + w);
      g.removeAttribute("data-" + w + "-full");
    }
    if (ev && ev.shown !== null) {
      g.setAttribute("data-" + word, ev.shown);
      if (ev.full) g.setAttribute("data-" + word + "-full", JSON.stringify(ev.full));
    }
    g.classList.toggle("current", at === step);
    g.classList.toggle("done", at !== undefined && at < step);
    g.classList.toggle("partial", !!ev && at > step);
    g.classList.toggle("pending", mode === "forward" && at !== undefined && at > step);
  }
  D.edges.forEach((e, i) => {
    const g = edgeG[i];
    if (!g) return;
    const f = M.edges[i], fired = !!f && f.step <= step;
    setLines(g, fired && f.lines ? f.lines : e.local);
    if (fired && f.message !== undefined) g.setAttribute("data-message", f.message);
    else g.removeAttribute("data-message");
    g.classList.toggle("fired", fired);
    g.classList.toggle("current", !!f && f.step === step);
  });
  $("step").max = n;
  $("step").value = step;
  $("counter").textContent = "step " + step + " / " + n;
  $("explain").textContent = step === 0 ? M.intro : "Step " + step + ". " + M.steps[step - 1].text;
  $("mode-forward").classList.toggle("on", mode === "forward");
  $("mode-reverse").classList.toggle("on", mode === "reverse");
  $("mode-forward").disabled = !D.modes.includes("forward");
}
function go(s) { step = s; render(); }
function setMode(m) { if (D.modes.includes(m)) { mode = m; step = 0; render(); } }
$("next").onclick = () => go(step + 1);
$("prev").onclick = () => go(step - 1);
$("reset").onclick = () => go(0);
$("step").oninput = () => go(Number($("step").value));
$("mode-forward").onclick = () => setMode("forward");
$("mode-reverse").onclick = () => setMode("reverse");
document.addEventListener("keydown", (ev) => {
  const keys = {ArrowRight: () => go(step + 1), ArrowLeft: () => go(step - 1),
    Home: () => go(0), End: () => go(D[mode].steps.length), f: () => setMode("forward"),
    r: () => setMode("reverse")};
  if (keys[ev.key] && ev.target.tagName !== "INPUT") { keys[ev.key](); ev.preventDefault(); }
});
function nodeTip(id) {
  const nd = D.nodes[id];
  if (nd.blank) {
    const evs = (nd.events || {})[mode] || [];
    return (evs.length ? evs[evs.length - 1].lines : nd.blank).join("\n");
  }
  const lines = [nd.name + "  shape (" + nd.shape.join(", ") + ")", "value " + nd.value];
  for (const m of D.modes) {
    const evs = (nd.events || {})[m] || [];
    const word = m === "reverse" ? "gradient (adjoint) " : "tangent ";
    if (evs.length) lines.push(word + evs[evs.length - 1].shown);
  }
  return lines.join("\n");
}
function edgeTip(i) {
  const e = D.edges[i], lines = [];
  const name = (id) => (D.nodes[id] || {}).name || id;
  lines.push(name(e.source) + " → " + name(e.target));
  if (e.local.length) lines.push("local derivative ∂out/∂in: " + e.local.join(" "));
  for (const m of D.modes) {
    const f = D[m].edges[i];
    if (f && f.text) lines.push(m + " message (step " + f.step + "): " + f.text);
  }
  return lines.join("\n");
}
const tip = $("tip");
document.querySelectorAll("g.node, g.edge").forEach((g) => {
  g.addEventListener("mouseenter", (ev) => {
    let text = null;
    const id = g.id.startsWith("n-") ? g.id.slice(2) : null;
    if (id && D.nodes[id]) text = nodeTip(id);
    else if (/^e\d+$/.test(g.id)) text = edgeTip(Number(g.id.slice(1)));
    if (!text) return;
    tip.textContent = text;
    tip.style.display = "block";
    tip.style.left = (ev.clientX + 12) + "px";
    tip.style.top = (ev.clientY + 12) + "px";
  });
  g.addEventListener("mouseleave", () => { tip.style.display = "none"; });
});
document.querySelectorAll("svg title").forEach((t) => t.remove());
render();
</script></body></html>
"""
