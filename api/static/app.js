"use strict";
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("map-token") || "";
let current = null;

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: "Bearer " + token }, options.headers || {});
  const response = await fetch("/api" + path, Object.assign({}, options, { headers }));
  if (!response.ok) {
    let message = "Erreur " + response.status;
    try { message = (await response.json()).error.message; } catch (e) { /* non-JSON */ }
    throw new Error(message);
  }
  return response;
}
const json = async (path, options) => (await api(path, options)).json();
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? "")));
  return node;
};

async function showPage(cote, page, chunk, quote) {
  const q = new URLSearchParams({ cote, page });
  if (chunk) q.set("chunk", chunk);
  if (quote) q.set("quote", quote);
  $("viewer-img").removeAttribute("src");
  const blob = await (await api(`/dossiers/${encodeURIComponent(current)}/page.png?${q}`)).blob();
  $("viewer-title").textContent = `Source : ${cote} p.${page}`;
  $("viewer-img").src = URL.createObjectURL(blob);
  $("viewer").showModal();
}
const chip = (c, quote) => el("button", { type: "button", class: "chip", "aria-label": `Voir la source ${c.cote} page ${c.page}`,
  onclick: () => showPage(c.cote, c.page, c.chunk_id, quote) }, `${c.cote} p.${c.page}`);

async function login(value) {
  token = value;
  const me = await json("/me");
  sessionStorage.setItem("map-token", token);
  $("who").textContent = `${me.name} — ${me.role} — ${me.juridiction}`;
  $("login").hidden = true;
  $("app").hidden = false;
  await loadDossiers();
}

async function loadDossiers() {
  const list = $("dossiers");
  list.replaceChildren();
  for (const d of await json("/dossiers")) {
    list.append(el("li", {}, el("button", { type: "button", onclick: () => openDossier(d.id) }, `${d.id} (${d.documents} pièce(s))`)));
  }
}

async function openDossier(id) {
  current = id;
  $("dossier").hidden = false;
  $("dossier-title").textContent = `Dossier ${id}`;
  ["orientation", "draft", "answer", "progress"].forEach((x) => $(x).replaceChildren());
  $("docx-link").hidden = true;
  const d = await json(`/dossiers/${encodeURIComponent(id)}`);
  $("documents").replaceChildren(...d.documents.map((doc) => el("li", {},
    `${doc.cote || "cote ?"} — ${doc.filename} — ${doc.page_count} p. — ${doc.status === "failed" ? "ERREUR : " + doc.error : "analysée"}`)));
}

async function upload(event) {
  event.preventDefault();
  const form = new FormData();
  for (const f of $("files").files) form.append("files", f);
  const { job } = await json(`/dossiers/${encodeURIComponent(current)}/documents`, { method: "POST", body: form });
  let state;
  for (;;) {
    state = await json(`/jobs/${job}`);
    const p = state.progress || {};
    const errors = (p.errors || []).map((e) => `${e.file} : ${e.error}`).join(" ; ");
    $("progress").textContent = `Analyse : ${p.done || 0}/${p.files || "?"} fichier(s), ${p.pages || 0} page(s), ` +
      `${p.ocr_pages || 0} page(s) lue(s) par OCR. ${errors ? "Erreurs : " + errors : ""}`;
    if (!["queued", "running"].includes(state.state)) break;
    await new Promise((r) => setTimeout(r, 700));
  }
  const summary = $("progress").textContent;
  await openDossier(current);
  await loadDossiers();
  if (state.state === "failed") {
    const reason = (state.report && state.report.error) || (state.progress && state.progress.error) || "raison inconnue";
    $("progress").replaceChildren(summary, el("strong", { class: "error", role: "alert" }, ` Échec de l'analyse : ${reason}`));
  } else {
    $("progress").replaceChildren(summary, el("strong", {}, state.state === "done" ? " Terminé." : " Terminé avec des erreurs (voir ci-dessus)."));
  }
}

const LABELS = { alcohol_air_mg_l_readings: "Mesures éthylomètre (mg/L d'air)", alcohol_blood_g_l: "Alcoolémie (g/L de sang)",
  drugs_positive: "Stupéfiants", drugs_substances: "Substances", licence_status: "Permis", probationary_licence: "Permis probatoire",
  no_insurance: "Défaut d'assurance", hit_and_run: "Délit de fuite", refusal_to_comply: "Refus d'obtempérer",
  refusal_of_test: "Refus des vérifications", speed_kmh: "Vitesse retenue", speed_limit_kmh: "Vitesse autorisée",
  victim_itt_days: "ITT victime (jours)", accident_material_damage: "Dégâts matériels", alcohol_screening_negative: "Dépistage négatif",
  prior_convictions: "Condamnations (B1)", facts_date: "Date des faits", minor: "Mineur" };

const WORDS = { true: "oui", false: "non", valid: "valide", suspended: "suspendu", annulled: "annulé", never_held: "jamais obtenu" };
function show(value) {
  if (Array.isArray(value)) {
    if (!value.length) return "aucune";
    return value.map((v) => (typeof v === "object" ? `${v.offence} — ${v.court} — ${v.penalty} (définitive le ${v.final_date})` : show(v))).join(" ; ");
  }
  return WORDS[String(value)] || String(value);
}

async function orient() {
  const p = await json(`/dossiers/${encodeURIComponent(current)}/orientation`, { method: "POST" });
  const rows = Object.entries(p.facts).filter(([, f]) => f.value !== null).map(([k, f]) => el("tr", {},
    el("td", {}, LABELS[k] || k), el("td", {}, show(f.value)),
    el("td", {}, ...f.sources.map((s) => chip(s, s.quote)))));
  const o = p.orientation;
  const box = $("orientation");
  box.replaceChildren(
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Fait"), el("th", {}, "Valeur"), el("th", {}, "Source"))), el("tbody", {}, ...rows)),
    el("p", { class: "proposal" }, `Proposition : ${o.code} (règle ${o.rule_id})`),
    el("p", {}, `Réquisitions : ${JSON.stringify(o.requisitions)} — qualifications : ${o.charges.join(", ") || "—"}`),
    el("p", {}, `Taux retenu ${p.derived.alcohol_air_mg_l_retained ?? "—"} mg/L, corrigé ${p.derived.alcohol_air_mg_l_corrected ?? "—"} mg/L, classe ${p.derived.rate_class ?? "—"}`),
    ...p.warnings.map((w) => el("p", { class: "warning" }, "⚠ " + w)),
    ...p.missing.map((m) => el("p", { class: "warning" }, `Manquant : ${m.label} — ${m.reason}`)),
    el("details", {}, el("summary", {}, "Trace des règles"), el("ol", {}, ...p.trace.map((t) => el("li", {}, `${t.rule_id} ${t.matched ? "✔" : "✘"} ${t.description}`)))),
    el("p", {}, `Grille ${p.grid.id} v${p.grid.version}${p.grid.illustrative ? " — ILLUSTRATIVE" : ""}`),
    decisionForm(p));
}

const ACTION_FR = { accept: "acceptée", modify: "modifiée", reject: "rejetée" };
function decisionHistory(p) {
  const line = (d) => `n° ${d.seq} — ${ACTION_FR[d.action] || d.action} par ${d.decided_by} le ${new Date(d.decided_at).toLocaleString("fr-FR")}` +
    (Object.keys(d.changes || {}).length ? ` — modifications : ${Object.entries(d.changes).map(([k, v]) => `${k} = ${v}`).join(", ")}` : "") +
    (d.reason ? ` — motif : ${d.reason}` : "") + (d.superseded_by ? ` (remplacée par la n° ${d.superseded_by})` : "");
  const cur = p.current_decision;
  return el("div", { id: "decision-history" },
    el("p", { id: "decision-current" }, cur ? `Décision en vigueur : ${line(cur)}` : "Aucune décision enregistrée."),
    ...(p.decisions && p.decisions.length > 1 ? [el("details", {}, el("summary", {}, "Historique des décisions"),
      el("ol", {}, ...p.decisions.map((d) => el("li", {}, line(d)))))] : []));
}

function decisionForm(p) {
  const id = p.id;
  const history = decisionHistory(p);
  const form = el("form", { id: "decision-form" }, history,
    el("label", { for: "decision-action" }, "Décision du magistrat"),
    el("select", { id: "decision-action" }, el("option", { value: "accept" }, "Accepter"), el("option", { value: "modify" }, "Modifier"), el("option", { value: "reject" }, "Rejeter")),
    el("label", { for: "decision-changes" }, "Modifications (champ=valeur, séparées par ;)"), el("input", { id: "decision-changes" }),
    el("label", { for: "decision-reason" }, "Motif (obligatoire pour modifier ou rejeter)"), el("input", { id: "decision-reason" }),
    el("button", { type: "submit" }, "Enregistrer"), el("p", { id: "decision-result", role: "status" }));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const changes = Object.fromEntries($("decision-changes").value.split(";").filter((x) => x.includes("=")).map((x) => x.split("=").map((s) => s.trim())));
    try {
      const r = await json(`/proposals/${id}/decision`, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action: $("decision-action").value, changes, reason: $("decision-reason").value || null,
          supersedes: p.current_decision ? p.current_decision.seq : null }) });
      Object.assign(p, await json(`/proposals/${id}`));
      $("decision-history").replaceWith(decisionHistory(p));
      $("decision-result").textContent = `Décision enregistrée (${ACTION_FR[r.action] || r.action}) le ${new Date(r.decided_at).toLocaleString("fr-FR")}.`;
    } catch (err) { $("decision-result").textContent = err.message; }
  });
  return form;
}

async function draft() {
  const d = await json(`/dossiers/${encodeURIComponent(current)}/drafts`, { method: "POST",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify({ kind: $("draft-kind").value }) });
  const box = $("draft");
  box.replaceChildren(el("p", {}, `Projet ${d.id} — modèle : ${d.model} — à vérifier.`), ...d.warnings.map((w) => el("p", { class: "warning" }, w)));
  for (const section of d.sections) {
    box.append(el("h4", {}, section.title));
    for (const s of section.sentences) {
      box.append(el("p", { class: "s-" + s.status }, s.text, ...s.citations.map((c) => chip(c, s.text))));
    }
  }
  const link = $("docx-link");
  link.hidden = false;
  link.onclick = async (e) => {
    e.preventDefault();
    const blob = await (await api(`/drafts/${d.id}/docx`)).blob();
    const a = el("a", { href: URL.createObjectURL(blob), download: `projet-${d.kind}-${current}.docx` });
    a.click();
  };
}

async function ask(event) {
  event.preventDefault();
  const box = $("answer");
  box.replaceChildren();
  const response = await api(`/dossiers/${encodeURIComponent(current)}/ask`, { method: "POST",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify({ question: $("question").value }) });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const name = /event: (\w+)/.exec(block)[1];
      const data = JSON.parse(/data: (.*)/.exec(block)[1]);
      if (name === "sentence") box.append(el("p", { class: "s-" + data.status }, data.text, ...data.citations.map((c) => chip(c, data.text))));
      if (name === "done" && data.status === "abstention") box.append(el("p", {}, data.answer));
    }
  }
}

$("login-form").addEventListener("submit", (e) => { e.preventDefault(); login($("token").value).catch((err) => { $("login-error").textContent = err.message; }); });
$("new-dossier").addEventListener("submit", async (e) => {
  e.preventDefault();
  await json("/dossiers", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: $("new-id").value }) });
  await loadDossiers();
  await openDossier($("new-id").value);
});
$("upload-form").addEventListener("submit", (e) => upload(e).catch((err) => { $("progress").textContent = err.message; }));
$("orient-btn").addEventListener("click", () => orient().catch((err) => { $("orientation").textContent = err.message; }));
$("draft-btn").addEventListener("click", () => draft().catch((err) => { $("draft").textContent = err.message; }));
$("ask-form").addEventListener("submit", (e) => ask(e).catch((err) => { $("answer").textContent = err.message; }));
if (token) login(token).catch(() => { sessionStorage.removeItem("map-token"); });
