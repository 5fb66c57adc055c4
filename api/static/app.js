"use strict";
// The magistrate's page. Every value shown goes through the French tables below: never a raw code, never null.
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("map-token") || "";
let me = null;
let current = null;        // id of the open dossier
let dossierState = { documents: [], jobs: [], ingesting: false, cotes: [] };
let lastUpload = null;     // files kept for the conflict dialog

// ---- French words -------------------------------------------------------------------------------------------
const ROLES = { magistrat: "magistrat", greffier: "greffier", evaluateur: "évaluateur", admin: "administrateur" };
const PERMISSIONS = {
  magistrat: ["read", "upload", "search", "draft", "orient", "decide"],
  greffier: ["read", "upload", "search"], evaluateur: [], admin: [],
};
const ORIENTATIONS = {
  CLASSEMENT: "Classement sans suite", AVERTISSEMENT_PENAL_PROBATOIRE: "Avertissement pénal probatoire",
  STAGE: "Stage de sensibilisation à la sécurité routière", COMPOSITION_PENALE: "Composition pénale",
  ORDONNANCE_PENALE: "Ordonnance pénale", AMENDE_FORFAITAIRE: "Amende forfaitaire",
  CRPC: "Comparution sur reconnaissance préalable de culpabilité (CRPC)",
  COPJ: "Convocation par officier de police judiciaire (COPJ)", COMPARUTION_IMMEDIATE: "Comparution immédiate",
  DEFERREMENT: "Déferrement", OUVERTURE_INFORMATION: "Ouverture d'une information judiciaire",
  INFORMATION_MANQUANTE: "Information manquante : compléter le dossier avant d'orienter",
};
const RATE_CLASSES = { DELIT: "délit (taux délictuel)", C4: "contravention de 4e classe", NONE: "sous le seuil contraventionnel" };
const OFFENCES = {
  "L234-1": "Conduite sous l'empire d'un état alcoolique (art. L234-1 C. route)",
  "R234-1": "Conduite sous l'empire d'un état alcoolique, contravention de 4e classe (art. R234-1 C. route)",
  "L235-1": "Conduite après usage de stupéfiants (art. L235-1 C. route)",
  "L234-8": "Refus de se soumettre aux vérifications (art. L234-8 C. route)",
  "L233-1": "Refus d'obtempérer (art. L233-1 C. route)", "L233-1-1": "Refus d'obtempérer aggravé (art. L233-1-1 C. route)",
  "L221-2": "Conduite sans permis (art. L221-2 C. route)", "L324-2": "Défaut d'assurance (art. L324-2 C. route)",
  "434-10 CP": "Délit de fuite (art. 434-10 C. pénal)", "L413-1": "Excès de vitesse ≥ 50 km/h (art. L413-1 C. route)",
  "222-19-1 CP": "Blessures involontaires par conducteur, ITT > 3 mois (art. 222-19-1 C. pénal)",
  "222-20-1 CP": "Blessures involontaires par conducteur, ITT ≤ 3 mois (art. 222-20-1 C. pénal)",
};
const FACTS = {
  alcohol_air_mg_l_readings: "Mesures de l'éthylomètre", alcohol_blood_g_l: "Alcoolémie sanguine",
  drugs_positive: "Dépistage de stupéfiants positif", drugs_substances: "Substances détectées", licence_status: "Situation du permis",
  probationary_licence: "Permis probatoire", no_insurance: "Défaut d'assurance", hit_and_run: "Délit de fuite",
  refusal_to_comply: "Refus d'obtempérer", refusal_of_test: "Refus des vérifications", speed_kmh: "Vitesse retenue",
  speed_limit_kmh: "Vitesse autorisée", victim_itt_days: "ITT de la victime", accident_material_damage: "Dégâts matériels",
  alcohol_screening_negative: "Dépistage d'alcoolémie négatif", prior_convictions: "Condamnations antérieures (B1)",
  facts_date: "Date des faits", minor: "Mis en cause mineur", legal_recidivism: "Récidive légale",
  alcohol_air_mg_l_retained: "Taux retenu", alcohol_air_mg_l_corrected: "Taux après marge d'erreur",
  rate_class: "Classe du taux", prior_convictions_count: "Nombre de condamnations", alcohol_measure: "Mesure d'alcoolémie",
  orientation: "Orientation", requisitions: "Réquisitions", charges: "Qualifications", motif: "Motif",
};
const UNITS = { alcohol_air_mg_l_readings: "mg/L d'air", alcohol_blood_g_l: "g/L de sang", speed_kmh: "km/h",
  speed_limit_kmh: "km/h", victim_itt_days: "jour(s)", alcohol_air_mg_l_retained: "mg/L", alcohol_air_mg_l_corrected: "mg/L" };
const WORDS = { valid: "valide", suspended: "suspendu", annulled: "annulé", never_held: "jamais obtenu", invalid: "invalidé" };
const ACTIONS = { accept: "Acceptée", modify: "Modifiée", reject: "Rejetée" };
const DRAFT_KINDS = { synthese: "Synthèse des faits", detention: "Réquisitions aux fins de détention provisoire",
  requisitoire: "Réquisitoire définitif", resume: "Résumé d'une pièce" };
const STATUSES = { supported: "phrase vérifiée", fallback: "phrase reprise de la pièce", unsupported: "phrase non vérifiée",
  a_completer: "à compléter" };
const FORMATS = { pdf: "PDF", docx: "Word", doc: "Word", odt: "OpenDocument", rtf: "RTF", txt: "texte", html: "page web",
  eml: "courriel", msg: "courriel", csv: "tableau", xlsx: "tableur", png: "image", jpeg: "image", jpg: "image", tiff: "image" };
const DOC_STATES = { received: "reçue", parsed: "lue", chunked: "découpée", embedded: "indexée", stored: "analysée", failed: "non analysée",
  replaced: "remplacée par une version plus récente (plus citée)", cancelled: "dépôt annulé" };

const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
const dayWord = (d) => (Number(d) === 1 ? "1er" : String(Number(d)));

/** « 29 septembre 2026 » from 2026-09-29; « 1er décembre 2026 à 18 h 12 » (Paris time) from an ISO timestamp. */
function frDate(value) {
  if (value === null || value === undefined || value === "") return "date non renseignée";
  const s = String(value);
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (dateOnly) return `${dayWord(dateOnly[3])} ${MONTHS[Number(dateOnly[2]) - 1]} ${dateOnly[1]}`;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const parts = Object.fromEntries(new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", year: "numeric",
    month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .formatToParts(d).map((p) => [p.type, p.value]));
  return `${dayWord(parts.day)} ${MONTHS[Number(parts.month) - 1]} ${parts.year} à ${Number(parts.hour)} h ${parts.minute}`;
}
const frNumber = (n) => Number(n).toLocaleString("fr-FR", { maximumFractionDigits: 3 });
const yesNo = (b) => (b ? "oui" : "non");
const plural = (n, one, many) => `${n} ${n === 1 || n === 0 ? one : many}`;
const cap = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);
/** First letter in lower case, acronyms (ITT, B1) kept. */
const lowerFirst = (s) => (s && !/^[A-Z0-9]{2}/.test(s) ? s[0].toLowerCase() + s.slice(1) : s);
const humanize = (key) => String(key).replace(/_/g, " ");

/** « D1–D5 » for a run of consecutive cotes, « D1, D3 » otherwise. */
function coteRanges(cotes) {
  const sorted = [...new Set(cotes.filter(Boolean))].sort((a, b) => a[0].localeCompare(b[0]) || Number(a.slice(1)) - Number(b.slice(1)));
  const out = [];
  let start = null;
  let prev = null;
  const flush = () => { if (start) out.push(start === prev ? start : `${start}–${prev}`); };
  for (const c of sorted) {
    if (prev && c[0] === prev[0] && Number(c.slice(1)) === Number(prev.slice(1)) + 1) { prev = c; continue; }
    flush();
    start = c;
    prev = c;
  }
  flush();
  return out.join(", ");
}
const notFound = () => `non trouvé dans le dossier (pièces lues : ${coteRanges(dossierState.cotes) || "aucune pièce cotée"})`;

function requisitionsText(req) {
  if (!req || !Object.keys(req).length) return "aucune réquisition chiffrée";
  const parts = [];
  const r = Object.assign({}, req);
  if (r.fine_eur !== undefined) parts.push(`amende : ${frNumber(r.fine_eur)} €`);
  if (r.prison_months !== undefined) parts.push(`emprisonnement${r.prison_suspended ? " avec sursis" : ""} : ${r.prison_months} mois`);
  if (r.probation) parts.push("sursis probatoire");
  if (r.suspension_months !== undefined) parts.push(`suspension du permis : ${r.suspension_months} mois`);
  if (r.licence_surrender_months !== undefined) parts.push(`remise du permis au greffe : ${r.licence_surrender_months} mois`);
  if (r.licence_annulment) parts.push("annulation du permis");
  if (r.vehicle_confiscation) parts.push("confiscation du véhicule");
  if (r.stage) parts.push("stage de sensibilisation à la sécurité routière");
  const known = ["fine_eur", "prison_months", "prison_suspended", "probation", "suspension_months", "licence_surrender_months",
    "licence_annulment", "vehicle_confiscation", "stage"];
  for (const [k, v] of Object.entries(r)) if (!known.includes(k)) parts.push(`${humanize(k)} : ${fact(k, v)}`);
  return cap(parts.join(" ; "));
}
const orientationLabel = (code) => ORIENTATIONS[code] || humanize(code || "orientation non déterminée").toLowerCase();
const chargeLabel = (c) => OFFENCES[c] || `art. ${c}`;

/** One fact value in words and French formats. */
function fact(key, value) {
  if (value === null || value === undefined) return notFound();
  if (key === "facts_date" || /date/.test(key)) return frDate(value);
  if (key === "rate_class") return RATE_CLASSES[value] || humanize(value);
  if (key === "orientation") return orientationLabel(value);
  if (key === "prior_convictions" && Array.isArray(value)) {
    if (!value.length) return "aucune";
    return value.map((v) => [OFFENCES[(v.offence || "").toUpperCase()] || (v.offence ? `art. ${v.offence}` : "infraction non précisée"),
      v.court || "juridiction non précisée", v.penalty || "peine non précisée",
      `condamnation du ${v.date ? frDate(v.date) : "(date non trouvée)"}`,
      v.final_date ? `définitive le ${frDate(v.final_date)}` : "date à laquelle elle est devenue définitive non trouvée"].join(" — ")).join(" ; ");
  }
  if (Array.isArray(value)) return value.length ? value.map((v) => fact(key, v)).join(" ; ") : "aucune";
  if (typeof value === "boolean") return yesNo(value);
  if (typeof value === "number") return `${frNumber(value)}${UNITS[key] ? " " + UNITS[key] : ""}`;
  if (typeof value === "object") return Object.entries(value).map(([k, v]) => `${FACTS[k] || humanize(k)} : ${fact(k, v)}`).join(" ; ");
  return WORDS[value] || String(value);
}

// ---- DOM helpers --------------------------------------------------------------------------------------------
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};
const can = (permission) => !!me && (PERMISSIONS[me.role] || []).includes(permission);

function flash(message) {
  const box = $("flash");
  box.replaceChildren(el("span", {}, message), el("button", { type: "button", class: "light", onclick: () => { box.hidden = true; } }, "Masquer"));
  box.hidden = false;
}
function showError(target, err) {
  const box = typeof target === "string" ? $(target) : target;
  const message = err instanceof Error ? err.message : String(err);
  box.replaceChildren(el("p", { class: "error", role: "alert" }, message));
}
/** Run an action with its button disabled and marked busy; errors go to the given box, never only the console. */
async function busy(button, label, errorBox, fn) {
  const original = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.classList.add("busy");
  button.textContent = label;
  try {
    return await fn();
  } catch (err) {
    if (errorBox) showError(errorBox, err); else flash(err.message || String(err));
    return undefined;
  } finally {
    button.textContent = original;
    button.disabled = false;
    button.classList.remove("busy");
    button.removeAttribute("aria-busy");
    refreshActions();
  }
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || `Le serveur a répondu par une erreur (${status}).`);
    this.status = status;
    this.body = body;
  }
}
async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: "Bearer " + token }, options.headers || {});
  let response;
  try {
    response = await fetch("/api" + path, Object.assign({}, options, { headers }));
  } catch (e) {
    throw new Error("Le serveur ne répond pas : vérifiez la connexion puis réessayez.");
  }
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (response.status === 401 && me) {
      logout();
      $("login-error").textContent = "Votre session a pris fin (jeton expiré ou révoqué) : reconnectez-vous.";
    }
    throw new ApiError(response.status, body);
  }
  return response;
}
const json = async (path, options) => (await api(path, options)).json();
const post = (path, body, method = "POST") => json(path, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
const dossierPath = (suffix = "") => `/dossiers/${encodeURIComponent(current)}${suffix}`;

// ---- citations and the page reader ----------------------------------------------------------------------------
const citeLabel = (c) => `${c.cote || "pièce sans cote"} p.${c.page}`;
function chip(c, quote, terms) {
  return el("button", { type: "button", class: "chip", "aria-label": `Ouvrir la source : ${c.cote ? "cote " + c.cote : "pièce sans cote"}, page ${c.page}`,
    onclick: (e) => openReader({ cote: c.cote, page: c.page, chunk: c.chunk_id, quote }, terms, e.currentTarget) }, citeLabel(c));
}
let reader = null;

function markTerms(text, terms) {
  if (!terms || !terms.length) return [text];
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  // Fold character by character so that offsets in the folded text are offsets in the original.
  const folded = Array.from(text, (ch) => (fold(ch).toLowerCase().replace(",", ".")[0] || ch)).join("");
  const ranges = [];
  for (const t of terms) {
    let i = folded.indexOf(t);
    while (t && i >= 0) { ranges.push([i, i + t.length]); i = folded.indexOf(t, i + t.length); }
  }
  if (!ranges.length) return [text];
  ranges.sort((a, b) => a[0] - b[0]);
  const out = [];
  let pos = 0;
  for (const [a, b] of ranges) {
    if (a < pos) continue;
    out.push(text.slice(pos, a), el("mark", {}, text.slice(a, b)));
    pos = b;
  }
  out.push(text.slice(pos));
  return out;
}
/** The passage around its first hit (about 2 × radius characters), so that a result list stays short. */
function snippet(text, terms, radius = 200) {
  if (text.length <= radius * 2) return text;
  const folded = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const first = Math.min(...terms.map((t) => folded.indexOf(t)).filter((i) => i >= 0), text.length);
  const at = first === text.length ? 0 : first;
  const start = Math.max(0, at - radius / 2);
  const end = Math.min(text.length, start + radius * 2);
  return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
}
const searchTerms = (q) => q.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/,/g, ".")
  .split(/[^\w.]+/).filter((w) => w.length >= 3 || /\d/.test(w));

async function openReader(ref, terms, opener) {
  reader = { ref, terms, opener };
  const dialog = $("viewer");
  $("viewer-error").textContent = "";
  $("viewer-title").textContent = `Source : ${citeLabel(ref)}`;
  $("viewer-meta").textContent = "Chargement de la page…";
  $("viewer-text").replaceChildren();
  $("viewer-img").removeAttribute("src");
  $("viewer-image").classList.remove("loaded");
  if (!dialog.open) dialog.showModal();
  $("viewer-close").focus();
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(ref)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  try {
    const [page, blob] = await Promise.all([json(dossierPath(`/page?${q}`)), api(dossierPath(`/page.png?${q}`)).then((r) => r.blob())]);
    reader.page = page;
    $("viewer-title").textContent = `Source : ${page.cote || `${page.filename} (pièce sans cote)`} p.${page.page}`;
    $("viewer-meta").textContent = `${page.filename} — page ${page.pdf_page} sur ${page.page_count}` +
      (page.ocr ? " — lue par OCR, vérifier la lecture sur l'image" : "") + (page.blank ? " — page blanche" : "");
    const lines = page.lines.map((ln) => el("p", { class: ln.hit ? "line hit" : "line", "data-top": String(ln.top) }, ...markTerms(ln.text, terms)));
    $("viewer-text").replaceChildren(...(lines.length ? lines : [el("p", { class: "hint" }, "Aucun texte lisible sur cette page.")]));
    const img = $("viewer-img");
    img.onload = () => {
      scrollImageToHit();
      $("viewer-image").classList.add("loaded");
    };
    img.src = URL.createObjectURL(blob);
    // A searched word is what the reader came for; otherwise the supporting lines.
    const hit = $("viewer-text").querySelector("mark") || $("viewer-text").querySelector(".hit");
    reader.top = hit ? Number((hit.closest(".line") || hit).dataset.top || 0) : null;
    if (hit) hit.scrollIntoView({ block: "center" });
    $("viewer-prev").disabled = page.pdf_page <= 1;
    $("viewer-next").disabled = page.pdf_page >= page.page_count;
  } catch (err) {
    $("viewer-meta").textContent = "";
    $("viewer-error").textContent = err.message;
  }
}
function scrollImageToHit() {
  const box = $("viewer-image");
  if (reader && reader.top !== null && reader.top !== undefined) box.scrollTop = Math.max(0, reader.top * $("viewer-img").clientHeight - 60);
}
function toggleZoom() {
  const zoomed = $("viewer-image").classList.toggle("zoom");
  $("viewer-zoom").setAttribute("aria-pressed", String(zoomed));
  $("viewer-zoom").textContent = zoomed ? "Réduire l'image" : "Agrandir l'image";
  scrollImageToHit();
}
function turnPage(delta) {
  if (!reader || !reader.page) return;
  const p = reader.page;
  openReader({ document: p.document_id, page: p.pdf_page + delta }, reader.terms, reader.opener);
}
function closeReader() {
  $("viewer").close();
}
$("viewer").addEventListener("close", () => { if (reader && reader.opener && document.contains(reader.opener)) reader.opener.focus(); });

// ---- sign-in ------------------------------------------------------------------------------------------------
async function login(value) {
  token = value;
  const who = await json("/me");
  me = who;
  sessionStorage.setItem("map-token", token);
  $("who").textContent = `${who.name} — ${ROLES[who.role] || who.role} — ${who.juridiction}`;
  $("login").hidden = true;
  $("app").hidden = false;
  $("logout-btn").hidden = false;
  $("token").value = "";
  if (!can("read")) {
    $("no-dossier").hidden = true;
    $("no-content").hidden = false;
    $("no-content").textContent = `Le rôle ${ROLES[who.role] || who.role} ne donne pas accès au contenu des dossiers.`;
    $("sidebar").hidden = true;
    return;
  }
  $("sidebar").hidden = false;
  $("new-dossier").hidden = !can("upload");
  await loadDossiers();
}
function logout() {
  sessionStorage.removeItem("map-token");
  token = "";
  me = null;
  current = null;
  $("who").textContent = "";
  $("logout-btn").hidden = true;
  $("app").hidden = true;
  $("dossier").hidden = true;
  $("login").hidden = false;
  $("flash").hidden = true;
  $("login-error").textContent = "";
  $("token").focus();
}

// ---- dossiers -----------------------------------------------------------------------------------------------
let knownDossiers = [];
async function loadDossiers() {
  knownDossiers = await json("/dossiers");
  $("dossiers-empty").hidden = knownDossiers.length > 0;
  $("dossiers").replaceChildren(...knownDossiers.map((d) => el("li", {}, el("button", {
    type: "button", class: d.id === current ? "dossier current" : "dossier", "aria-current": d.id === current ? "true" : null,
    onclick: () => openDossier(d.id).catch((err) => flash(err.message)),
  }, d.id, el("span", { class: "count" }, ` ${plural(d.documents, "pièce", "pièces")}`)))));
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
async function createDossier(event) {
  event.preventDefault();
  const id = $("new-id").value.trim();
  const error = $("new-id-error");
  error.textContent = "";
  if (!id) { error.textContent = "Saisissez un identifiant."; $("new-id").focus(); return; }
  if (!ID_RE.test(id)) {
    const bad = [...new Set(id.replace(/[A-Za-z0-9._-]/g, ""))].join(" ");
    error.textContent = bad ? `Caractère(s) non autorisé(s) : ${bad.replace(/ {2,}/g, " ")}${/\s/.test(id) ? " (espace)" : ""}.`
      : "L'identifiant doit commencer par une lettre ou un chiffre.";
    $("new-id").setAttribute("aria-invalid", "true");
    $("new-id").focus();
    return;
  }
  $("new-id").removeAttribute("aria-invalid");
  if (knownDossiers.some((d) => d.id === id)) {
    error.textContent = `Le dossier ${id} existe déjà : il est ouvert.`;
    await openDossier(id);
    return;
  }
  await busy($("new-btn"), "Création…", error, async () => {
    await post("/dossiers", { id });
    $("new-id").value = "";
    await loadDossiers();
    await openDossier(id);
  });
}

function collapseSidebarOnSmallScreens() {
  if (window.matchMedia("(max-width: 899px)").matches) setSidebar(false);
}
function setSidebar(open) {
  $("sidebar").classList.toggle("open", open);
  $("sidebar-toggle").setAttribute("aria-expanded", String(open));
  $("sidebar-toggle").textContent = open ? "Masquer les dossiers" : `Dossiers${current ? " (ouvert : " + current + ")" : ""}`;
}

async function openDossier(id) {
  current = id;
  $("no-dossier").hidden = true;
  $("dossier").hidden = false;
  $("dossier-title").textContent = `Dossier ${id}`;
  ["orientation", "draft", "answer", "progress", "search-results", "docs-error"].forEach((x) => $(x).replaceChildren());
  ["search-q", "question"].forEach((x) => { $(x).value = ""; });
  proposalState = null;
  await refreshDossier();
  await loadDossiers();
  collapseSidebarOnSmallScreens();
  $("dossier-title").focus();
  const running = dossierState.jobs.find((j) => ["queued", "running"].includes(j.state));
  if (running) followJob(running.id).catch((err) => showError("docs-error", err));
}

async function refreshDossier() {
  const [d, jobs] = await Promise.all([json(dossierPath()), json(dossierPath("/jobs")).catch(() => [])]);
  dossierState.documents = d.documents;
  dossierState.jobs = jobs;
  const active = jobs.filter((j) => ["queued", "running"].includes(j.state));
  // once every file is read the job only computes dense vectors: full-text search and questions are open
  dossierState.embedding = active.length > 0 && active.every((j) => (j.progress || {}).phase === "embedding");
  dossierState.ingesting = active.length > 0 && !dossierState.embedding;
  dossierState.cotes = d.documents.filter((x) => x.status === "stored").map((x) => x.cote);
  renderDocuments();
  renderResumeChoices();
  refreshActions();
}

/** Files of recent jobs that failed and were not analysed since: they stay listed with their error. */
function failedFiles() {
  const names = new Set(dossierState.documents.map((d) => d.filename));
  const out = new Map();
  for (const job of [...dossierState.jobs].reverse()) {
    for (const doc of (job.report && job.report.documents) || []) {
      if (doc.status === "failed" && !names.has(doc.file)) out.set(doc.file, doc);
      if (doc.status !== "failed") out.delete(doc.file);
    }
  }
  return [...out.values()];
}

function pieceType(doc) {
  const display = doc.display || {};
  const type = display.type || display.piece_type || doc.piece_type_label || doc.type_label;
  const format = FORMATS[doc.kind] || (doc.kind ? doc.kind.toUpperCase() : "format inconnu");
  return type ? `${type} (${format})` : format;
}

function renderDocuments() {
  const rows = [];
  const replaced = (d) => d.status === "replaced";
  const docs = [...dossierState.documents].sort((a, b) => (a.cote || "Z9999").localeCompare(b.cote || "Z9999", "fr", { numeric: true })
    || replaced(a) - replaced(b) || (b.version || 1) - (a.version || 1));
  for (const doc of docs) {
    const alerts = [];
    if (doc.status === "failed") alerts.push(el("li", { class: "error" }, `Non analysée : ${doc.error || "erreur de lecture"}`));
    else alerts.push(el("li", { class: replaced(doc) ? "hint" : "ok" }, cap(DOC_STATES[doc.status] || "en cours d'analyse")));
    for (const w of doc.warnings || []) alerts.push(el("li", { class: "warning" }, w));
    if (!doc.cote && doc.status === "stored") alerts.push(el("li", { class: "warning" }, "Cote à renseigner : les citations de cette pièce ne portent pas de cote."));
    rows.push(el("tr", { "data-doc": doc.id, class: replaced(doc) ? "replaced" : null },
      el("td", { class: "cote-cell" }, coteEditor(doc)),
      el("td", {}, el("span", { class: "filename" }, doc.filename), el("br"), el("span", { class: "hint" }, pieceType(doc),
        doc.version > 1 || replaced(doc) ? ` — version ${doc.version || 1}` : "")),
      el("td", { class: "num-cell", "data-label": "Pages" }, doc.page_count ? String(doc.page_count) : "—"),
      el("td", { class: "num-cell", "data-label": "Lues par OCR" }, doc.status === "stored" ? String(doc.ocr_pages || 0) : "—"),
      el("td", {}, el("ul", { class: "alerts" }, alerts))));
  }
  for (const f of failedFiles()) {
    rows.push(el("tr", { class: "failed" }, el("td", {}, el("span", { class: "cote missing" }, "non cotée")),
      el("td", {}, el("span", { class: "filename" }, f.file)),
      el("td", { class: "num-cell", "data-label": "Pages" }, "—"), el("td", { class: "num-cell", "data-label": "Lues par OCR" }, "—"),
      el("td", {}, el("ul", { class: "alerts" }, el("li", { class: "error" }, `Non analysé : ${f.error || "erreur de lecture"}`),
        el("li", { class: "hint" }, "Corrigez le fichier puis déposez-le à nouveau.")))));
  }
  $("documents").replaceChildren(...rows);
  $("documents-table").hidden = rows.length === 0;
}

function coteEditor(doc) {
  const wrap = el("div", { class: "cote-edit" });
  const missing = !doc.cote;
  const canEdit = can("upload") && doc.status === "stored";
  const shown = el("span", { class: missing ? "cote missing" : "cote" }, missing ? "sans cote" : doc.cote);
  if (!canEdit) { wrap.append(shown); return wrap; }
  const inputId = `cote-${doc.id}`;
  const input = el("input", { id: inputId, class: "cote-input", value: doc.cote || "", maxlength: "20", placeholder: "ex. D7",
    "aria-label": `Cote de la pièce ${doc.filename}` });
  const save = el("button", { type: "button", class: "small" }, "Enregistrer la cote");
  const error = el("p", { class: "error", role: "alert" });
  const form = el("div", { class: "cote-form" }, input, save, error);
  form.hidden = !missing;
  const edit = el("button", { type: "button", class: "small light", "aria-label": `Corriger la cote de ${doc.filename}`,
    onclick: () => { form.hidden = false; edit.hidden = true; input.focus(); } }, "Corriger");
  edit.hidden = missing;
  const submit = async () => {
    error.textContent = "";
    if (!/^[A-Da-d]\s*0*\d{1,4}$/.test(input.value.trim())) {
      error.textContent = "Une cote est une lettre de A à D suivie d'un numéro (ex. D12).";
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    await busy(save, "Enregistrement…", error, async () => {
      const updated = await post(`/documents/${encodeURIComponent(doc.id)}`, { cote: input.value.trim() }, "PATCH");
      await refreshDossier();
      $("progress").replaceChildren(el("p", { class: "ok" }, `Cote ${updated.cote} enregistrée pour « ${doc.filename} ».`));
    });
  };
  save.addEventListener("click", submit);
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); submit(); } });
  wrap.append(shown, edit, form);
  return wrap;
}

function renderResumeChoices() {
  const stored = dossierState.documents.filter((d) => d.status === "stored");
  $("draft-cote").replaceChildren(...stored.map((d) => el("option", { value: d.cote || "" , disabled: d.cote ? null : "true" },
    d.cote ? `${d.cote} — ${d.filename}` : `${d.filename} (cote à renseigner)`)));
}

// ---- upload and ingestion -----------------------------------------------------------------------------------
async function upload(event, onConflict = "ask") {
  if (event) event.preventDefault();
  const files = onConflict === "ask" ? [...$("files").files] : lastUpload;
  if (!files || !files.length) { showError("docs-error", "Choisissez au moins un fichier."); return; }
  lastUpload = files;
  $("docs-error").replaceChildren();
  const form = new FormData();
  for (const f of files) form.append("files", f);
  let job;
  try {
    ({ job } = await json(dossierPath(`/documents?on_conflict=${onConflict}`), { method: "POST", body: form }));
  } catch (err) {
    if (err.status === 409) { askConflict(err.body); return; }
    throw err;
  }
  $("files").value = "";
  showChosenFiles();
  dossierState.ingesting = true;
  refreshActions();
  await followJob(job);
}

function askConflict(body) {
  const e = (body && body.error) || {};
  const conflicts = (body && body.conflicts) || e.conflicts || [];
  const list = conflicts.map((c) => (typeof c === "string" ? c : `« ${c.file} » a la cote ${c.cote}, déjà celle de « ${(c.existing && c.existing.filename) || "une pièce du dossier"} »` +
    (c.existing && c.existing.version > 1 ? ` (version ${c.existing.version})` : ""))).join(" ; ");
  $("conflict-text").replaceChildren(el("p", {}, e.message || "Une pièce de même cote est déjà au dossier : rien n'a été modifié."),
    list ? el("p", {}, list + ".") : "",
    el("p", { class: "hint" }, "Remplacer : la nouvelle version devient la pièce citée (l'ancienne reste consultable). " +
      "Garder les deux versions : les deux sont lues et citées. Annuler : rien n'est déposé."));
  $("conflict").showModal();
  $("conflict-cancel").focus();
}
function resolveConflict(choice) {
  $("conflict").close();
  if (choice === "cancel") {
    $("progress").replaceChildren(el("p", {}, "Dépôt annulé : aucune pièce n'a été modifiée."));
    lastUpload = null;
    return;
  }
  busy($("upload-btn"), "Dépôt…", "docs-error", () => upload(null, choice));
}

async function followJob(jobId) {
  dossierState.ingesting = true;
  refreshActions();
  const box = $("progress");
  let state;
  const dossier = current;
  for (;;) {
    state = await json(`/jobs/${jobId}`);
    if (current !== dossier) return;
    const p = state.progress || {};
    const total = p.files || 0;
    const bar = el("progress", { max: String(total || 1), value: String(p.done || 0), "aria-label": "Avancement de l'analyse" });
    if (p.phase === "embedding") {
      box.replaceChildren(el("p", { class: "status" }, `Toutes les pièces sont lues et interrogeables en recherche plein texte ; indexation sémantique en cours (${plural(p.chunks_waiting || 0, "extrait restant", "extraits restants")}).`));
      if (!dossierState.embedding) await refreshDossier();
    } else {
      box.replaceChildren(el("p", { class: "status" }, bar, ` Analyse en cours : ${(p.done || 0) > 1 ? `${p.done} fichiers` : `${p.done || 0} fichier`} sur ${total || "…"}, `,
        `${plural(p.pages || 0, "page lue", "pages lues")}, dont ${p.ocr_pages || 0} par OCR.`));
    }
    if (!["queued", "running"].includes(state.state)) break;
    await new Promise((r) => setTimeout(r, 600));
  }
  await refreshDossier();
  await loadDossiers();
  const p = state.progress || {};
  const failed = (p.errors || []).length;
  const end = state.state === "failed"
    ? el("p", { class: "error", role: "alert" }, el("strong", {}, "Échec de l'analyse : "), `${(state.report && state.report.error) || p.error || "erreur interne"}. `,
      "Les pièces déjà analysées sont conservées ; déposez à nouveau les autres.")
    : el("p", { class: failed ? "warning" : "ok" }, el("strong", {}, "Terminé : "),
      `${plural(p.done || 0, "fichier traité", "fichiers traités")}, ${plural(p.pages || 0, "page lue", "pages lues")} dont ${p.ocr_pages || 0} par OCR`,
      failed ? ` ; ${plural(failed, "fichier n'a pas pu être analysé", "fichiers n'ont pas pu être analysés")} (voir la liste).` : ".");
  const waiting = state.report && state.report.embedding_error;
  box.replaceChildren(end, waiting ? el("p", { class: "warning" }, `⚠ Indexation sémantique en attente : ${waiting} Les pièces sont interrogeables en recherche plein texte ; relancez le dépôt plus tard pour la terminer.`) : "");
}

// ---- enabling actions with their reason ---------------------------------------------------------------------
function refreshActions() {
  if (!me) return;
  const ingesting = dossierState.ingesting;
  // while only dense vectors are computed, orientation, search and questions are open (full text); drafts wait
  const running = ingesting || dossierState.embedding;
  const noDocs = !dossierState.documents.some((d) => d.status === "stored");
  const roleReason = (perm) => (can(perm) ? "" : `Réservé aux magistrats : votre rôle (${ROLES[me.role] || me.role}) ne le permet pas.`);
  const rules = [
    ["upload-btn", "upload-reason", roleReason("upload") || (running ? "Une analyse est en cours : attendez sa fin pour déposer d'autres pièces." : "")],
    ["search-btn", "search-reason", roleReason("search") || (ingesting ? "Analyse des pièces en cours : la recherche porterait sur un dossier incomplet." : noDocs ? "Aucune pièce analysée dans ce dossier." : "")],
    // the proposal reads page text only: open as soon as every piece is read, while dense vectors are computed
    ["orient-btn", "orient-reason", roleReason("orient") || (ingesting ? "Analyse des pièces en cours : la proposition attendra la fin pour porter sur tout le dossier." : noDocs ? "Déposez d'abord les pièces du dossier." : "")],
    ["draft-btn", "draft-reason", roleReason("draft") || (running ? "Analyse des pièces en cours : le projet attendra la fin pour porter sur tout le dossier." : noDocs ? "Déposez d'abord les pièces du dossier." : "")],
    ["ask-btn", "ask-reason", roleReason("search") || (ingesting ? "Analyse des pièces en cours : la réponse porterait sur un dossier incomplet." : noDocs ? "Aucune pièce analysée dans ce dossier." : "")],
  ];
  for (const [button, reasonBox, reason] of rules) {
    const b = $(button);
    if (b.getAttribute("aria-busy")) continue;
    b.disabled = !!reason;
    $(reasonBox).textContent = reason;
    if (reason) b.setAttribute("aria-describedby", reasonBox); else b.removeAttribute("aria-describedby");
  }
  $("files").disabled = $("upload-btn").disabled;
  $("dossier-status").textContent = ingesting ? "Analyse des pièces en cours : orientation, recherche et questions dès que toutes les pièces seront lues, projets à la fin."
    : dossierState.embedding ? "Pièces lues : orientation disponible, recherche et questions en plein texte ; indexation sémantique en cours, projets à la fin."
    : (dossierState.documents.length ? `${plural(dossierState.documents.filter((d) => d.status === "stored").length, "pièce analysée", "pièces analysées")}` +
      (dossierState.cotes.length ? ` (cotes ${coteRanges(dossierState.cotes)})` : "") + "." : "Dossier vide : déposez ses pièces.");
  $("draft-cote-wrap").hidden = $("draft-kind").value !== "resume";
}

/** Said under every result computed while some files could not be read or have no cote. */
function incompleteNote() {
  const failed = [...failedFiles().map((f) => f.file), ...dossierState.documents.filter((d) => d.status === "failed").map((d) => d.filename)];
  const uncoted = dossierState.documents.filter((d) => d.status === "stored" && !d.cote).map((d) => d.filename);
  const parts = [];
  if (failed.length) parts.push(`${plural(failed.length, "fichier non analysé n'est pas pris en compte", "fichiers non analysés ne sont pas pris en compte")} (${failed.join(", ")})`);
  if (uncoted.length) parts.push(`${plural(uncoted.length, "pièce est citée sans cote", "pièces sont citées sans cote")} (${uncoted.join(", ")}) : renseignez-la dans la liste des pièces`);
  return parts.length ? el("p", { class: "warning" }, `⚠ Dossier incomplet : ${parts.join(" ; ")}.`) : "";
}

// ---- search -------------------------------------------------------------------------------------------------
async function search(event) {
  event.preventDefault();
  const query = $("search-q").value.trim();
  if (!query) return;
  const box = $("search-results");
  await busy($("search-btn"), "Recherche…", box, async () => {
    const [hits, indexing] = await Promise.all([post(dossierPath("/search"), { query, k: 10 }), json(dossierPath("/indexation")).catch(() => ({}))]);
    const terms = searchTerms(query);
    const notice = indexing.message ? el("p", { class: "warning" }, `⚠ ${indexing.message}`) : "";
    if (!hits.length) { box.replaceChildren(el("p", {}, `Aucun passage ne correspond à « ${query} ».`), notice); return; }
    box.replaceChildren(el("p", { class: "hint" }, `${plural(hits.length, "passage trouvé", "passages trouvés")} pour « ${query} », du plus pertinent au moins pertinent.`),
      notice, incompleteNote(),
      el("ol", { class: "hits" }, ...hits.map((h) => el("li", {}, chip(h, null, terms), " ",
        el("span", { class: "snippet" }, ...markTerms(snippet(h.text, terms), terms))))));
  });
}

// ---- orientation and decisions --------------------------------------------------------------------------------
function sourceChips(sources) {
  return sources.length ? sources.map((s) => chip(s, s.quote)) : [el("span", { class: "hint" }, "calculé")];
}

async function orient() {
  const box = $("orientation");
  await busy($("orient-btn"), "Analyse du dossier…", box, async () => {
    const p = await json(dossierPath("/orientation"), { method: "POST" });
    renderProposal(p, p.decisions || [], p.current_decision);
  });
}

function rateText(p) {
  const d = p.derived;
  if (d.alcohol_air_mg_l_retained !== null && d.alcohol_air_mg_l_retained !== undefined) {
    return `taux retenu ${fact("alcohol_air_mg_l_retained", d.alcohol_air_mg_l_retained)} (mesure la plus basse) ; après marge d'erreur ${fact("alcohol_air_mg_l_corrected", d.alcohol_air_mg_l_corrected)}`;
  }
  const blood = p.facts.alcohol_blood_g_l && p.facts.alcohol_blood_g_l.value;
  if (blood !== null && blood !== undefined) return `alcoolémie sanguine ${fact("alcohol_blood_g_l", blood)}`;
  return `aucune mesure d'alcoolémie trouvée (pièces lues : ${coteRanges(dossierState.cotes) || "aucune pièce cotée"})`;
}
let proposalState = null;
function renderProposal(p, decisions, currentDecision) {
  proposalState = { id: p.id, current: currentDecision || (decisions.length ? decisions[decisions.length - 1] : null) };
  const box = $("orientation");
  const o = p.orientation;
  const display = p.display || {};
  const found = Object.entries(p.facts).filter(([, f]) => f.value !== null && f.value !== undefined);
  const absent = Object.entries(p.facts).filter(([, f]) => f.value === null || f.value === undefined).map(([k]) => FACTS[k] || humanize(k));
  const rule = p.trace.find((t) => t.rule_id === o.rule_id);
  const d = p.derived;
  const failed = failedFiles().length + dossierState.documents.filter((x) => x.status === "failed").length;
  const uncoted = dossierState.documents.filter((x) => x.status === "stored" && !x.cote).length;
  const missingList = display.missing || p.missing.map((m) => `${cap(m.label)} : ${/non trouvé/i.test(m.reason) ? notFound() : m.reason}`);
  box.replaceChildren(
    el("div", { class: "proposal-card" },
      el("p", { class: "proposal" }, "Orientation proposée : ", el("strong", {}, display.orientation || orientationLabel(o.code))),
      el("p", {}, el("strong", {}, "Réquisitions : "), display.requisitions || requisitionsText(o.requisitions)),
      el("p", {}, el("strong", {}, "Qualifications : "), o.charges.length ? o.charges.map((c) => OFFENCES[c] ||
        ((display.charges || []).find((x) => x.startsWith(c + " ")) || chargeLabel(c))).join(" ; ") : "aucune retenue"),
      el("p", { class: o.mandatory_review ? "review" : "" }, el("strong", {}, "Contrôle humain obligatoire : "), yesNo(o.mandatory_review)),
      el("p", {}, el("strong", {}, "Motif : "), o.motif || display.motif || "aucun motif fixé par la grille"),
      el("p", {}, el("strong", {}, "Règle appliquée : "), rule ? `${rule.description} (${o.rule_id.split("-")[0]})` : "aucune règle de la grille ne s'applique"),
      el("p", {}, el("strong", {}, "Alcoolémie : "), rateText(p), ` ; classe : ${display.rate_class || fact("rate_class", d.rate_class)}`),
      el("p", {}, el("strong", {}, "Récidive légale : "), d.legal_recidivism === null || d.legal_recidivism === undefined ? "non déterminable (B1 ou date des faits absents)" : yesNo(d.legal_recidivism)),
      el("p", { class: "hint" }, `Calculée sur ${plural(dossierState.cotes.length, "pièce analysée", "pièces analysées")} (${coteRanges(dossierState.cotes) || "aucune cotée"})` +
        (failed ? ` ; ${plural(failed, "fichier non analysé n'est pas pris en compte", "fichiers non analysés ne sont pas pris en compte")}` : "") +
        (uncoted ? ` ; ${plural(uncoted, "pièce sans cote", "pièces sans cote")}` : "") + "."),
      p.grid.illustrative ? el("p", { class: "warning" }, `Grille illustrative (version ${p.grid.version}) : elle n'est la politique pénale d'aucun parquet.`)
        : el("p", { class: "hint" }, `Grille version ${p.grid.version}.`)),
    ...p.warnings.map((w) => el("p", { class: "warning" }, "⚠ " + w)),
    missingList.length ? el("div", {}, el("h4", {}, "Éléments manquants"), el("ul", {}, ...missingList.map((m) => el("li", { class: "warning" }, cap(m))))) : "",
    el("h4", {}, "Faits retenus, chacun avec sa source"),
    el("div", { class: "table-wrap" }, el("table", { class: "facts" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Fait"), el("th", { scope: "col" }, "Valeur"), el("th", { scope: "col" }, "Source"))),
      el("tbody", {}, ...found.map(([k, f]) => {
        const shown = (display.facts || []).find((x) => x.key === k) || {};
        return el("tr", {}, el("td", {}, FACTS[k] || cap(shown.label) || humanize(k)),
          el("td", {}, shown.value || fact(k, f.value),
            f.uncertain || (f.conflicts || []).length ? el("span", { class: "warning" }, " — à vérifier") : "",
            shown.conflicts ? el("span", { class: "warning block" }, `Autre lecture au dossier : ${shown.conflicts}`) : ""),
          el("td", {}, ...sourceChips(f.sources)));
      })))),
    absent.length ? el("p", { class: "hint" }, `Non trouvés dans le dossier (pièces lues : ${coteRanges(dossierState.cotes) || "aucune pièce cotée"}) : ${absent.map(lowerFirst).join(", ")}.`) : "",
    p.constraints.length ? el("div", {}, el("h4", {}, "Contraintes légales"), el("ul", {}, ...p.constraints.map((c) =>
      el("li", { class: c.ok ? "ok" : "error" }, `${c.ok ? "Respectée" : "Non respectée"} (art. ${c.article}) : ${c.detail}`)))) : "",
    el("details", {}, el("summary", {}, "Trace des règles de la grille"), el("ol", {}, ...p.trace.map((t) =>
      el("li", {}, `${t.description} (${t.rule_id.split("-")[0]}) : ${t.matched ? "remplie" : "non remplie"}`)))),
    el("section", { class: "decision", "aria-labelledby": "decision-title" }, el("h4", { id: "decision-title" }, "Décision du magistrat"),
      el("div", { id: "decision-current" }), el("div", { id: "decision-history" }), can("decide") ? decisionForm(p) :
        el("p", { class: "reason" }, `Réservé aux magistrats : votre rôle (${ROLES[me.role] || me.role}) ne permet pas de décider.`)));
  renderDecisions(decisions, currentDecision);
}

async function loadDecisions(proposalId) {
  const full = await json(`/proposals/${encodeURIComponent(proposalId)}`);
  const history = full.decisions || [];
  const cur = full.current_decision || (history.length ? history[history.length - 1] : null);
  if (proposalState && proposalState.id === proposalId) proposalState.current = cur;
  renderDecisions(history, cur);
}

const REQUISITION_FIELDS = {
  fine_eur: ["Amende (€)", "number"], prison_months: ["Emprisonnement (mois)", "number"],
  prison_suspended: ["Emprisonnement avec sursis", "bool"], probation: ["Sursis probatoire", "bool"],
  suspension_months: ["Suspension du permis (mois)", "number"], licence_surrender_months: ["Remise du permis au greffe (mois)", "number"],
  licence_annulment: ["Annulation du permis", "bool"], vehicle_confiscation: ["Confiscation du véhicule", "bool"],
  stage: ["Stage de sensibilisation à la sécurité routière", "bool"],
};
function changesText(changes) {
  const entries = Object.entries(changes || {});
  if (!entries.length) return "";
  return entries.map(([k, v]) => {
    if (k === "orientation.code" || k === "orientation") return `orientation : ${orientationLabel(v)}`;
    if (k === "orientation.charges") return `qualifications : ${[].concat(v).map(chargeLabel).join(" ; ")}`;
    if (k.startsWith("requisitions.")) {
      const field = k.slice(13);
      const label = (REQUISITION_FIELDS[field] || [humanize(field)])[0].replace(/ \((€|mois)\)$/, "").toLowerCase();
      if (typeof v === "boolean") return `${label} : ${yesNo(v)}`;
      return `${label} : ${field === "fine_eur" ? frNumber(v) + " €" : v === null ? "retirée" : v + " mois"}`;
    }
    return `${lowerFirst(FACTS[k] || humanize(k))} : ${fact(k, v)}`;
  }).join(" ; ");
}
let decisionNumbers = new Map();  // global seq -> position in this proposal's history
function decisionLine(r) {
  const n = decisionNumbers.get(r.seq);
  const replacedBy = decisionNumbers.get(r.superseded_by);
  return [n ? `n° ${n} : ` : "", `${ACTIONS[r.action] || humanize(r.action)} par ${r.decided_by || "auteur inconnu"} le ${frDate(r.decided_at)}`,
    changesText(r.changes) ? ` — ${changesText(r.changes)}` : "", r.reason ? ` — motif : ${r.reason}` : "",
    replacedBy ? ` (remplacée par la décision n° ${replacedBy})` : ""].join("");
}
function renderDecisions(history, currentDecision) {
  decisionNumbers = new Map(history.map((r, i) => [r.seq, i + 1]));
  const cur = currentDecision || (history.length ? history[history.length - 1] : null);
  const box = $("decision-current");
  if (!box) return;
  box.replaceChildren(el("p", { class: cur ? "current-decision" : "hint" }, el("strong", {}, "Décision en vigueur : "),
    cur ? decisionLine(cur) : "aucune décision enregistrée pour cette proposition."));
  $("decision-history").replaceChildren(history.length > 1 || (history.length === 1 && !cur) ? el("details", {},
    el("summary", {}, `Historique (${plural(history.length, "décision", "décisions")})`),
    el("ol", {}, ...history.map((r) => el("li", {}, decisionLine(r))))) : "");
}

function decisionForm(p) {
  const req = p.orientation.requisitions || {};
  const orientationSelect = el("select", { id: "decision-orientation" },
    ...Object.entries(ORIENTATIONS).filter(([k]) => k !== "INFORMATION_MANQUANTE").map(([k, v]) =>
      el("option", { value: k, selected: k === p.orientation.code ? "true" : null }, v)));
  const reqInputs = Object.entries(REQUISITION_FIELDS).map(([field, [label, type]]) => {
    const id = `decision-req-${field}`;
    if (type === "bool") {
      return el("div", { class: "check" }, el("input", { id, type: "checkbox", checked: req[field] ? "true" : null, "data-field": field }),
        el("label", { for: id }, label));
    }
    return el("div", { class: "num" }, el("label", { for: id }, label),
      el("input", { id, type: "number", min: "0", step: "1", inputmode: "numeric", value: req[field] ?? "", "data-field": field }));
  });
  const modifyFields = el("fieldset", { id: "decision-modify", hidden: true },
    el("legend", {}, "Ce que vous retenez"),
    el("label", { for: "decision-orientation" }, "Orientation retenue"), orientationSelect,
    el("div", { class: "req-grid" }, ...reqInputs));
  const action = el("select", { id: "decision-action" }, el("option", { value: "accept" }, "Accepter la proposition"),
    el("option", { value: "modify" }, "Modifier"), el("option", { value: "reject" }, "Rejeter"));
  const result = el("p", { id: "decision-result", role: "status" });
  const submit = el("button", { type: "submit", id: "decision-btn" }, "Enregistrer la décision");
  const form = el("form", { id: "decision-form", novalidate: true },
    el("label", { for: "decision-action" }, "Décision"), action, modifyFields,
    el("label", { for: "decision-reason" }, "Motif (obligatoire pour modifier ou rejeter)"),
    el("textarea", { id: "decision-reason", rows: "2", maxlength: "2000" }), submit, result);
  action.addEventListener("change", () => { modifyFields.hidden = action.value !== "modify"; });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    result.textContent = "";
    const reason = $("decision-reason").value.trim();
    if (action.value !== "accept" && !reason) {
      result.replaceChildren(el("span", { class: "error" }, "Indiquez le motif : il est obligatoire pour modifier ou rejeter."));
      $("decision-reason").setAttribute("aria-invalid", "true");
      $("decision-reason").focus();
      return;
    }
    $("decision-reason").removeAttribute("aria-invalid");
    const changes = {};
    if (action.value === "modify") {
      if (orientationSelect.value !== p.orientation.code) changes["orientation.code"] = orientationSelect.value;
      for (const input of modifyFields.querySelectorAll("[data-field]")) {
        const field = input.dataset.field;
        if (input.type === "checkbox") {
          if (input.checked !== !!req[field]) changes[`requisitions.${field}`] = input.checked;
        } else {
          const value = input.value === "" ? null : Number(input.value);
          if (value !== null && (!Number.isInteger(value) || value < 0)) {
            result.replaceChildren(el("span", { class: "error" }, `« ${REQUISITION_FIELDS[field][0]} » : un nombre entier positif.`));
            input.focus();
            return;
          }
          if (value !== (req[field] ?? null)) changes[`requisitions.${field}`] = value;
        }
      }
      if (!Object.keys(changes).length) {
        result.replaceChildren(el("span", { class: "error" }, "Rien n'a été modifié : changez l'orientation ou une réquisition, ou choisissez « Accepter »."));
        return;
      }
    }
    busy(submit, "Enregistrement…", result, async () => {
      const cur = proposalState && proposalState.id === p.id ? proposalState.current : null;
      const r = await post(`/proposals/${encodeURIComponent(p.id)}/decision`, { action: action.value, changes,
        reason: reason || null, supersedes: cur ? cur.seq : null });
      $("decision-reason").value = "";
      await loadDecisions(p.id);
      result.replaceChildren(el("span", { class: "ok" }, `Décision enregistrée : ${decisionLine(r)}.`));
    });
  });
  return form;
}

// ---- drafts -------------------------------------------------------------------------------------------------
function sentenceNode(s, section) {
  const label = STATUSES[s.status] || "";
  return el("p", { class: "sentence s-" + s.status, "data-section": section || null },
    s.status === "unsupported" ? el("span", { class: "badge" }, "Non vérifiée : ") : "",
    s.status === "a_completer" ? el("span", { class: "badge" }, "À compléter : ") : "",
    s.text, " ", ...s.citations.map((c) => chip(c, s.text)), el("span", { class: "sr-only" }, ` (${label})`));
}
async function draft() {
  const box = $("draft");
  const kind = $("draft-kind").value;
  const body = { kind };
  if (kind === "resume") {
    if (!$("draft-cote").value) { showError(box, "Choisissez la pièce à résumer (elle doit avoir une cote)."); return; }
    body.cote = $("draft-cote").value;
  }
  await busy($("draft-btn"), "Rédaction en cours…", box, async () => {
    const d = await post(dossierPath("/drafts"), body);
    const docx = el("button", { type: "button", id: "docx-btn" }, "Télécharger le projet (DOCX)");
    const docxStatus = el("span", { class: "hint", role: "status" });
    docx.addEventListener("click", () => busy(docx, "Préparation du DOCX…", docxStatus, async () => {
      const blob = await (await api(`/drafts/${encodeURIComponent(d.id)}/docx`)).blob();
      const a = el("a", { href: URL.createObjectURL(blob), download: `projet-${d.kind}-${current}.docx` });
      document.body.append(a);
      a.click();
      a.remove();
      docxStatus.textContent = " Téléchargement lancé.";
    }));
    const count = d.sections.reduce((n, s) => n + s.sentences.length, 0);
    box.replaceChildren(
      el("p", { class: "hint" }, `${DRAFT_KINDS[d.kind] || "Projet"} — ${plural(count, "phrase", "phrases")}, chacune renvoyant à sa page — projet à vérifier et à signer par le magistrat.`),
      el("div", { class: "inline" }, docx, docxStatus), incompleteNote(),
      ...d.warnings.map((w) => el("p", { class: "warning" }, "⚠ " + w)),
      (d.removed || []).length ? el("p", { class: "hint" }, `${plural(d.removed.length, "phrase écartée", "phrases écartées")} faute de source vérifiable.`) : "");
    for (const section of d.sections) {
      box.append(el("h4", {}, section.title));
      for (const s of section.sentences) box.append(sentenceNode(s, section.title));
    }
  });
}

// ---- questions ----------------------------------------------------------------------------------------------
async function ask(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  const box = $("answer");
  await busy($("ask-btn"), "Recherche de la réponse…", box, async () => {
    box.replaceChildren(el("p", { class: "hint" }, `Question : ${question}`), incompleteNote());
    const response = await api(dossierPath("/ask"), { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question }) });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let sentences = 0;
    let live = null; // the model's answer as it is generated, replaced by the verified sentence
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const name = (/event: (\w+)/.exec(block) || [])[1];
        const raw = (/data: (.*)/.exec(block) || [])[1];
        if (!name || !raw) continue;
        const data = JSON.parse(raw);
        if (name === "token") {
          live = live || box.appendChild(el("p", { class: "hint" }, ""));
          live.textContent += data.text;
        }
        if (name === "retract") { if (live) { live.remove(); live = null; } box.append(el("p", { class: "hint" }, data.reason)); }
        if (name === "sentence") {
          if (live) { live.remove(); live = null; }
          sentences += 1;
          if (data.span) box.append(el("p", {}, el("strong", {}, data.span)));
          if (data.asked) box.append(el("p", { class: "hint" }, `En réponse à : « ${data.asked} »`));
          box.append(sentenceNode(data));
        }
        if (name === "done" && (data.status === "abstention" || !sentences)) box.append(el("p", { class: "abstention" }, data.answer || "Le dossier ne permet pas de répondre."));
        if (name === "done" && data.status === "abstention" && data.reason) box.append(el("p", { class: "hint" }, data.reason));
        if (name === "done" && data.notice) box.append(el("p", { class: "warning" }, `⚠ ${data.notice}`));
        if (name === "error") box.append(el("p", { class: "error" }, (data.message || "La réponse n'a pas pu être produite.")));
      }
    }
  });
}

// ---- wiring -------------------------------------------------------------------------------------------------
$("login-form").addEventListener("submit", (e) => {
  e.preventDefault();
  $("login-error").textContent = "";
  const value = $("token").value.trim();
  if (!value) { $("login-error").textContent = "Saisissez votre jeton d'accès."; return; }
  const button = e.target.querySelector("button");
  busy(button, "Connexion…", null, () => login(value).catch((err) => {
    token = "";
    $("login-error").textContent = err.status === 401 ? "Jeton inconnu ou expiré : vérifiez-le ou demandez-en un nouveau." : err.message;
  }));
});
$("logout-btn").addEventListener("click", logout);
function showChosenFiles() {
  const chosen = [...$("files").files];
  $("files-names").textContent = chosen.length ? `${plural(chosen.length, "fichier choisi", "fichiers choisis")} : ${chosen.map((f) => f.name).join(", ")}`
    : "Aucun fichier choisi.";
}
$("files").addEventListener("change", showChosenFiles);
$("new-dossier").addEventListener("submit", (e) => createDossier(e).catch((err) => { $("new-id-error").textContent = err.message; }));
$("upload-form").addEventListener("submit", (e) => { e.preventDefault(); busy($("upload-btn"), "Dépôt et analyse…", "docs-error", () => upload(null)); });
$("search-form").addEventListener("submit", (e) => search(e));
$("orient-btn").addEventListener("click", () => orient());
$("draft-btn").addEventListener("click", () => draft());
$("draft-kind").addEventListener("change", refreshActions);
$("ask-form").addEventListener("submit", (e) => ask(e));
$("viewer-close").addEventListener("click", closeReader);
$("viewer-zoom").addEventListener("click", toggleZoom);
$("viewer-prev").addEventListener("click", () => turnPage(-1));
$("viewer-next").addEventListener("click", () => turnPage(1));
$("conflict-replace").addEventListener("click", () => resolveConflict("replace"));
$("conflict-version").addEventListener("click", () => resolveConflict("version"));
$("conflict-cancel").addEventListener("click", () => resolveConflict("cancel"));
$("conflict").addEventListener("cancel", (e) => { e.preventDefault(); resolveConflict("cancel"); });
$("sidebar-toggle").addEventListener("click", () => setSidebar(!$("sidebar").classList.contains("open")));
window.addEventListener("unhandledrejection", (e) => flash((e.reason && e.reason.message) || "Une erreur inattendue est survenue."));
window.addEventListener("error", () => flash("Une erreur inattendue est survenue dans la page : rechargez-la."));
setSidebar(!window.matchMedia("(max-width: 899px)").matches);
if (token) login(token).catch(() => { sessionStorage.removeItem("map-token"); token = ""; });
