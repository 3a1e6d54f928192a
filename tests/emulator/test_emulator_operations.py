"""The service's rules without the wire: operations take and return plain values, and raise the catalogue's
errors; the one route table says which handler answers each request."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from wire import APP_ID, FOREIGN_ID, OID, TENANT, entra_token, jwt_claims

from acsid_cli import protocol
from acsid_cli.emulator import DEFAULT_RESOURCE_ID, access_responses, admin, operations, responses, routes
from acsid_cli.emulator.errors import ApiError
from acsid_cli.emulator.exchanges import Exchanges
from acsid_cli.emulator.operations import IdentityService
from acsid_cli.emulator.store import Store
from acsid_cli.emulator.tokens import TokenMinter, new_private_key_pem
from acsid_cli.jwt import decode_unverified

NOW = 1_800_000_000.0
HTTP_MODULES = {"http", "urllib", "email", "socket", "socketserver", "acsid_cli.emulator.messages"}


@pytest.fixture(scope="module")
def minter() -> TokenMinter:
    return TokenMinter(new_private_key_pem(), DEFAULT_RESOURCE_ID)


@pytest.fixture
def service(minter):
    store = Store()
    yield IdentityService(store, minter, DEFAULT_RESOURCE_ID)
    store.close()


def refusal(error: pytest.ExceptionInfo[ApiError]) -> tuple[int, str]:
    return error.value.status, error.value.body["error"]["code"]


def test_operations_import_nothing_of_http():
    tree = ast.parse(Path(operations.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {name for name in imported if name.split(".")[0] in HTTP_MODULES or name in HTTP_MODULES}


def test_an_identity_is_created_issued_revoked_and_deleted_from_plain_values(service):
    created = service.create(None, ["chat"], 60, NOW)
    identity_id = created.identity.id
    assert (created.new, created.identity.last_token_issued_at) == (True, NOW)
    assert created.token is not None
    assert jwt_claims(created.token.token)["exp"] == NOW + 3600
    assert service.token_status(created.token.token, NOW).status == "valid"
    token = service.issue(identity_id, ["voip"], 1440, NOW + 1)
    service.revoke(identity_id, NOW + 2)
    assert [service.token_status(t, NOW + 3).status for t in (created.token.token, token.token)] == ["revoked"] * 2
    assert service.token_status(token.token, NOW + 86_401).status == "revoked"  # revocation outranks expiry
    service.delete(identity_id, NOW + 4)
    with pytest.raises(ApiError) as gone:
        service.get(identity_id)
    assert refusal(gone) == (404, protocol.IDENTITY_NOT_FOUND)
    assert [i.deleted_at for i in service.identities()] == [NOW + 4]


def test_a_custom_id_names_one_identity(service):
    first = service.create("alice", [], 1440, NOW)
    again = service.create("alice", ["chat"], 1440, NOW + 1)
    assert (first.new, first.token, again.new, again.identity.id) == (True, None, False, first.identity.id)


def test_the_service_refuses_with_its_catalogues_errors(service):
    with pytest.raises(ApiError) as foreign:
        service.owned(FOREIGN_ID)
    unknown = f"8:acs:{DEFAULT_RESOURCE_ID}_ffffffff-0000-0000-0000-003a0d000000"
    assert refusal(foreign) == (401, protocol.IDENTITY_NOT_OWNED)
    assert service.owned(unknown) == unknown
    for operation in (service.get, lambda i: service.delete(i, NOW), lambda i: service.issue(i, ["chat"], 60, NOW)):
        with pytest.raises(ApiError) as missing:
            operation(unknown)
        assert refusal(missing) == (404, protocol.IDENTITY_NOT_FOUND)


def test_a_teams_exchange_is_recorded_for_its_user(service):
    entra = decode_unverified(entra_token())
    assert entra is not None
    minted = service.exchange(entra, NOW)
    status = service.token_status(minted.token, minted.exp - 1)
    assert (status.status, status.identity) == ("valid", f"8:orgid:{OID}")
    assert jwt_claims(minted.token)["tid"] == TENANT


def test_one_route_table_answers_the_service_and_the_emulators_own_endpoints():
    table = [(route.method, route.pattern) for route in routes.ROUTES]
    assert len(table) == len(set(table))
    for name, operation in protocol.OPERATIONS.items():
        path = re.sub(r"\{\w+\}", "8%3Aacs%3Ax", operation.path)
        route, params = routes.match(operation.method, path.upper().replace("%3A", "%3a"))
        assert (route.operation, route.admin) == (name, False)
        assert route.handler.__module__ in (responses.__name__, access_responses.__name__)
        assert params == dict.fromkeys(re.findall(r"\{(\w+)\}", operation.path), "8%3aACS%3aX")
    health, _ = routes.match("GET", "/emulator/health")
    assert (health.handler, health.admin, health.operation) == (admin.health, True, None)
    assert routes.match("PUT", "/emulator/health")[0].handler is admin.no_endpoint
    assert routes.match("GET", "/identities")[0].handler is responses.no_operation
    assert routes.match("GET", "/identities/")[0].handler is responses.no_operation
    assert routes.match("OPTIONS", "*")[0].handler is responses.no_operation


def test_racing_creates_duplicate_a_custom_id_and_later_ones_are_refused(service):
    first = service.create("carol", [], 1440, NOW)
    twin = service.racing().create("carol", [], 1440, NOW + 1)
    assert (twin.new, twin.identity.id != first.identity.id) == (True, True)
    with pytest.raises(ApiError) as refused:
        service.create("carol", [], 1440, NOW + 2)
    assert refused.value.body["error"]["code"] == protocol.MULTIPLE_IDENTITIES_FOR_CUSTOM_ID


def test_an_exchange_needs_an_assignment_from_plain_values(minter):
    store = Store()
    exchanges = Exchanges(store, minter, DEFAULT_RESOURCE_ID)
    claims = {"tid": TENANT, "oid": OID, "appid": APP_ID, "exp": NOW + 600}
    try:
        with pytest.raises(ApiError) as refused:
            exchanges.teams_extension_exchange(claims, NOW)
        assert refused.value.status == 403
        assert exchanges.put_teams_extension_assignment(TENANT, OID, "user", None)[1] is True
        exchanged = exchanges.teams_extension_exchange(claims, NOW)
        identity = f"8:acs:{DEFAULT_RESOURCE_ID}_{TENANT}_{OID}"
        assert (exchanged.identity_id, exchanged.token.exp) == (identity, NOW + 600)
    finally:
        store.close()
