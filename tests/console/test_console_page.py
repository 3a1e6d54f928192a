"""The console in a real browser: what a person does on the page happens on the emulator, and what
happens on the emulator shows on the page."""

from __future__ import annotations

import re

import pytest
from azure.communication.identity import CommunicationIdentityClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError
from playwright.sync_api import expect
from wire import jwt_claims


def generate(page, *scopes: str, custom_id: str | None = None, minutes: int | None = None) -> tuple[str, str]:
    for scope in scopes:
        page.get_by_label(scope, exact=True).check()
    if custom_id is not None:
        page.get_by_label("Custom id (optional)").fill(custom_id)
    if minutes is not None:
        page.get_by_label("Token lifetime in minutes (optional)").fill(str(minutes))
    page.get_by_role("button", name="Generate", exact=True).click()
    page.locator("#status").filter(has_text="Generated").wait_for()
    return page.locator("#result-id").input_value(), page.locator("#result-token").input_value()


def test_a_token_generated_for_chat_and_voip_validates_with_those_scopes(console, console_site, chromium):
    chromium.grant_permissions(["clipboard-read", "clipboard-write"], origin=console_site.url)
    identity, token = generate(console, "chat", "voip")
    assert console_site.emulator.validate(token)["status"] == "valid"
    assert console_site.emulator.validate(token)["identity"] == identity
    assert jwt_claims(token)["acsScope"] == "chat,voip"  # the emulator signed these claims: validate checked it
    shown = console.locator("#result-claims").inner_text()
    assert '"acsScope": "chat,voip"' in shown
    assert f'"skypeid": "{identity[2:]}"' in shown
    console.get_by_role("button", name="Copy token").click()
    expect(console.locator("#status")).to_have_text("Copied the token.")
    assert console.evaluate("navigator.clipboard.readText()") == token
    console.get_by_role("button", name="Copy identity").click()
    expect(console.locator("#status")).to_have_text("Copied the identity.")
    assert console.evaluate("navigator.clipboard.readText()") == identity


def test_revoke_from_the_page_revokes_the_token(console, console_site):
    identity, token = generate(console, "chat")
    console.get_by_role("button", name=f"Revoke the tokens of {identity}").click()
    console.locator("#status").filter(has_text="Revoked").wait_for()
    assert console_site.emulator.validate(token)["status"] == "revoked"
    row = console.locator("#identities tbody tr").filter(has_text=identity)
    expect(row.locator("td").nth(3)).to_have_text(re.compile(r"^revoked 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC$"))


def test_a_fault_added_on_the_page_reaches_the_next_sdk_call(console, console_site):
    console.get_by_label("Route").select_option("create")
    console.get_by_label("Status (optional)").fill("418")
    console.get_by_role("button", name="Add fault").click()
    console.locator("#faults tbody tr").filter(has_text="create").wait_for()
    emulator = console_site.emulator
    client = CommunicationIdentityClient(emulator.endpoint, AzureKeyCredential(emulator.access_key))
    with pytest.raises(HttpResponseError) as caught:
        client.create_user()
    assert caught.value.status_code == 418
    assert "Fault injected by the acsid emulator" in str(caught.value)
    expect(console.locator("#faults-caption")).to_have_text("No fault rules.")  # its one use is taken
    expect(console.locator("#log tbody tr").first.locator("td").nth(3)).to_have_text("418")


def test_custom_id_then_issue_and_delete_from_the_identities_table(console, console_site):
    console.get_by_label("Token lifetime in minutes (optional)").fill("30")
    console.get_by_label("chat", exact=True).check()
    console.get_by_role("button", name="Generate", exact=True).click()
    expect(console.get_by_role("alert")).to_have_text(  # the service's own words
        "Error: HTTP 400 ValidationError: ExpiresInMinutes value 30 is invalid. "
        "Value must be within the [60, 1440] interval."
    )
    console.get_by_label("chat", exact=True).uncheck()
    console.get_by_label("Token lifetime in minutes (optional)").fill("")
    identity, token = generate(console, custom_id="alice@contoso")
    assert token == ""
    expect(console.locator("#result-expires")).to_have_text("No token: no scope was chosen.")
    expect(console.get_by_role("alert")).to_be_hidden()
    row = console.locator("#identities tbody tr").filter(has_text=identity)
    expect(row.locator("td").first).to_have_text("alice@contoso")
    console.get_by_label("voip", exact=True).check()
    console.get_by_label("Token lifetime in minutes (optional)").fill("60")
    console.get_by_role("button", name=f"Issue a token to {identity}").click()
    console.locator("#status").filter(has_text="Issued a token").wait_for()
    token = console.locator("#result-token").input_value()
    assert (jwt_claims(token)["acsScope"], jwt_claims(token)["exp"] - jwt_claims(token)["iat"]) == ("voip", 3600)
    console.get_by_role("button", name=f"Delete {identity}").click()
    expect(row.locator("td").nth(4)).to_have_text("deleted")
    expect(row.get_by_role("button")).to_have_count(0)
    [listed] = [i for i in console_site.emulator.identities() if i["id"] == identity]
    assert (listed["customId"], listed["deleted"]) == ("alice@contoso", True)
    assert console_site.emulator.validate(token)["status"] == "deleted"


def test_the_request_log_grows_with_each_refusals_reason_until_reset(console, console_site):
    emulator = console_site.emulator
    stranger = CommunicationIdentityClient(emulator.endpoint, AzureKeyCredential("d3Jvbmcta2V5"))
    with pytest.raises(HttpResponseError):
        stranger.create_user()
    CommunicationIdentityClient(emulator.endpoint, AzureKeyCredential(emulator.access_key)).create_user()
    rows = console.locator("#log tbody tr")  # newest first; they arrive without a click
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("201")
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("401")
    expect(rows.nth(1).locator("td").last).to_have_text(re.compile(r"^signature-mismatch: signed with another key"))
    console.once("dialog", lambda dialog: dialog.dismiss())
    console.get_by_role("button", name="Reset the emulator").click()
    assert len(emulator.identities()) == 1  # not confirmed: nothing happens
    assert len(emulator.requests()) == 2
    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="Reset the emulator").click()
    expect(console.locator("#log-caption")).to_have_text("No requests yet.")
    expect(console.locator("#identities-caption")).to_have_text("No identities yet.")
    assert (emulator.identities(), emulator.requests()) == ([], [])


def test_usable_by_keyboard_alone(console, console_site):
    """Tab reaches every control in reading order; Space checks a box and Enter presses a button."""
    order = []
    for _ in range(40):  # bounded: the page has fewer stops than this before the fault form
        console.keyboard.press("Tab")
        order.append(console.evaluate("document.activeElement.id || document.activeElement.textContent"))
        if order[-1] == "scope-chat":
            console.keyboard.press("Space")
        if order[-1] == "generate-button":
            console.keyboard.press("Enter")
            break
    assert order == [
        "Skip to Generate",
        *[f"scope-{s}" for s in ("chat", "voip", "chat.join", "chat.join.limited", "voip.join")],
        "custom-id",
        "minutes",
        "generate-button",
    ]
    console.locator("#status").filter(has_text="Generated").wait_for()
    expect(console.locator("#result-title")).to_be_focused()  # the result is where the keyboard goes next
    assert jwt_claims(console.locator("#result-token").input_value())["acsScope"] == "chat"
