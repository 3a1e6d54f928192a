"""EmulatorConfig is used from Python (the pytest plugin, start_in_thread): its errors name its fields, never
the command line's flags, which `acsid emulator` puts in their place."""

from __future__ import annotations

import re

import pytest

from acsid_cli.emulator import DEFAULT_RESOURCE_ID
from acsid_cli.emulator.config import EmulatorConfig


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"access_key": "not base64!"}, "access_key must be base64, like the accesskey of a connection string"),
        ({"secondary_key": "%%"}, "secondary_key must be base64, like the accesskey of a connection string"),
        ({"resource_id": "contoso"}, f"resource_id must be a GUID such as {DEFAULT_RESOURCE_ID}"),
        ({"cert_file": "c.pem"}, "cert_file and key_file go together: give both to serve HTTPS"),
    ],
)
def test_a_bad_setting_is_named_as_python_spells_it(settings, message):
    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        EmulatorConfig(**settings)
    assert str(refused.value) == message
