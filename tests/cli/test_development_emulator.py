"""UseDevelopmentEmulator=true: plain http to an emulator on another host, and nothing else relaxes the rule."""

import socket
from urllib.parse import urlsplit

import pytest
from helpers import FakeClock, acsid

from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.server import start_in_thread


def non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        try:
            udp.connect(("192.0.2.1", 9))  # picks the default route's source address; sends nothing
        except OSError:
            return None
        address: str = udp.getsockname()[0]
        return address


@pytest.mark.skipif(non_loopback_address() is None, reason="this machine has no address beyond loopback")
def test_an_emulator_on_all_interfaces_is_reached_over_plain_http():
    with start_in_thread(EmulatorConfig(host="0.0.0.0", port=0)) as running:
        connection_string = running.connection_string
        host = urlsplit(running.endpoint).hostname
        assert host == non_loopback_address()
        assert connection_string.endswith(";UseDevelopmentEmulator=true")
        result = acsid("user", "create", "-o", "none", "--connection-string", connection_string)
        assert (result.exit_code, result.stderr) == (
            0,
            f"warning: plain http to {running.endpoint}, allowed by UseDevelopmentEmulator=true\n",
        )
        quiet = acsid("user", "create", "-o", "none", "--only-show-errors", "--connection-string", connection_string)
        assert (quiet.exit_code, quiet.stderr) == (0, "")
        without = connection_string.removesuffix(";UseDevelopmentEmulator=true")
        refused = acsid("user", "create", "--connection-string", without)
        assert refused.exit_code == 2
        assert refused.stderr.startswith(f"error: refusing plain http:// to {host}: only loopback hosts may use http\n")
        assert [entry.status for entry in running.emulator.log.entries()] == [201, 201]


def test_the_flag_lets_the_request_leave_and_only_the_network_can_stop_it():
    # TEST-NET-2 is not on this network: the http check passes, and whatever the network does with the
    # request (no route, a timeout, a proxy's answer), it is no longer acsid's refusal.
    allowed = "endpoint=http://198.51.100.1:9/;accesskey=YWJj;UseDevelopmentEmulator=true"
    result = acsid("user", "create", "--timeout", "0.2", "--connection-string", allowed, clock=FakeClock())
    assert result.exit_code in (1, 3)
    first, error = result.stderr.splitlines()[:2]
    assert first == "warning: plain http to http://198.51.100.1:9, allowed by UseDevelopmentEmulator=true"
    assert error.startswith("error: ")
    assert "refusing" not in error
    assert "(POST /identities" in error
    refused = acsid("user", "create", "--connection-string", allowed.removesuffix(";UseDevelopmentEmulator=true"))
    assert (refused.exit_code, refused.stderr.splitlines()[0]) == (
        2,
        "error: refusing plain http:// to 198.51.100.1: only loopback hosts may use http",
    )


@pytest.mark.parametrize("value", ["false", "yes", "1", ""])
def test_only_true_relaxes_the_rule(value):
    result = acsid(
        "user",
        "create",
        "--connection-string",
        f"endpoint=http://198.51.100.1:9/;accesskey=YWJj;UseDevelopmentEmulator={value}",
    )
    assert result.exit_code == 2
