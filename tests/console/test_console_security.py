"""Only the console's own page, with the admin token, drives the admin API: not a page of another origin,
even one that knows the token; and the token does not stay in the address bar."""

from __future__ import annotations

from playwright.sync_api import expect

# Run in the other origin's page: every way a web page can send to the console without reading the answer,
# and one that would read it (with the token, as if it had leaked). Each result says what the browser allowed.
ATTACK = """async ([console, token]) => {
  const results = {};
  const attempt = async (name, work) => {
    try { const r = await work(); results[name] = r.type === "opaque" ? "sent, opaque" : "read " + r.status; }
    catch (e) { results[name] = "blocked"; }
  };
  await attempt("reset, text/plain", () => fetch(console + "/emulator/reset",
    { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: "{}" }));
  await attempt("fault, text/plain", () => fetch(console + "/emulator/faults",
    { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ route: "create", status: 503 }) }));
  await attempt("fault, with the token", () => fetch(console + "/emulator/faults",
    { method: "POST", headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
      body: JSON.stringify({ route: "create", status: 503 }) }));
  await attempt("log, with the token", () => fetch(console + "/emulator/requests",
    { headers: { Authorization: "Bearer " + token } }));
  return results;
}"""


def test_a_page_of_another_origin_cannot_drive_the_api(page, console_site, other_origin):
    emulator = console_site.emulator
    survivor = _create_identity(console_site)
    page.goto(other_origin)
    results = page.evaluate(ATTACK, [console_site.url, console_site.token])
    # No CORS permission: the browser stops what would carry the token, or read an answer, before it is sent.
    assert (results["fault, with the token"], results["log, with the token"]) == ("blocked", "blocked")
    # Simple requests do reach the server, which must refuse them itself: nothing was reset, no fault added.
    assert survivor in [identity["id"] for identity in emulator.identities()]
    assert emulator.faults() == []
    page.goto(console_site.address)  # and the console itself still works
    expect(page.locator("#status")).to_have_text("Ready.")


def test_the_token_leaves_the_address_bar_and_survives_a_reload(console, console_site):
    assert console.url == console_site.url + "/"
    expect(console.locator("#about")).to_contain_text(f"endpoint {console_site.emulator.endpoint} (acsid ")
    console.reload()
    expect(console.locator("#status")).to_have_text("Ready.")
    assert console.evaluate("sessionStorage.getItem('acsid-admin-token')") == console_site.token


def test_without_the_token_the_page_asks_for_it(page, console_site):
    page.goto(console_site.url + "/")
    expect(page.get_by_label("Admin token")).to_be_focused()
    page.get_by_label("Admin token").fill("wrong")
    page.get_by_role("button", name="Open the console").click()
    expect(page.locator("#about")).to_contain_text("The admin token was refused (HTTP 401")
    expect(page.locator("#console")).to_be_hidden()
    page.get_by_label("Admin token").fill(console_site.token)
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text("Ready.")


def _create_identity(console_site) -> str:
    import requests

    answer = requests.post(
        console_site.url + "/emulator/identities",
        json={},
        timeout=10,
        headers={"Authorization": f"Bearer {console_site.token}"},
    )
    assert answer.status_code == 201
    identity: str = answer.json()["identity"]["id"]
    return identity
