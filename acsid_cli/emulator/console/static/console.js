// The acsid emulator console: plain DOM code, no framework, no inline script (the page's CSP forbids it).
// It talks only to the admin API of its own origin, with the admin token as a Bearer header. The token
// comes in the URL's fragment (never sent to a server, never in a log), then lives in sessionStorage.
"use strict";

const TOKEN_KEY = "acsid-admin-token";
const POLL_MS = 1000;
const LOG_ROWS = 200; // the newest ones; the log itself keeps many more
const $ = (id) => document.getElementById(id);

let facts = null;
let shown = { identities: "", faults: "", log: "" }; // what each table shows, to redraw only on change
let polling = null;

// --- the admin API ---------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: "Bearer " + sessionStorage.getItem(TOKEN_KEY) };
  const init = { method, headers, cache: "no-store", credentials: "omit" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const answer = await fetch(path, init);
  const text = await answer.text();
  let value = null;
  try {
    value = text ? JSON.parse(text) : null;
  } catch (e) {
    value = null;
  }
  if (!answer.ok) {
    const error = value && value.error ? value.error : {};
    const words = [error.code, error.message].filter(Boolean).join(": ") || answer.statusText;
    throw new ApiError(answer.status, `HTTP ${answer.status} ${words}`);
  }
  return value;
}

// --- messages --------------------------------------------------------------------------------------

function say(text) {
  $("status").textContent = text;
}

function fail(error) {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    signIn("The admin token was refused (" + error.message + "). Paste the one acsid emulator printed.");
    return;
  }
  $("error").textContent = "Error: " + error.message;
  $("error").hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

// run an action from a button or a form: one error line on failure, the tables fresh afterwards
async function act(work) {
  clearError();
  try {
    await work();
  } catch (error) {
    fail(error);
  }
  await refresh();
}

// --- small DOM helpers -----------------------------------------------------------------------------

function cell(row, text, header) {
  const td = document.createElement(header ? "th" : "td");
  if (header) td.scope = "row";
  td.textContent = text === null || text === undefined || text === "" ? "—" : String(text);
  row.appendChild(td);
  return td;
}

// The service's 2026-12-01T23:15:20.6746420+00:00 as 2026-12-01 23:15:20 UTC, the exact value in a <time>.
function timeCell(row, iso, prefix) {
  const td = cell(row, iso);
  if (iso) {
    const time = document.createElement("time");
    time.dateTime = iso;
    time.title = iso;
    time.textContent = iso.slice(0, 10) + " " + iso.slice(11, 19) + " UTC";
    td.replaceChildren(...(prefix ? [prefix + " ", time] : [time]));
  }
  return td;
}

function button(label, name, action) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.setAttribute("aria-label", name);
  b.dataset.focusKey = name;
  b.addEventListener("click", action);
  return b;
}

function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function option(select, value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  select.appendChild(o);
}

// Redraws a table body, giving the focus back to the same button if it had it (polling must not
// throw a keyboard user out of the table).
function redraw(tbody, rows) {
  const focused = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.focusKey : undefined;
  tbody.replaceChildren(...rows);
  if (focused) {
    const again = Array.from(tbody.querySelectorAll("button")).find((b) => b.dataset.focusKey === focused);
    if (again) again.focus();
  }
}

// --- tokens ------------------------------------------------------------------------------------------

function claimsOf(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part + "===".slice((part.length + 3) % 4)), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return null;
  }
}

function describeClaims(claims) {
  if (!claims) return "(not a JWT)";
  const lines = [JSON.stringify(claims, null, 2)];
  for (const name of ["iat", "exp"]) {
    if (typeof claims[name] === "number") {
      lines.push(`${name}: ${new Date(claims[name] * 1000).toISOString()} (UTC)`);
    }
  }
  return lines.join("\n");
}

function showResult(identityId, accessToken) {
  $("result-id").value = identityId;
  if (accessToken) {
    $("result-token").value = accessToken.token;
    $("result-expires").textContent = "Expires on " + accessToken.expiresOn;
    $("result-claims").textContent = describeClaims(claimsOf(accessToken.token));
  } else {
    $("result-token").value = "";
    $("result-expires").textContent = "No token: no scope was chosen.";
    $("result-claims").textContent = "(no token)";
  }
  $("result").hidden = false;
  $("result-title").focus();
}

function chosenScopes() {
  return Array.from(document.querySelectorAll("#scopes input:checked")).map((box) => box.value);
}

function chosenMinutes() {
  const text = $("minutes").value.trim();
  return text === "" ? undefined : Number(text);
}

async function copy(id) {
  const field = $(id);
  if (!field.value) {
    say("Nothing to copy.");
    return;
  }
  try {
    await navigator.clipboard.writeText(field.value);
  } catch (e) {
    // Plain http beyond loopback is no secure context, so no clipboard API: the old way still works.
    field.select();
    document.execCommand("copy");
  }
  say(`Copied the ${id === "result-id" ? "identity" : "token"}.`);
}

// --- the sections ------------------------------------------------------------------------------------

async function generate(event) {
  event.preventDefault();
  const request = { scopes: chosenScopes() };
  const customId = $("custom-id").value;
  if (customId !== "") request.customId = customId;
  const minutes = chosenMinutes();
  if (minutes !== undefined) request.expiresInMinutes = minutes;
  await act(async () => {
    const created = await api("POST", "/emulator/identities", request);
    showResult(created.identity.id, created.accessToken);
    say(created.accessToken ? "Generated an identity and its token." : "Generated an identity.");
  });
}

async function issue(identityId) {
  const request = { scopes: chosenScopes() };
  const minutes = chosenMinutes();
  if (minutes !== undefined) request.expiresInMinutes = minutes;
  await act(async () => {
    const token = await api("POST", identityPath(identityId) + "/:issueAccessToken", request);
    showResult(identityId, token);
    say("Issued a token to " + identityId + ".");
  });
}

function identityPath(identityId) {
  return "/emulator/identities/" + encodeURIComponent(identityId);
}

function drawIdentities(identities) {
  const key = JSON.stringify(identities);
  if (key === shown.identities) return;
  shown.identities = key;
  const rows = identities.map((identity) => {
    const row = document.createElement("tr");
    cell(row, identity.id, true);
    cell(row, identity.customId);
    timeCell(row, identity.createdAt);
    timeCell(row, identity.lastTokenIssuedAt);
    if (identity.revokedAt) timeCell(row, identity.revokedAt, "revoked");
    else cell(row, "no");
    cell(row, identity.deleted ? "deleted" : "no");
    const actions = cell(row, "");
    actions.textContent = "";
    if (!identity.deleted) {
      const id = identity.id;
      actions.append(
        button("Issue token", "Issue a token to " + id, () => issue(id)),
        button("Revoke tokens", "Revoke the tokens of " + id, () =>
          act(async () => {
            await api("POST", identityPath(id) + "/:revokeAccessTokens");
            say("Revoked the tokens of " + id + ".");
          })),
        button("Delete", "Delete " + id, () =>
          act(async () => {
            await api("DELETE", identityPath(id));
            say("Deleted " + id + ".");
          })),
      );
    }
    return row;
  });
  const live = identities.filter((i) => !i.deleted).length;
  $("identities-caption").textContent = identities.length
    ? `${count(identities.length, "identity", "identities")}, ${live} live, ${identities.length - live} deleted.`
    : "No identities yet.";
  redraw(document.querySelector("#identities tbody"), rows);
}

function faultFields() {
  const rule = { route: $("fault-route").value };
  for (const name of ["status", "count", "every", "delayMs"]) {
    const text = $("fault").elements[name].value.trim();
    if (text !== "") rule[name] = Number(text);
  }
  for (const name of ["retryAfter", "body", "contentType"]) {
    const text = $("fault").elements[name].value;
    if (text !== "") rule[name] = text;
  }
  if ($("fault-drop").value) rule.drop = $("fault-drop").value;
  if ($("fault-process").checked) rule.process = true;
  return rule;
}

async function addFault(event) {
  event.preventDefault();
  await act(async () => {
    const rule = await api("POST", "/emulator/faults", faultFields());
    say(`Added a fault: the next ${count(rule.count, "request", "requests")} to ${rule.route} take it.`);
  });
}

function drawFaults(faults) {
  const key = JSON.stringify(faults);
  if (key === shown.faults) return;
  shown.faults = key;
  const rows = faults.map((rule) => {
    const row = document.createElement("tr");
    cell(row, rule.route, true);
    cell(row, rule.count);
    cell(row, rule.status);
    cell(row, rule.every);
    cell(row, rule.retryAfter);
    cell(row, rule.delayMs);
    cell(row, rule.drop);
    cell(row, rule.process ? "yes" : "no");
    cell(row, rule.body);
    return row;
  });
  $("faults-caption").textContent = faults.length
    ? `${count(faults.length, "fault rule", "fault rules")} pending.` : "No fault rules.";
  redraw(document.querySelector("#faults tbody"), rows);
}

function faultSummary(fault) {
  if (!fault) return "";
  const parts = [];
  if (fault.status) parts.push("status " + fault.status);
  if (fault.delayMs) parts.push(`delay ${fault.delayMs} ms`);
  if (fault.drop) parts.push("drop " + fault.drop);
  return parts.join(", ") || "injected";
}

function drawLog(entries) {
  const newest = entries.slice(-LOG_ROWS);
  const key = entries.length + JSON.stringify(newest);
  if (key === shown.log) return;
  shown.log = key;
  const first = entries.length - newest.length;
  const rows = newest.map((entry, index) => {
    const row = document.createElement("tr");
    cell(row, first + index + 1, true);
    cell(row, entry.method).className = "short";
    cell(row, entry.route || "(no route)").className = "short";
    cell(row, entry.target);
    cell(row, entry.status === null ? "no answer (connection dropped)" : entry.status);
    cell(row, entry.scheme || "none").className = "short";
    cell(row, faultSummary(entry.fault));
    cell(row, entry.reason);
    return row;
  }).reverse();
  $("log-caption").textContent = entries.length
    ? `${count(entries.length, "request", "requests")}, newest first${entries.length > LOG_ROWS ? ` (the latest ${LOG_ROWS} shown)` : ""}.`
    : "No requests yet.";
  redraw(document.querySelector("#log tbody"), rows);
}

async function refresh() {
  if (!facts) return;
  try {
    const [identities, faults, log] = await Promise.all([
      api("GET", "/emulator/identities"),
      api("GET", "/emulator/faults"),
      api("GET", "/emulator/requests"),
    ]);
    drawIdentities(identities.value);
    drawFaults(faults.value);
    drawLog(log.value);
  } catch (error) {
    fail(error);
  }
}

// --- start -------------------------------------------------------------------------------------------

function fillForms() {
  const scopes = $("scopes");
  scopes.querySelectorAll(".check").forEach((node) => node.remove());
  for (const scope of facts.scopes) {
    const wrap = document.createElement("div");
    wrap.className = "check";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = "scope-" + scope;
    box.value = scope;
    const label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = scope;
    wrap.append(box, label);
    scopes.appendChild(wrap);
  }
  const minutes = $("minutes");
  minutes.min = facts.tokenMinutes.min;
  minutes.max = facts.tokenMinutes.max;
  $("minutes-help").textContent =
    `${facts.tokenMinutes.min} to ${facts.tokenMinutes.max}; default ${facts.tokenMinutes.default}.`;
  $("fault-route").replaceChildren();
  for (const route of facts.faultRoutes) option($("fault-route"), route, route === "*" ? "* (any route)" : route);
  $("fault-drop").replaceChildren();
  option($("fault-drop"), "", "no");
  for (const drop of facts.drops) option($("fault-drop"), drop, drop);
  $("about").textContent =
    `Resource ${facts.resourceId}, endpoint ${facts.endpoint} (acsid ${facts.version}). ` +
    "A local test double, not Azure.";
}

function signIn(message) {
  stopPolling();
  facts = null;
  $("console").hidden = true;
  $("signin").hidden = false;
  $("about").textContent = message;
  $("signin-token").focus();
}

function stopPolling() {
  if (polling !== null) clearInterval(polling);
  polling = null;
}

function startPolling() {
  stopPolling();
  polling = setInterval(() => {
    if ($("follow").checked && !document.hidden) refresh();
  }, POLL_MS);
}

async function open() {
  clearError();
  try {
    facts = await api("GET", "/emulator/about");
  } catch (error) {
    facts = null;
    fail(error);
    return;
  }
  shown = { identities: "", faults: "", log: "" };
  fillForms();
  $("signin").hidden = true;
  $("console").hidden = false;
  await refresh();
  say("Ready.");
  startPolling();
}

function tokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get("token");
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, "", location.pathname + location.search); // out of the address bar and history
  }
}

function start() {
  tokenFromFragment();
  $("signin").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("signin-token").value.trim());
    $("signin-token").value = "";
    open();
  });
  $("generate").addEventListener("submit", generate);
  $("fault").addEventListener("submit", addFault);
  $("faults-clear").addEventListener("click", () =>
    act(async () => {
      await api("DELETE", "/emulator/faults");
      say("Cleared the fault rules.");
    }));
  $("log-clear").addEventListener("click", () =>
    act(async () => {
      await api("DELETE", "/emulator/requests");
      say("Cleared the request log.");
    }));
  $("reset").addEventListener("click", () => {
    if (!confirm("Forget every identity, token, fault rule and logged request?")) return;
    act(async () => {
      await api("POST", "/emulator/reset");
      $("result").hidden = true;
      say("The emulator was reset.");
    });
  });
  document.querySelectorAll("[data-copy]").forEach((b) => b.addEventListener("click", () => copy(b.dataset.copy)));
  if (sessionStorage.getItem(TOKEN_KEY)) {
    open();
  } else {
    signIn("Sign in with the admin token to use the console.");
  }
}

start();
